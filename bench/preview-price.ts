// What the price at preview costs in time (docs/price-and-policy.md "The price at preview"): `pulumi preview` of a
// stack of N new DisPackageOrders against the emulator, with the price inquiry
// (huaweicloud-orders:previewPrice true, the default) and without it (false), alternating, R times each.
// Prints the medians, the spread, the difference, and the machine's load before and after.
//   node -r ts-node/register/transpile-only bench/preview-price.ts [--sizes 1,100] [--reps 3]
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNT, startEmulator } from "../emulator";

const repoRoot = path.resolve(__dirname, "..");

async function main() {
  const { values } = parseArgs({ options: { sizes: { type: "string" }, reps: { type: "string" } } });
  const sizes = (values.sizes ?? "1,100").split(",").map(Number);
  const reps = Number(values.reps ?? 3);
  const emu = await startEmulator();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "phco-bench-price-"));
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const loadBefore = load();
  try {
    const program = path.join(dir, "program");
    await fs.cp(path.join(repoRoot, "bench", "programs", "preview-price"), program, { recursive: true });
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(program, "node_modules"));
    await fs.mkdir(path.join(dir, "state"));
    const d = DEMO_ACCOUNT;
    const stack = await LocalWorkspace.createStack(
      { stackName: "bench", workDir: program },
      {
        envVars: {
          PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
          PULUMI_CONFIG_PASSPHRASE: "local-stacks-only",
          HW_ACCESS_KEY: d.accessKey,
          HW_SECRET_KEY: d.secretKey,
          HW_REGION_NAME: d.region,
          HW_PROJECT_ID: d.projectId,
          HW_DOMAIN_ID: d.domainId,
          HW_AUTH_URL: emu.url,
          HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
          HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
          HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
        },
      },
    );
    const rows: string[] = [];
    for (const n of sizes) {
      await stack.setConfig("n", { value: String(n) });
      const times: Record<"with" | "without", number[]> = { with: [], without: [] };
      for (let r = 0; r < reps; r++) {
        for (const variant of ["with", "without"] as const) {
          await stack.setConfig("huaweicloud-orders:previewPrice", {
            value: variant === "with" ? "true" : "false",
          });
          const asked = emu.requests().filter((q) => q.path.endsWith("/subscribe-rate")).length;
          let text = "";
          const started = performance.now();
          await stack.preview({ onOutput: (l) => void (text += l) });
          times[variant].push((performance.now() - started) / 1000);
          const inquiries = emu.requests().filter((q) => q.path.endsWith("/subscribe-rate")).length - asked;
          if (inquiries !== (variant === "with" ? n : 0))
            throw new Error(`N=${n} ${variant}: ${inquiries} inquiries`);
          if (variant === "with" && !text.includes(`update total so far: ${n} new paid order`))
            throw new Error(`N=${n}: no update total in the preview`);
          if (emu.orders().length > 0) throw new Error("a preview placed an order");
        }
      }
      const m = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
      rows.push(
        `N=${String(n).padEnd(4)} with price ${m(times.with).toFixed(1)} s (${range(times.with)}), ` +
          `without ${m(times.without).toFixed(1)} s (${range(times.without)}), ` +
          `added ${(m(times.with) - m(times.without)).toFixed(1)} s (${(((m(times.with) - m(times.without)) * 1000) / n).toFixed(0)} ms per order)`,
      );
    }
    console.log(
      `preview of N new orders, medians of ${reps} (range); load average before: ${loadBefore}, after: ${load()}`,
    );
    for (const row of rows) console.log(row);
  } finally {
    await emu.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
