import * as assert from "node:assert/strict";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// The real engine, a dynamic resource and @pulumi/command's local.Command, offline, end to end: a
// TypeScript program, run by the language host through ts-node as a user's is (the other fixtures
// run transpiled).
describe("the Pulumi engine runs a full lifecycle on this machine", function () {
  const suite = engineSuite({ emulator: false });
  let temp: EngineStack;

  before(async function () {
    temp = await suite.stack("engine-smoke", { transpile: false, config: { message: "orders" } });
  });

  it("preview plans to create the stack, the dynamic resource and the command", async function () {
    const preview = await temp.preview();
    assert.deepEqual(preview.changeSummary, { create: 3 });
  });

  it("up creates them and exports their outputs", async function () {
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.equal(up.outputs["echoId"]?.value, "echo-orders");
    assert.equal(up.outputs["echoLength"]?.value, 6);
    assert.equal(up.outputs["shouted"]?.value, "ORDERS");
  });

  it("a second up changes nothing", async function () {
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 3 });
  });

  it("refresh changes nothing", async function () {
    const refresh = await temp.refresh();
    assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
  });

  it("destroy deletes everything and leaves no outputs", async function () {
    const destroy = await temp.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.deepEqual(await temp.stack.outputs(), {});
  });
});
