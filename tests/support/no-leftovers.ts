// Mocha global fixtures (loaded by .mocharc.json): no process outlives the test command. Every
// process the run starts inherits a marker in its environment; after the last test of every file
// (in parallel mode, once all workers are done), any that still runs fails the run, named with its
// command line, and is killed.
import { randomUUID } from "node:crypto";
import { killTree, processesMarked, TEST_RUN_MARKER, waitForExit } from "./processes";

// Set once by mocha's main process, before it starts any worker: the workers inherit it.
const runId = process.env[TEST_RUN_MARKER] ?? `${process.pid}-${randomUUID()}`;
process.env[TEST_RUN_MARKER] = runId;

/** Plugins end shortly after their engine does: the time they get before they count as left over. */
const GRACE_MS = 10_000;

export async function mochaGlobalTeardown(): Promise<void> {
  const left = processesMarked(TEST_RUN_MARKER, runId);
  const still = await waitForExit(
    left.map((p) => p.pid),
    GRACE_MS,
  );
  if (still.length === 0) return;
  for (const pid of still) killTree(pid);
  const described = left.filter((p) => still.includes(p.pid)).map((p) => `  ${p.pid} ${p.command}`);
  throw new Error(
    `${still.length} process(es) started by the tests still ran ${GRACE_MS / 1000} s after the last test ` +
      `(now killed):\n${described.join("\n")}`,
  );
}
