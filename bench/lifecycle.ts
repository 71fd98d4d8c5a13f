// What following orders through billing costs (issue "follow every order to the end"): the time
// `pulumi up` adds when it waits for orders to be provisioned, against the emulator's configured
// billing delay, and how many billing (BSS) requests one order costs from create to destroy.
//   node -r ts-node/register/transpile-only bench/lifecycle.ts [--delays 0,1000,3000] [--sizes 1,10] [--reps 3]
// (after scripts/setup.sh and `. scripts/env.sh`; docs/benchmarks.md). Not part of the tests.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../emulator";

const repoRoot = path.resolve(__dirname, "..");

const { values: args } = parseArgs({
  options: {
    delays: { type: "string", default: "0,1000,3000" },
    sizes: { type: "string", default: "1,10" },
    reps: { type: "string", default: "3" },
    "poll-seconds": { type: "string", default: "0.25" },
  },
});
const delays = args.delays.split(",").map(Number);
const sizes = args.sizes.split(",").map(Number);
const reps = Number(args.reps);
const pollSeconds = args["poll-seconds"];

type Follow = "submitted" | "provisioned";
type Spec = Record<string, string | number | boolean>;

/** n auto-paid orders of each kind, followed as far as `follow`, destroyed as `onDestroy` says. */
function orders(n: number, follow: Follow, onDestroy?: string): Record<string, Spec> {
  const specs: Record<string, Spec> = {};
  for (let i = 0; i < n; i++) {
    const extra: Spec = onDestroy ? { onDestroy } : {};
    specs[`dis${i}`] =
      follow === "submitted"
        ? { kind: "dis", orderId: `BENCHLC${i}`, waitUntil: "submitted", ...extra }
        : { kind: "dis", orderId: `BENCHLC${i}`, waitUntil: "provisioned", autoPay: true, ...extra };
    specs[`ms${i}`] = { kind: "metastudio", isAutoPay: true, waitUntil: follow, ...extra };
  }
  return specs;
}

/** A stack of the lifecycle test program, with ready tokens: a project one, and a domain one for BSS. */
async function lifecycleStack(emu: RunningEmulator): Promise<{ stack: Stack; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "phco-bench-lifecycle-"));
  const program = path.join(dir, "program");
  await fs.cp(path.join(repoRoot, "tests", "fixtures", "lifecycle"), program, { recursive: true });
  await fs.symlink(path.join(repoRoot, "node_modules"), path.join(program, "node_modules"));
  await fs.mkdir(path.join(dir, "state"));
  const stack = await LocalWorkspace.createStack(
    { stackName: "bench", workDir: program },
    {
      envVars: {
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "local-stacks-only",
        HW_AUTH_TOKEN: emu.issueToken(),
        HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN: emu.issueToken({ scope: "domain" }),
        HW_REGION_NAME: DEMO_ACCOUNT.region,
        HW_PROJECT_ID: DEMO_ACCOUNT.projectId,
        HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
        HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
        HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
        HW_AUTH_URL: emu.url,
      },
    },
  );
  return { stack, dir };
}

/** `pulumi up` of a fresh stack against a fresh emulator (DIS order ids are used once). */
async function timedUp(
  emu: RunningEmulator,
  billingDelayMs: number,
  specs: Record<string, Spec>,
): Promise<{ seconds: number; stack: Stack; dir: string }> {
  emu.reset();
  emu.setBillingDelay(billingDelayMs);
  const { stack, dir } = await lifecycleStack(emu);
  await stack.setAllConfig({
    orders: { value: JSON.stringify(specs) },
    "huaweicloud-orders:orderPollIntervalSeconds": { value: pollSeconds },
  });
  const started = performance.now();
  const up = await stack.up();
  const seconds = (performance.now() - started) / 1000;
  if (up.summary.result !== "succeeded") throw new Error(`up ${up.summary.result}`);
  return { seconds, stack, dir };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function main() {
  const emu = await startEmulator();
  console.log(
    `lifecycle bench: billing delays ${delays.join(", ")} ms, N = ${sizes.join(", ")} auto-paid orders of each kind, ` +
      `${reps} repetitions, poll interval ${pollSeconds} s, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  try {
    const rows: Record<string, string>[] = [];
    for (const delay of delays) {
      for (const n of sizes) {
        const times: Record<Follow, number[]> = { submitted: [], provisioned: [] };
        for (let rep = 0; rep < reps; rep++) {
          for (const follow of ["submitted", "provisioned"] as const) {
            const run = await timedUp(emu, delay, orders(n, follow));
            times[follow].push(run.seconds);
            await run.stack.destroy();
            await fs.rm(run.dir, { recursive: true, force: true });
          }
        }
        const added = median(times.provisioned) - median(times.submitted);
        rows.push({
          "billing delay ms": String(delay),
          orders: String(2 * n),
          "up, submitted s": median(times.submitted).toFixed(2),
          "up, provisioned s": median(times.provisioned).toFixed(2),
          "added s": added.toFixed(2),
          "added / delay": delay > 0 ? (added / (delay / 1000)).toFixed(2) : "-",
        });
        console.log(`  delay ${delay} ms, ${2 * n} orders: added ${added.toFixed(2)} s`);
      }
    }
    console.log("\ntime the wait adds to `pulumi up` (medians; orders are followed in parallel):");
    console.table(rows);

    // BSS requests per order over its whole life: create (followed to provisioned), refresh,
    // destroy (unsubscribed and waited for), counted from the emulator's request log.
    const n = sizes[sizes.length - 1] ?? 1;
    const bss = () => emu.requests().filter((r) => r.service === "bss").length;
    const run = await timedUp(emu, 0, orders(n, "provisioned", "unsubscribe"));
    const afterCreate = bss();
    await run.stack.refresh();
    const afterRefresh = bss();
    await run.stack.destroy();
    const afterDestroy = bss();
    await fs.rm(run.dir, { recursive: true, force: true });
    const per = (x: number) => (x / (2 * n)).toFixed(1);
    // create includes the price inquiry that check asks for every new order (docs/price-and-policy.md "The price at preview").
    console.log(`\nBSS requests per order (${2 * n} orders, billing delay 0, poll ${pollSeconds} s):`);
    console.table([
      {
        create: per(afterCreate),
        refresh: per(afterRefresh - afterCreate),
        "destroy (unsubscribe)": per(afterDestroy - afterRefresh),
        total: per(afterDestroy),
      },
    ]);
  } finally {
    await emu.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
