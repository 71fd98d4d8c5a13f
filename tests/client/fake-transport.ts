// A transport that answers from a script and records what it was given: the client's stages run
// as in production, without any HTTP server or socket.
import type { Transport, TransportOutcome, WireRequest } from "../../provider/client";

export type Step =
  | { respond: number; headers?: Record<string, string>; body?: unknown }
  /** The request certainly did not reach the server (refused, DNS), or may have (reset, timeout). */
  | { fail: "not-sent" | "no-answer"; cause: string; final?: boolean }
  /** Decides from the request itself (an IAM token request among the others). */
  | ((request: WireRequest) => Step);

export class FakeTransport implements Transport {
  readonly sent: WireRequest[] = [];
  closed = 0;
  private readonly queue: Step[] = [];
  private answered = 0;

  constructor(private readonly fallback: Step = { respond: 200, body: {} }) {}

  /** Steps for the next requests; when they run out, requests get the fallback. */
  script(...steps: Step[]): this {
    this.queue.push(...steps);
    return this;
  }

  async send(request: WireRequest): Promise<TransportOutcome> {
    this.sent.push(request);
    let step = this.queue.shift() ?? this.fallback;
    while (typeof step === "function") step = step(request);
    if ("fail" in step) {
      return { kind: "failure", failure: { kind: step.fail, cause: step.cause }, final: step.final ?? false };
    }
    this.answered++;
    return {
      kind: "response",
      status: step.respond,
      text: step.body === undefined ? "" : JSON.stringify(step.body),
      headers: {
        "x-request-id": `req-${String(this.answered).padStart(4, "0")}`,
        ...Object.fromEntries(Object.entries(step.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      },
    };
  }

  close(): void {
    this.closed++;
  }

  /** The paths requested, in order (without the endpoint and query). */
  paths(): string[] {
    return this.sent.map((r) => new URL(r.url).pathname);
  }
}

/** An IAM answer issuing `value`, valid for an hour from `now`. */
export function issued(value: string, projectId?: string, now = Date.now()): Step {
  return {
    respond: 201,
    headers: { "X-Subject-Token": value },
    body: {
      token: {
        expires_at: new Date(now + 3_600_000).toISOString(),
        ...(projectId ? { project: { id: projectId } } : {}),
      },
    },
  };
}
