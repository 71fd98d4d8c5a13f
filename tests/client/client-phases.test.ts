import * as assert from "node:assert/strict";
import {
  AdaptiveRateLimiter,
  ClientRuntime,
  HuaweiCloudClient,
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  OutcomeUnknownError,
  type ClientOptions,
  type ClientSettings,
  type Credentials,
} from "../../provider/client";
import { FakeTransport, issued, type Step } from "./fake-transport";

// The client's stages composed, each phase of a call seen through an injected transport: no HTTP
// server, no socket, no sleep.
const PROJECT = "0123456789abcdef0123456789abcdef";
const URL_BASE = "https://dis.example.test";
const ORDER = {
  service: "dis",
  operation: "SubmitPackageOrder",
  method: "POST",
  path: ["v2", "orders", "CS1"],
  body: { purchaseMode: 1 },
  creates: true,
} as const;
const token: Credentials = { kind: "token", token: "ready-token-value-0001" };
const password: Credentials = {
  kind: "password",
  userName: "ops",
  password: "iam-password-0001",
  domainName: "acme",
};
const THROTTLED: Step = {
  respond: 429,
  body: { error_code: "APIGW.0308", error_msg: "over ratelimit,limit:2,time:1 second" },
};

function settings(credentials: Credentials, retry = { maxAttempts: 4, maxWaitMs: 60_000 }): ClientSettings {
  return {
    region: "cn-north-4",
    projectId: PROJECT,
    credentials,
    endpoints: { iam: URL_BASE, dis: URL_BASE, metastudio: URL_BASE, bss: URL_BASE },
    retry,
    timeouts: { connectMs: 1_000, responseMs: 3_000 },
  };
}

/** A client over a fake transport that records its waits and log lines. */
function phased(s: ClientSettings, options: ClientOptions = {}, transport = new FakeTransport()) {
  const waits: number[] = [];
  const lines: string[] = [];
  const runtime = options.runtime ?? new ClientRuntime({ limiter: null, transport });
  const client = new HuaweiCloudClient(s, {
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    log: (l) => lines.push(l),
    ...options,
    runtime,
  });
  return { client, transport, waits, lines };
}

/** Answers IAM token requests with fresh tokens, the rest from `steps` then 200. */
function iamAndThen(...steps: Step[]): FakeTransport {
  let tokens = 0;
  return new FakeTransport((r) => {
    if (new URL(r.url).pathname === "/v3/auth/tokens") return issued(`iam-token-000${++tokens}`, PROJECT);
    return steps.shift() ?? { respond: 200, body: {} };
  });
}

describe("the client's phases, through an injected transport", function () {
  it("request, authenticate, transport, decode: one order sent once, as prepared, and its answer", async function () {
    const { client, transport, lines } = phased(settings(token));
    transport.script({ respond: 200, body: { order_id: "CS1" } });
    const result = await client.call({ ...ORDER, query: { dry: undefined, n: 2 } });
    assert.deepEqual(transport.sent, [
      {
        method: "POST",
        url: `${URL_BASE}/v2/orders/CS1?n=2`,
        headers: {
          "Content-Type": "application/json;charset=UTF-8",
          "X-Auth-Token": "ready-token-value-0001",
        },
        body: '{"purchaseMode":1}',
        timeouts: { connectMs: 1_000, responseMs: 3_000 },
      },
    ]);
    assert.deepEqual(
      [result.status, result.body, result.requestId, result.attempts],
      [200, { order_id: "CS1" }, "req-0001", 1],
    );
    assert.deepEqual(lines, [`POST ${URL_BASE}/v2/orders/CS1?n=2 -> HTTP 200 (X-Request-Id req-0001)`]);
  });

  it("retry: a throttled order waits what Retry-After asks and is sent again; the log is redacted", async function () {
    const { client, transport, waits, lines } = phased(settings(token));
    transport.script({
      respond: 429,
      headers: { "Retry-After": "2" },
      body: { error_code: "APIGW.0308", error_msg: "throttled ready-token-value-0001" },
    });
    const result = await client.call(ORDER);
    assert.equal(result.attempts, 2);
    assert.deepEqual(waits, [2100]);
    assert.equal(transport.sent.length, 2);
    assert.ok(lines.every((l) => !l.includes("ready-token-value-0001")));
  });

  it("retry: an order that may have been placed is never sent again", async function () {
    for (const step of [
      { respond: 502 },
      { fail: "no-answer", cause: "ECONNRESET: socket hang up" },
    ] as Step[]) {
      const { client, transport, waits } = phased(settings(token));
      transport.script(step);
      await assert.rejects(client.call(ORDER), OrderOutcomeUnknownError);
      assert.deepEqual([transport.sent.length, waits], [1, []]);
    }
    const { client, transport } = phased(settings(token));
    transport.script({ respond: 500 });
    await assert.rejects(
      client.call({ ...ORDER, ifUnknown: { subject: "the payment of order CS1", advice: "Read it first." } }),
      (err: unknown) =>
        err instanceof OutcomeUnknownError && /the outcome of the payment of order CS1/.test(err.message),
    );
  });

  it("retry: a request that reached nothing is sent again until the attempts run out, then fails naming the endpoint", async function () {
    const refused: Step = { fail: "not-sent", cause: "ECONNREFUSED: connect ECONNREFUSED" };
    const { client, transport, waits } = phased(settings(token), {}, new FakeTransport(refused));
    await assert.rejects(client.call(ORDER), (err: unknown) => {
      assert.ok(err instanceof HuaweiCloudError && !(err instanceof OutcomeUnknownError));
      assert.equal(err.metadata.attempts, 4);
      assert.match(
        err.message,
        /gave up after 4 attempts\. No order was placed: check the endpoint \(https:\/\/dis\.example\.test\)/,
      );
      return true;
    });
    assert.deepEqual([transport.sent.length, waits], [4, [100, 200, 400]]);
  });

  it("retry: a final transport failure (TLS) ends the call at once", async function () {
    const { client, transport } = phased(settings(token));
    transport.script({ fail: "not-sent", cause: "TLS verification failed (x)", final: true });
    await assert.rejects(
      client.call({ ...ORDER, creates: false }),
      /1 attempt\): TLS verification failed \(x\)$/,
    );
    assert.equal(transport.sent.length, 1);
  });

  it("authenticate: an IAM token is fetched through the same stages, and refreshed once per call after a 401", async function () {
    const unauthorized: Step = {
      respond: 401,
      body: { error_code: "APIGW.0307", error_msg: "token expired" },
    };
    const { client, transport, waits } = phased(
      settings(password),
      {},
      iamAndThen(unauthorized, THROTTLED, unauthorized),
    );
    // 401 refreshes the token; the 429 after it is retried; the next 401 in the same call is final.
    await assert.rejects(client.call(ORDER), (err: unknown) => {
      assert.ok(err instanceof HuaweiCloudError);
      assert.equal(err.metadata.httpStatus, 401);
      assert.equal(err.metadata.attempts, 3, "the order's three sends");
      return true;
    });
    assert.deepEqual(
      transport.sent.map((r) => [new URL(r.url).pathname, r.headers["X-Auth-Token"]]),
      [
        ["/v3/auth/tokens", undefined],
        ["/v2/orders/CS1", "iam-token-0001"],
        ["/v3/auth/tokens", undefined],
        ["/v2/orders/CS1", "iam-token-0002"],
        ["/v2/orders/CS1", "iam-token-0002"],
      ],
    );
    assert.equal(waits.length, 1, "one wait: after the 429");
  });

  it("a client's own retry budget leaves the IAM token shared with the run to the settings' budget", async function () {
    // A price at check gives up at its first 429; the token it starts fetching serves the create next.
    let tokenAsked = 0;
    let ordersAsked = 0;
    const transport = new FakeTransport((r) => {
      if (new URL(r.url).pathname === "/v3/auth/tokens") {
        return ++tokenAsked === 1 ? THROTTLED : issued("iam-token-0001", PROJECT);
      }
      return ++ordersAsked === 1 ? THROTTLED : { respond: 200, body: { order_id: "CS1" } };
    });
    const runtime = new ClientRuntime({ limiter: null, transport });
    const price = phased(settings(password), { runtime, maxRetryWaitMs: 0, keepRetrying: () => false });
    await assert.rejects(price.client.call(ORDER), /HTTP 429/);
    assert.deepEqual(transport.paths(), ["/v3/auth/tokens", "/v3/auth/tokens", "/v2/orders/CS1"]);
    // The next client of the run gets the same token, without asking IAM again.
    const order = phased(settings(password), { runtime });
    await order.client.call(ORDER);
    assert.deepEqual(transport.paths().slice(3), ["/v2/orders/CS1"]);
    assert.equal(transport.sent[3]?.headers["X-Auth-Token"], "iam-token-0001");
  });

  it("pace: clients of one runtime share its limiter; ClientOptions.limiter overrides it", async function () {
    const limiter = new AdaptiveRateLimiter(() => 5_000);
    const transport = new FakeTransport();
    const runtime = new ClientRuntime({ limiter, transport });
    const a = phased(settings(token), { runtime });
    const b = phased(settings(token), { runtime });
    transport.script(THROTTLED);
    await a.client.call(ORDER);
    await b.client.call(ORDER);
    assert.deepEqual([limiter.state().enabled, limiter.state().ceiling], [true, 2]);
    // a: its retry's backoff, then its turn (500 ms at 2/s); b waits behind it.
    assert.equal(a.waits.length, 2);
    assert.ok(Math.abs((a.waits[1] ?? 0) - 500) < 1e-6, String(a.waits));
    assert.ok(b.waits.length === 1 && Math.abs((b.waits[0] ?? 0) - 1000) < 1e-6, String(b.waits));

    const own = new AdaptiveRateLimiter(() => 5_000);
    const c = phased(settings(token), { runtime, limiter: own });
    await c.client.call(ORDER);
    assert.deepEqual(c.waits, [], "its own limiter has not seen the 429");
    assert.equal(own.state().enabled, false);
  });

  it("a client without a runtime gets a private one that paces nothing; clients of different runtimes share no token", async function () {
    const transport = iamAndThen(THROTTLED);
    const waits: number[] = [];
    const options = { sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 };
    // Two runtimes like the private ones (no limiter), over one fake transport that counts for both.
    const a = new HuaweiCloudClient(settings(password), {
      ...options,
      runtime: new ClientRuntime({ limiter: null, transport }),
    });
    const b = new HuaweiCloudClient(settings(password), {
      ...options,
      runtime: new ClientRuntime({ limiter: null, transport }),
    });
    await a.call(ORDER);
    await b.call(ORDER);
    assert.deepEqual(waits, [100], "the 429's backoff only");
    assert.equal(transport.paths().filter((p) => p === "/v3/auth/tokens").length, 2, "a token per runtime");
    assert.equal(new HuaweiCloudClient(settings(token)).runtime.limiter, undefined);
    assert.notEqual(
      new HuaweiCloudClient(settings(token)).runtime,
      new HuaweiCloudClient(settings(token)).runtime,
    );
  });
});
