import * as assert from "node:assert/strict";
import { AdaptiveRateLimiter, statedRateLimit } from "../../provider/client/rate-limiter";
import { simulate, type Scenario } from "../support/simulated-rate-limit";

// The limiter is pure logic on an injected clock; the last scenarios run it against a simulated
// rate-limited API on a simulated clock (tests/support/simulated-rate-limit.ts).

const base: Scenario = {
  seed: 1,
  requests: 100,
  parallel: 8,
  limitPerSecond: 2,
  statesLimit: true,
  limiter: true,
};

describe("AdaptiveRateLimiter", () => {
  it("costs nothing until the API throttles", () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter(() => now);
    for (let i = 0; i < 1000; i++) {
      assert.equal(limiter.reserve(), 0);
      limiter.record({ throttled: false, bookedAtMs: now });
      now += 1;
    }
    assert.equal(limiter.state().enabled, false);
  });

  it("after a 429 that states the limit, books parallel sends one after another at that limit", () => {
    let now = 10_000;
    const limiter = new AdaptiveRateLimiter(() => now);
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    assert.equal(
      limiter.state().ratePerSecond,
      2,
      "the requests refused were sent unpaced: pace at the limit",
    );
    const waits = Array.from({ length: 4 }, () => limiter.reserve());
    // The bucket starts empty: each send waits one more interval than the one before.
    waits.forEach((w, i) => assert.ok(Math.abs(w - (i + 1) * 500) < 1e-6, `wait ${i}: ${w}`));
    now += 10_000;
    assert.equal(limiter.reserve(), 0, "ten seconds later the booked sends are long gone");
  });

  it("starts from an empty bucket even when its clock moves while it learns of the first 429", () => {
    // A real clock advances between any two reads: the bucket, off until then, must not fill at its
    // unlimited rate in that instant (a full token let a second request leave unpaced).
    let now = 10_000;
    const limiter = new AdaptiveRateLimiter(() => (now += 0.001));
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    const wait = limiter.reserve();
    assert.ok(Math.abs(wait - 500) < 0.1, `the first send after it waits one interval: ${wait}`);
  });

  it("refused while paced at the stated limit (others share it): lowers the rate below it", () => {
    let now = 10_000;
    const limiter = new AdaptiveRateLimiter(() => now);
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    // Booked before that 429 was answered, sent after it (its signature in between): the same episode.
    limiter.record({ throttled: true, bookedAtMs: now - 5, statedLimitPerSecond: 2 });
    assert.equal(limiter.state().ratePerSecond, 2);
    now += 500;
    const booked = now;
    now += limiter.reserve();
    limiter.record({ throttled: true, bookedAtMs: booked, statedLimitPerSecond: 2 });
    const rate = limiter.state().ratePerSecond;
    assert.ok(Math.abs(rate - 1.4) < 1e-9, `rate ${rate}`);
  });

  it("never lets a send overtake, or leave with, one booked before it when the rate grows back", () => {
    let now = 10_000;
    const limiter = new AdaptiveRateLimiter(() => now);
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    now += 1;
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    assert.ok(Math.abs(limiter.state().ratePerSecond - 1.4) < 1e-9);
    // Four sends booked at 1.4/s: they leave 0.71, 1.43, 2.14 and 2.86 s from now.
    const booked = Array.from({ length: 4 }, () => now + limiter.reserve());
    // Successes raise the rate back to the stated 2/s while they wait.
    for (let i = 0; i < 20; i++) {
      now += 100;
      limiter.record({ throttled: false, bookedAtMs: now - 50 });
    }
    assert.equal(limiter.state().ratePerSecond, 2);
    const last = booked.at(-1) ?? 0;
    const next = now + limiter.reserve();
    // By tokens alone (the debt repaid at 2/s) it would leave 1 s after the rate change, with the
    // fourth send: the API would refuse one of the two.
    assert.ok(next >= last + 500 - 1e-6, `booked ${next - last} ms after the last booking`);
    const after = now + limiter.reserve();
    assert.ok(Math.abs(after - next - 500) < 1e-6, "then one every 1/rate");
  });

  it("lowers the rate once for the requests that were in flight together", () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter(() => now);
    for (let i = 0; i < 40; i++) {
      now += 100;
      limiter.record({ throttled: false, bookedAtMs: now - 50 });
    }
    now += 100;
    limiter.record({ throttled: true, bookedAtMs: now - 50 });
    const after = limiter.state().ratePerSecond;
    // Seven more 429s for requests sent before that decrease: no further decrease.
    for (let i = 0; i < 7; i++) limiter.record({ throttled: true, bookedAtMs: now - 40 + i });
    assert.equal(limiter.state().ratePerSecond, after);
    // A request sent after the decrease and throttled again: a second decrease.
    now += 300;
    limiter.record({ throttled: true, bookedAtMs: now - 100 });
    assert.ok(limiter.state().ratePerSecond < after);
  });

  it("grows back with successes, never above the limit the API stated", () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter(() => now);
    limiter.record({ throttled: true, bookedAtMs: 0, statedLimitPerSecond: 2 });
    const rates: number[] = [];
    for (let i = 0; i < 200; i++) {
      now += 50;
      limiter.record({ throttled: false, bookedAtMs: now - 20 });
      rates.push(limiter.state().ratePerSecond);
    }
    assert.ok(
      rates.every((r, i) => i === 0 || r >= (rates[i - 1] ?? 0) - 1e-9),
      "the rate only grows",
    );
    assert.ok(Math.max(...rates) <= 2, `max ${Math.max(...rates)}`);
    assert.ok((rates.at(-1) ?? 0) > 1.99, `it reaches the stated limit: ${rates.at(-1)}`);
  });

  it("without a stated limit, grows past the last rate once the cubic's window has passed (AWS's curve)", () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter(() => now);
    // A steady 10 answers per second, then a 429.
    for (let i = 0; i < 30; i++) {
      now += 100;
      limiter.record({ throttled: false, bookedAtMs: now - 20 });
    }
    limiter.record({ throttled: true, bookedAtMs: now - 20 });
    const { lastMaxRate, ratePerSecond } = limiter.state();
    assert.ok(Math.abs(ratePerSecond - lastMaxRate * 0.7) < 1e-9);
    for (let i = 0; i < 40; i++) {
      now += 100;
      limiter.record({ throttled: false, bookedAtMs: now - 20 });
    }
    assert.ok(limiter.state().ratePerSecond > lastMaxRate, JSON.stringify(limiter.state()));
  });

  it("reads the limit API Gateway states, per second", () => {
    const msg = (tail: string) =>
      `The throttling threshold has been reached: policy user over ratelimit,${tail}`;
    assert.equal(statedRateLimit(msg("limit:2,time:1 second")), 2);
    assert.equal(statedRateLimit(msg("limit:120,time:1 minute")), 2);
    assert.equal(statedRateLimit(msg("limit:7200,time:1 hour")), 2);
    assert.equal(statedRateLimit(msg("limit:5,time:10 seconds")), 0.5);
    assert.equal(statedRateLimit("The throttling threshold has been reached."), undefined);
    assert.equal(statedRateLimit(msg("limit:0,time:1 second")), undefined);
    assert.equal(statedRateLimit(undefined), undefined);
  });

  describe("against a simulated API limited to 2 requests/s (100 requests, 8 in parallel)", () => {
    it("without the limiter (each request on its own): several 429s per request", async () => {
      const r = await simulate({ ...base, limiter: false });
      assert.ok(r.throttled / base.requests > 2, `${r.throttled} 429s`);
    });

    for (const seed of [1, 2, 3, 4, 5]) {
      it(`with the limiter, seed ${seed}: within 1.1x of N/R and at most 0.5 429s per request`, async () => {
        const r = await simulate({ ...base, seed });
        const bound = base.requests / base.limitPerSecond;
        assert.ok(r.seconds <= 1.1 * bound, `${r.seconds.toFixed(1)} s against ${bound} s (seed ${seed})`);
        assert.ok(r.throttled <= 0.5 * base.requests, `${r.throttled} 429s (seed ${seed})`);
      });
    }

    it("when the API does not state its limit (AWS's curve alone): at most 0.5 429s per request, within 2x", async () => {
      // Slower than knowing the limit: the rate saws between 0.7x and a little above the limit.
      const r = await simulate({ ...base, statesLimit: false });
      const bound = base.requests / base.limitPerSecond;
      assert.ok(r.seconds <= 2 * bound, `${r.seconds.toFixed(1)} s against ${bound} s`);
      assert.ok(r.throttled <= 0.5 * base.requests, `${r.throttled} 429s`);
    });
  });
});
