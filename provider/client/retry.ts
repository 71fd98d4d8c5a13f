// The retry stage: after a failed attempt, asks the call's RetryStrategy (retry-policy.ts, pure)
// whether to send again, waits as long as it says, and tells the call to send again or how it
// ends. One per call: the strategy counts the call's attempts and waits.
import { header } from "./call-request";
import type { Decoded } from "./decode";
import {
  parseRetryAfter,
  RetryStrategy,
  type AttemptFailure,
  type RetryStrategyOptions,
} from "./retry-policy";

/** What follows a failed attempt: another one, or the end of the call. */
export type Verdict = "retry" | "fail" | "outcome-unknown";

export interface RetryStageOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  /** Asked after each wait: false ends the call with the last failure (ClientOptions.keepRetrying). */
  keepRetrying?: (() => boolean) | undefined;
}

export class RetryStage {
  private readonly strategy: RetryStrategy;

  constructor(
    strategy: RetryStrategyOptions,
    private readonly options: RetryStageOptions,
  ) {
    this.strategy = new RetryStrategy(strategy);
  }

  /**
   * After attempt number `attempt` (from 1) failed with `d`: waits and returns "retry", or says
   * how the call ends. `creates`: the request could act twice if repeated.
   */
  async after(d: Decoded, attempt: number, creates: boolean): Promise<Verdict> {
    if (d.kind === "failure" && d.final) return "fail";
    const decision = this.strategy.decide(attemptFailure(d, this.options.now()), attempt, creates);
    if (decision.action !== "retry") return decision.action;
    await this.options.sleep(decision.delayMs);
    // The caller may no longer want the answer once the wait is over.
    return (this.options.keepRetrying?.() ?? true) ? "retry" : "fail";
  }
}

/** A failed attempt in the retry policy's terms. */
export function attemptFailure(d: Decoded, now: Date): AttemptFailure {
  if (d.kind === "failure") return d.failure;
  return {
    kind: "http",
    status: d.status,
    errorCode: d.error.errorCode,
    retryAfterMs: parseRetryAfter(header(d.headers, "retry-after"), now),
  };
}
