// A rate-limited API on a simulated clock, for the rate limiter's tests: no real time passes.
// A token bucket like API Gateway's (and the emulator's rate-limit fault: burst = the rate, a 429
// with Retry-After in whole seconds), resources sending in parallel, each retrying after a 429 as
// the client does (Retry-After plus up to 0.2 s of jitter), with seeded latencies.
import { AdaptiveRateLimiter } from "../../provider/client/rate-limiter";
import { seeded } from "./seeded";

/** A simulated clock: sleep() resolves when run() reaches its time; nothing waits for real. */
class SimulatedClock {
  nowMs = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.nowMs + Math.max(0, ms), seq: this.seq++, resolve });
    });
  }

  /** Fires timers in time order until none is left, letting promise chains settle in between. */
  async run(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) return;
      this.nowMs = next.at;
      next.resolve();
    }
  }
}

export interface Scenario {
  seed: number;
  requests: number;
  parallel: number;
  limitPerSecond: number;
  /** The API states its limit in the 429's message (API Gateway does). */
  statesLimit: boolean;
  limiter: boolean;
}

/** Runs `requests` requests, `parallel` at a time, against a token bucket; returns time and 429s. */
export async function simulate(s: Scenario): Promise<{
  seconds: number;
  throttled: number;
  sent: number;
  limiter: ReturnType<AdaptiveRateLimiter["state"]>;
}> {
  const clock = new SimulatedClock();
  const random = seeded(s.seed);
  const limiter = new AdaptiveRateLimiter(() => clock.nowMs);
  const bucket = { tokens: Math.ceil(s.limitPerSecond), at: 0 };
  let throttled = 0;
  let sent = 0;
  const serve = (): { ok: true } | { ok: false; retryAfterS: number } => {
    const burst = Math.ceil(s.limitPerSecond);
    bucket.tokens = Math.min(burst, bucket.tokens + ((clock.nowMs - bucket.at) / 1000) * s.limitPerSecond);
    bucket.at = clock.nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / s.limitPerSecond)) };
  };
  const oneRequest = async () => {
    // The engine's own work for a resource (check, create) before the request.
    await clock.sleep(20 + random() * 40);
    for (;;) {
      const wait = s.limiter ? limiter.reserve() : 0;
      if (wait > 0) await clock.sleep(wait);
      const sentAtMs = clock.nowMs;
      sent++;
      await clock.sleep(2 + random() * 18);
      const answer = serve();
      await clock.sleep(2 + random() * 18);
      if (!answer.ok) throttled++;
      limiter.record({
        throttled: !answer.ok,
        sentAtMs,
        statedLimitPerSecond: !answer.ok && s.statesLimit ? s.limitPerSecond : undefined,
      });
      if (answer.ok) return;
      await clock.sleep(answer.retryAfterS * 1000 + random() * 200);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < s.requests) {
      next++;
      await oneRequest();
    }
  };
  const done = Promise.all(Array.from({ length: s.parallel }, worker));
  await clock.run();
  await done;
  return { seconds: clock.nowMs / 1000, throttled, sent, limiter: limiter.state() };
}
