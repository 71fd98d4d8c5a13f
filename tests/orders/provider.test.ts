import * as assert from "node:assert/strict";
import { OrderProvider, ORDER_KINDS } from "../../provider";

const dis = () => new OrderProvider(ORDER_KINDS.DisPackageOrder);

async function checked(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await dis().check({}, inputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs as Record<string, unknown>;
}

describe("the order provider's lifecycle rules", function () {
  it("check fills the page's defaults and keeps the resource name and connection beside the order", async function () {
    const inputs = await checked({
      orderId: "CS1",
      resourceName: "r",
      connection: { region: "cn-north-4" },
      __provider: "x",
    });
    assert.equal((inputs["cloudServices"] as Record<string, unknown>)["periodType"], 2);
    assert.equal(inputs["purchaseMode"], 1);
    assert.equal(inputs["resourceName"], "r");
    assert.deepEqual(inputs["connection"], { region: "cn-north-4" });
  });

  it("check reports failures by property path and sends nothing", async function () {
    const result = await dis().check({}, { orderId: "CS-1", cloudServices: { periodNum: 12 } });
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      ["orderId", "cloudServices.periodNum"],
    );
  });

  describe("diff", function () {
    it("reports nothing when the order is unchanged", async function () {
      const olds = {
        ...(await checked({ orderId: "CS1" })),
        requestId: "r1",
        submittedAt: "t",
        region: "x",
        projectId: "p",
      };
      assert.deepEqual(await dis().diff("CS1", olds, await checked({ orderId: "CS1" })), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("replaces on any change to what defines the order", async function () {
      const olds = await checked({ orderId: "CS1", cloudServices: { periodNum: 1 } });
      const news = await checked({ orderId: "CS1", cloudServices: { periodNum: 2 } });
      assert.deepEqual(await dis().diff("CS1", olds, news), {
        changes: true,
        replaces: ["cloudServices"],
        deleteBeforeReplace: false,
      });
    });

    it("sees no change in credentials, endpoints, retries or timeouts", async function () {
      const olds = await checked({ orderId: "CS1", connection: { authToken: "a", maxRetries: 1 } });
      const news = await checked({
        orderId: "CS1",
        connection: { authToken: "b", disEndpoint: "https://x", maxRetries: 9 },
        resourceName: "renamed",
      });
      assert.equal((await dis().diff("CS1", olds, news)).changes, false);
    });

    it("sees no change when adoptOrderId is added or removed later", async function () {
      const olds = await checked({ orderId: "CS9" });
      const news = await checked({ orderId: "CS9", adoptOrderId: "CS9" });
      assert.equal((await dis().diff("CS9", olds, news)).changes, false);
      assert.equal((await dis().diff("CS9", news, olds)).changes, false);
    });
  });

  describe("adoptOrderId", function () {
    it("create records the existing order with the program's parameters and sends nothing", async function () {
      const inputs = await checked({ orderId: "CS9", adoptOrderId: "CS9", resourceName: "r" });
      // No credentials and no endpoint anywhere: a request would fail, so none can have been sent.
      const created = await dis().create(inputs);
      assert.equal(created.id, "CS9");
      assert.equal(created.outs?.["adopted"], true);
      assert.equal(created.outs?.["requestId"], null);
      assert.equal(created.outs?.["submittedAt"], null);
      assert.equal((created.outs?.["cloudServices"] as Record<string, unknown>)["periodType"], 2);
    });

    it("check refuses a change to the order while adoptOrderId still names the order held", async function () {
      const olds = await checked({ orderId: "CS9", adoptOrderId: "CS9" });
      const news = { orderId: "CS9", adoptOrderId: "CS9", cloudServices: { periodNum: 2 } };
      const result = await dis().check(olds, news);
      assert.match(
        result.failures?.[0]?.reason ?? "",
        /still names order CS9.*cloudServices.*remove adoptOrderId/,
      );
      assert.deepEqual(
        (await dis().check(olds, { orderId: "CS9", cloudServices: { periodNum: 2 } })).failures,
        undefined,
      );
    });

    it("check refuses a malformed id, and a DIS id other than the resource's orderId", async function () {
      const bad = await dis().check({}, { orderId: "CS9", adoptOrderId: "CS-9" });
      assert.deepEqual(
        bad.failures?.map((f) => f.property),
        ["adoptOrderId"],
      );
      const other = await dis().check({}, { orderId: "CS9", adoptOrderId: "CS8" });
      assert.match(other.failures?.[0]?.reason ?? "", /must be this resource's orderId \(CS9\)/);
      const ms = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      const product = { periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "s" };
      assert.deepEqual(
        (await ms.check({}, { cloudServices: [product], adoptOrderId: "CS1" })).failures,
        undefined,
      );
    });
  });

  it("update is unreachable: every change replaces", async function () {
    await assert.rejects(dis().update(), /cannot be updated in place: every change to an order replaces it/);
  });

  it("create without credentials names the resource and sends nothing", async function () {
    const saved = process.env;
    process.env = Object.fromEntries(Object.entries(saved).filter(([k]) => !k.startsWith("HW_")));
    try {
      await assert.rejects(
        dis().create(
          await checked({ orderId: "CS1", resourceName: "orders-a", connection: { region: "cn-north-4" } }),
        ),
        /^Error: DisPackageOrder 'orders-a': not sent: no Huawei Cloud credentials found/,
      );
    } finally {
      process.env = saved;
    }
  });
});
