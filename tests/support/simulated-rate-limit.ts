// A rate-limited API on a simulated clock, for the rate limiter's tests: no real time passes.
// A token bucket like API Gateway's (and the emulator's rate-limit fault: burst = the rate, a 429
// with Retry-After in whole seconds), resources sending in parallel, each retrying after a 429 as
// the client does (Retry-After plus up to 0.2 s of jitter), with seeded latencies. simulateUpdate
// adds what the engine does around the requests: checks one at a time, each with its price
// inquiry, and creates in parallel.
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

/** The simulated world: a clock, seeded draws, the process's limiter and the API's token bucket. */
interface World {
  clock: SimulatedClock;
  random: () => number;
  limiter: AdaptiveRateLimiter;
  serve: () => { ok: true } | { ok: false; retryAfterS: number };
  statesLimit: boolean;
  limitPerSecond: number;
  throttled: number;
  sent: number;
}

function world(s: { seed: number; limitPerSecond: number; statesLimit: boolean }): World {
  const clock = new SimulatedClock();
  const burst = Math.ceil(s.limitPerSecond);
  const bucket = { tokens: burst, at: 0 };
  return {
    clock,
    random: seeded(s.seed),
    limiter: new AdaptiveRateLimiter(() => clock.nowMs),
    statesLimit: s.statesLimit,
    limitPerSecond: s.limitPerSecond,
    throttled: 0,
    sent: 0,
    serve: () => {
      bucket.tokens = Math.min(burst, bucket.tokens + ((clock.nowMs - bucket.at) / 1000) * s.limitPerSecond);
      bucket.at = clock.nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / s.limitPerSecond)) };
    },
  };
}

/**
 * One request as the client sends it: its turn first when `paced` (a client given the shared
 * limiter, which also learns from the answers), then again after each 429 (Retry-After plus up to
 * 0.2 s of jitter) until `maxRetryWaitMs` of waiting is spent. True when it was answered.
 */
async function request(w: World, paced: boolean, maxRetryWaitMs = Infinity): Promise<boolean> {
  let waited = 0;
  for (;;) {
    const bookedAtMs = w.clock.nowMs;
    const turn = paced ? w.limiter.reserve() : 0;
    if (turn > 0) await w.clock.sleep(turn);
    // Signing (or a token from the cache) between the turn and the send, as in the client.
    await w.clock.sleep(1 + w.random() * 4);
    w.sent++;
    await w.clock.sleep(2 + w.random() * 18);
    const answer = w.serve();
    await w.clock.sleep(2 + w.random() * 18);
    if (!answer.ok) w.throttled++;
    if (paced) {
      w.limiter.record({
        throttled: !answer.ok,
        bookedAtMs,
        statedLimitPerSecond: !answer.ok && w.statesLimit ? w.limitPerSecond : undefined,
      });
    }
    if (answer.ok) return true;
    const delay = answer.retryAfterS * 1000 + w.random() * 200;
    if (waited + delay > maxRetryWaitMs) return false;
    waited += delay;
    await w.clock.sleep(delay);
  }
}

/** Runs `requests` requests, `parallel` at a time, against a token bucket; returns time and 429s. */
export async function simulate(s: Scenario): Promise<{
  seconds: number;
  throttled: number;
  sent: number;
  limiter: ReturnType<AdaptiveRateLimiter["state"]>;
}> {
  const w = world(s);
  const oneRequest = async () => {
    // The engine's own work for a resource (check, create) before the request.
    await w.clock.sleep(20 + w.random() * 40);
    await request(w, s.limiter);
  };
  let next = 0;
  const worker = async () => {
    while (next < s.requests) {
      next++;
      await oneRequest();
    }
  };
  const done = Promise.all(Array.from({ length: s.parallel }, worker));
  await w.clock.run();
  await done;
  return { seconds: w.clock.nowMs / 1000, throttled: w.throttled, sent: w.sent, limiter: w.limiter.state() };
}

export interface UpdateScenario {
  seed: number;
  /** New orders in the update: each is checked, then created (one order request). */
  orders: number;
  /** The engine's parallelism: creates in flight at once. */
  parallel: number;
  limitPerSecond: number;
  statesLimit: boolean;
  /**
   * Whether check asks the order's price first, and how: the order request always goes through
   * the shared limiter. A price inquiry gives up after 10 s of throttling, as at preview.
   */
  price: (ctx: { servesUpdate: boolean; throttled: boolean }) => "unpaced" | "paced" | "skip";
}

/**
 * A `pulumi up` of new orders as the engine runs it (measured in the benchmark's provider
 * process): it checks one resource at a time (check awaits its price inquiry) and hands each
 * checked resource to one of `parallel` workers that create it, waiting for a free one.
 */
export async function simulateUpdate(s: UpdateScenario): Promise<{
  seconds: number;
  throttled: number;
  sent: number;
  priced: number;
}> {
  const w = world(s);
  let created = 0;
  let priced = 0;
  const creating = new Set<Promise<void>>();
  const engine = async () => {
    for (let i = 0; i < s.orders; i++) {
      await w.clock.sleep(2 + w.random() * 8); // check's own work
      const how = s.price({ servesUpdate: created > 0, throttled: w.limiter.state().enabled });
      if (how !== "skip" && (await request(w, how === "paced", 10_000))) priced++;
      while (creating.size >= s.parallel) await Promise.race(creating);
      const create = (async () => {
        created++;
        await w.clock.sleep(20 + w.random() * 40); // create's own work, then the order request
        await request(w, true);
      })();
      creating.add(create);
      void create.finally(() => creating.delete(create));
    }
    await Promise.all(creating);
  };
  const done = engine();
  await w.clock.run();
  await done;
  return { seconds: w.clock.nowMs / 1000, throttled: w.throttled, sent: w.sent, priced };
}
