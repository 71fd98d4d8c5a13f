import * as assert from "node:assert/strict";
import * as util from "node:util";
import {
  ClientRuntime,
  HuaweiCloudClient,
  Redactor,
  type ClientSettings,
  type Credentials,
} from "../../provider/client";
import { startScriptedServer, type Behaviour, type ScriptedServer } from "../support/scripted-server";

const SECRETS = {
  token: "SECRET-ready-token-7f3a9c",
  password: "SECRET-iam-password-51d2",
  secretKey: "SECRET-secret-key-a9e0b7",
  securityToken: "SECRET-security-token-c4d1",
  issuedToken: "SECRET-issued-iam-token-e6f8",
};

const credentials: Credentials[] = [
  { kind: "token", token: SECRETS.token },
  { kind: "password", userName: "ops", password: SECRETS.password, domainName: "acme" },
  { kind: "aksk", accessKey: "AKPUBLIC", secretKey: SECRETS.secretKey, securityToken: SECRETS.securityToken },
];

// The secrets each kind of credential puts in the client's hands.
const secretsOf = (c: Credentials): string[] =>
  c.kind === "token"
    ? [SECRETS.token]
    : c.kind === "password"
      ? [SECRETS.password, SECRETS.issuedToken]
      : [SECRETS.secretKey, SECRETS.securityToken];

// A server that echoes the client's secrets back in its error messages: the worst case.
const failures = (secrets: string[]): [string, Behaviour][] => {
  const echo = (status: number): Behaviour => ({
    respond: status,
    body: { error_code: "ECHO.1", error_msg: `got ${secrets.join(" ")}` },
  });
  return [
    ["a 400 that echoes the credentials", echo(400)],
    ["a 401 that echoes them", echo(401)],
    ["a 403", echo(403)],
    ["a 500 (outcome unknown)", echo(500)],
    ["a dropped connection (outcome unknown)", { drop: true }],
  ];
};

describe("no error or log line ever contains a credential", function () {
  let server: ScriptedServer;
  afterEach(async function () {
    await server.close();
  });

  for (const creds of credentials) {
    for (const [name, behaviour] of failures(secretsOf(creds))) {
      it(`${creds.kind} credentials, ${name}`, async function () {
        server = await startScriptedServer();
        const issued: Behaviour = {
          respond: 201,
          headers: { "X-Subject-Token": SECRETS.issuedToken },
          body: { token: { expires_at: new Date(Date.now() + 3_600_000).toISOString() } },
        };
        if (creds.kind === "password") server.script(issued, behaviour, issued, behaviour);
        else server.script(behaviour);
        const lines: string[] = [];
        const settings: ClientSettings = {
          region: "cn-north-4",
          projectId: "p".repeat(32),
          credentials: creds,
          endpoints: { iam: server.url, dis: server.url, metastudio: server.url, bss: server.url },
          retry: { maxAttempts: 2, maxWaitMs: 1000 },
          timeouts: { connectMs: 1000, responseMs: 1000 },
        };
        const client = new HuaweiCloudClient(settings, { log: (l) => lines.push(l), sleep: async () => {} });
        const err = await client
          .call({
            service: "metastudio",
            operation: "CreateOrder",
            method: "POST",
            path: ["v1", "p", "orders"],
            body: { x: 1 },
            creates: true,
          })
          .then(
            () => assert.fail("the call should fail"),
            (e: unknown) => e,
          );
        const everything = [
          util.inspect(err, { depth: 10 }),
          String(err),
          JSON.stringify(err),
          ...lines,
        ].join("\n");
        for (const secret of secretsOf(creds)) {
          assert.ok(!everything.includes(secret), `output contains ${secret}:\n${everything}`);
        }
        assert.ok(server.received.length >= 1);
      });
    }
  }

  it("a token issued to one client is redacted by every client that shares the token cache", async function () {
    server = await startScriptedServer();
    const issuedToken = "SECRET-shared-iam-token-0b5d";
    server.script(
      {
        respond: 201,
        headers: { "X-Subject-Token": issuedToken },
        body: { token: { expires_at: new Date(Date.now() + 3_600_000).toISOString() } },
      },
      { respond: 200, body: { order_id: "O1" } },
      { respond: 400, body: { error_code: "ECHO.1", error_msg: `got ${issuedToken}` } },
    );
    const settings: ClientSettings = {
      region: "cn-north-4",
      projectId: "p".repeat(32),
      credentials: { kind: "password", userName: "ops", password: SECRETS.password, domainName: "acme" },
      endpoints: { iam: server.url, dis: server.url, metastudio: server.url, bss: server.url },
      retry: { maxAttempts: 1, maxWaitMs: 0 },
      timeouts: { connectMs: 1000, responseMs: 1000 },
    };
    const order = {
      service: "metastudio",
      operation: "CreateOrder",
      method: "POST",
      path: ["v1", "p", "orders"],
      body: {},
      creates: true,
    } as const;
    // As the dynamic provider does: one client per resource, one token for the run.
    const runtime = new ClientRuntime();
    await new HuaweiCloudClient(settings, { runtime }).call(order);
    const lines: string[] = [];
    const second = new HuaweiCloudClient(settings, { runtime, log: (l) => lines.push(l) });
    const err = await second.call(order).then(
      () => assert.fail("the call should fail"),
      (e: unknown) => e,
    );
    assert.equal(server.received.filter((r) => r.url === "/v3/auth/tokens").length, 1, "one token, shared");
    const everything = [util.inspect(err, { depth: 10 }), String(err), ...lines].join("\n");
    assert.match(everything, /got \[redacted\]/);
    assert.ok(!everything.includes(issuedToken), everything);
  });

  it("redacts credential headers by name and registered values anywhere", function () {
    const r = new Redactor().add(SECRETS.token, "short");
    assert.deepEqual(
      r.headers({
        "X-Auth-Token": "anything",
        Authorization: "SDK-HMAC-SHA256 ...",
        "X-Other": `a ${SECRETS.token} b`,
      }),
      {
        "X-Auth-Token": "[redacted]",
        Authorization: "[redacted]",
        "X-Other": "a [redacted] b",
      },
    );
    assert.equal(r.text("short words stay"), "short words stay");
  });
});
