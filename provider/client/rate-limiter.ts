// Client-side rate limiting, one limiter per run, shared by every resource and service: without
// it each request retries on its own after a 429, and dozens of parallel resources keep knocking on
// a rate-limited API (about four refused requests per order at 2 requests/s). Modelled on AWS SDK
// v3's adaptive retry mode (DefaultRateLimiter): a token bucket that stays off until the API first
// throttles, whose rate then drops on throttling answers and grows back with successes along a
// cubic curve (CUBIC congestion control). Three changes, the first two from what the API says:
// - one decrease per throttling episode: answers to requests that took their turn before the last
//   decrease (in flight, or signing, when it happened) do not lower the rate again, so a burst of
//   parallel 429s costs one step, not one per request;
// - API Gateway's throttling message states its limit ("...over ratelimit,limit:2,time:1 second"):
//   the first refusal, of requests sent unpaced, sets the rate to it (not 0.7 of it), and the rate
//   never grows past it, so a run alone under that limit stops probing above it;
// - sends are booked in turn, each at least one interval (1/rate) after the send booked before it:
//   a send booked while the rate was low would otherwise leave together with those booked after
//   the rate grew back, and the API refuses the second of the pair (most of the 429s the
//   benchmark's throttled run still saw came in such pairs).
// The limiter only delays sending; what is resent after a 429 is decided by the retry policy (a
// 429 is a refusal: the server did not act), never here.

/** Multiplicative decrease on throttling (AWS: beta). */
const BETA = 0.7;
/** How fast the rate grows back after a decrease (AWS: scale constant of the cubic). */
const SCALE = 0.4;
/** Weight of the newest half-second in the measured rate (AWS: smooth). */
const SMOOTH = 0.8;
/** Never slower than this, in requests per second (AWS: minimum fill rate). */
const MIN_RATE = 0.5;
/** The bucket holds at least one token, so a slow rate still sends. */
const MIN_CAPACITY = 1;

/** What one answered request tells the limiter. */
export interface Answer {
  /** HTTP 429 or an API Gateway throttling code: the API refused the request for its rate. */
  throttled: boolean;
  /**
   * When the request took its turn (`reserve`, ms on the limiter's clock), before its wait and its
   * signature: one that took it before the last decrease left at the rate before it, even if it
   * left after.
   */
  bookedAtMs: number;
  /** The limit the throttling answer stated, in requests per second, if it stated one. */
  statedLimitPerSecond?: number | undefined;
}

/** A snapshot for messages and tests. */
export interface LimiterState {
  enabled: boolean;
  /** Requests per second the bucket lets through (Infinity while off). */
  ratePerSecond: number;
  /** The rate at the last decrease, which the cubic grows back towards. */
  lastMaxRate: number;
  /** The measured rate of answers, smoothed, in requests per second. */
  measuredRate: number;
  ceiling: number | undefined;
}

export class AdaptiveRateLimiter {
  private enabled = false;
  private fillRate = Infinity;
  /** Tokens in the bucket; below 0 when sends are already booked for the time ahead. */
  private tokens = 0;
  private maxTokens = MIN_CAPACITY;
  private lastRefillMs = 0;
  private lastMaxRate = 0;
  private lastDecreaseMs = -Infinity;
  /** When the send booked last leaves (ms, the limiter's clock). */
  private lastBookedMs = -Infinity;
  private timeWindowS = 0;
  private measuredRate = 0;
  private answersInBucket = 0;
  private rateBucketS: number | undefined;
  private ceiling: number | undefined;

  /** now: milliseconds on any monotonic clock; injectable for tests. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Books one send and returns how many milliseconds to wait before it (0 while the API has not
   * throttled). Sends are booked in turn, so parallel callers leave one after another at the rate.
   */
  reserve(): number {
    if (!this.enabled) return 0;
    this.refill();
    this.tokens -= 1;
    const nowMs = this.now();
    const byTokens = this.tokens >= 0 ? 0 : (-this.tokens / this.fillRate) * 1000;
    const at = Math.max(nowMs + byTokens, this.lastBookedMs + 1000 / this.fillRate);
    this.lastBookedMs = at;
    return at - nowMs;
  }

  /** Learns from an answer (any HTTP status): lowers the rate on throttling, raises it otherwise. */
  record(answer: Answer): void {
    const nowMs = this.now();
    this.measure(nowMs);
    if (answer.statedLimitPerSecond !== undefined && answer.statedLimitPerSecond > 0) {
      this.ceiling = answer.statedLimitPerSecond;
    }
    let rate: number;
    if (answer.throttled) {
      // Booked before the last decrease: that decrease already answered this episode.
      if (this.enabled && answer.bookedAtMs < this.lastDecreaseMs) return;
      this.lastDecreaseMs = nowMs;
      if (!this.enabled && this.ceiling !== undefined) {
        // The first refusal of requests sent unpaced, and the API said its limit: pace at it. Only
        // a refusal of paced requests (other clients share the limit) lowers the rate below it.
        rate = this.lastMaxRate = this.ceiling;
        this.timeWindowS = 0;
      } else {
        let base = this.enabled ? Math.min(this.measuredRate, this.fillRate) : this.measuredRate;
        if (!(base > 0)) base = this.ceiling ?? MIN_RATE / BETA;
        if (this.ceiling !== undefined) base = Math.min(base, this.ceiling);
        this.lastMaxRate = base;
        this.timeWindowS = Math.cbrt((this.lastMaxRate * (1 - BETA)) / SCALE);
        rate = base * BETA;
      }
      if (!this.enabled) {
        // The API just refused: its bucket is empty, and so starts ours.
        this.enabled = true;
        this.lastRefillMs = nowMs;
        this.tokens = 0;
      }
    } else {
      if (!this.enabled) return;
      const sinceS = (nowMs - this.lastDecreaseMs) / 1000 - this.timeWindowS;
      rate = SCALE * sinceS ** 3 + this.lastMaxRate;
      // Not much faster than requests actually come (AWS), once there is a measurement.
      if (this.measuredRate > 0) rate = Math.min(rate, 2 * this.measuredRate);
    }
    if (this.ceiling !== undefined) rate = Math.min(rate, this.ceiling);
    this.setRate(rate);
  }

  /** The limiter's clock, in milliseconds: what `record` takes as `bookedAtMs`. */
  nowMs(): number {
    return this.now();
  }

  state(): LimiterState {
    return {
      enabled: this.enabled,
      ratePerSecond: this.fillRate,
      lastMaxRate: this.lastMaxRate,
      measuredRate: this.measuredRate,
      ceiling: this.ceiling,
    };
  }

  private setRate(rate: number): void {
    this.refill();
    this.fillRate = Math.max(rate, MIN_RATE);
    this.maxTokens = Math.max(rate, MIN_CAPACITY);
    this.tokens = Math.min(this.tokens, this.maxTokens);
  }

  private refill(): void {
    const nowMs = this.now();
    const elapsedS = (nowMs - this.lastRefillMs) / 1000;
    // Off (an unlimited rate), the bucket does not fill: it must start empty when the API first throttles.
    if (elapsedS > 0 && Number.isFinite(this.fillRate))
      this.tokens = Math.min(this.maxTokens, this.tokens + elapsedS * this.fillRate);
    this.lastRefillMs = nowMs;
  }

  /** Answers per second, in half-second buckets, smoothed (AWS: updateMeasuredRate). */
  private measure(nowMs: number): void {
    const bucketS = Math.floor((nowMs / 1000) * 2) / 2;
    this.rateBucketS ??= bucketS;
    this.answersInBucket++;
    if (bucketS > this.rateBucketS) {
      const current = this.answersInBucket / (bucketS - this.rateBucketS);
      this.measuredRate = current * SMOOTH + this.measuredRate * (1 - SMOOTH);
      this.answersInBucket = 0;
      this.rateBucketS = bucketS;
    }
  }
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 };

/**
 * The limit an API Gateway throttling message states, in requests per second: "The throttling
 * threshold has been reached: policy user over ratelimit,limit:2,time:1 second" gives 2.
 */
export function statedRateLimit(message: string | undefined): number | undefined {
  const m = /limit:\s*(\d+(?:\.\d+)?)\s*,\s*time:\s*(\d+(?:\.\d+)?)\s*(second|minute|hour|day)s?/i.exec(
    message ?? "",
  );
  if (!m) return undefined;
  const limit = Number(m[1]);
  const seconds = Number(m[2]) * (UNIT_SECONDS[(m[3] ?? "").toLowerCase()] ?? Number.NaN);
  return limit > 0 && seconds > 0 ? limit / seconds : undefined;
}
