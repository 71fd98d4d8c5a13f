import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT } from "../../emulator";
import { engineSuite, type EngineStack, type RequestCounts } from "../support/engine-suite";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");

// The two resources from a Pulumi YAML program (tests/fixtures/yaml-program), through Pulumi
// YAML's language host and this package's provider plugin (bin/pulumi-resource-huaweicloud-orders),
// against the emulator. One stack carries every step; the emulator counts what each step sent:
// a preview orders nothing, `up` one order per resource and a second `up` nothing. Credentials
// come once from the environment and once from the stack's config in the plugin's namespace
// (which is all of the stack's config a plugin receives), the secret key never in the clear.
describe("a Pulumi YAML program through the provider plugin", function () {
  const suite = engineSuite();
  const emu = suite.emu;
  const d = DEMO_ACCOUNT;
  const DIS_ORDER = "CS2511071586MU";
  let temp: EngineStack;
  let programFile = "";
  /** The fixture's program, its plugin path made absolute (the stack runs a copy elsewhere). */
  let program = "";

  const endpoints = () => ({ dis: emu.url, metastudio: emu.url, bss: emu.url });
  /** AK/SK and where the emulator answers, as HW_* and HUAWEICLOUD_ORDERS_* variables. */
  const environment = (): Record<string, string> => ({
    HW_REGION_NAME: d.region,
    HW_PROJECT_ID: d.projectId,
    HW_AUTH_URL: emu.url,
    HW_ACCESS_KEY: d.accessKey,
    HW_SECRET_KEY: d.secretKey,
    HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
    HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
    HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
  });

  /** Runs `op`, asserts it passed, and returns what the emulator received meanwhile. */
  async function step(op: "preview" | "up" | "refresh" | "destroy") {
    const before = suite.counts();
    const received = emu.requests().length;
    const result = await temp.attempt(op);
    assert.ok(result.ok, result.text);
    return { ...result, sent: suite.countsSince(before), requests: emu.requests().slice(received) };
  }

  /** A preview that must fail: its text, and that it sent nothing at all. */
  async function refusedPreview(): Promise<string> {
    const before = suite.counts();
    const result = await temp.attempt("preview");
    assert.equal(result.ok, false, result.text);
    assert.equal(suite.countsSince(before).all, 0, "a refused preview sends nothing");
    return result.text;
  }

  /**
   * The secret key is nowhere in the clear: the backend's files, `pulumi stack export`, the
   * output. Given as stack config, the plugin's provider records it encrypted.
   */
  async function assertSecretKeyHidden(given: "environment" | "config"): Promise<void> {
    const { stdout: exported } = await run("pulumi", ["stack", "export", "--stack", "test"], {
      cwd: path.join(temp.dir, "program"),
      env: { ...process.env, ...temp.env },
    });
    assert.ok(exported.includes(DIS_ORDER), "the export holds the orders");
    const { deployment } = JSON.parse(exported) as {
      deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] };
    };
    const provider = deployment.resources.find((r) => r.type === "pulumi:providers:huaweicloud-orders");
    const secretKey = provider?.inputs?.["secretKey"];
    if (given === "environment") assert.equal(secretKey, undefined);
    else assert.ok(typeof secretKey === "object" && secretKey !== null && "ciphertext" in secretKey);
    assert.ok(!exported.includes(d.secretKey), "the stack export holds the secret key in the clear");
    for (const { file, text } of await temp.backendFiles()) {
      assert.ok(!text.includes(d.secretKey), `${file} holds the secret key in the clear`);
    }
    assert.ok(!temp.output().includes(d.secretKey), "the engine output holds the secret key");
  }

  /** Runs the program with `from` replaced by `to` (it must be there). */
  async function writeEdited(from: string, to: string): Promise<void> {
    assert.ok(program.includes(from), `the fixture holds ${JSON.stringify(from)}`);
    await fs.writeFile(programFile, program.replace(from, to));
  }

  const noOrderSent = (sent: RequestCounts) => {
    assert.equal(sent.orderRequests, 0, "no request reached DIS or MetaStudio");
    assert.equal(sent.payments + sent.unsubscriptions, 0, "nothing paid or unsubscribed");
  };

  before(async function () {
    temp = await suite.stack("yaml-program", {
      credentials: "none",
      transpile: false,
      env: environment(),
      // The emulator's BSS shows an order at once.
      config: { "huaweicloud-orders:orderReconcileSeconds": "1" },
    });
    programFile = path.join(temp.dir, "program", "Pulumi.yaml");
    const fixture = await fs.readFile(programFile, "utf8");
    program = fixture.replace("path: ../../../bin", `path: ${path.join(repoRoot, "bin")}`);
    assert.notEqual(program, fixture, "the fixture names the plugin's folder relatively");
    await fs.writeFile(programFile, program);
  });

  describe("credentials from the environment", function () {
    it("a preview shows each order's price and orders nothing", async function () {
      const preview = await step("preview");
      assert.deepEqual(preview.changes, { create: 3 });
      noOrderSent(preview.sent);
      // Reads only (AK/SK: IAM's domain look-up for BSS, BSS's service types), and one price
      // inquiry per order (docs/price-and-policy.md "The price at preview").
      const changing = preview.requests.filter(
        (r) => r.method !== "GET" && !r.path.endsWith("/subscribe-rate"),
      );
      assert.deepEqual(changing, [], "a preview sends only reads and price inquiries");
      assert.equal(preview.sent.priceInquiries, 2);
      assert.match(preview.text, /DisPackageOrder 'dis': price of the new order: \d+\.\d\d CNY/);
      assert.match(
        preview.text,
        /MetaStudioSubscription 'metastudio': price of the new order: \d+\.\d\d CNY/,
      );
      assert.match(preview.text, /update total so far: 2 new paid orders, total \d+\.\d\d CNY/);
    });

    it("up places exactly one order per resource and exports its outputs", async function () {
      const up = await step("up");
      assert.deepEqual(up.changes, { create: 3 });
      assert.equal(up.sent.disPosts, 1);
      assert.equal(up.sent.metastudioPosts, 1);
      assert.equal(up.sent.payments + up.sent.unsubscriptions, 0);
      const { dis, metastudio } = emu.oneOrderOfEach();
      assert.equal(dis.request.path, `/v2/orders/${DIS_ORDER}`);
      assert.equal(metastudio.request.path, `/v1/${d.projectId}/mss/public/orders`);
      const outputs = await temp.stack.outputs();
      assert.equal(outputs["disOrderId"]?.value, DIS_ORDER);
      assert.equal(outputs["metastudioOrderId"]?.value, metastudio.orderId);
      assert.equal(outputs["metastudioOrderStage"]?.value, "submitted");
      assert.equal(typeof outputs["disRequestId"]?.value, "string");
      await assertSecretKeyHidden("environment");
    });

    it("a second up changes nothing and sends nothing", async function () {
      const up = await step("up");
      assert.deepEqual(up.changes, { same: 3 });
      assert.equal(up.sent.all, 0);
    });

    it("refresh reads each order through BSS and orders, pays and unsubscribes nothing", async function () {
      const refresh = await step("refresh");
      assert.deepEqual(refresh.changes, { same: 3 });
      noOrderSent(refresh.sent);
      assert.equal(refresh.sent.bss, 2, "one BSS read per order");
    });

    it("destroy keeps both orders (onDestroy keep) and sends nothing that costs or cancels", async function () {
      const destroy = await step("destroy");
      assert.deepEqual(destroy.changes, { delete: 3 });
      noOrderSent(destroy.sent);
      assert.equal(emu.orders().length, 2, "the orders stay with Huawei");
    });
  });

  describe("credentials from the stack's config, the secret key a secret", function () {
    before(async function () {
      emu.reset();
      // The engine runs with the workspace's variables: the credential variables go.
      const workspace = temp.stack.workspace;
      const unset = new Set(Object.keys(environment()));
      workspace.envVars = Object.fromEntries(
        Object.entries(workspace.envVars).filter(([k]) => !unset.has(k)),
      );
      await temp.configure({
        "huaweicloud-orders:region": d.region,
        "huaweicloud-orders:projectId": d.projectId,
        "huaweicloud-orders:authUrl": emu.url,
        "huaweicloud-orders:endpoints": endpoints(),
        "huaweicloud-orders:accessKey": d.accessKey,
      });
      await temp.configure({ "huaweicloud-orders:secretKey": d.secretKey }, true);
    });

    // The stack keeps these orders for the refusals below (its destroy is checked above).
    it("up places one order per resource, the secret key never in the clear", async function () {
      const up = await step("up");
      assert.deepEqual(up.changes, { create: 3 });
      assert.equal(up.sent.disPosts, 1);
      assert.equal(up.sent.metastudioPosts, 1);
      emu.oneOrderOfEach();
      await assertSecretKeyHidden("config");
    });

    it("an unknown key in the plugin's namespace fails the preview, named", async function () {
      await temp.configure({ "huaweicloud-orders:bogusKey": "1" });
      try {
        assert.match(await refusedPreview(), /huaweicloud-orders:bogusKey is not a setting of this package/);
      } finally {
        await temp.stack.removeConfig("huaweicloud-orders:bogusKey");
      }
    });

    it("a string where a number is required fails the preview, named", async function () {
      await writeEdited("periodNum: 1\n        productInfos", 'periodNum: "one"\n        productInfos');
      try {
        assert.match(await refusedPreview(), /periodNum: Cannot assign type 'string' to type 'integer'/);
      } finally {
        await fs.writeFile(programFile, program);
      }
    });

    it("a missing required input fails the preview, named", async function () {
      await writeEdited(`      orderId: ${DIS_ORDER}\n`, "");
      try {
        assert.match(await refusedPreview(), /Missing required property 'orderId'/);
      } finally {
        await fs.writeFile(programFile, program);
      }
    });
  });
});
