import * as assert from "node:assert/strict";
import * as path from "node:path";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// A stack that declared the dynamic resources and now declares the provider plugin's must never
// buy its orders again (docs/yaml-and-other-languages.md "Moving a stack to the provider plugin"). One stack of
// tests/fixtures/plugin-migration, step by step; the emulator counts what could cost money.
describe("moving a stack from the dynamic resources to the provider plugin never buys again", function () {
  const suite = engineSuite();
  const emu = suite.emu;
  let temp: EngineStack;
  const money = () => ({
    orders: emu.orderRequests().filter((r) => r.method === "POST").length,
    unsubscriptions: emu.requests().filter((r) => r.path.endsWith("/resources/unsubscribe")).length,
  });
  const heldOrders = async () =>
    Object.fromEntries(
      (await temp.state()).orders.map((r) => [r.name, { type: r.type, orderId: r.outputs["orderId"] }]),
    );

  before(async function () {
    // The plugin reads Huawei's provider's settings in its own namespace; the dynamic resources
    // read them in `huaweicloud:`. The stack has both, as a stack in the middle of its move does.
    const shared = emu.stackConfig("token");
    const inOwnNamespace = Object.fromEntries(
      Object.entries(shared)
        .filter(([key]) => key.startsWith("huaweicloud:"))
        .map(([key, v]) => [key.replace(/^huaweicloud:/, "huaweicloud-orders:"), v]),
    );
    temp = await suite.stack("plugin-migration", {
      // The engine finds the plugin on PATH (a program may name its folder instead: README).
      env: { PATH: `${path.resolve("bin")}${path.delimiter}${process.env["PATH"] ?? ""}` },
      config: { mode: "dynamic", projectId: emu.projectId },
    });
    await temp.stack.setAllConfig(inOwnNamespace);
  });

  it("the dynamic resources place one order each", async function () {
    await temp.up();
    assert.deepEqual(money(), { orders: 2, unsubscriptions: 0 });
  });

  it("declared through the plugin without adoptOrderId: refused at preview, naming the order and the steps", async function () {
    const { dis, metastudio } = emu.oneOrderOfEach();
    const held: Record<string, string> = { dis: dis.orderId, metastudio: metastudio.orderId };
    await temp.configure({ mode: "plugin" });
    const attempt = await temp.attempt("preview");
    assert.equal(attempt.ok, false, "the preview must fail");
    // The engine stops at the first resource refused; either may be first.
    const refused = /adoptOrderId .*holds (\w+) '(\w+)' as a dynamic resource with order (\w+);/.exec(
      attempt.text,
    );
    assert.ok(refused, attempt.text);
    const [, kind, name, orderId] = refused;
    assert.equal(orderId, held[name ?? ""]);
    assert.ok(attempt.text.includes(`set adoptOrderId: "${orderId}"`));
    const urn = `urn:pulumi:test::plugin-migration::pulumi-nodejs:dynamic/huaweicloud:${kind}::${name}`;
    assert.ok(attempt.text.includes(`aliases: ["${urn}"]`));
    assert.ok(attempt.text.includes(`pulumi state delete '${urn}'`));
    assert.deepEqual(money(), { orders: 2, unsubscriptions: 0 });
  });

  it("an alias or adoptOrderId moves each order to the plugin's resource: nothing bought, nothing unsubscribed, no credential in the clear", async function () {
    const { dis, metastudio } = emu.oneOrderOfEach();
    // The DIS order by alias (the engine moves the resource), the MetaStudio one by adoption.
    await temp.configure({ alias: ["dis"], adopt: { metastudio: metastudio.orderId } });
    await temp.up();
    assert.deepEqual(money(), { orders: 2, unsubscriptions: 0 });
    assert.deepEqual(await heldOrders(), {
      dis: { type: "huaweicloud-orders:index:DisPackageOrder", orderId: dis.orderId },
      metastudio: { type: "huaweicloud-orders:index:MetaStudioSubscription", orderId: metastudio.orderId },
    });
    const again = await temp.attempt("up");
    assert.ok(again.ok, again.text);
    assert.equal(again.changes?.["same"], 3, "a second up changes nothing, the moved resources included");
    assert.deepEqual(money(), { orders: 2, unsubscriptions: 0 });
    // The plugin's refresh and destroy: tests/engine/yaml-program.test.ts.
    // The state as the backend holds it: the plugin's provider records the config's secrets encrypted.
    const exported = JSON.stringify(await temp.state());
    for (const secret of emu.secrets("token"))
      assert.ok(!exported.includes(secret), "no credential in the clear");
  });
});
