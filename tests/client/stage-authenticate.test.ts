import * as assert from "node:assert/strict";
import { Authenticator } from "../../provider/client/authenticate";
import { prepareRequest, type CallRequest, type CallResult } from "../../provider/client/call-request";
import { decode, type Decoded } from "../../provider/client/decode";
import { Redactor } from "../../provider/client/redaction";
import { ClientRuntime } from "../../provider/client/runtime";
import type { ClientSettings, Credentials } from "../../provider/client/settings";
import { signRequest } from "../../provider/client/signer";
import { FakeTransport } from "./fake-transport";

const PROJECT = "0123456789abcdef0123456789abcdef";
const url = "http://127.0.0.1:1";
const now = new Date("2026-11-25T08:00:00Z");

function settings(credentials: Credentials, extra: Partial<ClientSettings> = {}): ClientSettings {
  return {
    region: "cn-north-4",
    projectId: PROJECT,
    credentials,
    endpoints: { iam: url, dis: url, metastudio: url, bss: url },
    retry: { maxAttempts: 4, maxWaitMs: 60_000 },
    timeouts: { connectMs: 2_000, responseMs: 2_000 },
    ...extra,
  };
}

const request = (service: CallRequest["service"], extra: Partial<CallRequest> = {}) =>
  prepareRequest(
    { service, operation: "Op", method: "POST", path: ["v2", "x"], body: { a: 1 }, creates: false, ...extra },
    settings({ kind: "token", token: "t" }).endpoints,
  );

/** An authenticator whose IAM requests are answered by `answer` and recorded. */
function authenticator(
  credentials: Credentials,
  answer: (r: CallRequest) => Partial<CallResult> = () => ({}),
  options: { runtime?: ClientRuntime; extra?: Partial<ClientSettings> } = {},
) {
  const asked: CallRequest[] = [];
  const redactor = new Redactor();
  const auth = new Authenticator({
    settings: settings(credentials, options.extra),
    runtime: options.runtime ?? new ClientRuntime({ limiter: null, transport: new FakeTransport() }),
    redactor,
    now: () => now,
    call: async (r) => {
      asked.push(r);
      return {
        status: 200,
        body: undefined,
        headers: {},
        requestId: "iam-1",
        attempts: 1,
        sentAt: now,
        ...answer(r),
      };
    },
  });
  return { auth, asked, redactor };
}

const answered = (status: number): Decoded =>
  decode({ kind: "response", status, text: "", headers: {} }, now);

describe("the authenticate stage", function () {
  it("sends ready tokens as given: the domain-scoped one to a global service when there is one", async function () {
    const { auth } = authenticator({
      kind: "token",
      token: "project-token-1",
      domainToken: "domain-token-1",
    });
    const json = { "Content-Type": "application/json;charset=UTF-8" };
    assert.deepEqual(await auth.headers(request("dis"), undefined), {
      ...json,
      "X-Auth-Token": "project-token-1",
    });
    // BSS is asked for English messages (X-Language), whatever the credentials.
    const english = { "X-Language": "en_US" };
    assert.deepEqual(await auth.headers(request("bss"), undefined), {
      ...json,
      ...english,
      "X-Auth-Token": "domain-token-1",
    });
    assert.deepEqual(await auth.headers(request("iam"), undefined), json, "IAM's token API takes none");
    assert.deepEqual(await auth.headers(request("iam", { body: undefined }), undefined), {});
    const projectOnly = authenticator({ kind: "token", token: "project-token-1" }).auth;
    assert.deepEqual(await projectOnly.headers(request("bss"), undefined), {
      ...json,
      ...english,
      "X-Auth-Token": "project-token-1",
    });
  });

  it("signs AK/SK over the request as prepared, with X-Project-Id and X-Security-Token, at the clock's time", async function () {
    const key = { accessKey: "AKEXAMPLE", secretKey: "sk-example-secret" };
    const { auth } = authenticator({ kind: "aksk", ...key, securityToken: "st-0001" });
    const p = request("dis", { query: { limit: 10 } });
    const headers = await auth.headers(p, undefined);
    const expected = signRequest(
      {
        method: "POST",
        url: p.url,
        query: p.query,
        headers: {
          "Content-Type": "application/json;charset=UTF-8",
          "X-Project-Id": PROJECT,
          "X-Security-Token": "st-0001",
        },
        body: p.body,
      },
      key,
      now,
    );
    assert.deepEqual(headers, expected);
    assert.equal(headers["X-Sdk-Date"], "20261125T080000Z");
  });

  it("with AK/SK, asks IAM for the account id once per runtime; a configured one is used as is", async function () {
    const aksk: Credentials = { kind: "aksk", accessKey: "AK1", secretKey: "sk-example-secret" };
    const domains = () => ({ body: { domains: [{ id: "domain-id-1" }] } });
    const runtime = new ClientRuntime({ limiter: null, transport: new FakeTransport() });
    const a = authenticator(aksk, domains, { runtime });
    const b = authenticator(aksk, domains, { runtime });
    assert.equal((await a.auth.headers(request("bss"), undefined))["X-Domain-Id"], "domain-id-1");
    assert.equal((await b.auth.headers(request("bss"), undefined))["X-Domain-Id"], "domain-id-1");
    assert.deepEqual(
      a.asked.map((r) => [r.operation, r.scope]),
      [["KeystoneListAuthDomains", "account"]],
    );
    assert.deepEqual(b.asked, [], "the other client of the run asks nothing");
    const account = await a.auth.headers(request("iam", { scope: "account" }), undefined);
    assert.ok(
      !("X-Project-Id" in account) && !("X-Domain-Id" in account),
      "IAM's account queries take neither",
    );
    const configured = authenticator(aksk, domains, { extra: { domainId: "configured-1" } });
    assert.equal((await configured.auth.headers(request("bss"), undefined))["X-Domain-Id"], "configured-1");
    assert.deepEqual(configured.asked, []);
  });

  it("an AK that IAM names no account for is an error saying how to set one", async function () {
    const { auth } = authenticator(
      { kind: "aksk", accessKey: "AK1", secretKey: "sk-example-secret" },
      () => ({
        body: { domains: [] },
      }),
    );
    await assert.rejects(
      auth.domainId(),
      /IAM named no account \(domain\) for this AK.*huaweicloud:domainId \(or HW_DOMAIN_ID\)/,
    );
  });

  describe("IAM tokens for user-name/password credentials", function () {
    const password: Credentials = {
      kind: "password",
      userName: "ops",
      password: "iam-password-1",
      domainName: "acme",
    };
    let issuedCount = 0;
    const issue = (r: CallRequest): Partial<CallResult> => {
      assert.equal(r.operation, "KeystoneCreateUserTokenByPassword");
      issuedCount++;
      return {
        status: 201,
        headers: { "x-subject-token": `iam-token-${issuedCount}` },
        body: { token: { expires_at: "2026-11-25T20:00:00Z", project: { id: "project-from-token" } } },
      };
    };
    beforeEach(function () {
      issuedCount = 0;
    });

    it("takes the call's token from the cache, and the service's scope decides which", async function () {
      const { auth, asked, redactor } = authenticator(password, issue, { extra: { projectId: undefined } });
      assert.equal(auth.knownProjectId(), undefined);
      const tokens: (string | undefined)[] = [];
      const send = async (token: { value: string } | undefined) => {
        tokens.push(token?.value);
        return answered(200);
      };
      await auth.session("project").attempt(send);
      await auth.session("project").attempt(send);
      await auth.session("domain").attempt(send);
      await auth.session("none").attempt(send);
      assert.deepEqual(tokens, ["iam-token-1", "iam-token-1", "iam-token-2", undefined]);
      assert.deepEqual(
        asked.map((r) => (r.body as { auth: { scope: unknown } }).auth.scope),
        [{ project: { name: "cn-north-4" } }, { domain: { name: "acme" } }],
      );
      assert.equal(auth.knownProjectId(), "project-from-token");
      assert.equal(await auth.projectId(), "project-from-token");
      assert.equal(redactor.text("iam-token-1 iam-token-2"), "[redacted] [redacted]");
      assert.deepEqual(await auth.headers(request("dis"), { value: "iam-token-1", expiresAt: now }), {
        "Content-Type": "application/json;charset=UTF-8",
        "X-Auth-Token": "iam-token-1",
      });
    });

    it("after a 401, drops the token and sends once more with a new one; a second 401 in the call is the answer", async function () {
      const { auth } = authenticator(password, issue);
      const session = auth.session("project");
      const tokens: (string | undefined)[] = [];
      // 401 every time (up to a bound, so a refresh loop fails the test instead of hanging it).
      const unauthorized = async (token: { value: string } | undefined) => {
        tokens.push(token?.value);
        return answered(tokens.length < 10 ? 401 : 200);
      };
      const d = await session.attempt(unauthorized);
      assert.ok(d.kind === "answer" && d.status === 401);
      assert.deepEqual(tokens, ["iam-token-1", "iam-token-2"]);
      // Later attempts of the same call (after a 429, say) are not refreshed again.
      await session.attempt(unauthorized);
      assert.deepEqual(tokens, ["iam-token-1", "iam-token-2", "iam-token-2"]);
      // The next call may refresh once of its own.
      await auth.session("project").attempt(unauthorized);
      assert.deepEqual(tokens.slice(3), ["iam-token-2", "iam-token-3"]);
    });

    it("clients of one runtime share the token; clients of different runtimes do not", async function () {
      const runtime = new ClientRuntime({ limiter: null, transport: new FakeTransport() });
      const a = authenticator(password, issue, { runtime });
      const b = authenticator(password, issue, { runtime });
      const c = authenticator(password, issue);
      const send = async () => answered(200);
      await a.auth.session("project").attempt(send);
      await b.auth.session("project").attempt(send);
      await c.auth.session("project").attempt(send);
      assert.deepEqual([a.asked.length, b.asked.length, c.asked.length], [1, 0, 1]);
      assert.equal(
        b.redactor.text("iam-token-1"),
        "[redacted]",
        "the client that did not fetch it knows it too",
      );
    });

    it("an IAM answer without the token or its expiry is an error", async function () {
      const { auth } = authenticator(password, () => ({ status: 201, body: { token: {} } }));
      await assert.rejects(
        auth.session("project").attempt(async () => answered(200)),
        /IAM KeystoneCreateUserTokenByPassword failed \(HTTP 201, X-Request-Id iam-1, 1 attempt\): the answer carried no X-Subject-Token/,
      );
    });
  });
});
