import * as assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  nextDisPath,
  errorOf,
  FakeClock,
  METASTUDIO_FROM_TABLE,
  METASTUDIO_PATH,
  send,
  tokenRequest,
} from "./helpers";

describe("fault injection", function () {
  let emu: RunningEmulator;
  let token: string;
  const clock = new FakeClock();
  // A new order id each time: the emulator takes an order id once.
  const dis = () =>
    send(emu.url, { path: nextDisPath(), headers: { "X-Auth-Token": token }, json: DIS_PAGE_EXAMPLE });
  const metastudio = () =>
    send(emu.url, { path: METASTUDIO_PATH, headers: { "X-Auth-Token": token }, json: METASTUDIO_FROM_TABLE });
  const iam = () => send(emu.url, { path: "/v3/auth/tokens", json: tokenRequest() });

  before(async function () {
    emu = await startEmulator({ clock: clock.now });
  });
  after(async function () {
    await emu.stop();
  });
  beforeEach(function () {
    emu.reset();
    token = emu.issueToken();
  });

  describe("throttling", function () {
    it("answers the next N requests with 429 APIGW.0308 and Retry-After, then serves again", async function () {
      emu.injectFaults({ kind: "throttle", count: 2 });
      for (let i = 0; i < 2; i++) {
        const answer = await dis();
        assert.equal(answer.status, 429);
        assert.equal(answer.headers["retry-after"], "1");
        const body = answer.json() as { error_code: string; error_msg: string; request_id: string };
        assert.equal(body.error_code, "APIGW.0308");
        assert.equal(body.error_msg, "The throttling threshold has been reached.");
        assert.equal(body.request_id, answer.headers["x-request-id"]);
      }
      assert.equal((await dis()).status, 200);
      assert.equal(emu.orders().length, 1, "throttled requests place no order");
      assert.deepEqual(
        emu.requests().map((r) => [r.status, r.faults]),
        [
          [429, ["throttle"]],
          [429, ["throttle"]],
          [200, undefined],
        ],
      );
      assert.deepEqual(emu.faults(), []);
    });

    it("sends the configured Retry-After", async function () {
      emu.injectFaults({ kind: "throttle", count: 1, retryAfterSeconds: 7 });
      assert.equal((await dis()).headers["retry-after"], "7");
    });

    it("throttles only the service it targets", async function () {
      emu.injectFaults({ kind: "throttle", count: 1, service: "metastudio" });
      assert.equal((await dis()).status, 200);
      assert.equal((await iam()).status, 201);
      assert.equal((await metastudio()).status, 429);
      assert.equal((await metastudio()).status, 200);
    });

    it("throttles IAM too", async function () {
      emu.injectFaults({ kind: "throttle", count: 1, service: "iam" });
      const answer = await iam();
      assert.deepEqual([answer.status, errorOf(answer).code], [429, "APIGW.0308"]);
      assert.equal((await iam()).status, 201);
    });

    it("limits the rate with a token bucket: the burst passes, the next waits for a refill", async function () {
      emu.injectFaults({ kind: "rate-limit", perSecond: 2, burst: 2 });
      assert.equal((await dis()).status, 200);
      assert.equal((await dis()).status, 200);
      const third = await dis();
      assert.equal(third.status, 429);
      assert.equal(third.headers["retry-after"], "1");
      assert.match(errorOf(third).message, /limit:2,time:1 second/);
      clock.advance(499);
      assert.equal((await dis()).status, 429, "half a token is not a token");
      clock.advance(1);
      assert.equal((await dis()).status, 200);
      assert.equal((await dis()).status, 429);
      assert.equal(emu.requests().filter((r) => r.faults?.includes("rate-limit")).length, 3);
      assert.equal(emu.orders().length, 3);
    });

    it("asks a slow bucket's client to wait the whole seconds until its next token", async function () {
      emu.injectFaults({ kind: "rate-limit", perSecond: 0.25, burst: 1 });
      assert.equal((await dis()).status, 200);
      assert.equal((await dis()).headers["retry-after"], "4");
    });
  });

  describe("5xx", function () {
    it("answers the next N requests with 500 in each service's shape, placing no order", async function () {
      emu.injectFaults({ kind: "error", count: 3 });
      const disAnswer = await dis();
      assert.deepEqual(
        [disAnswer.status, disAnswer.json()],
        [500, { error_code: "DIS.5000", error_msg: "System error." }],
      );
      const msAnswer = await metastudio();
      assert.deepEqual(
        [msAnswer.status, msAnswer.json()],
        [500, { error_code: "MSS.00000004", error_msg: "Internal Error" }],
      );
      const iamAnswer = await iam();
      assert.equal(iamAnswer.status, 500);
      assert.equal((iamAnswer.json() as { error: { title: string } }).error.title, "Internal Server Error");
      assert.equal(emu.orders().length, 0);
      assert.equal((await dis()).status, 200);
    });

    it("answers 503 when asked", async function () {
      emu.injectFaults({ kind: "error", count: 1, status: 503, service: "dis" });
      const answer = await dis();
      assert.deepEqual([answer.status, errorOf(answer).code], [503, "DIS.5000"]);
    });

    it("answers 502 as the gateway does (APIGW.0201 Backend unavailable.)", async function () {
      emu.injectFaults({ kind: "error", count: 1, status: 502 });
      const answer = await metastudio();
      assert.deepEqual(
        [answer.status, errorOf(answer)],
        [502, { code: "APIGW.0201", message: "Backend unavailable." }],
      );
    });
  });

  it("adds latency before answering, after the order is recorded", async function () {
    emu.injectFaults({ kind: "latency", ms: 150, count: 1, service: "dis" });
    const started = performance.now();
    const answer = await dis();
    assert.equal(answer.status, 200);
    assert.ok(performance.now() - started >= 145, `answered after ${performance.now() - started} ms`);
    assert.deepEqual(emu.requests().at(-1)?.faults, ["latency"]);
    assert.deepEqual(emu.faults(), []);
  });

  describe("accept-then-drop", function () {
    it("records the order, then closes the connection without any answer", async function () {
      emu.injectFaults({ kind: "drop", count: 1, service: "metastudio" });
      await assert.rejects(metastudio(), (err: NodeJS.ErrnoException) => {
        assert.ok(err.code === "ECONNRESET" || err.message === "socket hang up", String(err));
        return true;
      });
      assert.equal(
        emu.orders("metastudio").length,
        1,
        "the order exists although the client never heard of it",
      );
      const entry = emu.requests().at(-1);
      assert.equal(entry?.status, null);
      assert.deepEqual(entry?.faults, ["drop"]);
      assert.equal((await metastudio()).status, 200, "the next order is answered");
    });

    it("waits for an order that is accepted: a refused request is answered and the drop stays armed", async function () {
      emu.injectFaults({ kind: "drop", count: 1 });
      const refused = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token },
        json: { x: 1 },
      });
      assert.equal(refused.status, 400);
      assert.equal((await iam()).status, 201, "IAM places no order, so it is never dropped");
      await assert.rejects(dis());
      assert.equal(emu.orders().length, 1);
    });
  });

  it("error-after-accept: records the order, then answers the 5xx asked for", async function () {
    emu.injectFaults({ kind: "error-after-accept", count: 1, status: 502, service: "metastudio" });
    const failed = await metastudio();
    assert.equal(failed.status, 502);
    assert.equal(emu.orders("metastudio").length, 1, "the order exists although the answer says it failed");
    assert.deepEqual(emu.requests().at(-1)?.faults, ["error-after-accept"]);
    assert.equal((await metastudio()).status, 200, "the next order is answered");
  });

  it("bss-lag: BSS neither lists nor shows an order until the lag has passed", async function () {
    emu.injectFaults({ kind: "bss-lag", count: 1, ms: 5000, service: "metastudio" });
    const placed = await metastudio();
    const orderId = (JSON.parse(placed.text) as { order_id: string }).order_id;
    const global = emu.issueToken({ scope: "domain" });
    const details = () =>
      send(emu.url, {
        method: "GET",
        path: `/v2/orders/customer-orders/details/${orderId}`,
        headers: { "X-Auth-Token": global },
      });
    const listed = async () =>
      JSON.parse(
        (
          await send(emu.url, {
            method: "GET",
            path: "/v2/orders/customer-orders",
            headers: { "X-Auth-Token": global },
          })
        ).text,
      ) as { total_count: number };
    assert.equal(errorOf(await details()).code, "CBC.30000010");
    assert.equal((await listed()).total_count, 0);
    assert.equal(emu.billingOrders().length, 1, "the admin view shows it on its way");
    clock.advance(5000);
    assert.equal((await details()).status, 200);
    assert.equal((await listed()).total_count, 1);
  });

  it("expires every token issued so far, now", async function () {
    emu.injectFaults({ kind: "expire-tokens" });
    const answer = await dis();
    assert.deepEqual([answer.status, errorOf(answer).code], [401, "APIGW.0307"]);
    token = emu.issueToken();
    assert.equal((await dis()).status, 200, "tokens issued afterwards are valid");
  });

  it("lets a token lapse in flight: the next token-authenticated order of the service gets 401", async function () {
    emu.injectFaults({ kind: "token-expiry", count: 1, service: "metastudio" });
    assert.equal((await dis()).status, 200, "another service is not affected");
    const lapsed = await metastudio();
    assert.deepEqual([lapsed.status, emu.orders("metastudio").length], [401, 0]);
    assert.deepEqual(emu.requests().at(-1)?.faults, ["token-expiry"]);
    assert.equal((await dis()).status, 401, "every token issued so far has expired");
    token = emu.issueToken();
    assert.equal((await metastudio()).status, 200, "a new token works and the fault is used up");
    assert.deepEqual(emu.faults(), []);
  });

  it("announces an accepted order the moment it is recorded, before a latency lets it be answered", async function () {
    emu.injectFaults({ kind: "latency", ms: 300, count: 1, service: "metastudio" });
    const announced = emu.nextOrder("metastudio");
    assert.equal((await dis()).status, 200, "a DIS order does not satisfy a wait for MetaStudio");
    let answered = false;
    const answer = metastudio().then((a) => {
      answered = true;
      return a;
    });
    const order = await announced;
    assert.equal(answered, false);
    assert.equal(((await answer).json() as { order_id: string }).order_id, order.orderId);
  });

  it("leaves the admin API alone", async function () {
    emu.injectFaults({ kind: "throttle", count: 5 }, { kind: "error", count: 5 });
    assert.equal((await send(emu.url, { method: "GET", path: "/__emulator/orders" })).status, 200);
    const [throttle, error] = emu.faults();
    assert.ok(throttle?.kind === "throttle" && error?.kind === "error");
    assert.equal(throttle.count, 5, "nothing was used up");
    assert.equal(error.count, 5);
  });

  it("applies start-up faults, and reset schedules them again", async function () {
    const faulty = await startEmulator({ faults: [{ kind: "throttle", count: 1, service: "dis" }] });
    try {
      const t = faulty.issueToken();
      const order = () => send(faulty.url, { path: nextDisPath(), headers: { "X-Auth-Token": t }, json: {} });
      assert.equal((await order()).status, 429);
      assert.equal((await order()).status, 200);
      faulty.reset();
      assert.equal((await order()).status, 429);
      faulty.clearFaults();
      assert.equal((await order()).status, 401, "reset forgot the token; clearFaults left it at that");
    } finally {
      await faulty.stop();
    }
  });
});
