import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { DEMO_ACCOUNT } from "../../emulator";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// Each example as its README runs it: its committed `emulator` stack (Pulumi.emulator.yaml, the
// password a passphrase-encrypted secret), with the emulator's fixed port swapped for this run's.
describe("the examples, on their emulator stacks", function () {
  const suite = engineSuite();
  const emu = suite.emu;

  /** The example's committed `emulator` stack, as it is but for the emulator's port. */
  function exampleStack(name: string): Promise<EngineStack> {
    emu.reset();
    return suite.program(path.join("examples", name), {
      stackName: "emulator",
      credentials: "none",
      editConfig: (yaml) => yaml.replaceAll("http://127.0.0.1:8080", emu.url),
    });
  }

  /** What the emulator received, as "service METHOD path", sorted: what the READMEs say a preview sends. */
  const sent = () =>
    emu
      .requests()
      .map((r) => `${r.service} ${r.method} ${r.path}`)
      .sort();
  const TOKEN = "iam POST /v3/auth/tokens";
  const PRICE = "bss POST /v2/bills/ratings/period-resources/subscribe-rate";
  const SERVICE_TYPES = "bss GET /v2/products/service-types";

  const cases: [string, { dis: number; metastudio: number; preview: string[]; priced: RegExp }][] = [
    [
      "dis-package-order",
      {
        dis: 1,
        metastudio: 0,
        preview: [PRICE, TOKEN],
        priced: /DisPackageOrder 'partition-hours': price of the new order: \d+\.\d\d CNY/,
      },
    ],
    [
      "metastudio-subscription",
      {
        dis: 0,
        metastudio: 1,
        preview: [SERVICE_TYPES, PRICE, TOKEN],
        priced: /MetaStudioSubscription 'avatar-channels': price of the new order: \d+\.\d\d CNY/,
      },
    ],
  ];
  for (const [name, expected] of cases) {
    it(`${name}: preview prices it and orders nothing, up orders once, destroy warns`, async function () {
      const temp = await exampleStack(name);
      await temp.preview();
      assert.deepEqual(sent(), expected.preview, "what the example's README says a preview sends");
      assert.equal(emu.projectTokenRequests().length, 0, "a domain-scoped token, for BSS");
      assert.match(temp.output(), expected.priced);
      const up = await temp.up();
      assert.equal(up.summary.result, "succeeded");
      assert.equal(emu.orders("dis").length, expected.dis);
      assert.equal(emu.orders("metastudio").length, expected.metastudio);
      assert.equal(up.outputs["orderId"]?.value, emu.orders()[0]?.orderId);
      const destroy = await temp.destroy();
      assert.match(destroy.stdout, /still exists in Huawei Cloud/);
      assert.ok(!temp.output().includes("emulator-demo-password"));
    });
  }

  it("pipeline: both orders from stack config, and a manifest of them from local.Command", async function () {
    const temp = await exampleStack("pipeline");
    await temp.preview();
    assert.deepEqual(
      sent(),
      [SERVICE_TYPES, PRICE, PRICE, TOKEN],
      "what the example's README says a preview sends",
    );
    assert.match(temp.output(), /DisPackageOrder 'partition-hours': price of the new order/);
    assert.match(temp.output(), /MetaStudioSubscription 'avatar-channels': price of the new order/);
    const up = await temp.up();
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
    const again = await temp.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 4 });

    // Renamed with its former name as an alias: the order is kept, nothing is bought.
    const config = await temp.stack.getAllConfig();
    const subscriptions = JSON.parse(
      config["orders-pipeline:metastudioSubscriptions"]?.value ?? "{}",
    ) as Record<string, unknown>;
    await temp.configure({
      metastudioSubscriptions: { "avatar-channels-eu": subscriptions["avatar-channels"] },
      formerNames: { "avatar-channels-eu": ["avatar-channels"] },
    });
    await temp.up();
    assert.equal(emu.orders().length, 2, "the rename bought nothing");

    // Protected orders: destroy fails, and abandons nothing, until protection is lifted.
    await assert.rejects(temp.destroy(), /protected/);
    await temp.configure({ protectOrders: "false" });
    await temp.up();
    await temp.destroy();
    await assert.rejects(fs.access(path.join(temp.dir, "program", "order-manifest.json")));
  });

  // As the README promises existing pipelines: no huaweicloud: config at all, only HW_* variables.
  describe("from the environment alone", function () {
    const d = DEMO_ACCOUNT;
    const endpoints = () => ({
      HW_AUTH_URL: emu.url,
      HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
      HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: emu.url,
      HUAWEICLOUD_ORDERS_BSS_ENDPOINT: emu.url,
    });
    // This package's own namespace, as the examples' emulator stacks set it: the emulator completes
    // an order in a second, not in the real 10 s poll interval.
    const quickPolls = { "huaweicloud-orders:orderPollIntervalSeconds": "0.5" };

    it("dis-package-order with a ready token and no project id anywhere: one order, no IAM request", async function () {
      emu.reset();
      const env = { ...endpoints(), HW_REGION_NAME: d.region, HW_AUTH_TOKEN: emu.emulator.issueToken() };
      const temp = await suite.program(path.join("examples", "dis-package-order"), {
        stackName: "env",
        credentials: "none",
        env,
        config: { orderId: "CS2511071586MU", ...quickPolls },
      });
      await temp.preview();
      assert.equal(suite.counts().besidesPreviewReads, 0);
      const up = await temp.up();
      assert.equal(up.summary.result, "succeeded");
      assert.deepEqual(
        emu.orders().map((o) => o.request.path),
        ["/v2/orders/CS2511071586MU"],
      );
      assert.equal(emu.requests().filter((r) => r.service === "iam").length, 0);
      const body = emu.orders()[0]?.request.body as {
        tenantId?: string;
        cloudServices: { regionId?: string };
      };
      assert.equal(body.tenantId, undefined, "no project id was given, so none is sent");
      assert.equal(body.cloudServices.regionId, d.region);
    });

    it("metastudio-subscription with a password and no project id: IAM scopes the token to the region's project", async function () {
      emu.reset();
      const env = {
        ...endpoints(),
        HW_REGION_NAME: d.region,
        HW_USER_NAME: d.userName,
        HW_USER_PASSWORD: d.password,
        HW_DOMAIN_NAME: d.domainName,
      };
      const temp = await suite.program(path.join("examples", "metastudio-subscription"), {
        stackName: "env",
        credentials: "none",
        env,
        config: quickPolls,
      });
      const up = await temp.up();
      assert.equal(up.summary.result, "succeeded");
      assert.deepEqual(
        emu.orders().map((o) => o.request.path),
        [`/v1/${d.projectId}/mss/public/orders`],
      );
    });
  });
});
