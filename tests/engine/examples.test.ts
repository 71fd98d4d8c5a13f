import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { emulatorHarness, type Harness } from "../support/emulator-harness";
import { stackFromProgram, type TempStack } from "../support/engine";

// Each example as its README runs it: its committed `emulator` stack (Pulumi.emulator.yaml, the
// password a passphrase-encrypted secret), with the emulator's fixed port swapped for this run's.
describe("the examples, on their emulator stacks", function () {
  let emu: Harness;
  before(async function () {
    emu = await emulatorHarness();
  });
  after(async function () {
    await emu?.stop();
  });

  async function exampleStack(name: string): Promise<TempStack> {
    emu.reset();
    return stackFromProgram(path.join("examples", name), "emulator", (yaml) =>
      yaml.replaceAll("http://127.0.0.1:8080", emu.url),
    );
  }

  const cases: [string, { dis: number; metastudio: number }][] = [
    ["dis-package-order", { dis: 1, metastudio: 0 }],
    ["metastudio-subscription", { dis: 0, metastudio: 1 }],
  ];
  for (const [name, expected] of cases) {
    it(`${name}: preview orders nothing, up orders once, destroy warns`, async function () {
      const temp = await exampleStack(name);
      try {
        await temp.stack.preview();
        assert.equal(emu.orderRequests().length, 0);
        const up = await temp.stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(emu.orders("dis").length, expected.dis);
        assert.equal(emu.orders("metastudio").length, expected.metastudio);
        assert.equal(up.outputs["orderId"]?.value, emu.orders()[0]?.orderId);
        let output = "";
        await temp.stack.destroy({ onOutput: (line) => void (output += line) });
        assert.match(output, /still exists in Huawei Cloud/);
        assert.ok(!output.includes("emulator-demo-password"));
      } finally {
        await temp.dispose();
      }
    });
  }

  it("pipeline: both orders from stack config, and a manifest of them from local.Command", async function () {
    const temp = await exampleStack("pipeline");
    try {
      const up = await temp.stack.up();
      assert.equal(up.summary.result, "succeeded");
      assert.equal(emu.orders("dis").length, 1);
      assert.equal(emu.orders("metastudio").length, 1);
      const manifest = JSON.parse(
        await fs.readFile(path.join(temp.dir, "program", "order-manifest.json"), "utf8"),
      ) as { stack: string; orders: { name: string; kind: string; orderId: string }[] };
      assert.equal(manifest.stack, "emulator");
      assert.deepEqual(
        manifest.orders.map((o) => [o.name, o.kind, o.orderId]),
        [
          ["partition-hours", "DisPackageOrder", "CS2511071586MU"],
          ["avatar-channels", "MetaStudioSubscription", emu.orders("metastudio")[0]?.orderId],
        ],
      );
      const again = await temp.stack.up();
      assert.deepEqual(again.summary.resourceChanges, { same: 4 });

      // Renamed with its former name as an alias: the order is kept, nothing is bought.
      const config = await temp.stack.getAllConfig();
      const subscriptions = JSON.parse(
        config["orders-pipeline:metastudioSubscriptions"]?.value ?? "{}",
      ) as Record<string, unknown>;
      await temp.stack.setAllConfig({
        metastudioSubscriptions: {
          value: JSON.stringify({ "avatar-channels-eu": subscriptions["avatar-channels"] }),
        },
        formerNames: { value: JSON.stringify({ "avatar-channels-eu": ["avatar-channels"] }) },
      });
      await temp.stack.up();
      assert.equal(emu.orders().length, 2, "the rename bought nothing");

      // Protected orders: destroy fails, and abandons nothing, until protection is lifted.
      await assert.rejects(temp.stack.destroy(), /protected/);
      await temp.stack.setConfig("protectOrders", { value: "false" });
      await temp.stack.up();
      await temp.stack.destroy();
      await assert.rejects(fs.access(path.join(temp.dir, "program", "order-manifest.json")));
    } finally {
      await temp.dispose();
    }
  });
});
