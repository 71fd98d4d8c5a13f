import * as assert from "node:assert/strict";
import {
  classify,
  parseRetryAfter,
  RetryStrategy,
  transportFailureKind,
  type AttemptFailure,
  type TransportFailure,
} from "../../provider/client/retry-policy";

// Each failure kind, and what an order request (creates) and a harmless request do with it.
const table: { failure: AttemptFailure; cls: string; order: string; other: string }[] = [
  { failure: { kind: "not-sent", cause: "ECONNREFUSED" }, cls: "not-sent", order: "retry", other: "retry" },
  {
    failure: { kind: "no-answer", cause: "timeout after sending" },
    cls: "ambiguous",
    order: "outcome-unknown",
    other: "retry",
  },
  { failure: { kind: "http", status: 429 }, cls: "throttled", order: "retry", other: "retry" },
  {
    failure: { kind: "http", status: 403, errorCode: "APIGW.0308" },
    cls: "throttled",
    order: "retry",
    other: "retry",
  },
  { failure: { kind: "http", status: 500 }, cls: "server-error", order: "outcome-unknown", other: "retry" },
  { failure: { kind: "http", status: 503 }, cls: "server-error", order: "outcome-unknown", other: "retry" },
  { failure: { kind: "http", status: 401 }, cls: "unauthorized", order: "fail", other: "fail" },
  {
    failure: { kind: "http", status: 403, errorCode: "MSS.00000005" },
    cls: "rejected",
    order: "fail",
    other: "fail",
  },
  {
    failure: { kind: "http", status: 400, errorCode: "MSS.00000003" },
    cls: "rejected",
    order: "fail",
    other: "fail",
  },
  { failure: { kind: "http", status: 404 }, cls: "rejected", order: "fail", other: "fail" },
];

describe("the retry classifier", function () {
  for (const row of table) {
    const name =
      row.failure.kind === "http"
        ? `HTTP ${row.failure.status} ${row.failure.errorCode ?? ""}`.trim()
        : row.failure.kind;
    const verb = {
      retry: "is retried",
      fail: "fails",
      "outcome-unknown": "reports an unknown outcome",
    } as Record<string, string>;
    it(`${name} is ${row.cls}: an order request ${verb[row.order]}, another request ${verb[row.other]}`, function () {
      assert.equal(classify(row.failure), row.cls);
      const strategy = () => new RetryStrategy({ maxAttempts: 3, maxWaitMs: 60_000, random: () => 0 });
      assert.equal(strategy().decide(row.failure, 1, true).action, row.order);
      assert.equal(strategy().decide(row.failure, 1, false).action, row.other);
    });
  }

  it("stops at the attempt limit for failures other than throttling", function () {
    const s = new RetryStrategy({ maxAttempts: 2, maxWaitMs: 60_000, random: () => 0 });
    assert.equal(s.decide({ kind: "not-sent", cause: "refused" }, 1, true).action, "retry");
    assert.equal(s.decide({ kind: "not-sent", cause: "refused" }, 2, true).action, "fail");
  });

  it("bounds throttling by the total wait alone, not by the attempt limit", function () {
    const s = new RetryStrategy({ maxAttempts: 2, maxWaitMs: 10_000, random: () => 0 });
    const throttled = { kind: "http", status: 429, retryAfterMs: 1_000 } as const;
    const actions = Array.from({ length: 11 }, (_, i) => s.decide(throttled, i + 1, true).action);
    assert.deepEqual(actions, [...Array<string>(10).fill("retry"), "fail"]);
  });

  it("waits what Retry-After asks, plus at most the base delay of jitter", function () {
    const s = new RetryStrategy({ maxAttempts: 5, maxWaitMs: 60_000, baseDelayMs: 200, random: () => 0.5 });
    assert.deepEqual(s.decide({ kind: "http", status: 429, retryAfterMs: 1_000 }, 7, true), {
      action: "retry",
      delayMs: 1_100,
    });
  });

  it("stops when waiting would exceed the total wait allowed", function () {
    const s = new RetryStrategy({ maxAttempts: 10, maxWaitMs: 5_000, random: () => 0 });
    assert.deepEqual(s.decide({ kind: "http", status: 429, retryAfterMs: 4_000 }, 1, true), {
      action: "retry",
      delayMs: 4_000,
    });
    assert.equal(s.decide({ kind: "http", status: 429, retryAfterMs: 4_000 }, 2, true).action, "fail");
  });

  it("caps the backoff and applies full jitter", function () {
    const s = new RetryStrategy({
      maxAttempts: 30,
      maxWaitMs: 10_000_000,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random: () => 0.999,
    });
    const delays = [1, 2, 3, 4, 5, 6].map((a) => {
      const d = s.decide({ kind: "not-sent", cause: "x" }, a, true);
      return d.action === "retry" ? d.delayMs : -1;
    });
    assert.deepEqual(delays, [100, 200, 400, 799, 999, 999]);
  });

  it("reads Retry-After as seconds or as an HTTP date", function () {
    const now = new Date("2026-11-25T04:00:00Z");
    assert.equal(parseRetryAfter("7", now), 7000);
    assert.equal(parseRetryAfter("Wed, 25 Nov 2026 04:00:09 GMT", now), 9000);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe("a failure without an answer is 'not sent' only if the request was never written", function () {
  // Once the request is written, the server may have taken the order, whatever error follows.
  const cases: [TransportFailure, "not-sent" | "no-answer"][] = [
    [{ code: "ECONNREFUSED", written: false }, "not-sent"],
    [{ code: "ENOTFOUND", written: false }, "not-sent"],
    [{ code: "ECONNRESET", written: false }, "not-sent"],
    [{ code: "ETIMEDOUT", written: false, timeoutEvent: "connect" }, "not-sent"],
    [{ code: "ETIMEDOUT", written: false, timeoutEvent: "secureConnect" }, "not-sent"],
    [{ code: "ETIMEDOUT", written: false, timeoutEvent: "send" }, "no-answer"],
    [{ code: "ETIMEDOUT", written: true, timeoutEvent: "response" }, "no-answer"],
    [{ code: "ECONNRESET", written: true }, "no-answer"],
    [{ code: "EHOSTUNREACH", written: true }, "no-answer"],
    [{ code: "ENETUNREACH", written: true }, "no-answer"],
    [{ code: "ECONNREFUSED", written: true }, "no-answer"],
  ];
  for (const [failure, kind] of cases) {
    it(`${failure.code}${failure.timeoutEvent ? ` (${failure.timeoutEvent})` : ""}, ${failure.written ? "after" : "before"} the write: ${kind}`, function () {
      assert.equal(transportFailureKind(failure), kind);
    });
  }

  it("an order whose route vanished after the write is never sent again", function () {
    const s = new RetryStrategy({ maxAttempts: 5, maxWaitMs: 10_000, random: () => 0 });
    const kind = transportFailureKind({ code: "EHOSTUNREACH", written: true });
    assert.deepEqual(s.decide({ kind, cause: "EHOSTUNREACH" }, 1, true), { action: "outcome-unknown" });
  });
});
