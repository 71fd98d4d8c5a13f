// Mocha root hooks (loaded by .mocharc.json): the tests reach nothing but loopback. A test process
// that opens a TCP connection elsewhere (a provider left on Huawei Cloud's default endpoints, say)
// gets the connection refused at once, and the test that made it fails after it, naming the host.
// Unix sockets and loopback addresses pass. Engine processes are outside this hook: their
// endpoints come from the emulator's stack config.
import * as net from "node:net";
import type { Context } from "mocha";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

/** The host a `socket.connect(...)` call names; undefined for a Unix socket (a path). */
function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  // net.connect() and tls.connect() hand the socket their arguments already normalized, as one array.
  if (Array.isArray(first)) return hostOf(first);
  if (typeof first === "object" && first !== null) {
    // A non-empty path is a Unix socket, as net.Socket reads it (an HTTP agent passes path: null).
    const options = first as { host?: string | null; path?: string | null };
    return options.path ? undefined : (options.host ?? "localhost");
  }
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return typeof second === "string" ? second : "localhost";
  }
  return undefined;
}

const reached: string[] = [];
type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const connect = net.Socket.prototype.connect as unknown as Connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]): net.Socket {
  const host = hostOf(args);
  if (host === undefined || LOOPBACK.test(host)) return connect.apply(this, args);
  reached.push(host);
  process.nextTick(() => this.destroy(new Error(`ECONNREFUSED: the tests reach only loopback, not ${host}`)));
  return this;
} as unknown as typeof net.Socket.prototype.connect;

export const mochaHooks = {
  afterEach(this: Context): void {
    if (reached.length === 0) return;
    const hosts = [...new Set(reached.splice(0))];
    throw new Error(
      `${this.currentTest?.fullTitle() ?? "a test"} connected beyond loopback: ${hosts.join(", ")}`,
    );
  },
};
