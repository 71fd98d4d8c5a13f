import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import {
  DIS_PATH,
  FakeClock,
  METASTUDIO_PATH,
  officiallySigned,
  sdkDate,
  send,
  tokenRequest,
  useEmulator,
} from "./helpers";

const d = DEMO_ACCOUNT;

interface TokenBody {
  token: {
    expires_at: string;
    issued_at: string;
    methods: string[];
    project: { id: string; name: string; domain: { id: string; name: string } };
    user: { id: string; name: string; domain: { id: string; name: string } };
  };
}

describe("IAM: obtaining a user token through password authentication (POST /v3/auth/tokens)", function () {
  let emu: RunningEmulator;
  const clock = new FakeClock();
  const getToken = (body: unknown, headers: Record<string, string> = {}) =>
    send(emu.url, { path: "/v3/auth/tokens", json: body, headers });

  const emulator = useEmulator({ clock: clock.now });
  beforeEach(function () {
    emu = emulator();
  });

  it("answers 201 with the token in X-Subject-Token and its scope in the body", async function () {
    const answer = await getToken(tokenRequest(), { "Content-Type": "application/json;charset=utf8" });
    assert.equal(answer.status, 201);
    assert.match(String(answer.headers["x-subject-token"]), /^MII\S{100,}$/);
    assert.match(String(answer.headers["x-request-id"]), /^[0-9a-f]{32}$/);
    const { token } = answer.json() as TokenBody;
    assert.deepEqual(token.methods, ["password"]);
    assert.deepEqual(token.project, {
      id: d.projectId,
      name: "cn-north-4",
      domain: { id: d.domainId, name: d.domainName },
    });
    assert.equal(token.user.name, d.userName);
    assert.equal(token.user.id, d.userId);
    assert.equal(token.issued_at, new Date(clock.ms).toISOString().replace("Z", "000Z"));
  });

  it("issues tokens valid for 24 hours by default", async function () {
    const { token } = (await getToken(tokenRequest())).json() as TokenBody;
    assert.equal(Date.parse(token.expires_at) - Date.parse(token.issued_at), 24 * 3600 * 1000);
  });

  it("scopes the token to a project given by id", async function () {
    const answer = await getToken(tokenRequest({ scope: { id: d.otherProjectId } }));
    assert.equal(answer.status, 201);
    assert.equal((answer.json() as TokenBody).token.project.name, "cn-south-1");
  });

  it("identifies the account by its id as well as by its name", async function () {
    assert.equal((await getToken(tokenRequest({ domain: { id: d.domainId } }))).status, 201);
  });

  it("issues a token that DIS and MetaStudio accept", async function () {
    const token = String((await getToken(tokenRequest())).headers["x-subject-token"]);
    const headers = { "X-Auth-Token": token };
    assert.equal((await send(emu.url, { path: DIS_PATH, headers, json: {} })).status, 200);
    const ms = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers,
      json: {
        cloud_services: [{ period_type: 2, period_num: 1, subscription_num: 1, resource_spec_code: "x" }],
      },
    });
    assert.equal(ms.status, 200);
  });

  it("keeps no token and no password in what it records", async function () {
    const answer = await getToken(tokenRequest());
    const token = String(answer.headers["x-subject-token"]);
    const log = JSON.stringify(emu.requests());
    assert.ok(!log.includes(token));
    assert.ok(!log.includes(d.password));
    const [entry] = emu.requests();
    assert.equal(entry?.service, "iam");
    assert.equal(entry?.status, 201);
    assert.deepEqual(
      (entry?.body as ReturnType<typeof tokenRequest>).auth.identity.password.user.password,
      "[redacted]",
    );
  });

  describe("refuses wrong credentials with 401 in IAM's error shape", function () {
    const cases: [string, ReturnType<typeof tokenRequest>][] = [
      ["a wrong password", tokenRequest({ password: "not-the-password" })],
      ["an unknown user", tokenRequest({ user: "someone-else" })],
      ["an unknown account", tokenRequest({ domain: { name: "another-account" } })],
    ];
    for (const [name, body] of cases) {
      it(name, async function () {
        const answer = await getToken(body);
        assert.equal(answer.status, 401);
        assert.deepEqual(answer.json(), {
          error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" },
        });
        assert.equal(answer.headers["x-subject-token"], undefined);
      });
    }

    it("a project the account does not have", async function () {
      const answer = await getToken(tokenRequest({ scope: { name: "eu-west-101" } }));
      assert.equal(answer.status, 401);
      assert.equal((answer.json() as { error: { title: string } }).error.title, "Unauthorized");
    });
  });

  describe("refuses a malformed request with 400", function () {
    const cases: [string, unknown][] = [
      ["no auth object", {}],
      [
        "no password for the user",
        {
          auth: {
            identity: { methods: ["password"], password: { user: { name: "x", domain: { name: "y" } } } },
          },
        },
      ],
      [
        "another method than password",
        {
          ...tokenRequest(),
          auth: { ...tokenRequest().auth, identity: { ...tokenRequest().auth.identity, methods: ["token"] } },
        },
      ],
      ["no project scope", { auth: { identity: tokenRequest().auth.identity } }],
      ["a domain with neither name nor id", tokenRequest({ domain: {} })],
    ];
    for (const [name, body] of cases) {
      it(name, async function () {
        const answer = await getToken(body);
        assert.equal(answer.status, 400);
        assert.equal(
          (answer.json() as { error: { code: number; title: string } }).error.title,
          "Bad Request",
        );
      });
    }

    it("a body that is not JSON", async function () {
      const answer = await send(emu.url, {
        path: "/v3/auth/tokens",
        headers: { "Content-Type": "application/json" },
        body: "{auth:",
      });
      assert.equal(answer.status, 400);
    });
  });

  it("issues tokens of the configured lifetime", async function () {
    const short = await startEmulator({ tokenTtlSeconds: 60, clock: clock.now });
    try {
      const answer = await send(short.url, { path: "/v3/auth/tokens", json: tokenRequest() });
      const { token } = answer.json() as TokenBody;
      assert.equal(Date.parse(token.expires_at) - Date.parse(token.issued_at), 60_000);
    } finally {
      await short.stop();
    }
  });
});

describe("IAM: querying the project list (GET /v3/projects)", function () {
  let emu: RunningEmulator;
  const clock = new FakeClock();
  /** GET /v3/projects with `query`, signed by Huawei's SDK signer as its BasicCredentials does (no X-Project-Id). */
  const signedList = (query: Record<string, string>) => {
    const s = officiallySigned({
      baseUrl: emu.url,
      path: "/v3/projects",
      method: "GET",
      query,
      headers: { "X-Sdk-Date": sdkDate(clock.ms) },
    });
    const search = new URLSearchParams(query).toString();
    return send(emu.url, { method: "GET", path: `/v3/projects?${search}`, headers: s.headers });
  };

  const emulator = useEmulator({ clock: clock.now });
  beforeEach(function () {
    emu = emulator();
  });

  it("names the project of a region for an AK/SK signature, in the SDK's KeystoneListProjects shape", async function () {
    const answer = await signedList({ name: d.region });
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json() as { projects: unknown[]; links: { self: string } };
    assert.deepEqual(body.projects, [
      {
        id: d.projectId,
        name: d.region,
        domain_id: d.domainId,
        parent_id: d.domainId,
        enabled: true,
        is_domain: false,
        description: "",
        links: { self: `/v3/projects/${d.projectId}` },
      },
    ]);
    assert.equal(body.links.self, `/v3/projects?name=${d.region}`);
  });

  it("lists every project without a name, none for an unknown name, and refuses no credential", async function () {
    const all = (await signedList({})).json() as { projects: { name: string }[] };
    assert.deepEqual(
      all.projects.map((p) => p.name),
      [d.region, d.otherRegion],
    );
    assert.deepEqual((await signedList({ name: "eu-west-101" })).json(), {
      links: { self: "/v3/projects?name=eu-west-101", previous: null, next: null },
      projects: [],
    });
    const refused = await send(emu.url, { method: "GET", path: `/v3/projects?name=${d.region}` });
    assert.equal(refused.status, 401);
    assert.equal((refused.json() as { error: { code: number } }).error.code, 401);
  });

  it("answers a token as well, whatever its scope", async function () {
    const token = emu.issueToken();
    const answer = await send(emu.url, {
      method: "GET",
      path: `/v3/projects?name=${d.otherRegion}`,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      (answer.json() as { projects: { id: string }[] }).projects.map((p) => p.id),
      [d.otherProjectId],
    );
  });
});
