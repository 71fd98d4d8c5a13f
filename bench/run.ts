// The benchmark: `pulumi up` then `pulumi destroy` of N orders of each kind, for this package's
// resources and two baselines, against the local emulator, then throughput under a rate limit.
// Run it with scripts/bench.sh (docs/benchmarks.md); it prints tables and writes them as JSON.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNT, type FaultSpec, type RunningEmulator, startEmulator } from "../emulator";
import { checkInputs, disPackageOrderInputs, metaStudioSubscriptionInputs, toWire } from "../provider/orders";

const repoRoot = path.resolve(__dirname, "..");
// ours-unpriced: this package with huaweicloud-orders:previewPrice false, which splits the price inquiry
// each new order's check sends (docs/price-and-policy.md "The price at preview") from the rest of
// ours. plugin: the same orders as ours, declared through the provider plugin's types (bin/, on
// PATH for the run).
const VARIANTS = ["ours", "ours-unpriced", "plugin", "fetch-baseline", "curl-baseline"] as const;
type Variant = (typeof VARIANTS)[number];
/** The program (bench/programs/<name>) a variant runs. */
const PROGRAM: Record<Variant, string> = {
  ours: "ours",
  "ours-unpriced": "ours",
  plugin: "plugin",
  "fetch-baseline": "fetch-baseline",
  "curl-baseline": "curl-baseline",
};
/** The process that runs the resources' provider code, whose peak memory is reported. */
const PROVIDER_PROCESS: Record<Variant, RegExp> = {
  ours: /dynamic-provider/,
  "ours-unpriced": /dynamic-provider/,
  plugin: /dist\/provider\/plugin\/main\.js/,
  "fetch-baseline": /dynamic-provider/,
  "curl-baseline": /pulumi-resource-command/,
};

interface Sample {
  variant: Variant;
  n: number;
  /** `pulumi preview` of the new stack, before the up: the Automation API call, and the command alone. */
  previewSeconds: number;
  previewCommandSeconds: number;
  upSeconds: number;
  destroySeconds: number;
  stateBytesPerResource: number;
  providerBytesPerResource: number;
  peakProviderMiB: number;
  /** CPU time (user + system) of the provider process(es) during up, and during destroy. */
  upProviderCpuSeconds: number;
  destroyProviderCpuSeconds: number;
  /** CPU time of every process of the run (engine, language host, program, provider). */
  upAllCpuSeconds: number;
  destroyAllCpuSeconds: number;
  orders: number;
  /** Requests the emulator received (IAM, BSS, the order APIs): during the preview, the up, the destroy. */
  requests: { preview: number; up: number; destroy: number };
  /**
   * Wall clock (ms since the epoch) when `pulumi up` was started and when the Automation API's
   * `up()` returned: after the command, it runs `pulumi stack output` twice and `pulumi stack
   * history` (about 0.6 s each here), which a `pulumi up` in a pipeline does not.
   */
  upStartedAtMs: number;
  upEndedAtMs: number;
  /** The `pulumi up` command's own time: until its last line of output (its summary). */
  upCommandSeconds: number;
  upCommandEndedAtMs: number;
  /** The same for destroy (its `destroy()` runs `pulumi stack history` after the command). */
  destroyCommandSeconds: number;
  /** When the emulator received the first and the last request of the up (ms since the epoch). */
  upFirstRequestAtMs: number;
  upLastRequestAtMs: number;
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1,10,100,1000" },
    reps: { type: "string", default: "3" },
    "rate-limit": { type: "string", default: "2" },
    "throttled-orders": { type: "string", default: "100" },
    /** How many times the throttled run (and the unthrottled one before it) is repeated. */
    "throttled-reps": { type: "string", default: "3" },
    /** Runs only the throttled part (and the unthrottled run it is compared with). */
    "only-throttled": { type: "boolean", default: false },
    /** Writes the throttled run's requests (time, service, status) to this JSON file. */
    "throttled-trace": { type: "string" },
    /** Only these variants (comma-separated), e.g. ours,fetch-baseline while profiling. */
    variants: { type: "string", default: VARIANTS.join(",") },
    /** Passed to `pulumi up` and `pulumi destroy` (the engine's default: 4 per core). */
    parallel: { type: "string" },
    /** Repetitions for sizes of 1000 and more (each takes minutes). */
    "large-reps": { type: "string", default: "1" },
    /** Writes a V8 CPU profile of every Node process the engine starts into this folder. */
    "cpu-prof": { type: "string" },
    out: { type: "string", default: path.join(repoRoot, "bench", "results", "latest.json") },
  },
});
const sizes = args.sizes.split(",").map(Number);
const reps = Number(args.reps);
/** Sizes of 1000 and more take minutes per run: they get --large-reps repetitions. */
const repsFor = (n: number) => (n >= 1000 ? Number(args["large-reps"]) : reps);
const variants = args.variants.split(",").map((v) => {
  if (!(VARIANTS as readonly string[]).includes(v)) throw new Error(`--variants: no variant ${v}`);
  return v as Variant;
});

/**
 * Samples /proc, every 50 ms, the processes whose environment carries BENCH_MARKER=`marker` (the
 * engine and everything it starts for one run): the CPU time (user + system, as last seen) of
 * them all, and the peak resident memory (VmHWM) and CPU time of those whose command line matches
 * `pattern` (the provider). CPU time, unlike wall time, hardly depends on what else the machine runs.
 */
function watchProvider(
  pattern: RegExp,
  marker: string,
): () => Promise<{ peakMiB: number; cpuSeconds: number; allCpuSeconds: number }> {
  let peakKiB = 0;
  const providerTicks = new Map<string, number>();
  const allTicks = new Map<string, number>();
  const sample = async () => {
    for (const pid of await fs.readdir("/proc").catch(() => [])) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        // Only this run's processes: other work on the machine may run dynamic providers too.
        if (!(await fs.readFile(`/proc/${pid}/environ`, "utf8")).includes(`BENCH_MARKER=${marker}`)) continue;
        // Fields after the command name: utime and stime are the 12th and 13th (clock ticks).
        const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ticks = Number(fields[11]) + Number(fields[12]);
        allTicks.set(pid, ticks);
        const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
        if (!pattern.test(cmdline)) continue;
        providerTicks.set(pid, ticks);
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
  const seconds = (ticks: Map<string, number>) =>
    [...ticks.values()].reduce((a, b) => a + b, 0) / CLOCK_TICKS_PER_SECOND;
  return async () => {
    running = false;
    await loop;
    return { peakMiB: peakKiB / 1024, cpuSeconds: seconds(providerTicks), allCpuSeconds: seconds(allTicks) };
  };
}
/** USER_HZ: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

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
    cloudServices: [
      {
        periodType: 2,
        periodNum: 1,
        subscriptionNum: 1,
        resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      },
    ],
  });
  if (!dis.ok || !metastudio.ok) throw new Error("the benchmark's own inputs do not pass check");
  return {
    dis: toWire(disPackageOrderInputs, dis.value),
    metastudio: toWire(metaStudioSubscriptionInputs, metastudio.value),
  };
}

/**
 * One up and destroy of `variant` with N orders of each kind, against an emulator reset first
 * (it refuses a DIS order id it has seen, and the runs reuse BENCH0...), with `faults` injected.
 */
async function runOnce(
  emu: RunningEmulator,
  variant: Variant,
  n: number,
  faults: FaultSpec[] = [],
  preview = false,
): Promise<Sample> {
  emu.reset();
  const token = emu.issueToken();
  if (faults.length > 0) emu.injectFaults(...faults);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `phco-bench-${variant}-`));
  // In the environment of every process the engine starts for this run, so /proc tells them apart.
  const marker = path.basename(dir);
  try {
    const program = path.join(dir, "program");
    await fs.cp(path.join(repoRoot, "bench", "programs", PROGRAM[variant]), program, { recursive: true });
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
          HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
          HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
          // The price inquiry at check (docs/price-and-policy.md "The price at preview") goes to the emulator too,
          // with the domain-scoped token BSS needs (without it every inquiry was refused, 403).
          HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
          HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN: emu.issueToken({ scope: "domain" }),
          HW_AUTH_URL: emu.url,
          BENCH_MARKER: marker,
          // The engine finds the plugin on PATH (README "The provider plugin").
          ...(variant === "plugin"
            ? { PATH: `${path.join(repoRoot, "bin")}${path.delimiter}${process.env["PATH"] ?? ""}` }
            : {}),
          ...(args["cpu-prof"] === undefined
            ? {}
            : {
                NODE_OPTIONS:
                  `--cpu-prof --cpu-prof-dir=${path.resolve(args["cpu-prof"], `${variant}-${n}`)} ` +
                  `-r ${path.join(repoRoot, "bench", "exit-on-signal.js")}`,
              }),
        },
      },
    );
    await stack.setAllConfig({
      n: { value: String(n) },
      projectId: { value: DEMO_ACCOUNT.projectId },
      ...(variant === "ours-unpriced" ? { "huaweicloud-orders:previewPrice": { value: "false" } } : {}),
    });
    const before = emu.orders().length;
    const parallel = args.parallel === undefined ? {} : { parallel: Number(args.parallel) };
    let started = performance.now();
    let previewCommandEnded = started;
    if (preview)
      await stack.preview({ ...parallel, onOutput: () => void (previewCommandEnded = performance.now()) });
    const previewSeconds = preview ? (performance.now() - started) / 1000 : 0;
    const previewCommandSeconds = preview ? (previewCommandEnded - started) / 1000 : 0;
    const previewRequests = emu.requests().length;
    let watch = watchProvider(PROVIDER_PROCESS[variant], marker);
    started = performance.now();
    const upStartedAtMs = Date.now();
    let upCommandEndedAtMs = upStartedAtMs;
    const up = await stack.up({ ...parallel, onOutput: () => void (upCommandEndedAtMs = Date.now()) });
    const upSeconds = (performance.now() - started) / 1000;
    const upEndedAtMs = Date.now();
    const upProvider = await watch();
    if (up.summary.result !== "succeeded") throw new Error(`${variant} N=${n}: up ${up.summary.result}`);
    // The emulator was reset for this run: every request it holds after the preview's is the up's.
    const upRequestTimes = emu
      .requests()
      .slice(previewRequests)
      .map((r) => Date.parse(r.receivedAt));
    const orders = emu.orders().length - before;

    const statePath = path.join(dir, "state", ".pulumi", "stacks", `bench-${PROGRAM[variant]}`, "bench.json");
    const stateText = await fs.readFile(statePath, "utf8");
    const resources = (JSON.parse(stateText) as { checkpoint: { latest: { resources: StateResource[] } } })
      .checkpoint.latest.resources;
    const mine = resources.filter((r) => !r.type.startsWith("pulumi:"));
    const providerBytes = mine.reduce((sum, r) => sum + Buffer.byteLength(r.inputs?.["__provider"] ?? ""), 0);

    watch = watchProvider(PROVIDER_PROCESS[variant], marker);
    started = performance.now();
    let destroyCommandEnded = started;
    await stack.destroy({ ...parallel, onOutput: () => void (destroyCommandEnded = performance.now()) });
    const destroySeconds = (performance.now() - started) / 1000;
    const allRequests = emu.requests().length;
    const destroyProvider = await watch();
    return {
      variant,
      n,
      previewSeconds,
      previewCommandSeconds,
      upSeconds,
      destroySeconds,
      stateBytesPerResource: Buffer.byteLength(stateText) / (2 * n),
      providerBytesPerResource: providerBytes / (2 * n),
      peakProviderMiB: Math.max(upProvider.peakMiB, destroyProvider.peakMiB),
      upProviderCpuSeconds: upProvider.cpuSeconds,
      destroyProviderCpuSeconds: destroyProvider.cpuSeconds,
      upAllCpuSeconds: upProvider.allCpuSeconds,
      destroyAllCpuSeconds: destroyProvider.allCpuSeconds,
      orders,
      requests: {
        preview: previewRequests,
        up: upRequestTimes.length,
        destroy: allRequests - previewRequests - upRequestTimes.length,
      },
      upStartedAtMs,
      upEndedAtMs,
      upCommandSeconds: (upCommandEndedAtMs - upStartedAtMs) / 1000,
      upCommandEndedAtMs,
      destroyCommandSeconds: (destroyCommandEnded - started) / 1000,
      upFirstRequestAtMs: Math.min(...upRequestTimes),
      upLastRequestAtMs: Math.max(...upRequestTimes),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

interface StateResource {
  type: string;
  inputs?: Record<string, string>;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

/**
 * `--throttled-orders` orders (half of each kind) against an API limited to `--rate-limit`
 * requests per second, and the same stack unthrottled just before: N/R is the bound, and the
 * unthrottled time says how much of the run the machine itself took.
 */
async function throttled(emu: RunningEmulator) {
  const perSecond = Number(args["rate-limit"]);
  const total = Number(args["throttled-orders"]);
  const unthrottled = await runOnce(emu, "ours", total / 2);
  const started = performance.now();
  let failed: string | undefined;
  let sample: Sample | undefined;
  try {
    sample = await runOnce(emu, "ours", total / 2, [
      { kind: "rate-limit", perSecond, burst: Math.max(1, Math.ceil(perSecond)) },
    ]);
  } catch (err) {
    failed = (err as Error).message.split("\n")[0];
  }
  const seconds = sample?.upSeconds ?? (performance.now() - started) / 1000;
  const requests = emu.requests();
  const absorbed = requests.filter((r) => r.status === 429).length;
  // Per service: what the limit counted (BSS's price inquiries and IAM included) and what it refused.
  const byService: Record<string, { sent: number; throttled: number }> = {};
  for (const r of requests) {
    const s = (byService[r.service] ??= { sent: 0, throttled: 0 });
    s.sent++;
    if (r.status === 429) s.throttled++;
  }
  const phases = sample ? upPhases(sample) : null;
  if (args["throttled-trace"] !== undefined) {
    const t0 = Date.parse(requests[0]?.receivedAt ?? "") || 0;
    const trace = requests.map((r) => ({
      ms: Date.parse(r.receivedAt) - t0,
      service: r.service,
      method: r.method,
      path: r.path,
      status: r.status,
    }));
    await fs.writeFile(args["throttled-trace"], JSON.stringify(trace, null, 1));
  }
  emu.clearFaults();
  return {
    ratePerSecond: perSecond,
    orders: total,
    accepted: emu.orders().length,
    upSeconds: seconds,
    /** The `pulumi up` command alone (without the Automation API's reads after it). */
    upCommandSeconds: sample?.upCommandSeconds ?? null,
    commandRatioToBound: sample ? sample.upCommandSeconds / (total / perSecond) : null,
    unthrottledUpSeconds: unthrottled.upSeconds,
    /** The same phases without the limit: what the engine's start and end cost this stack anyway. */
    unthrottledPhases: upPhases(unthrottled),
    lowerBoundSeconds: total / perSecond,
    ratioToBound: seconds / (total / perSecond),
    absorbed429: absorbed,
    absorbed429PerOrder: absorbed / total,
    /** Every request counts against the limit: with the price inquiry an order is two. */
    requests: requests.length,
    requestBoundSeconds: requests.filter((r) => r.status !== 429).length / perSecond,
    byService,
    phases,
    loadAverage: loadAverage(),
    failure: failed ?? null,
  };
}

/**
 * Where an up's time went: before its first request (engine, program and provider starting), from
 * the first request to the last answer (what a rate limit governs), and after it.
 */
function upPhases(s: Sample) {
  return {
    beforeFirstRequestSeconds: (s.upFirstRequestAtMs - s.upStartedAtMs) / 1000,
    requestWindowSeconds: (s.upLastRequestAtMs - s.upFirstRequestAtMs) / 1000,
    /** To the end of the `pulumi up` command, then the Automation API's reads. */
    afterLastRequestSeconds: (s.upCommandEndedAtMs - s.upLastRequestAtMs) / 1000,
    automationReadsSeconds: (s.upEndedAtMs - s.upCommandEndedAtMs) / 1000,
  };
}

type Throttled = Awaited<ReturnType<typeof throttled>>;

/** The throttled runs together: medians and spreads of what the target is about. */
function throttleSummary(runs: Throttled[]): string {
  const bound = runs[0]?.lowerBoundSeconds ?? 1;
  const commands = runs.flatMap((t) => (t.upCommandSeconds === null ? [] : [t.upCommandSeconds / bound]));
  const windows = runs.flatMap((t) => (t.phases ? [t.phases.requestWindowSeconds / bound] : []));
  const starts = runs.flatMap((t) => (t.phases ? [t.phases.beforeFirstRequestSeconds] : []));
  const unthrottledStarts = runs.map((t) => t.unthrottledPhases.beforeFirstRequestSeconds);
  const ratio = (xs: number[]) =>
    `x${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  return (
    `throttled, ${runs.length} runs (medians, spread): the \`pulumi up\` command ${ratio(commands)} N/R; ` +
    `from the first request to the last ${ratio(windows)} N/R; before the first request ` +
    `${median(starts).toFixed(1)} s (${spread(starts)}), unthrottled ${median(unthrottledStarts).toFixed(1)} s ` +
    `(${spread(unthrottledStarts)}); answers 429 per order at most ` +
    `${Math.max(...runs.map((t) => t.absorbed429PerOrder)).toFixed(2)}; failures ` +
    `${runs.filter((t) => t.failure !== null).length}`
  );
}

function throttleLine(throttle: Throttled): string {
  return (
    `throttled: ${throttle.orders} orders at ${throttle.ratePerSecond}/s: up ${throttle.upSeconds.toFixed(1)} s, ` +
    `lower bound N/R ${throttle.lowerBoundSeconds.toFixed(1)} s (x${throttle.ratioToBound.toFixed(2)}), ` +
    (throttle.upCommandSeconds === null || throttle.commandRatioToBound === null
      ? ""
      : `the \`pulumi up\` command itself ${throttle.upCommandSeconds.toFixed(1)} s ` +
        `(x${throttle.commandRatioToBound.toFixed(2)} N/R), `) +
    `the same stack unthrottled ${throttle.unthrottledUpSeconds.toFixed(1)} s, ` +
    `${throttle.absorbed429} answers 429 absorbed (${throttle.absorbed429PerOrder.toFixed(2)} per order), ` +
    `${throttle.accepted} orders accepted, failure: ${throttle.failure ?? "none"}; ` +
    `requests answered (not 429) ${throttle.requests - throttle.absorbed429}: their bound ` +
    `${throttle.requestBoundSeconds.toFixed(1)} s (x${(throttle.upSeconds / throttle.requestBoundSeconds).toFixed(2)}); ` +
    `per service sent/429: ${Object.entries(throttle.byService)
      .map(([service, c]) => `${service} ${c.sent}/${c.throttled}`)
      .join(", ")}; ` +
    (throttle.phases
      ? `up's time: ${throttle.phases.beforeFirstRequestSeconds.toFixed(1)} s before the first request, ` +
        `${throttle.phases.requestWindowSeconds.toFixed(1)} s from it to the last ` +
        `(x${(throttle.phases.requestWindowSeconds / throttle.lowerBoundSeconds).toFixed(2)} N/R), ` +
        `${throttle.phases.afterLastRequestSeconds.toFixed(1)} s after it to the command's end, ` +
        `${throttle.phases.automationReadsSeconds.toFixed(1)} s of Automation API reads ` +
        `(unthrottled: ${throttle.unthrottledPhases.beforeFirstRequestSeconds.toFixed(1)} s, ` +
        `${throttle.unthrottledPhases.requestWindowSeconds.toFixed(1)} s, ` +
        `${throttle.unthrottledPhases.afterLastRequestSeconds.toFixed(1)} s, ` +
        `${throttle.unthrottledPhases.automationReadsSeconds.toFixed(1)} s); `
      : "") +
    `load average ${throttle.loadAverage}`
  );
}

async function main() {
  const emu = await startEmulator();
  const samples: Sample[] = [];
  console.log(
    `bench: sizes ${sizes.join(", ")} (orders of each kind), ${reps} repetitions ` +
      `(${args["large-reps"]} for N >= 1000), parallel ${args.parallel ?? "default"}, emulator ${emu.url}, ` +
      `load average ${loadAverage()}`,
  );
  try {
    // First: it is the shortest part, and its figures should not wait for N = 1000.
    const throttle: Throttled[] = [];
    for (let i = 0; Number(args["throttled-orders"]) > 0 && i < Number(args["throttled-reps"]); i++) {
      const run = await throttled(emu);
      throttle.push(run);
      console.log(throttleLine(run));
    }
    if (throttle.length > 0) console.log(throttleSummary(throttle));
    if (args["only-throttled"]) return;
    for (const n of sizes) {
      for (let rep = 1; rep <= repsFor(n); rep++) {
        for (const variant of variants) {
          const s = await runOnce(emu, variant, n, [], true);
          if (s.orders !== 2 * n)
            throw new Error(`${variant} N=${n}: ${s.orders} orders for ${2 * n} resources`);
          samples.push(s);
          console.log(
            `  N=${n} rep ${rep} ${variant}: preview ${s.previewSeconds.toFixed(1)} s (command ${s.previewCommandSeconds.toFixed(1)} s), ` +
              `up ${s.upSeconds.toFixed(1)} s (command ${s.upCommandSeconds.toFixed(1)} s), ` +
              `destroy ${s.destroySeconds.toFixed(1)} s (command ${s.destroyCommandSeconds.toFixed(1)} s), ` +
              `CPU s up/destroy provider ${s.upProviderCpuSeconds.toFixed(1)}/${s.destroyProviderCpuSeconds.toFixed(1)}, ` +
              `all ${s.upAllCpuSeconds.toFixed(1)}/${s.destroyAllCpuSeconds.toFixed(1)}, ` +
              `requests preview/up/destroy ${s.requests.preview}/${s.requests.up}/${s.requests.destroy}, ` +
              `state ${s.stateBytesPerResource.toFixed(0)} B/resource, provider peak ${s.peakProviderMiB.toFixed(0)} MiB ` +
              `(load ${loadAverage()})`,
          );
        }
      }
    }
    const rows = sizes.flatMap((n) =>
      variants.map((variant) => {
        const of = samples.filter((s) => s.n === n && s.variant === variant);
        const preview = of.map((s) => s.previewSeconds);
        const up = of.map((s) => s.upSeconds);
        const destroy = of.map((s) => s.destroySeconds);
        const upCommand = of.map((s) => s.upCommandSeconds);
        const destroyCommand = of.map((s) => s.destroyCommandSeconds);
        return {
          n,
          variant,
          previewSecondsMedian: median(preview),
          previewCommandSecondsMedian: median(of.map((s) => s.previewCommandSeconds)),
          upSecondsMedian: median(up),
          upSecondsSpread: spread(up),
          destroySecondsMedian: median(destroy),
          destroySecondsSpread: spread(destroy),
          upCommandSecondsMedian: median(upCommand),
          destroyCommandSecondsMedian: median(destroyCommand),
          repetitions: of.length,
          msPerResource: (median(up) * 1000) / (2 * n),
          destroyMsPerResource: (median(destroy) * 1000) / (2 * n),
          upProviderCpuSeconds: median(of.map((s) => s.upProviderCpuSeconds)),
          destroyProviderCpuSeconds: median(of.map((s) => s.destroyProviderCpuSeconds)),
          upAllCpuSeconds: median(of.map((s) => s.upAllCpuSeconds)),
          destroyAllCpuSeconds: median(of.map((s) => s.destroyAllCpuSeconds)),
          stateBytesPerResource: median(of.map((s) => s.stateBytesPerResource)),
          providerBytesPerResource: median(of.map((s) => s.providerBytesPerResource)),
          peakProviderMiB: median(of.map((s) => s.peakProviderMiB)),
        };
      }),
    );
    // Each of this package's variants against the baselines, and the plugin against the dynamic resources.
    const comparisons: [Variant, Variant][] = [
      ["plugin", "ours"],
      ...(["ours", "ours-unpriced", "plugin"] as const).flatMap((mine) =>
        (["fetch-baseline", "curl-baseline"] as const).map((base): [Variant, Variant] => [mine, base]),
      ),
    ];
    const ratios = sizes.flatMap((n) =>
      comparisons.flatMap(([mine, base]) => {
        const ours = rows.find((r) => r.n === n && r.variant === mine);
        const b = rows.find((r) => r.n === n && r.variant === base);
        if (!ours || !b) return [];
        return {
          n,
          variant: mine,
          against: base,
          preview: ours.previewSecondsMedian / b.previewSecondsMedian,
          previewCommand: ours.previewCommandSecondsMedian / b.previewCommandSecondsMedian,
          up: ours.upSecondsMedian / b.upSecondsMedian,
          destroy: ours.destroySecondsMedian / b.destroySecondsMedian,
          upCommand: ours.upCommandSecondsMedian / b.upCommandSecondsMedian,
          destroyCommand: ours.destroyCommandSecondsMedian / b.destroyCommandSecondsMedian,
          stateBytes: ours.stateBytesPerResource / b.stateBytesPerResource,
        };
      }),
    );
    console.log(
      "\npreview, up and destroy (median of the runs; spread min–max), per N orders of each kind; " +
        '"command"/"commands": the `pulumi preview`, `up` and `destroy` commands alone, without the Automation API\'s ' +
        "`stack output` and `stack history` reads after them:",
    );
    console.table(
      rows.map((r) => ({
        N: r.n,
        variant: r.variant,
        runs: r.repetitions,
        "preview s (command)": `${r.previewSecondsMedian.toFixed(1)} (${r.previewCommandSecondsMedian.toFixed(1)})`,
        "up s": `${r.upSecondsMedian.toFixed(1)} (${r.upSecondsSpread})`,
        "destroy s": `${r.destroySecondsMedian.toFixed(1)} (${r.destroySecondsSpread})`,
        "commands s up/destroy": `${r.upCommandSecondsMedian.toFixed(1)}/${r.destroyCommandSecondsMedian.toFixed(1)}`,
        "up ms/res": r.msPerResource.toFixed(1),
        "destroy ms/res": r.destroyMsPerResource.toFixed(1),
        "CPU s up/destroy: provider": `${r.upProviderCpuSeconds.toFixed(1)}/${r.destroyProviderCpuSeconds.toFixed(1)}`,
        "all processes": `${r.upAllCpuSeconds.toFixed(1)}/${r.destroyAllCpuSeconds.toFixed(1)}`,
        "state B/resource": r.stateBytesPerResource.toFixed(0),
        "__provider B/resource": r.providerBytesPerResource.toFixed(0),
        "provider peak MiB": r.peakProviderMiB.toFixed(0),
      })),
    );
    console.log("ours (priced, unpriced), plugin / baseline, and plugin / ours:");
    console.table(
      ratios.map((r) => ({
        N: r.n,
        ours: r.variant,
        against: r.against,
        "preview (command)": `${r.preview.toFixed(2)} (${r.previewCommand.toFixed(2)})`,
        up: r.up.toFixed(2),
        destroy: r.destroy.toFixed(2),
        "commands up/destroy": `${r.upCommand.toFixed(2)}/${r.destroyCommand.toFixed(2)}`,
        "state bytes": r.stateBytes.toFixed(2),
      })),
    );
    if (throttle.length > 0)
      console.log(`\n${throttle.map(throttleLine).join("\n")}\n${throttleSummary(throttle)}`);
    await fs.mkdir(path.dirname(args.out), { recursive: true });
    await fs.writeFile(
      args.out,
      JSON.stringify(
        {
          machine: { cpus: os.cpus().length, node: process.version, loadAverageAtEnd: os.loadavg() },
          rows,
          ratios,
          throttle,
          samples,
        },
        null,
        2,
      ),
    );
    console.log(`\nload average at the end: ${loadAverage()}`);
    console.log(`\nwritten: ${path.relative(process.cwd(), args.out)}`);
  } finally {
    await emu.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
