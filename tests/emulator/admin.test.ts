import * as assert from "node:assert/strict";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  METASTUDIO_FROM_TABLE,
  METASTUDIO_PATH,
  send,
  tokenRequest,
} from "./helpers";

interface Listed {
  orders: { service: string; orderId: string }[];
  requests: { status: number | null }[];
  faults: { id: number; kind: string; count?: number; service: string }[];
}

describe("the admin API under /__emulator/", function () {
  let emu: RunningEmulator;
  const get = async (path: string) => {
    const answer = await send(emu.url, { method: "GET", path: `/__emulator${path}` });
    return { status: answer.status, body: answer.json() as Listed & Record<string, unknown> };
  };
  const post = async (path: string, body?: string) => {
    const answer = await send(emu.url, {
      path: `/__emulator${path}`,
      ...(body === undefined ? {} : { body }),
    });
    return { status: answer.status, body: answer.json() as Listed & Record<string, unknown> };
  };
  const placeOrders = async () => {
    const token = emu.issueToken();
    await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: DIS_PAGE_EXAMPLE });
    await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": token },
      json: METASTUDIO_FROM_TABLE,
    });
  };

  before(async function () {
    emu = await startEmulator();
  });
  after(async function () {
    await emu.stop();
  });
  beforeEach(function () {
    emu.reset();
  });

  it("reports health", async function () {
    assert.deepEqual(await get("/health"), { status: 200, body: { status: "ok" } });
  });

  it("lists the orders, optionally of one service", async function () {
    await placeOrders();
    assert.deepEqual(
      (await get("/orders")).body.orders.map((o) => o.service),
      ["dis", "metastudio"],
    );
    assert.deepEqual(
      (await get("/orders?service=dis")).body.orders.map((o) => o.orderId),
      ["CS2511071586MU"],
    );
    assert.equal((await get("/orders?service=metastudio")).body.orders.length, 1);
    assert.equal((await get("/orders?service=iam")).status, 400);
  });

  it("lists the requests, and never logs its own", async function () {
    await placeOrders();
    await get("/orders");
    await get("/requests");
    const { body } = await get("/requests");
    assert.deepEqual(
      body.requests.map((r) => r.status),
      [200, 200],
    );
  });

  it("resets orders, requests, faults and tokens", async function () {
    const token = emu.issueToken();
    await placeOrders();
    emu.injectFaults({ kind: "latency", ms: 1 });
    const { status, body } = await post("/reset");
    assert.equal(status, 200);
    assert.deepEqual(body.faults, []);
    assert.deepEqual((await get("/orders")).body.orders, []);
    assert.deepEqual((await get("/requests")).body.requests, []);
    const answer = await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: {} });
    assert.equal(answer.status, 401, "the token is forgotten");
  });

  it("schedules faults from a JSON body, one or an array, whatever the Content-Type says", async function () {
    const one = await post("/faults", JSON.stringify({ kind: "throttle", count: 2, service: "dis" }));
    assert.equal(one.status, 200);
    const many = await post(
      "/faults",
      JSON.stringify([
        { kind: "rate-limit", perSecond: 5 },
        { kind: "error", count: 1, status: 503 },
        { kind: "latency", ms: 10 },
        { kind: "drop", count: 1, service: "metastudio" },
      ]),
    );
    assert.equal(many.status, 200);
    const { body } = await get("/faults");
    assert.deepEqual(
      body.faults.map((f) => ({ ...f, id: 0 })),
      [
        { id: 0, kind: "throttle", count: 2, service: "dis", retryAfterSeconds: 1 },
        { id: 0, kind: "rate-limit", perSecond: 5, burst: 5, service: "all" },
        { id: 0, kind: "error", count: 1, status: 503, service: "all" },
        { id: 0, kind: "latency", ms: 10, service: "all" },
        { id: 0, kind: "drop", count: 1, service: "metastudio" },
      ],
    );
  });

  it("clears faults with DELETE", async function () {
    emu.injectFaults({ kind: "throttle", count: 1 });
    const answer = await send(emu.url, { method: "DELETE", path: "/__emulator/faults" });
    assert.equal(answer.status, 200);
    assert.deepEqual(emu.faults(), []);
  });

  describe("refuses a fault it cannot schedule with 400", function () {
    const cases: [string, string][] = [
      ["an unknown kind", JSON.stringify({ kind: "flood" })],
      ["a count of 0", JSON.stringify({ kind: "throttle", count: 0 })],
      ["an unknown service", JSON.stringify({ kind: "error", count: 1, service: "obs" })],
      ["a 5xx status it does not emulate", JSON.stringify({ kind: "error", count: 1, status: 501 })],
      [
        "a drop of IAM requests (IAM places no orders)",
        JSON.stringify({ kind: "drop", count: 1, service: "iam" }),
      ],
      ["an unknown field", JSON.stringify({ kind: "latency", ms: 5, jitter: 1 })],
      ["a body that is not JSON", "kind=throttle"],
    ];
    for (const [name, body] of cases) {
      it(name, async function () {
        const answer = await post("/faults", body);
        assert.equal(answer.status, 400);
        assert.equal(typeof answer.body["error"], "string");
        assert.deepEqual(emu.faults(), []);
      });
    }
  });

  it("expires every token issued so far", async function () {
    const token = emu.issueToken();
    emu.issueToken();
    assert.deepEqual(await post("/tokens/expire"), { status: 200, body: { expired: 2 } });
    const answer = await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: {} });
    assert.equal(answer.status, 401);
  });

  it("adds an account whose user can then get a token from IAM", async function () {
    const account = {
      domainName: "second-account",
      userName: "second-user",
      password: "second-password",
      projects: [{ id: "1".repeat(32), name: "cn-north-4" }],
      accessKeys: [{ accessKey: "SECONDACCESSKEY00001", secretKey: "second-secret" }],
    };
    const added = await post("/accounts", JSON.stringify(account));
    assert.equal(added.status, 201);
    assert.match(String(added.body["domainId"]), /^[0-9a-f]{32}$/);
    const login = await send(emu.url, {
      path: "/v3/auth/tokens",
      json: tokenRequest({
        user: "second-user",
        password: "second-password",
        domain: { name: "second-account" },
        scope: { id: "1".repeat(32) },
      }),
    });
    assert.equal(login.status, 201);
    assert.equal((await post("/accounts", JSON.stringify(account))).status, 409, "the same account twice");
    assert.equal((await post("/accounts", JSON.stringify({ ...account, projects: [] }))).status, 400);
  });

  it("answers an unknown admin path with 404 and a wrong method with 405, in JSON", async function () {
    const missing = await get("/nothing");
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body["error"], "string");
    const wrong = await send(emu.url, { method: "PUT", path: "/__emulator/reset" });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers["allow"], "POST");
  });
});
