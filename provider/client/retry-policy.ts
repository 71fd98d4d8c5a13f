// Decides, for each failed attempt, whether sending again can only help. Ordering costs money, so
// a request that creates an order is retried only when the server certainly did not act on it:
// the connection failed before the request was written, HTTP 429, or an API Gateway throttling
// code. A timeout after sending, a reset mid-response or a 5xx means the order may exist: that is
// "outcome unknown", never retried. 401/403 are never retried here (the client refreshes an IAM
// token once on 401 itself).

/** What went wrong with one attempt, as the transport observed it. */
export type AttemptFailure =
  /** No byte of the request reached the server (DNS, refused, connect/TLS timeout, reset before writing). */
  | { kind: "not-sent"; cause: string }
  /** The request was written but no complete answer came back (timeout, reset, socket hang-up). */
  | { kind: "no-answer"; cause: string }
  | { kind: "http"; status: number; errorCode?: string | undefined; retryAfterMs?: number | undefined };

/** What the transport knew when a request failed without an HTTP answer. */
export interface TransportFailure {
  /** The error code (ECONNREFUSED, ETIMEDOUT, ECONNRESET, ...). */
  code: string;
  /** Whether the whole request had been written to the socket. */
  written: boolean;
  /** For a timeout: the phase that ran out (lookup, connect, secureConnect, send, response, request). */
  timeoutEvent?: string | undefined;
}

// Timeout phases that end before the request is written.
const NOT_SENT_TIMEOUT_EVENTS: ReadonlySet<string> = new Set(["lookup", "connect", "secureConnect"]);

/**
 * "not-sent" only when the server cannot have acted. Whether the request was written is asked
 * first: once it was, no error code makes it unsent (a route can vanish, EHOSTUNREACH, after the
 * server already took the order), so it is "no-answer", which never resends an order. Before the
 * write, any error but a timeout of the send or response phase means nothing reached the server.
 */
export function transportFailureKind(failure: TransportFailure): "not-sent" | "no-answer" {
  if (failure.written) return "no-answer";
  if (failure.timeoutEvent !== undefined) {
    return NOT_SENT_TIMEOUT_EVENTS.has(failure.timeoutEvent) ? "not-sent" : "no-answer";
  }
  return "not-sent";
}

export type FailureClass =
  | "throttled"
  | "not-sent"
  | "ambiguous"
  | "server-error"
  | "unauthorized"
  | "rejected";

/** API Gateway flow-control codes (APIG "Error Codes": request throttled). */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set(["APIGW.0308", "APIG.0308"]);

export function classify(failure: AttemptFailure): FailureClass {
  switch (failure.kind) {
    case "not-sent":
      return "not-sent";
    case "no-answer":
      return "ambiguous";
    case "http":
      if (failure.status === 429 || (failure.errorCode && THROTTLING_ERROR_CODES.has(failure.errorCode))) {
        return "throttled";
      }
      if (failure.status >= 500) return "server-error";
      if (failure.status === 401) return "unauthorized";
      return "rejected";
  }
}

export type Decision =
  | { action: "retry"; delayMs: number }
  /** Give up: the failure is final, or the retry budget is spent. */
  | { action: "fail" }
  /** Give up and tell the operator an order may exist. */
  | { action: "outcome-unknown" };

export interface RetryStrategyOptions {
  /** Attempts in all, the first included, counting failures other than throttling. */
  maxAttempts: number;
  /** The most time spent waiting between attempts, in all: the only bound on throttling. */
  maxWaitMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Uniform random number in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

/**
 * Waits what Retry-After asks (plus a little jitter, so parallel requests do not return in
 * lockstep), else capped exponential backoff with full jitter. A throttled request certainly was
 * not acted on and only needs patience: throttling answers are bounded by the total wait alone,
 * so a rate-limited API slows a stack of dozens of orders down instead of failing some of them.
 * Other failures also count against `maxAttempts`. `creates` marks requests whose repetition
 * could place a second order.
 */
export class RetryStrategy {
  private readonly base: number;
  private readonly cap: number;
  private readonly random: () => number;
  private waitedMs = 0;
  private counted = 0;

  constructor(private readonly options: RetryStrategyOptions) {
    this.base = options.baseDelayMs ?? 200;
    this.cap = options.maxDelayMs ?? 20_000;
    this.random = options.random ?? Math.random;
  }

  /** attempt: the number of the attempt that just failed, from 1. */
  decide(failure: AttemptFailure, attempt: number, creates: boolean): Decision {
    const cls = classify(failure);
    const retryable =
      cls === "throttled" ||
      cls === "not-sent" ||
      (!creates && (cls === "ambiguous" || cls === "server-error"));
    if (!retryable) {
      return creates && (cls === "ambiguous" || cls === "server-error")
        ? { action: "outcome-unknown" }
        : { action: "fail" };
    }
    if (cls !== "throttled" && ++this.counted >= this.options.maxAttempts) return { action: "fail" };
    const retryAfter = failure.kind === "http" ? failure.retryAfterMs : undefined;
    const delayMs = Math.round(
      retryAfter !== undefined
        ? retryAfter + this.random() * this.base
        : this.random() * Math.min(this.cap, this.base * 2 ** (attempt - 1)),
    );
    if (this.waitedMs + delayMs > this.options.maxWaitMs) return { action: "fail" };
    this.waitedMs += delayMs;
    return { action: "retry", delayMs };
  }
}

/** Parses Retry-After (delay-seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
