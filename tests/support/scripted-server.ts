// A loopback HTTP server that answers each request with the next scripted behaviour and records
// what it received: for testing the client's HTTP handling without the emulator.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | { respond: number; headers?: Record<string, string>; body?: unknown }
  /** Read the whole request, then destroy the socket without answering. */
  | { drop: true }
  /** Read the whole request and never answer. */
  | { hang: true };

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ScriptedServer {
  url: string;
  received: ReceivedRequest[];
  /** Behaviours for the next requests; when they run out, requests get `fallback`. */
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(
  fallback: Behaviour = { respond: 200, body: {} },
  host = "127.0.0.1",
): Promise<ScriptedServer> {
  const queue: Behaviour[] = [];
  const received: ReceivedRequest[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const b = queue.shift() ?? fallback;
      if ("drop" in b) return req.socket.destroy();
      if ("hang" in b) return;
      counter++;
      res.writeHead(b.respond, {
        "X-Request-Id": `req-${String(counter).padStart(4, "0")}`,
        ...(b.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...b.headers,
      });
      res.end(b.body === undefined ? "" : JSON.stringify(b.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received,
    script: (...b) => queue.push(...b),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
