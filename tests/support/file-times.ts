// How long each test file took, and the order the files are handed to mocha's workers. Loaded
// by .mocharc.json: in parallel mode each worker runs the root hooks below around every file it
// runs and appends the file's wall time, and the CPU time of the worker and of the processes it
// started and reaped (engines, plugins, npm), to a file of this run; the reporter prints them. On
// a machine shared with other work the CPU time is the steadier measure of what a file costs.
// The global setup (main process) hands the longest files out first, so that the two workers end
// together instead of one starting the soak while the other has nothing left.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Context, Runner } from "mocha";
import { TEST_RUN_MARKER } from "./processes";

/**
 * The slowest files, longest first (wall times of one run of `scripts/test.sh`, 2 jobs, on a quiet
 * machine); every other file follows in mocha's own order. Keep it in step with the times the
 * reporter prints.
 */
export const LONGEST_FIRST = [
  "tests/engine/accidental-orders.test.ts",
  "tests/engine/orders.test.ts",
  "tests/engine/preview-price.test.ts",
  "tests/engine/settings.test.ts",
  "tests/engine/reconcile.test.ts",
  "tests/engine/examples.test.ts",
  "tests/soak/orders-soak.test.ts",
  "tests/package/outside-repo.test.ts",
  "tests/engine/refresh-destroy.test.ts",
  "tests/engine/policy-pack.test.ts",
  "tests/scripts/pipeline-choices.test.ts",
  "tests/engine/order-lifecycle.test.ts",
  "tests/engine/auto-pay-agreement.test.ts",
  "tests/engine/yaml-program.test.ts",
  "tests/engine/upgrade.test.ts",
  "tests/engine/plugin-migration.test.ts",
  "tests/engine/quickstart.test.ts",
  "tests/check/check-command.test.ts",
  "tests/emulator/cli.test.ts",
  "tests/engine/interrupted.test.ts",
];

const repoRoot = path.resolve(__dirname, "..", "..");

/** The file this run's workers append their file times to (one JSON line per file). */
export function fileTimesLog(): string {
  const run = (process.env[TEST_RUN_MARKER] ?? String(process.ppid)).replace(/[^\w-]/g, "_");
  return path.join(os.tmpdir(), `phco-file-times-${run}.jsonl`);
}

export interface FileTime {
  file: string;
  seconds: number;
  cpuSeconds: number;
}

/** This process's CPU seconds, with those of its reaped children (Linux /proc; 100 ticks a second). */
function cpuSeconds(): number {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    // Fields 14 to 17 (utime, stime, cutime, cstime), counted after the ")" that ends the name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
  } catch {
    return 0;
  }
}

let started = { wall: 0, cpu: 0 };
export const mochaHooks = {
  beforeAll(): void {
    started = { wall: Date.now(), cpu: cpuSeconds() };
  },
  afterAll(this: Context): void {
    const file = this.test?.parent?.suites[0]?.file;
    if (!file) return;
    const line: FileTime = {
      file: path.relative(repoRoot, file),
      seconds: (Date.now() - started.wall) / 1000,
      cpuSeconds: cpuSeconds() - started.cpu,
    };
    fs.appendFileSync(fileTimesLog(), `${JSON.stringify(line)}\n`);
  },
};

/** The file times this run recorded, longest first; the log is removed once read. */
export function readFileTimes(): FileTime[] {
  let text = "";
  try {
    text = fs.readFileSync(fileTimesLog(), "utf8");
    fs.rmSync(fileTimesLog(), { force: true });
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FileTime)
    .sort((a, b) => b.seconds - a.seconds);
}

/** Mocha global setup, run with the runner as `this`: reorders the files it is about to run. */
export function mochaGlobalSetup(this: Runner): void {
  // Runner#runAsync hands the files to run(); the parallel runner enqueues them in this order.
  type Run = (done: (failures: number) => void, opts?: { files?: string[] }) => Runner;
  const runner = this as unknown as { run: Run };
  const run = runner.run.bind(runner);
  runner.run = (done, opts = {}) =>
    run(done, { ...opts, ...(opts.files ? { files: longestFirst(opts.files) } : {}) });
}

function longestFirst(files: string[]): string[] {
  const rank = (file: string) => {
    const i = LONGEST_FIRST.indexOf(path.relative(repoRoot, file));
    return i < 0 ? LONGEST_FIRST.length : i;
  };
  // Array.prototype.sort is stable: files not listed keep mocha's order.
  return [...files].sort((a, b) => rank(a) - rank(b));
}
