// The pace stage: once the API has throttled, every request of the clients sharing a limiter waits
// its turn. The turn is taken before the request is signed (an AK/SK signature carries the time),
// and the limiter learns from every answer. Without a limiter a request is sent at once and only
// the retry stage waits.
import type { Decoded } from "./decode";
import { statedRateLimit, type AdaptiveRateLimiter } from "./rate-limiter";

export class PaceStage {
  constructor(
    private readonly limiter: AdaptiveRateLimiter | undefined,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Waits for the turn, then signs and sends (`send`), and tells the limiter what came back. */
  async paced(send: () => Promise<Decoded>): Promise<Decoded> {
    const limiter = this.limiter;
    if (!limiter) return send();
    const bookedAtMs = limiter.nowMs();
    const turn = limiter.reserve();
    if (turn > 0) await this.sleep(turn);
    const decoded = await send();
    if (decoded.kind === "answer") {
      limiter.record({
        throttled: decoded.throttled,
        bookedAtMs,
        statedLimitPerSecond: decoded.throttled ? statedRateLimit(decoded.error.errorMsg) : undefined,
      });
    }
    return decoded;
  }
}
