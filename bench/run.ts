// The benchmark: `pulumi up` then `pulumi destroy` of N orders of each kind, for this package's
// resources and two baselines, against the local emulator, then throughput under a rate limit.
// Run it with scripts/bench.sh (README "Benchmark"); it prints tables and writes them as JSON.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../emulator";
import { checkInputs, disPackageOrderInputs, metaStudioSubscriptionInputs, toWire } from "../provider/orders";

const repoRoot = path.resolve(__dirname, "..");
const VARIANTS = ["ours", "fetch-baseline", "curl-baseline"] as const;
type Variant = (typeof VARIANTS)[number];
/** The process that runs the resources' provider code, whose peak memory is reported. */
const PROVIDER_PROCESS: Record<Variant, RegExp> = {
  ours: /dynamic-provider/,
  "fetch-baseline": /dynamic-provider/,
  "curl-baseline": /pulumi-resource-command/,
};

interface Sample {
  variant: Variant;
  n: number;
  upSeconds: number;
  destroySeconds: number;
  stateBytesPerResource: number;
  providerBytesPerResource: number;
  peakProviderMiB: number;
  orders: number;
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1,10,50,100" },
    reps: { type: "string", default: "3" },
    "rate-limit": { type: "string", default: "2" },
    "throttled-orders": { type: "string", default: "100" },
    out: { type: "string", default: path.join(repoRoot, "bench", "results", "latest.json") },
  },
});
const sizes = args.sizes.split(",").map(Number);
const reps = Number(args.reps);

/** Samples /proc for the peak resident memory (VmHWM) of processes whose command line matches. */
function watchPeakMemory(pattern: RegExp): () => Promise<number> {
  let peakKiB = 0;
  const sample = async () => {
    for (const pid of await fs.readdir("/proc").catch(() => [])) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
        if (!pattern.test(cmdline)) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(await fs.readFile(`/proc/${pid}/status`, "utf8"));
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
      } catch {
        // the process ended between the listing and the read
      }
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peakKiB / 1024;
  };
}

/**
 * What the baselines post: this package's own wire mapping of the inputs bench/programs/ours
 * gives, so all three variants send the same bytes.
 */
function wireBodies(projectId: string): { dis: unknown; metastudio: unknown } {
  const dis = checkInputs(disPackageOrderInputs, {
    orderId: "BENCH0",
    cloudServices: { cloudServiceForm: { projectId }, productInfos: { productId: "00301-261175-0--0" } },
    tenantId: projectId,
  });
  const metastudio = checkInputs(metaStudioSubscriptionInputs, {
    cloudServices: [{ periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "bench.spec" }],
  });
  if (!dis.ok || !metastudio.ok) throw new Error("the benchmark's own inputs do not pass check");
  return {
    dis: toWire(disPackageOrderInputs, dis.value),
    metastudio: toWire(metaStudioSubscriptionInputs, metastudio.value),
  };
}

async function runOnce(emu: RunningEmulator, variant: Variant, n: number, token: string): Promise<Sample> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `phco-bench-${variant}-`));
  try {
    const program = path.join(dir, "program");
    await fs.cp(path.join(repoRoot, "bench", "programs", variant), program, { recursive: true });
    await fs.writeFile(path.join(program, "bodies.json"), JSON.stringify(wireBodies(DEMO_ACCOUNT.projectId)));
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(program, "node_modules"));
    await fs.mkdir(path.join(dir, "state"));
    const stack = await LocalWorkspace.createStack(
      { stackName: "bench", workDir: program },
      {
        envVars: {
          PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
          // A throwaway stack of the benchmark's own (scripts/env.sh leaves the passphrase to the caller).
          PULUMI_CONFIG_PASSPHRASE: "local-stacks-only",
          BENCH_URL: emu.url,
          BENCH_TOKEN: token,
          HW_AUTH_TOKEN: token,
          HW_REGION_NAME: DEMO_ACCOUNT.region,
          HW_PROJECT_ID: DEMO_ACCOUNT.projectId,
          HW_DIS_ENDPOINT: emu.url,
          HW_METASTUDIO_ENDPOINT: emu.url,
          // The price inquiry at check (README "The price at preview") goes to the emulator too.
          HW_BSS_ENDPOINT: emu.url,
          HW_AUTH_URL: emu.url,
        },
      },
    );
    await stack.setAllConfig({ n: { value: String(n) }, projectId: { value: DEMO_ACCOUNT.projectId } });
    const before = emu.orders().length;
    const peak = watchPeakMemory(PROVIDER_PROCESS[variant]);
    let started = performance.now();
    const up = await stack.up();
    const upSeconds = (performance.now() - started) / 1000;
    const peakProviderMiB = await peak();
    if (up.summary.result !== "succeeded") throw new Error(`${variant} N=${n}: up ${up.summary.result}`);
    const orders = emu.orders().length - before;

    const statePath = path.join(dir, "state", ".pulumi", "stacks", `bench-${variant}`, "bench.json");
    const stateText = await fs.readFile(statePath, "utf8");
    const resources = (JSON.parse(stateText) as { checkpoint: { latest: { resources: StateResource[] } } })
      .checkpoint.latest.resources;
    const mine = resources.filter((r) => !r.type.startsWith("pulumi:"));
    const providerBytes = mine.reduce((sum, r) => sum + Buffer.byteLength(r.inputs?.["__provider"] ?? ""), 0);

    started = performance.now();
    await stack.destroy();
    const destroySeconds = (performance.now() - started) / 1000;
    return {
      variant,
      n,
      upSeconds,
      destroySeconds,
      stateBytesPerResource: Buffer.byteLength(stateText) / (2 * n),
      providerBytesPerResource: providerBytes / (2 * n),
      peakProviderMiB,
      orders,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

interface StateResource {
  type: string;
  inputs?: Record<string, string>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

async function throttled(emu: RunningEmulator) {
  const perSecond = Number(args["rate-limit"]);
  const total = Number(args["throttled-orders"]);
  emu.reset();
  const fresh = emu.issueToken();
  emu.injectFaults({ kind: "rate-limit", perSecond, burst: Math.max(1, Math.ceil(perSecond)) });
  const started = performance.now();
  let failed: string | undefined;
  let sample: Sample | undefined;
  try {
    sample = await runOnce(emu, "ours", total / 2, fresh);
  } catch (err) {
    failed = (err as Error).message.split("\n")[0];
  }
  const seconds = sample?.upSeconds ?? (performance.now() - started) / 1000;
  const absorbed = emu.requests().filter((r) => r.status === 429).length;
  emu.clearFaults();
  return {
    ratePerSecond: perSecond,
    orders: total,
    accepted: emu.orders().length,
    upSeconds: seconds,
    lowerBoundSeconds: total / perSecond,
    ratioToBound: seconds / (total / perSecond),
    absorbed429: absorbed,
    failure: failed ?? null,
  };
}

async function main() {
  const emu = await startEmulator();
  const token = emu.issueToken();
  const samples: Sample[] = [];
  console.log(
    `bench: sizes ${sizes.join(", ")} (orders of each kind), ${reps} repetitions, emulator ${emu.url}`,
  );
  try {
    for (const n of sizes) {
      for (let rep = 1; rep <= reps; rep++) {
        for (const variant of VARIANTS) {
          const s = await runOnce(emu, variant, n, token);
          if (s.orders !== 2 * n)
            throw new Error(`${variant} N=${n}: ${s.orders} orders for ${2 * n} resources`);
          samples.push(s);
          console.log(
            `  N=${n} rep ${rep} ${variant}: up ${s.upSeconds.toFixed(1)} s, destroy ${s.destroySeconds.toFixed(1)} s`,
          );
        }
      }
    }
    const rows = sizes.flatMap((n) =>
      VARIANTS.map((variant) => {
        const of = samples.filter((s) => s.n === n && s.variant === variant);
        const up = of.map((s) => s.upSeconds);
        const destroy = of.map((s) => s.destroySeconds);
        return {
          n,
          variant,
          upSecondsMedian: median(up),
          upSecondsSpread: spread(up),
          destroySecondsMedian: median(destroy),
          destroySecondsSpread: spread(destroy),
          msPerResource: (median(up) * 1000) / (2 * n),
          stateBytesPerResource: median(of.map((s) => s.stateBytesPerResource)),
          providerBytesPerResource: median(of.map((s) => s.providerBytesPerResource)),
          peakProviderMiB: median(of.map((s) => s.peakProviderMiB)),
        };
      }),
    );
    const ratios = sizes.flatMap((n) => {
      const ours = rows.find((r) => r.n === n && r.variant === "ours");
      return (["fetch-baseline", "curl-baseline"] as const).map((base) => {
        const b = rows.find((r) => r.n === n && r.variant === base);
        return {
          n,
          against: base,
          up: (ours?.upSecondsMedian ?? 0) / (b?.upSecondsMedian ?? 1),
          destroy: (ours?.destroySecondsMedian ?? 0) / (b?.destroySecondsMedian ?? 1),
          stateBytes: (ours?.stateBytesPerResource ?? 0) / (b?.stateBytesPerResource ?? 1),
        };
      });
    });
    console.log("\nup and destroy (median of %d; spread min–max), per N orders of each kind:", reps);
    console.table(
      rows.map((r) => ({
        N: r.n,
        variant: r.variant,
        "up s": `${r.upSecondsMedian.toFixed(1)} (${r.upSecondsSpread})`,
        "destroy s": `${r.destroySecondsMedian.toFixed(1)} (${r.destroySecondsSpread})`,
        "ms/resource": r.msPerResource.toFixed(0),
        "state B/resource": r.stateBytesPerResource.toFixed(0),
        "__provider B/resource": r.providerBytesPerResource.toFixed(0),
        "provider peak MiB": r.peakProviderMiB.toFixed(0),
      })),
    );
    console.log("ours / baseline:");
    console.table(
      ratios.map((r) => ({
        N: r.n,
        against: r.against,
        up: r.up.toFixed(2),
        destroy: r.destroy.toFixed(2),
        "state bytes": r.stateBytes.toFixed(2),
      })),
    );
    const throttle = await throttled(emu);
    console.log(
      `\nthrottled: ${throttle.orders} orders at ${throttle.ratePerSecond}/s: up ${throttle.upSeconds.toFixed(1)} s, ` +
        `lower bound N/R ${throttle.lowerBoundSeconds.toFixed(1)} s (x${throttle.ratioToBound.toFixed(2)}), ` +
        `${throttle.absorbed429} answers 429 absorbed, ${throttle.accepted} orders accepted, ` +
        `failure: ${throttle.failure ?? "none"}`,
    );
    await fs.mkdir(path.dirname(args.out), { recursive: true });
    await fs.writeFile(
      args.out,
      JSON.stringify(
        { machine: { cpus: os.cpus().length, node: process.version }, rows, ratios, throttle, samples },
        null,
        2,
      ),
    );
    console.log(`\nwritten: ${path.relative(process.cwd(), args.out)}`);
  } finally {
    await emu.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
