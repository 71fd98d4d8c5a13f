import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import packageJson from "../../package.json";
import { DEMO_ACCOUNT } from "../../emulator";
import { LOCAL_STACKS_PASSPHRASE } from "../support/engine";
import { engineSuite } from "../support/engine-suite";
import { readRunsFromFiles } from "../support/engine-state";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");

// The lowest @pulumi/pulumi of the package's peer range (the newest, the repository's own pin, is
// what every other engine test runs). OUTSIDE_PULUMI_VERSION tries another one.
const SDK_VERSION = process.env["OUTSIDE_PULUMI_VERSION"] ?? "3.139.0";
/** The folder `pulumi preview --policy-pack` is given (docs/price-and-policy.md "Policy pack"). */
const POLICY_PACK_FILES = [
  "policy-pack/PulumiPolicy.yaml",
  "policy-pack/index.js",
  "policy-pack/package.json",
];

/** npm in `cwd`, install scripts off, from the npm cache where it can (reruns need no download). */
async function npm(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** The checkout's files (tracked, and untracked ones not ignored) copied to `to`, with its node_modules. */
async function copyOfCheckout(to: string): Promise<string> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    const from = path.join(repoRoot, file);
    // A file deleted but not yet staged is still listed as tracked.
    if (!(await fs.stat(from).catch(() => undefined))?.isFile()) continue;
    await fs.mkdir(path.dirname(path.join(to, file)), { recursive: true });
    await fs.copyFile(from, path.join(to, file));
  }
  await fs.symlink(path.join(repoRoot, "node_modules"), path.join(to, "node_modules"));
  return to;
}

// What a user does in another repository: pack this checkout, install the tarball into a fresh
// program with its own @pulumi/pulumi, and run it through the engine against the emulator.
describe("the packed package, installed in a program outside the repository", function () {
  // The emulator and its counts; the stack is this test's own (its program has its own node_modules).
  const suite = engineSuite();
  const emu = suite.emu;
  let dir: string;
  let program: string;
  let packed: { filename: string; files: { path: string }[]; entryCount: number; size: number };
  let stack: Stack;
  let output = "";

  before(async function () {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "phco-outside-"));
    // `npm pack` runs the package's own `prepare`: a clean build of dist/ from the sources. It
    // packs a copy of the checkout's files (what a clone holds, plus new files not yet committed),
    // so the repository's own dist/, which other engine tests load meanwhile, is never rebuilt.
    const checkout = await copyOfCheckout(path.join(dir, "checkout"));
    [packed] = JSON.parse(await npm(checkout, ["pack", "--json", "--pack-destination", dir]));
    program = path.join(dir, "program");
    await fs.cp(path.join(repoRoot, "tests", "fixtures", "outside-program"), program, { recursive: true });
    await fs.writeFile(
      path.join(program, "package.json"),
      JSON.stringify({ name: "outside-program", version: "1.0.0", private: true }),
    );
    await npm(program, [
      "install",
      "--ignore-scripts",
      "--save-exact",
      `@pulumi/pulumi@${SDK_VERSION}`,
      path.join(dir, packed.filename),
    ]);
    await fs.mkdir(path.join(dir, "state"));
    stack = await LocalWorkspace.createStack(
      { stackName: "outside", workDir: program },
      {
        envVars: {
          PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
          PULUMI_CONFIG_PASSPHRASE: LOCAL_STACKS_PASSPHRASE,
        },
      },
    );
    readRunsFromFiles(stack, path.join(dir, "state"));
    await stack.setAllConfig(emu.stackConfig("token"));
  });
  after(async function () {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("the tarball holds only the built code, its declarations, the policy pack, the plugin's executable, README, CHANGELOG, LICENSE and package.json", async function () {
    const files = packed.files.map((f) => f.path).sort();
    const unexpected = files.filter(
      (f) =>
        !/^dist\/(sdk|provider)\/.+\.(js|d\.ts)$/.test(f) &&
        !/^dist\/policy\/.+\.js$/.test(f) &&
        ![
          "LICENSE",
          "README.md",
          "CHANGELOG.md",
          "package.json",
          "bin/pulumi-resource-huaweicloud-orders",
          ...POLICY_PACK_FILES,
        ].includes(f),
    );
    assert.deepEqual(unexpected, []);
    for (const f of POLICY_PACK_FILES) assert.ok(files.includes(f), `${f} is in the tarball`);
    assert.ok(files.includes("dist/policy/pack.js"), "the policy pack's code is in the tarball");
    // Every built file comes from a source of sdk/, provider/ or policy/ (no stale output of an older build).
    for (const f of files.filter((f) => f.startsWith("dist/"))) {
      const source = f.replace(/^dist\//, "").replace(/\.(d\.ts|js)$/, ".ts");
      await fs.access(path.join(repoRoot, source));
    }
    assert.ok(files.includes("dist/sdk/index.js") && files.includes("dist/sdk/index.d.ts"));
    assert.ok(files.includes("dist/provider/index.js"));
    // What `npm pack --dry-run` would list is what the tarball holds.
    const { stdout } = await run("tar", ["-tzf", path.join(dir, packed.filename)]);
    assert.deepEqual(
      stdout
        .trim()
        .split("\n")
        .map((e) => e.replace(/^package\//, ""))
        .sort(),
      files,
    );
    console.log(`      tarball: ${packed.entryCount} files, ${packed.size} bytes`);
  });

  it(`the program runs on its own @pulumi/pulumi ${SDK_VERSION}, the one copy in its node_modules`, async function () {
    const installed = JSON.parse(await npm(program, ["ls", "--all", "--json", "@pulumi/pulumi"]));
    assert.equal(installed.dependencies["@pulumi/pulumi"].version, SDK_VERSION);
    const copies = await run("find", [
      path.join(program, "node_modules"),
      "-path",
      "*/@pulumi/pulumi/package.json",
    ]);
    assert.equal(copies.stdout.trim().split("\n").length, 1);
    const pkg = path.join(program, "node_modules", "pulumi-huaweicloud-orders");
    assert.ok(
      !(await fs.lstat(pkg)).isSymbolicLink(),
      "the package is installed, not linked to the checkout",
    );
    const manifest = JSON.parse(await fs.readFile(path.join(pkg, "package.json"), "utf8"));
    assert.deepEqual(manifest.peerDependencies, {
      "@pulumi/policy": packageJson.peerDependencies["@pulumi/policy"],
      "@pulumi/pulumi": packageJson.peerDependencies["@pulumi/pulumi"],
    });
    // The policy pack's @pulumi/policy is an optional peer: a program that runs no policy pack gets none.
    assert.deepEqual(manifest.peerDependenciesMeta, { "@pulumi/policy": { optional: true } });
    await assert.rejects(fs.access(path.join(program, "node_modules", "@pulumi", "policy")));
  });

  it("preview places no order", async function () {
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { create: 3 });
    assert.equal(emu.orderRequests().length, 0);
  });

  it("up places one order per resource and records them as outputs", async function () {
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    const { dis, metastudio: ms } = emu.oneOrderOfEach();
    assert.equal(up.outputs["sdkVersion"]?.value, SDK_VERSION);
    assert.deepEqual(up.outputs["dis"]?.value, {
      orderId: "CS2511071586MU",
      requestId: dis.requestId,
      region: "cn-north-4",
      projectId: emu.projectId,
      adopted: false,
      periodNum: 3,
    });
    assert.deepEqual(up.outputs["metastudio"]?.value, {
      orderId: ms.orderId,
      requestId: ms.requestId,
      region: "cn-north-4",
      projectId: emu.projectId,
      adopted: false,
    });
    assert.match(
      String(dis.request.headers["user-agent"]),
      new RegExp(`^pulumi-huaweicloud-orders/${packageJson.version} `),
    );
  });

  it("refresh reads the orders through BSS only: nothing is ordered, paid or unsubscribed", async function () {
    const before = emu.requests().length;
    const refresh = await stack.refresh();
    assert.equal(refresh.summary.resourceChanges?.["delete"], undefined);
    const sent = emu.requests().slice(before);
    assert.ok(sent.length > 0);
    assert.ok(sent.every((r) => r.service === "bss" && (r.method === "GET" || r.path.endsWith("/query"))));
  });

  it("destroy forgets both orders, warns how to unsubscribe them, and sends no request", async function () {
    const before = emu.requests().length;
    const destroy = await stack.destroy({ onOutput: (line) => void (output += line) });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.equal(emu.requests().length, before);
    assert.equal(emu.orders().length, 2);
    assert.match(output, /DisPackageOrder 'dis': order CS2511071586MU .* still exists in Huawei Cloud/);
    assert.match(output, /MetaStudioSubscription 'metastudio': order \S+ .* still exists in Huawei Cloud/);
  });

  it("with @pulumi/policy installed, the shipped policy pack runs from node_modules and gates the preview", async function () {
    await npm(program, [
      "install",
      "--ignore-scripts",
      "--save-exact",
      `@pulumi/policy@${packageJson.devDependencies["@pulumi/policy"]}`,
    ]);
    const config = path.join(dir, "policy-config.json");
    await fs.writeFile(config, JSON.stringify({ "max-new-orders": { max: 1 } }));
    // The preview asks the price of the two orders it would place, and nothing else.
    const before = emu.requestsBesidesPreviewReads().length;
    let text = "";
    await assert.rejects(
      stack.preview({
        policyPacks: [path.join(program, "node_modules", "pulumi-huaweicloud-orders", "policy-pack")],
        policyPackConfigs: [config],
        onOutput: (line) => void (text += line),
      }),
    );
    assert.ok(text.includes(`huaweicloud-orders@v${packageJson.version}`), text);
    assert.match(
      text,
      /\[mandatory\]\s+max-new-orders[^]*this update would place 2 new paid orders, more than max-new-orders\.max \(1\)/,
    );
    assert.equal(emu.requestsBesidesPreviewReads().length, before);
  });

  it("`npx pulumi-huaweicloud-orders check` runs from node_modules: every probe passes, nothing is bought", async function () {
    const before = emu.requests().length;
    const { stdout } = await run("npx", ["--no-install", "pulumi-huaweicloud-orders", "check"], {
      cwd: program,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        HW_REGION_NAME: DEMO_ACCOUNT.region,
        HW_PROJECT_ID: emu.projectId,
        HW_ACCESS_KEY: DEMO_ACCOUNT.accessKey,
        HW_SECRET_KEY: DEMO_ACCOUNT.secretKey,
        HW_AUTH_URL: emu.url,
        HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
        HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
        HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
      },
    });
    assert.match(stdout, /^price DisPackageOrder +ok /m);
    assert.match(stdout, /11 ok, 0 failed, 0 skipped: ready for `pulumi up`/);
    const sent = emu.requests().slice(before);
    assert.ok(sent.length > 0);
    assert.ok(sent.every((r) => r.method === "GET" || r.path.endsWith("/subscribe-rate")));
  });

  it("npm refuses the package in a program whose @pulumi/pulumi is below the range, naming both", async function () {
    const old = path.join(dir, "old-sdk-program");
    await fs.mkdir(old);
    await fs.writeFile(
      path.join(old, "package.json"),
      JSON.stringify({
        name: "old",
        version: "1.0.0",
        private: true,
        dependencies: { "@pulumi/pulumi": "3.138.0" },
      }),
    );
    await assert.rejects(
      npm(old, ["install", "--dry-run", "--ignore-scripts", path.join(dir, packed.filename)]),
      (err: Error & { stderr?: string }) => {
        assert.match(err.stderr ?? "", /ERESOLVE/);
        assert.match(err.stderr ?? "", /Found: @pulumi\/pulumi@3\.138\.0/);
        assert.match(
          err.stderr ?? "",
          /peer @pulumi\/pulumi@">=3\.139\.0 <4\.0\.0" from pulumi-huaweicloud-orders/,
        );
        return true;
      },
    );
  });
});
