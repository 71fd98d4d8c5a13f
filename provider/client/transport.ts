// The transport stage: one HTTP exchange, nothing else (no retries, no redirects, no status
// handling). It says what happened in the retry policy's terms: an answer (any status), or a
// failure that either certainly sent nothing or may have reached the server. Injectable, so the
// client's other stages can be tested without a server.
import * as http from "node:http";
import * as https from "node:https";
import type { Got } from "got";
import { PACKAGE_NAME, packageManifest } from "./package-manifest";
import { transportFailureKind, type AttemptFailure } from "./retry-policy";
import type { ClientSettings } from "./settings";

export const USER_AGENT = `${PACKAGE_NAME}/${packageManifest().version} (node ${process.versions.node})`;

/** A request exactly as it goes on the wire: the headers are already signed. */
export interface WireRequest {
  method: "GET" | "POST";
  /** The absolute URL with its query. */
  url: string;
  headers: Readonly<Record<string, string>>;
  /** "" for none. */
  body: string;
  timeouts: ClientSettings["timeouts"];
}

export type TransportOutcome =
  | { kind: "response"; status: number; text: string; headers: http.IncomingHttpHeaders }
  /** final: never worth another attempt (a certificate that cannot be verified). */
  | { kind: "failure"; failure: AttemptFailure & { kind: "not-sent" | "no-answer" }; final: boolean };

export interface Transport {
  send(request: WireRequest): Promise<TransportOutcome>;
  /** Closes the connections it keeps, once the requests of a run are done (later ones open new ones). */
  close?(): void;
}

type GotModule = typeof import("got");

/**
 * got over keep-alive agents. got is loaded at the first request (a run that only deletes never
 * pays for it), and one got instance is kept per set of timeouts: got.extend validates and merges
 * all its options, which cost more than the request to the emulator when each resource built its own.
 */
export class GotTransport implements Transport {
  // proxyEnv makes Node honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, proxyEnv: process.env }),
    https: new https.Agent({ keepAlive: true, proxyEnv: process.env }),
  };
  private gotModule: Promise<GotModule> | undefined;
  private readonly instances = new Map<string, Got>();

  async send(request: WireRequest): Promise<TransportOutcome> {
    const gotModule = await (this.gotModule ??= import("got"));
    const { RequestError, TimeoutError } = gotModule;
    const { method, url, headers, body } = request;
    try {
      const res = await this.instance(gotModule, request.timeouts)(url, {
        method,
        headers,
        ...(body ? { body } : {}),
      });
      return { kind: "response", status: res.statusCode, text: res.body, headers: res.headers };
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      const code = err.code;
      const cause = `${code}: ${err.message}`;
      if (code.startsWith("ERR_TLS") || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        return {
          kind: "failure",
          failure: { kind: "not-sent", cause: `TLS verification failed (${cause})` },
          final: true,
        };
      }
      const kind = transportFailureKind({
        code,
        written: err.timings?.upload !== undefined,
        timeoutEvent: err instanceof TimeoutError ? err.event : undefined,
      });
      return { kind: "failure", failure: { kind, cause }, final: false };
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private instance({ got }: GotModule, timeouts: ClientSettings["timeouts"]): Got {
    const key = `${timeouts.connectMs}/${timeouts.responseMs}`;
    let instance = this.instances.get(key);
    if (!instance) {
      instance = got.extend({
        agent: this.agents,
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: "text",
        headers: { "user-agent": USER_AGENT },
        timeout: {
          lookup: timeouts.connectMs,
          connect: timeouts.connectMs,
          secureConnect: timeouts.connectMs,
          send: timeouts.responseMs,
          response: timeouts.responseMs,
          request: timeouts.connectMs + timeouts.responseMs,
        },
      });
      this.instances.set(key, instance);
    }
    return instance;
  }
}
