import * as assert from "node:assert/strict";
import { HuaweiCloudClient, HuaweiCloudError, type ClientSettings } from "../../provider/client";
import { ClientRuntime } from "../../provider/client/runtime";
import { FakeTransport, type Step } from "./fake-transport";

// With AK/SK and no project id, the client asks IAM for the id of the project named `projectName`
// (default: the region's) as Huawei's SDKs do: GET /v3/projects?name=..., signed with neither
// X-Project-Id nor X-Domain-Id, answered as the Go SDK's iam/v3 KeystoneListProjectsResponse.
const IAM = "https://iam.cn-north-4.myhuaweicloud.com";
const DIS = "https://dis.cn-north-4.myhuaweicloud.com";
const ID = "0123456789abcdef0123456789abcdef";

function settings(extra: Partial<ClientSettings> = {}): ClientSettings {
  return {
    region: "cn-north-4",
    credentials: { kind: "aksk", accessKey: "AK-LOOKUP", secretKey: "sk-lookup-secret-1" },
    endpoints: {
      iam: IAM,
      dis: DIS,
      metastudio: "https://metastudio.cn-north-4.myhuaweicloud.com",
      bss: "https://bss.myhuaweicloud.com",
    },
    retry: { maxAttempts: 1, maxWaitMs: 0 },
    timeouts: { connectMs: 1_000, responseMs: 1_000 },
    ...extra,
  };
}

/** IAM's project list with `projects` for GET /v3/projects, 200 `{}` for anything else. */
const iam =
  (...projects: { id: string; name: string }[]): Step =>
  (r) =>
    new URL(r.url).pathname === "/v3/projects"
      ? {
          respond: 200,
          body: {
            links: { self: `${IAM}/v3/projects`, previous: null, next: null },
            projects: projects.map((p) => ({
              ...p,
              domain_id: "d",
              parent_id: "d",
              enabled: true,
              is_domain: false,
              description: "",
              links: { self: "x" },
            })),
          },
        }
      : { respond: 200, body: {} };

const disCall = (client: HuaweiCloudClient) =>
  client.call({
    service: "dis",
    operation: "CreateOrder",
    method: "POST",
    path: ["v2", "orders", "CS1"],
    body: {},
    creates: true,
  });

function client(transport: FakeTransport, extra: Partial<ClientSettings> = {}, runtime?: ClientRuntime) {
  return new HuaweiCloudClient(settings(extra), {
    runtime: runtime ?? new ClientRuntime({ limiter: null, transport }),
    now: () => new Date(),
  });
}

describe("the project id of AK/SK credentials without one", function () {
  it("is asked of IAM by the region's name, unsigned by any project, then signs the call with it", async function () {
    const transport = new FakeTransport(iam({ id: ID, name: "cn-north-4" }));
    const c = client(transport);
    assert.equal(c.knownProjectId(), undefined);
    await disCall(c);
    const [lookup, order] = transport.sent;
    assert.equal(lookup?.method, "GET");
    assert.equal(lookup?.url, `${IAM}/v3/projects?name=cn-north-4`);
    assert.ok(!("X-Project-Id" in (lookup?.headers ?? {})) && !("X-Domain-Id" in (lookup?.headers ?? {})));
    assert.match(lookup?.headers.Authorization ?? "", /^SDK-HMAC-SHA256 Access=AK-LOOKUP,/);
    assert.equal(order?.url, `${DIS}/v2/orders/CS1`);
    assert.equal(order?.headers["X-Project-Id"], ID);
    assert.equal(c.knownProjectId(), ID, "known once looked up: recorded with the order");
  });

  it("is asked by projectName when it is set", async function () {
    const transport = new FakeTransport(iam({ id: ID, name: "cn-north-4_dev" }));
    assert.equal(await client(transport, { projectName: "cn-north-4_dev" }).projectId(), ID);
    assert.equal(transport.sent[0]?.url, `${IAM}/v3/projects?name=cn-north-4_dev`);
  });

  it("is asked once per run, AK and name; a configured one asks nothing", async function () {
    const transport = new FakeTransport(iam({ id: ID, name: "cn-north-4" }));
    const runtime = new ClientRuntime({ limiter: null, transport });
    const [a, b] = [client(transport, {}, runtime), client(transport, {}, runtime)];
    assert.deepEqual(await Promise.all([a.projectId(), b.projectId(), a.projectId()]), [ID, ID, ID]);
    assert.deepEqual(transport.paths(), ["/v3/projects"], "one lookup for the run");
    await client(transport, { projectName: "cn-north-4_dev" }, runtime)
      .projectId()
      .catch(() => undefined);
    assert.equal(transport.sent.length, 2, "another name is another lookup");
    const configured = new FakeTransport();
    assert.equal(
      await client(configured, { projectId: "fedcba9876543210fedcba9876543210" }).projectId(),
      "fedcba9876543210fedcba9876543210",
    );
    assert.deepEqual(configured.sent, []);
  });

  it("fails naming huaweicloud:projectId when IAM names no project or several, and asks again next time", async function () {
    const none = new FakeTransport(iam());
    const runtime = new ClientRuntime({ limiter: null, transport: none });
    const error = await client(none, {}, runtime)
      .projectId()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof HuaweiCloudError);
    assert.match(
      error.message,
      /IAM KeystoneListProjects failed \(HTTP 200, X-Request-Id req-0001, 1 attempt\)/,
    );
    assert.match(
      error.message,
      /IAM knows no project named "cn-north-4".*huaweicloud:region.*Set huaweicloud:projectId \(or HW_PROJECT_ID\)/,
    );
    await assert.rejects(client(none, {}, runtime).projectId(), /no project named/);
    assert.equal(none.sent.length, 2, "a failed lookup is not kept");
    const several = new FakeTransport(iam({ id: ID, name: "x" }, { id: "f".repeat(32), name: "x" }));
    await assert.rejects(
      client(several, { projectName: "x" }).projectId(),
      new RegExp(
        `IAM names 2 projects "x" \\(${ID}, f{32}\\).*huaweicloud:projectName.*Set huaweicloud:projectId`,
      ),
    );
    const order = new FakeTransport(iam());
    await assert.rejects(disCall(client(order)), /no project named/);
    assert.deepEqual(order.paths(), ["/v3/projects"], "no order is sent without a project id");
  });

  it("an answer without projects is an unexpected answer, not an empty list", async function () {
    const transport = new FakeTransport({ respond: 200, body: { links: {} } });
    await assert.rejects(client(transport).projectId(), /KeystoneListProjects.*projects/);
  });

  it("a password's token is scoped to projectName (default the region)", async function () {
    const scopes: unknown[] = [];
    const transport = new FakeTransport((r) => {
      scopes.push((JSON.parse(r.body) as { auth: { scope: unknown } }).auth.scope);
      return {
        respond: 201,
        headers: { "X-Subject-Token": "tok-1" },
        body: { token: { expires_at: "2099-01-01T00:00:00Z", project: { id: ID } } },
      };
    });
    const password = { kind: "password" as const, userName: "u", password: "pw-000001", domainName: "d" };
    assert.equal(
      await client(transport, { credentials: password, projectName: "cn-north-4_dev" }).projectId(),
      ID,
    );
    assert.equal(await client(transport, { credentials: password }).projectId(), ID);
    assert.deepEqual(scopes, [{ project: { name: "cn-north-4_dev" } }, { project: { name: "cn-north-4" } }]);
  });
});

describe("an account of the other site", function () {
  it("a BSS 403 with CBC.0150 or CBC.0156 says to set endpoints.bss to the international host; nothing else is sent", async function () {
    for (const code of ["CBC.0150", "CBC.0156"]) {
      const transport = new FakeTransport({
        respond: 403,
        body: {
          error_code: code,
          error_msg: "Access denied. The customer does not belong to the website you are now at.",
        },
      });
      const c = client(transport, { domainId: "d".repeat(32) });
      const call = c.call({
        service: "bss",
        operation: "PayOrders",
        method: "POST",
        path: ["v3", "orders", "customer-orders", "pay"],
        body: {},
        creates: true,
        notDone: "Nothing was paid",
      });
      await assert.rejects(call, (err: Error) => {
        assert.match(
          err.message,
          new RegExp(
            `^BSS PayOrders failed \\(HTTP 403, error_code ${code.replace(".", "\\.")}, error_msg "Access denied\\.`,
          ),
        );
        assert.match(
          err.message,
          /X-Request-Id req-0001, 1 attempt\): the account does not belong to the site of https:\/\/bss\.myhuaweicloud\.com\. Nothing was paid\./,
        );
        assert.match(
          err.message,
          /sets huaweicloud:endpoints\.bss to https:\/\/bss-intl\.myhuaweicloud\.com/,
        );
        return true;
      });
      assert.equal(transport.sent.length, 1, "not sent again, nor elsewhere");
    }
  });
});
