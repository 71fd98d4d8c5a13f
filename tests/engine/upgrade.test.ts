import type { Deployment } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { providerModule } from "../../sdk/order-resource";
import { engineSuite, type EngineStack, type StateResource } from "../support/engine-suite";

// tests/fixtures/upgrade/orders-stack-0.1.0.json is a stack of tests/fixtures/orders (one order of
// each kind) as version 0.1.0 wrote it, exported after `up`: each resource's `__provider` is the
// serialized closure that version recorded (about 1.9 KB). Sanitized: no credentials (the default
// provider's `huaweicloud:` config removed), no secrets provider, no source paths, fixed times.
describe("a stack written by 0.1.0 (serialized-closure providers) keeps working", function () {
  const suite = engineSuite();
  let temp: EngineStack;
  let orderIds: string[];

  before(async function () {
    temp = await suite.stack("orders", { config: { projectId: suite.emu.projectId } });
    const fixture = path.join(__dirname, "..", "fixtures", "upgrade", "orders-stack-0.1.0.json");
    const old = JSON.parse(await fs.readFile(fixture, "utf8")) as Deployment;
    const orders = (
      old.deployment as { resources: { type: string; inputs?: Props; outputs?: Props }[] }
    ).resources.filter((r) => r.type.includes(":dynamic/huaweicloud:"));
    assert.equal(orders.length, 2);
    assert.ok(
      orders.every((r) => String(r.inputs?.["__provider"]).length > 1500),
      "the fixture holds 0.1.0's closures",
    );
    orderIds = orders.map((r) => String(r.outputs?.["orderId"]));
    await temp.stack.importStack(old);
  });
  type Props = Record<string, unknown>;

  /** The orders in the fixture's order (DIS, then MetaStudio), whatever order the engine wrote them in. */
  async function recorded(): Promise<StateResource[]> {
    return (await temp.state()).orders.sort((a, b) => a.type.localeCompare(b.type));
  }

  it("preview shows no change and places no order", async function () {
    const preview = await temp.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 });
    assert.equal(suite.counts().all, 0);
  });

  it("up changes nothing, sends nothing, and records the short provider module as the inputs' __provider", async function () {
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 3 });
    assert.equal(suite.counts().all, 0);
    const resources = await recorded();
    // The engine keeps an unchanged resource's outputs: 0.1.0's closure stays there until the order is
    // replaced, and destroy (below) runs through it.
    assert.ok(resources.every((r) => String(r.outputs["__provider"]).startsWith("exports.handler = __f0;")));
    assert.deepEqual(
      resources.map((r) => r.inputs["__provider"]),
      [providerModule("DisPackageOrder"), providerModule("MetaStudioSubscription")],
    );
    assert.deepEqual(
      resources.map((r) => r.outputs.orderId),
      orderIds,
    );
  });

  it("refresh changes nothing and sends no request", async function () {
    const refresh = await temp.refresh();
    assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
    assert.equal(suite.counts().all, 0);
  });

  it("destroy, through 0.1.0's closure, forgets both orders with the warning and sends no request", async function () {
    temp.clearOutput();
    const destroy = await temp.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.equal(suite.counts().all, 0);
    assert.match(
      temp.output(),
      new RegExp(`DisPackageOrder 'dis': order ${orderIds[0]} .* still exists in Huawei Cloud`),
    );
    assert.match(
      temp.output(),
      new RegExp(`MetaStudioSubscription 'metastudio': order ${orderIds[1]} .* still exists`),
    );
  });
});

// tests/fixtures/upgrade/lifecycle-stack-before-redesign.json is a stack of tests/fixtures/lifecycle
// as the release before the lifecycle redesign (commit 863e1ce) wrote it, exported after an `up`
// that followed both orders to "provisioned" (the DIS one paid through BSS with autoPay, the
// MetaStudio one paying itself, onDestroy "unsubscribe"). Sanitized as above. It records no
// `orderState`: the provider reads it as the outputs say (reached, provisioned, nothing pending).
describe("a stack written before the lifecycle redesign previews and updates with no change", function () {
  const suite = engineSuite();
  let temp: EngineStack;
  let recordedBefore: StateResource[];
  const orders = {
    dis: {
      kind: "dis",
      orderId: "CS2511071586LC",
      autoPay: true,
      waitUntil: "provisioned",
      onDestroy: "keep",
    },
    metastudio: { kind: "metastudio", isAutoPay: true, waitUntil: "provisioned", onDestroy: "unsubscribe" },
  };

  /** In one order, whatever order the engine wrote them in. */
  const byType = async () => (await temp.state()).orders.sort((a, b) => a.type.localeCompare(b.type));

  before(async function () {
    temp = await suite.stack("lifecycle", {
      config: { orders, "huaweicloud-orders:orderPollIntervalSeconds": "0.1" },
    });
    const fixture = path.join(__dirname, "..", "fixtures", "upgrade", "lifecycle-stack-before-redesign.json");
    await temp.stack.importStack(JSON.parse(await fs.readFile(fixture, "utf8")) as Deployment);
    recordedBefore = await byType();
    assert.equal(recordedBefore.length, 2);
    assert.ok(
      recordedBefore.every((r) => r.outputs.orderStage === "provisioned" && !("orderState" in r.outputs)),
    );
  });

  it("preview shows no change and sends nothing; up changes nothing, sends nothing and keeps every output", async function () {
    const preview = await temp.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 });
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 3 });
    assert.equal(suite.counts().all, 0, "no request: nothing priced, ordered, paid or read");
    const after = await byType();
    assert.deepEqual(
      after.map((r) => r.outputs),
      recordedBefore.map((r) => r.outputs),
    );
  });
});
