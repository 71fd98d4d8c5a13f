import * as assert from "node:assert/strict";
import { decode, type Decoded } from "../../provider/client/decode";
import { PaceStage } from "../../provider/client/pace";
import { AdaptiveRateLimiter } from "../../provider/client/rate-limiter";
import { attemptFailure, RetryStage } from "../../provider/client/retry";

const sentAt = new Date("2026-11-25T08:00:00Z");

function answer(status: number, body?: unknown, headers: Record<string, string> = {}): Decoded {
  return decode(
    { kind: "response", status, text: body === undefined ? "" : JSON.stringify(body), headers },
    sentAt,
  );
}
const noAnswer: Decoded = decode(
  { kind: "failure", failure: { kind: "no-answer", cause: "ETIMEDOUT" }, final: false },
  sentAt,
);
const refused: Decoded = decode(
  { kind: "failure", failure: { kind: "not-sent", cause: "ECONNREFUSED" }, final: false },
  sentAt,
);
const THROTTLED = {
  error_code: "APIGW.0308",
  error_msg: "The throttling threshold has been reached: policy user over ratelimit,limit:2,time:1 second",
};

describe("the pace stage", function () {
  /** The order things happen in: waits and sends. */
  function staged(limiter: AdaptiveRateLimiter | undefined) {
    const events: string[] = [];
    const pace = new PaceStage(limiter, async (ms) => void events.push(`wait ${ms}`));
    const send = (d: Decoded) => async () => {
      events.push("send");
      return d;
    };
    return { pace, events, send };
  }

  it("without a limiter, sends at once, even after a 429", async function () {
    const { pace, events, send } = staged(undefined);
    const d = answer(429, THROTTLED);
    assert.equal(await pace.paced(send(d)), d);
    await pace.paced(send(answer(200)));
    assert.deepEqual(events, ["send", "send"]);
  });

  it("while the API has not throttled, sends at once; a throttling answer stating its limit turns pacing on at it", async function () {
    let now = 1_000;
    const limiter = new AdaptiveRateLimiter(() => now);
    const { pace, events, send } = staged(limiter);
    const d = answer(429, THROTTLED);
    assert.equal(await pace.paced(send(d)), d, "the answer passes through");
    assert.deepEqual(events, ["send"]);
    assert.deepEqual(
      [limiter.state().enabled, limiter.state().ceiling, limiter.state().ratePerSecond],
      [true, 2, 2],
    );
    // The clock stands still: the next sends wait their turns, one interval (500 ms) apart, before sending.
    await pace.paced(send(answer(200)));
    await pace.paced(send(answer(200)));
    assert.deepEqual(events, ["send", "wait 500", "send", "wait 1000", "send"]);
    now += 10_000;
    await pace.paced(send(answer(200)));
    assert.deepEqual(events.slice(5), ["send"], "ten seconds later, no wait");
  });

  it("books the turn before sending: the answer to a send booked before the last decrease lowers the rate no further", async function () {
    let now = 1_000;
    const limiter = new AdaptiveRateLimiter(() => now);
    limiter.record({ throttled: true, bookedAtMs: now, statedLimitPerSecond: 2 });
    const { pace, send } = staged(limiter);
    // While this request waits its turn and is in flight, another one's 429 lowers the rate.
    await pace.paced(async () => {
      now += 5;
      limiter.record({ throttled: true, bookedAtMs: now - 1, statedLimitPerSecond: 2 });
      return send(answer(429, THROTTLED))();
    });
    assert.equal(limiter.state().ratePerSecond, 2 * 0.7, "one decrease for the episode, not two");
  });

  it("learns nothing from a request that got no answer", async function () {
    const limiter = new AdaptiveRateLimiter(() => 1_000);
    const { pace, send } = staged(limiter);
    await pace.paced(send(noAnswer));
    assert.equal(limiter.state().enabled, false);
  });
});

describe("the retry stage", function () {
  function stage(options: { keepRetrying?: () => boolean; maxAttempts?: number; maxWaitMs?: number } = {}) {
    const waits: number[] = [];
    const retry = new RetryStage(
      { maxAttempts: options.maxAttempts ?? 3, maxWaitMs: options.maxWaitMs ?? 60_000, random: () => 0.5 },
      { sleep: async (ms) => void waits.push(ms), now: () => sentAt, keepRetrying: options.keepRetrying },
    );
    return { retry, waits };
  }

  it("waits what Retry-After asks (plus jitter) and sends again, even an order: a 429 was not acted on", async function () {
    const { retry, waits } = stage();
    assert.equal(await retry.after(answer(429, undefined, { "retry-after": "2" }), 1, true), "retry");
    assert.deepEqual(waits, [2100]);
  });

  it("never sends an order again when it may have been placed: outcome unknown, without waiting", async function () {
    const { retry, waits } = stage();
    assert.equal(await retry.after(answer(503), 1, true), "outcome-unknown");
    assert.equal(await retry.after(noAnswer, 1, true), "outcome-unknown");
    assert.deepEqual(waits, []);
    assert.equal(await retry.after(noAnswer, 1, false), "retry", "a read is sent again");
  });

  it("counts the call's attempts across calls of after(): the strategy is the call's", async function () {
    const { retry, waits } = stage({ maxAttempts: 3 });
    assert.equal(await retry.after(refused, 1, true), "retry");
    assert.equal(await retry.after(refused, 2, true), "retry");
    assert.equal(await retry.after(refused, 3, true), "fail");
    assert.deepEqual(waits, [100, 200], "exponential backoff with full jitter (random 0.5)");
  });

  it("a final failure, a refusal or a caller that no longer wants the answer ends the call", async function () {
    const { retry, waits } = stage();
    const tls = decode({ kind: "failure", failure: { kind: "not-sent", cause: "TLS" }, final: true }, sentAt);
    assert.equal(await retry.after(tls, 1, false), "fail");
    assert.equal(await retry.after(answer(400), 1, false), "fail");
    assert.equal(
      await retry.after(answer(401), 1, false),
      "fail",
      "the 401 refresh is the authenticate stage's",
    );
    assert.deepEqual(waits, []);
    const impatient = stage({ keepRetrying: () => false });
    assert.equal(await impatient.retry.after(answer(429), 1, false), "fail");
    assert.equal(impatient.waits.length, 1, "asked after the wait, before sending again");
  });

  it("tells the retry policy what failed, Retry-After read against the clock", function () {
    assert.deepEqual(
      attemptFailure(answer(429, THROTTLED, { "retry-after": "Wed, 25 Nov 2026 08:00:03 GMT" }), sentAt),
      { kind: "http", status: 429, errorCode: "APIGW.0308", retryAfterMs: 3000 },
    );
    assert.deepEqual(attemptFailure(noAnswer, sentAt), { kind: "no-answer", cause: "ETIMEDOUT" });
  });
});
