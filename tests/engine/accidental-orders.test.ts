import * as assert from "node:assert/strict";
import type { Deployment } from "@pulumi/pulumi/automation";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// Ordinary edits that must never buy an order by accident, through the real engine against the
// emulator. Each refusal happens at preview, names the resource and what to change, and the
// emulator counts no order request.
describe("never buy by accident", function () {
  const suite = engineSuite();
  const emu = suite.emu;

  interface Declared {
    kind: "dis" | "metastudio";
    name: string;
    args: unknown;
    aliases?: string[];
  }
  const product = {
    periodType: 2,
    periodNum: 1,
    subscriptionNum: 1,
    resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
  };

  /** A stack of tests/fixtures/raw-orders declaring `resources`, with token credentials. */
  const rawStack = (resources: Declared[], config: Record<string, string> = {}): Promise<EngineStack> =>
    suite.stack("raw-orders", { config: { ...config, resources } });
  const declare = (temp: EngineStack, resources: Declared[]) => temp.configure({ resources });

  /** The preview's output, or its error's message when it fails. */
  const preview = (temp: EngineStack) => temp.attempt("preview");

  describe("a DIS order id is one order", function () {
    it("changing a field while orderId stays is refused at preview, naming the resource and the field", async function () {
      emu.reset();
      const dis = (periodNum: number, orderId = "CS1000000001"): Declared => ({
        kind: "dis",
        name: "pkg",
        args: { orderId, cloudServices: { periodNum } },
      });
      const temp = await rawStack([dis(1)]);
      await temp.up();
      assert.equal(emu.orders("dis").length, 1);
      const before = emu.orderRequests().length;

      await declare(temp, [dis(2)]);
      const refused = await preview(temp);
      assert.equal(refused.ok, false);
      assert.match(
        refused.text,
        /DisPackageOrder 'pkg': cloudServices changed, but orderId is still CS1000000001.*a different order needs a different orderId/,
      );
      assert.equal(emu.orderRequests().length, before, "no order request after the refused edit");

      // With the new order's id, the change is a replacement: one new order, announced at preview.
      await declare(temp, [dis(2, "CS1000000002")]);
      const replacing = await preview(temp);
      assert.deepEqual(replacing.changes, { replace: 1, same: 1 });
      assert.match(
        replacing.text,
        /DisPackageOrder 'pkg': changing orderId, cloudServices replaces it: places a new paid order and abandons order CS1000000001, which stays billed/,
      );
      await temp.up();
      assert.deepEqual(
        emu.orders("dis").map((o) => o.orderId),
        ["CS1000000001", "CS1000000002"],
      );
    });
  });

  describe("diff compares what the program declared", function () {
    /** Rewrites each order resource of the stack's state with `edit`, as another release might have written it. */
    async function rewriteState(temp: EngineStack, edit: (r: { inputs: Props; outputs: Props }) => void) {
      const state = await temp.stack.exportStack();
      const deployment = state.deployment as { resources: { type: string; inputs: Props; outputs: Props }[] };
      for (const r of deployment.resources) {
        if (r.type.startsWith("pulumi-nodejs:dynamic/huaweicloud:")) edit(r);
      }
      await temp.stack.importStack(state as Deployment);
    }
    type Props = Record<string, unknown>;
    const oldDefault = (props: Props) => {
      const cs = props["cloudServices"] as { productInfos: Props };
      cs.productInfos = { ...cs.productInfos, resourceType: "hws.service.type.dis" };
    };

    it("state written with other defaults, or by release 0.1.0, previews as no change; up orders nothing", async function () {
      emu.reset();
      const temp = await rawStack([
        { kind: "dis", name: "pkg", args: { orderId: "CS2000000001", cloudServices: { periodNum: 2 } } },
      ]);
      await temp.up();
      // As a release with another default for productInfos.resourceType wrote it.
      await rewriteState(temp, (r) => oldDefault(r.outputs));
      const p = await preview(temp);
      assert.deepEqual(p.changes, { same: 2 }, p.text);
      const before = suite.counts();
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { same: 2 });
      assert.equal(suite.countsSince(before).all, 0);
      // As release 0.1.0 wrote it: defaults recorded as inputs, no declaration.
      await rewriteState(temp, (r) => {
        delete r.outputs["declaredInputs"];
        oldDefault(r.outputs);
        const {
          requestId: _r,
          submittedAt: _s,
          region: _g,
          projectId: _p,
          adopted: _a,
          ...effective
        } = r.outputs;
        r.inputs = { ...effective, __provider: r.inputs["__provider"] };
      });
      const legacy = await preview(temp);
      assert.deepEqual(legacy.changes, { same: 2 }, legacy.text);
    });
  });

  describe("renames and moves", function () {
    it("a rename without aliases is announced as a new paid order; with aliases nothing changes", async function () {
      emu.reset();
      const avatar = (name: string, aliases?: string[]): Declared => ({
        kind: "metastudio",
        name,
        args: { cloudServices: [product] },
        ...(aliases ? { aliases } : {}),
      });
      const temp = await rawStack([avatar("avatar")]);
      await temp.up();
      assert.equal(emu.orders().length, 1);

      await declare(temp, [avatar("avatar2")]);
      const renamed = await preview(temp);
      assert.deepEqual(renamed.changes, { create: 1, delete: 1, same: 1 });
      assert.match(
        renamed.text,
        /MetaStudioSubscription 'avatar2': places a new paid order\. If this resource was renamed or moved, give it `aliases`/,
      );

      await declare(temp, [avatar("avatar2", ["avatar"])]);
      const aliased = await preview(temp);
      assert.deepEqual(aliased.changes, { same: 2 }, aliased.text);
      assert.doesNotMatch(aliased.text, /places a new paid order/);
      assert.equal(emu.orders().length, 1, "the alias keeps the one order");
    });

    it("huaweicloud-orders:maxNewOrders fails the preview over budget, naming the count, the limit and the resources", async function () {
      emu.reset();
      const temp = await rawStack(
        [
          { kind: "metastudio", name: "a", args: { cloudServices: [product] } },
          { kind: "dis", name: "b", args: { orderId: "CS3000000001" } },
        ],
        { "huaweicloud-orders:maxNewOrders": "1" },
      );
      const p = await preview(temp);
      assert.equal(p.ok, false);
      assert.match(
        p.text,
        /this update would place 2 new paid orders, more than huaweicloud-orders:maxNewOrders \(1\): (MetaStudioSubscription 'a', DisPackageOrder 'b'|DisPackageOrder 'b', MetaStudioSubscription 'a')/,
      );
      assert.equal(emu.requestsBesidesPreviewReads().length, 0, "nothing but BSS reads was sent");

      // Within budget, the same stack orders; a replacement counts against the budget too.
      await temp.configure({ "huaweicloud-orders:maxNewOrders": "2" });
      await temp.up();
      assert.equal(emu.orders().length, 2);
      await temp.configure({
        "huaweicloud-orders:maxNewOrders": "0",
        resources: [
          { kind: "metastudio", name: "a", args: { cloudServices: [{ ...product, periodNum: 2 }] } },
          { kind: "dis", name: "b", args: { orderId: "CS3000000001" } },
        ],
      });
      const replacing = await preview(temp);
      assert.match(
        replacing.text,
        /would place 1 new paid order, more than huaweicloud-orders:maxNewOrders \(0\): MetaStudioSubscription 'a'/,
      );
      assert.equal(emu.orders().length, 2);
    });
  });

  it("a subscription of several items says at preview which items a replacement buys again", async function () {
    emu.reset();
    const oneOff = { ...product, periodType: 6, resourceSpecCode: "spec.one-off" };
    const items = (monthly: number) => [{ ...product, periodNum: monthly }, oneOff];
    const temp = await rawStack([{ kind: "metastudio", name: "avatars", args: { cloudServices: items(1) } }]);
    await temp.up();
    await declare(temp, [{ kind: "metastudio", name: "avatars", args: { cloudServices: items(3) } }]);
    const p = await preview(temp);
    assert.deepEqual(p.changes, { replace: 1, same: 1 });
    assert.match(
      p.text,
      /The new order buys every item of cloudServices again: \[0\] hws\.resource\.type\.metastudio\.modeling\.avatarlive\.channel × 1, 3 months \(changed\); \[1\] spec\.one-off × 1, one-off \(unchanged, bought again\)\. One-off items cannot be returned\. To change items independently, declare one MetaStudioSubscription per item\./,
    );
  });

  it("arguments named like outputs fail the preview as fields the resource does not have", async function () {
    emu.reset();
    // Two ways in: an output placeholder (projectId, region, requestId, submittedAt, adopted; the
    // unit tests try each) and the resource's name (resourceName). One per preview: the engine
    // stops at the first resource that fails check.
    const misnamed = (field: string): Declared[] => [
      { kind: "dis", name: "r", args: { orderId: "CS4000000001", [field]: "x" } },
    ];
    const temp = await rawStack(misnamed("projectId"));
    for (const field of ["projectId", "resourceName"]) {
      await declare(temp, misnamed(field));
      const p = await preview(temp);
      assert.equal(p.ok, false, field);
      assert.match(p.text, new RegExp(`property ${field} value .* is not a field of this resource`), field);
    }
    assert.equal(emu.requests().length, 0);
  });

  it("one program, three stacks in one account: dev, then staging and prod at the same time, each orders its one subscription; an identical order of another stack is no leftover", async function () {
    emu.reset();
    const subscription = { orders: { avatar: { kind: "metastudio", subscriptionNum: 7 } } };
    const stage = (stackName: string) => suite.stack("lifecycle", { stackName, config: subscription });
    const [dev, staging, prod] = await Promise.all([stage("dev"), stage("staging"), stage("prod")]);
    const bssLooks = () =>
      emu.requests().filter((r) => r.service === "bss" && r.path.startsWith("/v2/orders/customer-orders"))
        .length;
    assert.deepEqual((await dev.up()).summary.resourceChanges, { create: 2 });
    const [s, p] = await Promise.all([staging.up(), prod.up()]);
    assert.deepEqual([s.summary.resourceChanges, p.summary.resourceChanges], [{ create: 2 }, { create: 2 }]);
    const ids = await Promise.all(
      [dev, staging, prod].map(async (t) => (await t.state()).resource("avatar").id),
    );
    const placed = emu.orders("metastudio").map((o) => o.orderId);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual([...placed].sort(), [...ids].sort() as string[], "one order per stack, each its own");
    assert.equal(emu.orderRequests().filter((r) => r.method === "POST").length, 3);
    assert.equal(bssLooks(), 0, "no stack looked at the account's orders: none has an interrupted create");
    for (const t of [dev, staging, prod]) assert.doesNotMatch(t.output(), /BSS shows|Nothing was ordered/);
  });
});
