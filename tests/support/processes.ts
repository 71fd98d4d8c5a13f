// The processes a test starts, read from /proc (Linux): to end a killed engine's whole tree (the
// CLI starts each plugin in a process group of its own, so killing the CLI's group is not
// enough), and to find what a test run left behind.
import * as fs from "node:fs";

/**
 * Set in this process's environment when the test run starts; every process the run starts
 * inherits it (engines, language hosts, providers and their children), so a leftover can be told
 * from processes of other runs on the same machine.
 */
export const TEST_RUN_MARKER = "PHCO_TEST_RUN";

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(ppid), state: state ?? "?" };
  } catch {
    return undefined; // gone meanwhile
  }
}

function allProcesses(): ProcessInfo[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined);
}

/** `pid` and every live process below it. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of allProcesses()) {
    if (p.state === "Z") continue;
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function isRunning(pid: number): boolean {
  const p = readProcess(pid);
  return p !== undefined && p.state !== "Z";
}

/**
 * Kills `pid` and everything it started, as a crash or a lost CI runner would: the tree is
 * stopped first (so nothing in it can start another process or notice the others dying), read
 * again until it no longer grows, then killed at once.
 */
export function killTree(pid: number): number[] {
  let tree: number[] = [];
  for (;;) {
    const found = processTree(pid).filter((p) => isRunning(p));
    const fresh = found.filter((p) => !tree.includes(p));
    if (fresh.length === 0) break;
    for (const p of fresh) signal(p, "SIGSTOP");
    tree = [...tree, ...fresh];
  }
  for (const p of tree) signal(p, "SIGKILL");
  return tree;
}

/** Live processes, other than this one, whose environment carries `marker`=`value`. */
export function processesMarked(marker: string, value: string): { pid: number; command: string }[] {
  const needle = Buffer.from(`\0${marker}=${value}\0`);
  const found: { pid: number; command: string }[] = [];
  for (const p of allProcesses()) {
    if (p.pid === process.pid || p.state === "Z") continue;
    try {
      const environ = Buffer.concat([Buffer.from("\0"), fs.readFileSync(`/proc/${p.pid}/environ`)]);
      if (!environ.includes(needle)) continue;
      const command = fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid: p.pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Resolves once none of `pids` runs, or with those still running after `ms`. */
export async function waitForExit(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() >= deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
