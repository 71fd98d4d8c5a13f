import type { Deployment } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { providerModule } from "../../sdk/order-resource";
import { stackFromFixture, type TempStack } from "../support/engine";
import { emulatorHarness, type Harness } from "../support/emulator-harness";

interface StateResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

// tests/fixtures/upgrade/orders-stack-0.1.0.json is a stack of tests/fixtures/orders (one order of
// each kind) as version 0.1.0 wrote it, exported after `up`: each resource's `__provider` is the
// serialized closure that version recorded (about 1.9 KB). Sanitized: no credentials (the default
// provider's `huaweicloud:` config removed), no secrets provider, no source paths, fixed times.
describe("a stack written by 0.1.0 (serialized-closure providers) keeps working", function () {
  let emu: Harness;
  let temp: TempStack;
  let orderIds: string[];
  const orderTypes = (resources: StateResource[]) =>
    resources.filter((r) => r.type.includes(":dynamic/huaweicloud:"));

  before(async function () {
    emu = await emulatorHarness();
    temp = await stackFromFixture("orders");
    await temp.stack.setAllConfig({ ...emu.stackConfig("token"), projectId: { value: emu.projectId } });
    const fixture = path.join(__dirname, "..", "fixtures", "upgrade", "orders-stack-0.1.0.json");
    const old = JSON.parse(await fs.readFile(fixture, "utf8")) as Deployment;
    const orders = orderTypes((old.deployment as { resources: StateResource[] }).resources);
    assert.equal(orders.length, 2);
    assert.ok(
      orders.every((r) => String(r.inputs?.["__provider"]).length > 1500),
      "the fixture holds 0.1.0's closures",
    );
    orderIds = orders.map((r) => String(r.outputs?.["orderId"]));
    await temp.stack.importStack(old);
  });
  after(async function () {
    await temp?.dispose();
    await emu?.stop();
  });

  async function recorded(): Promise<StateResource[]> {
    const { deployment } = await temp.stack.exportStack();
    // In the fixture's order (DIS, then MetaStudio), whatever order the engine wrote them in.
    return orderTypes((deployment as { resources: StateResource[] }).resources).sort((a, b) =>
      a.type.localeCompare(b.type),
    );
  }

  it("preview shows no change and places no order", async function () {
    const preview = await temp.stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 });
    assert.equal(emu.requests().length, 0);
  });

  it("up changes nothing, sends nothing, and records the short provider module as the inputs' __provider", async function () {
    const up = await temp.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 3 });
    assert.equal(emu.requests().length, 0);
    const resources = await recorded();
    // The engine keeps an unchanged resource's outputs: 0.1.0's closure stays there until the order is
    // replaced, and destroy (below) runs through it.
    assert.ok(
      resources.every((r) => String(r.outputs?.["__provider"]).startsWith("exports.handler = __f0;")),
    );
    assert.deepEqual(
      resources.map((r) => r.inputs?.["__provider"]),
      [providerModule("DisPackageOrder"), providerModule("MetaStudioSubscription")],
    );
    assert.deepEqual(
      resources.map((r) => r.outputs?.["orderId"]),
      orderIds,
    );
  });

  it("refresh changes nothing and sends no request", async function () {
    const refresh = await temp.stack.refresh();
    assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
    assert.equal(emu.requests().length, 0);
  });

  it("destroy, through 0.1.0's closure, forgets both orders with the warning and sends no request", async function () {
    let output = "";
    const destroy = await temp.stack.destroy({ onOutput: (line) => void (output += line) });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.equal(emu.requests().length, 0);
    assert.match(
      output,
      new RegExp(`DisPackageOrder 'dis': order ${orderIds[0]} .* still exists in Huawei Cloud`),
    );
    assert.match(
      output,
      new RegExp(`MetaStudioSubscription 'metastudio': order ${orderIds[1]} .* still exists`),
    );
  });
});
