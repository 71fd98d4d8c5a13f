import * as assert from "node:assert/strict";
import type { CredentialKind } from "../support/emulator-harness";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// The two resources through the real engine, against the emulator on loopback; orders are
// counted through the emulator's admin API. Each kind of credential is checked end to end, never
// in the state, the backend's files or the output: token with the lifecycle, password with a
// token that lapses in flight, AK/SK on its own.
describe("orders through the real engine", function () {
  const suite = engineSuite();
  const emu = suite.emu;

  /** A fresh stack of tests/fixtures/orders, configured for the emulator with `kind` credentials. */
  const ordersStack = (
    credentials: CredentialKind,
    config: Record<string, string> = {},
  ): Promise<EngineStack> =>
    suite.stack("orders", { credentials, config: { projectId: suite.emu.projectId, ...config } });

  /** The order resources as the state holds them, secrets decrypted (the Automation API's export). */
  async function decryptedOrders(temp: EngineStack): Promise<unknown[]> {
    const { resources } = (await temp.stack.exportStack()).deployment as { resources: { type: string }[] };
    const orders = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/huaweicloud:"));
    assert.equal(orders.length, 2);
    return orders;
  }

  /**
   * None of `kind`'s credentials is in the backend's files, the engine's output or the orders'
   * state. Decrypted (the Automation API exports with --show-secrets), the engine keeps the
   * stack's config, secrets included, as its default provider's inputs; the orders hold none of it.
   */
  function assertNothingLeaks(
    kind: CredentialKind,
    written: { file: string; text: string }[],
    output: string,
    orders: unknown[],
  ): void {
    for (const secret of suite.emu.secrets(kind)) {
      for (const { file, text } of written) {
        assert.ok(!text.includes(secret), `${file} holds a ${kind} credential in the clear`);
      }
      assert.ok(!output.includes(secret), `the engine output contains a ${kind} credential`);
      assert.ok(!JSON.stringify(orders).includes(secret), `an order's state holds a ${kind} credential`);
    }
  }

  describe("the lifecycle of one order of each kind, with token credentials", function () {
    let temp: EngineStack;
    /** What the backend held after the first up, and the orders' decrypted state then. */
    let written: { file: string; text: string }[] = [];
    let ordersAfterUp: unknown[] = [];
    before(async function () {
      emu.reset();
      temp = await ordersStack("token");
    });

    it("a preview places no order", async function () {
      const preview = await temp.preview();
      assert.deepEqual(preview.changeSummary, { create: 3 });
      assert.equal(emu.orderRequests().length, 0);
    });

    it("up places exactly one order per resource, with the wire request the pages document", async function () {
      const up = await temp.up();
      written = await temp.backendFiles();
      ordersAfterUp = await decryptedOrders(temp);
      assert.deepEqual(up.summary.resourceChanges, { create: 3 });
      const { dis, metastudio: ms } = emu.oneOrderOfEach();
      const orders = [dis, ms];
      assert.equal(dis.request.method, "POST");
      assert.equal(dis.request.path, "/v2/orders/CS2511071586MU");
      assert.deepEqual(dis.request.body, {
        cloudServices: {
          chargingMode: 0,
          paymentMode: 0,
          periodType: 2,
          periodNum: 1,
          cloudServiceForm: { cloudservicetype: "hws.service.type.dis", projectid: emu.projectId },
          isAutoRenew: 0,
          isTrial: 0,
          cloudServiceType: "hws.service.type.dis",
          productInfos: {
            productId: "00301-261175-0--0",
            resourceSpecCode: "dis.general.partition.duration.pkg",
            resourceType: "hws.resource.type.dis",
          },
          regionId: "cn-north-4",
          subscriptionNum: 1,
        },
        purchaseMode: 1,
        tenantId: emu.projectId,
      });
      assert.equal(ms.request.path, `/v1/${emu.projectId}/mss/public/orders`);
      assert.deepEqual(ms.request.body, {
        cloud_services: [
          {
            is_auto_pay: 0,
            period_type: 2,
            period_num: 1,
            is_auto_renew: 0,
            subscription_num: 1,
            resource_spec_code: "hws.resource.type.metastudio.modeling.avatarlive.channel",
          },
        ],
      });
      for (const o of orders) {
        assert.match(String(o.request.headers["content-type"]), /^application\/json/);
        assert.match(String(o.request.headers["user-agent"]), /^pulumi-huaweicloud-orders\//);
      }
      assert.deepEqual(up.outputs["disOrderIds"]?.value, ["CS2511071586MU"]);
      assert.deepEqual(up.outputs["metastudioOrderIds"]?.value, [ms.orderId]);
    });

    it("a second up sends no request", async function () {
      const before = suite.counts();
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { same: 3 });
      assert.equal(suite.countsSince(before).all, 0);
    });

    it("refresh reads each order through BSS, and orders, pays and unsubscribes nothing", async function () {
      const before = emu.requests();
      const refresh = await temp.refresh();
      // The orders wait for payment: refresh records their status and amounts (outputs only,
      // which this engine's summary counts as "same").
      assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
      const sent = emu.requests().slice(before.length);
      assert.deepEqual(
        sent.map((r) => `${r.service} ${r.method} ${r.path.replace(/[^/]+$/, "{id}")}`),
        [0, 1].map(() => "bss GET /v2/orders/customer-orders/details/{id}"),
      );
    });

    it("changing periodNum (and the DIS order id) places one new order per resource and warns about the old ones", async function () {
      // periodNum, and a DIS order id: it names one order, so a different order needs a different id.
      await temp.configure({ periodNum: "2", disOrderPrefix: "CS2511071586MV" });
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { replace: 2, same: 1 });
      assert.equal(emu.orders().length, 4);
      assert.match(up.stdout, /DisPackageOrder 'dis': order CS2511071586MU .* still exists in Huawei Cloud/);
      assert.match(
        up.stdout,
        /MetaStudioSubscription 'metastudio': order \S+ .* still exists in Huawei Cloud/,
      );
    });

    it("destroy leaves the orders in place and says so", async function () {
      const destroy = await temp.destroy();
      assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
      assert.equal(emu.orders().length, 4);
      assert.match(destroy.stdout, /was removed from the stack, but the order still exists in Huawei Cloud/);
      assert.match(destroy.stdout, /unsubscribe/);
    });

    it("the token never reaches the state, the backend's files or the output of any run", async function () {
      assert.ok(written.length > 0 && ordersAfterUp.length === 2, "the up test recorded what was written");
      assertNothingLeaks("token", [...written, ...(await temp.backendFiles())], temp.output(), ordersAfterUp);
    });
  });

  describe("validation at preview", function () {
    // One resource per preview (the engine stops at the first resource that fails check); each
    // breaks several documented rules at once, and every one must be named by its property path.
    // Every rule on its own is a unit test of check (tests/orders/check.test.ts); here the engine
    // shows that all of a resource's failures reach the operator and nothing is sent.
    const product = { periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "spec" };
    const cases: [string, { kind: "dis" | "metastudio"; args: unknown }, string[]][] = [
      [
        "DIS: ranges, patterns and types",
        {
          kind: "dis",
          args: {
            orderId: "CS-1",
            purchaseMode: "1",
            tenantId: "",
            cloudServices: {
              periodType: 2,
              periodNum: 10,
              chargingMode: -1,
              paymentMode: 1.5,
              isAutoRenew: 1,
              subscriptionNum: 0,
              cloudServiceForm: { projectId: "p".repeat(65) },
              colour: "red",
            },
          },
        },
        [
          "orderId",
          "purchaseMode",
          "tenantId",
          "cloudServices.periodNum",
          "cloudServices.chargingMode",
          "cloudServices.paymentMode",
          "cloudServices.isAutoRenew",
          "cloudServices.subscriptionNum",
          "cloudServices.cloudServiceForm.projectId",
          "cloudServices.colour",
        ],
      ],
      [
        "MetaStudio: ranges and types",
        {
          kind: "metastudio",
          args: {
            cloudServices: [
              product,
              {
                periodType: 5,
                periodNum: 0,
                subscriptionNum: 2147483648,
                isAutoPay: 1,
                resourceSpecCode: "",
              },
            ],
          },
        },
        [
          "cloudServices[1].periodType",
          "cloudServices[1].periodNum",
          "cloudServices[1].subscriptionNum",
          "cloudServices[1].isAutoPay",
          "cloudServices[1].resourceSpecCode",
        ],
      ],
    ];
    // One stack for every case: each preview sees only the resource its case declares.
    let temp: EngineStack;
    before(async function () {
      temp = await suite.stack("raw-orders", { credentials: "none" });
    });
    for (const [name, resource, paths] of cases) {
      it(`${name}: the preview fails naming ${paths.length} property path(s), and nothing is sent`, async function () {
        emu.reset();
        await temp.stack.setAllConfig({
          ...emu.stackConfig("token"),
          resources: { value: JSON.stringify([{ name: "invalid", ...resource }]) },
        });
        await assert.rejects(temp.preview(), (err: Error) => {
          for (const p of paths) {
            assert.ok(
              err.message.includes(`property ${p} value`),
              `the preview error names ${p}:\n${err.message}`,
            );
          }
          return true;
        });
        assert.equal(emu.requests().length, 0);
      });
    }
  });

  describe("failures on the way", function () {
    it("a throttled API (429 for the first 3 requests) still gets exactly one order per resource", async function () {
      emu.reset();
      emu.throttleNext(3);
      const temp = await ordersStack("token");
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 3 });
      assert.equal(emu.orders().length, 2);
      assert.ok(suite.counts().throttled >= 3);
    });

    it("accept-then-drop: the order is found through BSS and adopted, never sent twice; adoptOrderId records an order placed outside Pulumi and sends nothing", async function () {
      emu.reset();
      // The DIS order was placed outside Pulumi (in real life: in the console) and is adopted.
      const temp = await ordersStack("token", { adoptDisOrder: "CS2511071586MU" });
      emu.dropNextOrder("metastudio");
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 3 });
      const placed = emu.orders("metastudio");
      assert.equal(placed.length, 1);
      const orderId = placed[0]?.orderId ?? "";
      assert.deepEqual(up.outputs["metastudioOrderIds"]?.value, [orderId]);
      assert.equal(emu.orderRequests().filter((r) => r.service === "metastudio").length, 1, "sent once");
      assert.match(
        up.stdout,
        new RegExp(
          `MetaStudioSubscription 'metastudio': BSS shows order ${orderId} .* this resource adopts it`,
        ),
      );
      assert.deepEqual(up.outputs["disOrderIds"]?.value, ["CS2511071586MU"]);
      assert.equal(
        emu.orderRequests().filter((r) => r.service === "dis").length,
        0,
        "adopting sends nothing",
      );
    });

    it("password authentication: a token that expires in flight is fetched again once, the orders succeed, and nothing leaks", async function () {
      emu.reset();
      const temp = await ordersStack("password");
      emu.expireTokenInFlight("metastudio");
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 3 });
      assert.equal(emu.orders().length, 2);
      // Project-scoped tokens, for the orders (the price inquiry's BSS takes a domain-scoped one).
      const iam = emu.projectTokenRequests();
      const lapsed = emu.requests().filter((r) => r.faults?.includes("token-expiry"));
      assert.deepEqual(
        lapsed.map((r) => [r.service, r.status]),
        [["metastudio", 401]],
      );
      assert.equal(iam.length, 2, "one token at start, one more after the 401");
      const written = await temp.backendFiles();
      const orders = await decryptedOrders(temp);
      await temp.destroy();
      assertNothingLeaks("password", written, temp.output(), orders);
    });
  });

  it("25 resources in one stack, run in parallel by the engine, place exactly 25 orders", async function () {
    emu.reset();
    const temp = await ordersStack("token", { disCount: "13", metastudioCount: "12" });
    const up = await temp.up({ parallel: 25 });
    assert.equal(up.summary.resourceChanges?.["create"], 26);
    const orders = emu.orders();
    assert.equal(orders.length, 25);
    assert.equal(new Set(orders.map((o) => o.orderId)).size, 25);
  });

  it("aksk authentication orders both resources and leaks nothing", async function () {
    emu.reset();
    const temp = await ordersStack("aksk");
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.equal(emu.orders().length, 2);
    const written = await temp.backendFiles();
    const orders = await decryptedOrders(temp);
    assertNothingLeaks("aksk", written, temp.output(), orders);
  });
});
