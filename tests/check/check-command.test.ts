// `pulumi-huaweicloud-orders check` run as a user runs it, a child process, against the emulator
// on a free port: its rows, its exit code, what it names to fix, and that it ordered, paid and
// unsubscribed nothing. No engine is involved.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT, startEmulator, type RunningEmulator } from "../../emulator";
import type { Row } from "../../provider/check/rows";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

const repoRoot = path.resolve(__dirname, "..", "..");
const tsNode = require.resolve("ts-node/dist/bin.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command, from its source, with exactly `env` (and PATH). */
async function check(env: Record<string, string>, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [tsNode, "--transpile-only", "provider/check/main.ts", "check", ...args],
      { cwd: repoRoot, env: { PATH: process.env["PATH"] ?? "", ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** The demo account's AK/SK settings, every endpoint the emulator's (BSS's `bss` if given). */
function akskEnv(emu: RunningEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    HW_REGION_NAME: DEMO_ACCOUNT.region,
    HW_PROJECT_ID: DEMO_ACCOUNT.projectId,
    HW_ACCESS_KEY: DEMO_ACCOUNT.accessKey,
    HW_SECRET_KEY: DEMO_ACCOUNT.secretKey,
    HW_AUTH_URL: emu.url,
    HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
    HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
    HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
    ...overrides,
  };
}

function rowsOf(run: Run): Row[] {
  return (JSON.parse(run.stdout) as { rows: Row[] }).rows;
}

function row(rows: Row[], probe: string): Row {
  const found = rows.find((r) => r.probe === probe);
  assert.ok(found, `a row "${probe}"`);
  return found;
}

/** Nothing was ordered, paid or unsubscribed: no such request reached the emulator. */
function assertNothingBought(emu: RunningEmulator): void {
  const sent = emu.requests();
  assert.ok(sent.length > 0);
  assert.deepEqual(emu.orders(), []);
  const orders = sent.filter(
    (r) => r.method === "POST" && (r.service === "dis" || r.service === "metastudio"),
  );
  const pays = sent.filter((r) => r.path === "/v3/orders/customer-orders/pay");
  const unsubscribes = sent.filter((r) => r.path === "/v2/orders/subscriptions/resources/unsubscribe");
  assert.deepEqual([orders.length, pays.length, unsubscribes.length], [0, 0, 0]);
}

describe("pulumi-huaweicloud-orders check, against the emulator", function () {
  let emu: RunningEmulator;
  let bss: ScriptedServer | undefined;

  beforeEach(async function () {
    emu = await startEmulator();
  });
  afterEach(async function () {
    await emu.stop();
    await bss?.close();
    bss = undefined;
  });

  it("with working settings: every probe passes, exit 0, the table names each, nothing bought", async function () {
    const json = await check(akskEnv(emu), "--json");
    assert.equal(json.code, 0, json.stderr);
    const rows = rowsOf(json);
    assert.deepEqual(
      rows.map((r) => [r.probe, r.result]),
      [
        ["settings", "ok"],
        ["endpoint iam", "ok"],
        ["endpoint dis", "ok"],
        ["endpoint metastudio", "ok"],
        ["endpoint bss", "ok"],
        ["authentication", "ok"],
        ["service type codes", "ok"],
        ["list one order", "ok"],
        ["price DisPackageOrder", "ok"],
        ["price MetaStudioSubscription", "ok"],
        ["MetaStudio tenant resources", "ok"],
      ],
    );
    assert.match(row(rows, "endpoint bss").detail, new RegExp(`^${emu.url} \\(127\\.0\\.0\\.1\\)$`));
    assert.match(row(rows, "authentication").detail, /account \(domain\) dddddddddddddddddddddddddddddddd/);
    assert.match(
      row(rows, "price DisPackageOrder").detail,
      /dis\.general\.partition\.duration\.pkg × 1, 1 month: \d+\.\d\d CNY/,
    );
    assert.match(row(rows, "list one order").detail, /BSS lists no order of this account yet/);

    const table = await check(akskEnv(emu));
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^probe +result +detail +fix$/m);
    assert.match(
      table.stdout,
      /^MetaStudio tenant resources +ok +MetaStudio lists 0 purchased resources in$/m,
    );
    assert.match(table.stdout, /11 ok, 0 failed, 0 skipped: ready for `pulumi up`/);
    for (const out of [json.stdout, table.stdout]) assert.ok(!out.includes(DEMO_ACCOUNT.secretKey));
    assertNothingBought(emu);
  });

  it("with a wrong secret key: authentication fails naming the setting, the rest is skipped, exit 1", async function () {
    const wrong = "not-the-secret-key-of-this-ak";
    const run = await check(akskEnv(emu, { HW_SECRET_KEY: wrong }), "--json");
    assert.equal(run.code, 1);
    const rows = rowsOf(run);
    const auth = row(rows, "authentication");
    assert.equal(auth.result, "failed");
    assert.match(auth.detail, /^IAM KeystoneListAuthDomains refused: HTTP 401/);
    assert.match(auth.fix, /huaweicloud:secretKey \(HW_SECRET_KEY\)/);
    assert.deepEqual(
      rows.slice(rows.indexOf(auth) + 1).map((r) => r.result),
      ["skipped", "skipped", "skipped", "skipped", "skipped"],
    );
    assert.ok(!run.stdout.includes(wrong));
    assertNothingBought(emu);
  });

  it("with BSS refusing (403): each BSS probe names its permission; MetaStudio still passes", async function () {
    bss = await startScriptedServer({
      respond: 403,
      body: { error_code: "CBC.0151", error_msg: "Access denied." },
    });
    const run = await check(akskEnv(emu, { HUAWEICLOUD_ORDERS_BSS_ENDPOINT: bss.url }), "--json");
    assert.equal(run.code, 1);
    const rows = rowsOf(run);
    const list = row(rows, "list one order");
    assert.equal(list.result, "failed");
    assert.match(list.detail, /BSS ListCustomerOrders refused: HTTP 403, CBC\.0151, "Access denied\."/);
    assert.equal(list.fix, "grant the IAM user bss:order:view");
    for (const kind of ["DisPackageOrder", "MetaStudioSubscription"]) {
      assert.equal(row(rows, `price ${kind}`).fix, "grant the IAM user bss:discount:view");
    }
    assert.equal(row(rows, "service type codes").result, "failed");
    assert.equal(row(rows, "MetaStudio tenant resources").result, "ok");
    // BSS was asked only to read: no payment or unsubscription reached it either.
    assert.ok(bss.received.length > 0);
    assert.ok(bss.received.every((r) => r.method === "GET" || r.url.endsWith("/subscribe-rate")));
    assertNothingBought(emu);
  });
});
