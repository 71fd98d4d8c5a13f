import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { spawnUp } from "../support/engine";
import { engineSuite, type EngineStack } from "../support/engine-suite";
import { isRunning, killTree, processTree, waitForExit } from "../support/processes";

// An engine killed mid-create (a crash, a lost CI runner) leaves its plugins behind: the CLI
// starts each in a process group of its own. The project's language host notices within seconds
// that its engine is gone and exits; what else the run started is ended by the test itself.
describe("a killed engine leaves no process behind", function () {
  const suite = engineSuite();
  let temp: EngineStack;
  before(async function () {
    temp = await suite.stack("orders", { config: { projectId: suite.emu.projectId } });
  });

  const commandOf = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    } catch {
      return "";
    }
  };

  it("the language host exits by itself within 5 s of its engine's SIGKILL; the rest is killed with the tree", async function () {
    const emu = suite.emu.emulator;
    emu.injectFaults({ kind: "latency", ms: 120_000, count: 1, service: "dis" });
    const ordered = emu.nextOrder("dis");
    const cli = spawnUp(temp);
    const first = await Promise.race([ordered.then(() => "ordered"), cli.exited.then(() => "exited")]);
    assert.equal(first, "ordered", `the run ended before its order arrived:\n${cli.output()}`);

    const tree = processTree(cli.pid);
    const host = tree.find((pid) => commandOf(pid).includes("pulumi-language-nodejs"));
    const provider = tree.find((pid) => commandOf(pid).includes("pulumi-resource-pulumi-nodejs"));
    assert.ok(host && provider, `the run's plugins are running: ${tree.map(commandOf).join("\n")}`);
    const rest = tree.filter((pid) => pid !== cli.pid);
    try {
      process.kill(cli.pid, "SIGKILL"); // the engine alone
      await cli.exited;
      assert.deepEqual(await waitForExit([host], 5_000), [], "the language host outlived its engine by 5 s");
    } finally {
      // Pulumi's dynamic-provider host has no such check: it ends with what is left of the tree.
      for (const pid of rest) if (isRunning(pid)) killTree(pid);
      emu.clearFaults();
    }
    assert.deepEqual(await waitForExit(rest, 10_000), [], "processes of the killed run still run");
  });
});
