import * as assert from "node:assert/strict";
import * as net from "node:net";
import {
  AdaptiveRateLimiter,
  HuaweiCloudClient,
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  signRequest,
  USER_AGENT,
  type ClientSettings,
  type Credentials,
} from "../../provider/client";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

const PROJECT = "0123456789abcdef0123456789abcdef";
const ORDER = {
  service: "dis",
  operation: "SubmitPackageOrder",
  method: "POST",
  path: ["v2", "orders", "CS1"],
} as const;

function settings(url: string, credentials: Credentials, responseMs = 2_000): ClientSettings {
  return {
    region: "cn-north-4",
    projectId: PROJECT,
    credentials,
    endpoints: { iam: url, dis: url, metastudio: url, bss: url },
    retry: { maxAttempts: 4, maxWaitMs: 60_000 },
    timeouts: { connectMs: 2_000, responseMs },
  };
}

const token: Credentials = { kind: "token", token: "ready-token-value-0001" };

/** A client that records the waits it would make instead of sleeping. */
function clientFor(s: ClientSettings, limiter?: AdaptiveRateLimiter) {
  const waits: number[] = [];
  const client = new HuaweiCloudClient(s, {
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    ...(limiter ? { limiter } : {}),
  });
  return { client, waits };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the client's HTTP behaviour against a real loopback server", function () {
  let server: ScriptedServer;
  beforeEach(async function () {
    server = await startScriptedServer();
  });
  afterEach(async function () {
    await server.close();
  });

  describe("requests", function () {
    it("sends an order once, with the JSON body, the token, a User-Agent naming this package, and captures X-Request-Id", async function () {
      const { client } = clientFor(settings(server.url, token));
      const result = await client.call({
        ...ORDER,
        body: { purchaseMode: 1, tenantId: PROJECT },
        creates: true,
      });
      assert.equal(server.received.length, 1);
      const [req] = server.received;
      assert.equal(req?.method, "POST");
      assert.equal(req?.url, "/v2/orders/CS1");
      assert.equal(req?.body, JSON.stringify({ purchaseMode: 1, tenantId: PROJECT }));
      assert.equal(req?.headers["x-auth-token"], "ready-token-value-0001");
      assert.equal(req?.headers["content-type"], "application/json;charset=UTF-8");
      assert.equal(req?.headers["user-agent"], USER_AGENT);
      assert.match(USER_AGENT, /^pulumi-huaweicloud-orders\/\d+\.\d+\.\d+ \(node \d+/);
      assert.equal(result.requestId, "req-0001");
      assert.equal(result.attempts, 1);
    });

    it("signs AK/SK requests over exactly the bytes it sends, with X-Project-Id and X-Security-Token", async function () {
      const aksk: Credentials = {
        kind: "aksk",
        accessKey: "AKEXAMPLE",
        secretKey: "sk-example-secret",
        securityToken: "st-temp-0001",
      };
      const { client } = clientFor(settings(server.url, aksk));
      await client.call({ ...ORDER, body: { a: "ü" }, creates: true });
      const req = server.received[0];
      assert.ok(req);
      assert.equal(req.headers["x-project-id"], PROJECT);
      assert.equal(req.headers["x-security-token"], "st-temp-0001");
      assert.match(String(req.headers["x-sdk-date"]), /^\d{8}T\d{6}Z$/);
      // Re-sign what the server received: the same Authorization proves body and headers are what was signed.
      const resigned = signRequest(
        {
          method: "POST",
          url: `${server.url}${req.url}`,
          headers: {
            "Content-Type": String(req.headers["content-type"]),
            "X-Project-Id": PROJECT,
            "X-Security-Token": "st-temp-0001",
            "X-Sdk-Date": String(req.headers["x-sdk-date"]),
          },
          body: req.body,
        },
        { accessKey: "AKEXAMPLE", secretKey: "sk-example-secret" },
        new Date(),
      );
      assert.equal(req.headers["authorization"], resigned["Authorization"]);
    });
  });

  describe("retries that cannot double an order", function () {
    it("retries HTTP 429 after the Retry-After it asks for, then succeeds with one accepted order", async function () {
      server.script({
        respond: 429,
        headers: { "Retry-After": "3" },
        body: { error_code: "APIGW.0308", error_msg: "throttled" },
      });
      const { client, waits } = clientFor(settings(server.url, token));
      const result = await client.call({ ...ORDER, body: {}, creates: true });
      assert.equal(server.received.length, 2);
      assert.deepEqual(
        waits,
        [3100],
        "Retry-After, plus jitter of up to the 200 ms base (random is 0.5 here)",
      );
      assert.equal(result.attempts, 2);
    });

    it("a caller that stops wanting the answer while the client waits to retry gets the 429, and nothing more is sent", async function () {
      server.script({
        respond: 429,
        headers: { "Retry-After": "1" },
        body: { error_code: "APIGW.0308", error_msg: "throttled" },
      });
      let wanted = true;
      const waits: number[] = [];
      const client = new HuaweiCloudClient(settings(server.url, token), {
        // The wait is where the caller changes its mind (at `up`: a create arrived).
        sleep: async (ms) => {
          waits.push(ms);
          wanted = false;
        },
        random: () => 0.5,
        keepRetrying: () => wanted,
      });
      await assert.rejects(
        client.call({
          service: "bss",
          operation: "ListRateOnPeriodDetail",
          method: "POST",
          path: ["v2", "x"],
          body: {},
          creates: false,
        }),
        (err: unknown) =>
          err instanceof HuaweiCloudError && /HTTP 429/.test(err.message) && /APIGW\.0308/.test(err.message),
      );
      assert.deepEqual(waits, [1100]);
      assert.equal(server.received.length, 1, "no second request once the answer is no longer wanted");
    });

    it("clients sharing a limiter: after a 429 stating the limit, every request waits its turn; each order sent once", async function () {
      server.script({
        respond: 429,
        headers: { "Retry-After": "1" },
        body: {
          error_code: "APIGW.0308",
          error_msg:
            "The throttling threshold has been reached: policy user over ratelimit,limit:2,time:1 second",
        },
      });
      // The limiter's clock stands still: no token comes back, so the waits are exact.
      const limiter = new AdaptiveRateLimiter(() => 5_000);
      const a = clientFor(settings(server.url, token), limiter);
      const b = clientFor(settings(server.url, token), limiter);
      await a.client.call({ ...ORDER, body: {}, creates: true });
      await b.client.call({ ...ORDER, path: ["v2", "orders", "CS2"], body: {}, creates: true });
      // The API said 2/s and the refused request was sent unpaced: the limiter paces at 2/s, from
      // an empty bucket.
      assert.equal(limiter.state().ceiling, 2);
      assert.equal(limiter.state().ratePerSecond, 2);
      assert.equal(a.waits.length, 2);
      assert.equal(a.waits[0], 1100, "Retry-After plus jitter, as before");
      assert.ok(Math.abs((a.waits[1] ?? 0) - 500) < 1e-6, `then its turn: ${a.waits[1]}`);
      assert.equal(b.waits.length, 1);
      assert.ok(Math.abs((b.waits[0] ?? 0) - 1000) < 1e-6, `the other client waits behind it: ${b.waits[0]}`);
      assert.deepEqual(
        server.received.map((r) => r.url),
        ["/v2/orders/CS1", "/v2/orders/CS1", "/v2/orders/CS2"],
        "the refused order once more, the other order once",
      );
    });

    it("retries an API Gateway throttling code even without 429", async function () {
      server.script({
        respond: 403,
        body: { error_code: "APIGW.0308", error_msg: "The request is throttled" },
      });
      const { client, waits } = clientFor(settings(server.url, token));
      await client.call({ ...ORDER, body: {}, creates: true });
      assert.equal(server.received.length, 2);
      assert.equal(waits.length, 1);
    });

    it("without Retry-After backs off exponentially with jitter, and gives up when the wait allowed is spent", async function () {
      const throttled = { respond: 429, body: { error_code: "APIGW.0308", error_msg: "throttled" } } as const;
      server.script(throttled, throttled, throttled, throttled);
      // Throttling is bounded by the total wait, not by the attempts (2 here): 100 + 200 + 400 ms
      // fit in 700 ms, the next 800 ms would not.
      const { client, waits } = clientFor({
        ...settings(server.url, token),
        retry: { maxAttempts: 2, maxWaitMs: 700 },
      });
      await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), (err: unknown) => {
        assert.ok(err instanceof HuaweiCloudError && !(err instanceof OrderOutcomeUnknownError));
        assert.equal(err.metadata.httpStatus, 429);
        assert.equal(err.metadata.attempts, 4);
        assert.match(err.message, /still throttled/);
        return true;
      });
      assert.deepEqual(waits, [100, 200, 400]);
    });

    it("retries a refused connection (nothing was sent), then fails saying no order was placed", async function () {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const { client, waits } = clientFor(settings(url, token));
      await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), (err: unknown) => {
        assert.ok(err instanceof HuaweiCloudError && !(err instanceof OrderOutcomeUnknownError));
        assert.match(err.message, /ECONNREFUSED/);
        assert.match(err.message, /No order was placed/);
        assert.equal(err.metadata.attempts, 4);
        return true;
      });
      assert.equal(waits.length, 3);
    });

    it("does not retry a request that was read and then dropped: the outcome is unknown", async function () {
      server.script({ drop: true });
      const { client, waits } = clientFor(settings(server.url, token));
      await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), (err: unknown) => {
        assert.ok(err instanceof OrderOutcomeUnknownError);
        assert.match(err.message, /outcome of the order is unknown/);
        assert.match(err.message, /Billing Center/);
        assert.ok(err.message.includes(err.sentAt.toISOString()));
        return true;
      });
      assert.equal(server.received.length, 1);
      assert.deepEqual(waits, []);
    });

    it("does not retry a timeout after the request was sent", async function () {
      server.script({ hang: true });
      const { client } = clientFor(settings(server.url, token, 300));
      await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), OrderOutcomeUnknownError);
      assert.equal(server.received.length, 1);
    });

    for (const status of [500, 502, 503]) {
      it(`does not retry HTTP ${status} on an order: outcome unknown, with error_code and X-Request-Id`, async function () {
        server.script({ respond: status, body: { error_code: "MSS.00000004", error_msg: "Internal Error" } });
        const { client } = clientFor(settings(server.url, token));
        await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), (err: unknown) => {
          assert.ok(err instanceof OrderOutcomeUnknownError);
          assert.equal(err.metadata.httpStatus, status);
          assert.match(
            err.message,
            new RegExp(
              `HTTP ${status}, error_code MSS.00000004, error_msg "Internal Error", X-Request-Id req-0001`,
            ),
          );
          return true;
        });
        assert.equal(server.received.length, 1);
      });
    }

    it("retries HTTP 500 on a request that places no order", async function () {
      server.script({ respond: 500, body: { error_code: "X.1", error_msg: "busy" } });
      const { client } = clientFor(settings(server.url, token));
      await client.call({ ...ORDER, body: {}, creates: false });
      assert.equal(server.received.length, 2);
    });

    for (const status of [401, 403]) {
      it(`never retries HTTP ${status} with a ready token`, async function () {
        server.script({ respond: status, body: { error_code: "MSS.00000001", error_msg: "Unauthorized" } });
        const { client } = clientFor(settings(server.url, token));
        await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), (err: unknown) => {
          assert.ok(err instanceof HuaweiCloudError && !(err instanceof OrderOutcomeUnknownError));
          assert.match(err.message, /No order was placed/);
          return true;
        });
        assert.equal(server.received.length, 1);
      });
    }

    it("names the field-level rejection of a 400 with error_code, error_msg and X-Request-Id", async function () {
      server.script({
        respond: 400,
        body: { error_code: "MSS.00000003", error_msg: "Invalid parameter: period_num" },
      });
      const { client } = clientFor(settings(server.url, token));
      await assert.rejects(
        client.call({ ...ORDER, body: {}, creates: true }),
        /^HuaweiCloudError: DIS SubmitPackageOrder failed \(HTTP 400, error_code MSS.00000003, error_msg "Invalid parameter: period_num", X-Request-Id req-0001, 1 attempt\)/,
      );
    });
  });

  describe("IAM password authentication", function () {
    const password: Credentials = {
      kind: "password",
      userName: "ops",
      password: "iam-password-0001",
      domainName: "acme",
    };
    const issued = (value: string) => ({
      respond: 201,
      headers: { "X-Subject-Token": value },
      body: {
        token: { expires_at: new Date(Date.now() + 3_600_000).toISOString(), project: { id: PROJECT } },
      },
    });

    it("fetches a project-scoped token once and reuses it", async function () {
      server.script(issued("iam-token-0001"));
      const { client } = clientFor(settings(server.url, password));
      await client.call({ ...ORDER, body: {}, creates: true });
      await client.call({ ...ORDER, body: {}, creates: true });
      const [iam, first, second] = server.received;
      assert.equal(iam?.url, "/v3/auth/tokens");
      assert.deepEqual(JSON.parse(iam?.body ?? "").auth.scope, { project: { id: PROJECT } });
      assert.equal(first?.headers["x-auth-token"], "iam-token-0001");
      assert.equal(second?.headers["x-auth-token"], "iam-token-0001");
      assert.equal(server.received.length, 3);
    });

    it("fetches a new token once after a 401, and then succeeds", async function () {
      server.script(
        issued("iam-token-0001"),
        { respond: 401, body: { error_code: "APIGW.0307", error_msg: "token expired" } },
        issued("iam-token-0002"),
      );
      const { client } = clientFor(settings(server.url, password));
      const result = await client.call({ ...ORDER, body: {}, creates: true });
      assert.deepEqual(
        server.received.map((r) => [r.url, r.headers["x-auth-token"]]),
        [
          ["/v3/auth/tokens", undefined],
          ["/v2/orders/CS1", "iam-token-0001"],
          ["/v3/auth/tokens", undefined],
          ["/v2/orders/CS1", "iam-token-0002"],
        ],
      );
      assert.equal(result.attempts, 2);
    });

    it("gives up after the second 401 in a row", async function () {
      const unauthorized = {
        respond: 401,
        body: { error_code: "APIGW.0307", error_msg: "token expired" },
      } as const;
      server.script(issued("iam-token-0001"), unauthorized, issued("iam-token-0002"), unauthorized);
      const { client } = clientFor(settings(server.url, password));
      await assert.rejects(client.call({ ...ORDER, body: {}, creates: true }), /HTTP 401/);
      assert.equal(server.received.length, 4);
    });

    it("reports wrong credentials as IAM reports them", async function () {
      server.script({
        respond: 401,
        body: { error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" } },
      });
      const { client } = clientFor(settings(server.url, password));
      await assert.rejects(
        client.call({ ...ORDER, body: {}, creates: true }),
        /IAM KeystoneCreateUserTokenByPassword failed \(HTTP 401, error_code 401, error_msg "The username or password is wrong\."/,
      );
    });
  });
});
