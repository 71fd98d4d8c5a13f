import * as assert from "node:assert/strict";
import { OrderProvider, ORDER_KINDS } from "../../provider";
import { UNKNOWN } from "../../provider/orders/schema-kit";

const dis = () => new OrderProvider(ORDER_KINDS.DisPackageOrder);

async function checked(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await dis().check({}, inputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs as Record<string, unknown>;
}

describe("the order provider's lifecycle rules", function () {
  // Settings for check, from the environment as a pipeline gives them; none is ever used to send.
  let saved: NodeJS.ProcessEnv;
  beforeEach(function () {
    saved = process.env;
    process.env = { ...saved, HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-000001" };
  });
  afterEach(function () {
    process.env = saved;
  });

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

  describe("check: the settings", function () {
    const noSettings = () =>
      (process.env = Object.fromEntries(Object.entries(saved).filter(([k]) => !k.startsWith("HW_"))));

    it("names the connection keys that are wrong, by property path", async function () {
      const result = await dis().check(
        {},
        { orderId: "CS1", connection: { region: "x@127.0.0.1:1/#", colour: "red", maxRetries: "-1" } },
      );
      assert.deepEqual(
        result.failures?.map((f) => f.property),
        ["connection.colour", "connection.region", "connection.maxRetries"],
      );
    });

    it("names the stack config or environment setting, and its layer", async function () {
      process.env = { ...process.env, HW_DIS_ENDPOINT: "http://dis.example.test" };
      const result = await dis().check({}, { orderId: "CS1" });
      assert.deepEqual(result.failures, [
        {
          property: "",
          reason:
            'HW_DIS_ENDPOINT must use https:// (plain http:// is accepted only for loopback addresses): "http://dis.example.test" (from the environment)',
        },
      ]);
    });

    it("requires a region and credentials only when the resource may place an order", async function () {
      noSettings();
      const refused = await dis().check({}, { orderId: "CS1" });
      assert.deepEqual(
        refused.failures?.map((f) => f.reason.slice(0, 40)),
        ["no Huawei Cloud region is set: set huawe", "no Huawei Cloud credentials found. Set o"],
      );
      assert.equal((await dis().check({}, { orderId: "CS1", adoptOrderId: "CS1" })).failures, undefined);
      process.env = { ...process.env, HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-000001" };
      const held = await checked({ orderId: "CS1" });
      noSettings();
      assert.equal(
        (await dis().check(held, { orderId: "CS1" })).failures,
        undefined,
        "unchanged: nothing to send",
      );
      const changed = await dis().check(held, { orderId: "CS1", cloudServices: { periodNum: 2 } });
      assert.equal(changed.failures?.length, 2, "changed: a new order needs them");
    });

    it("leaves values unknown at preview to up", async function () {
      noSettings();
      const result = await dis().check(
        {},
        { orderId: "CS1", connection: { authToken: UNKNOWN, region: UNKNOWN } },
      );
      assert.equal(result.failures, undefined);
      assert.equal((await dis().check({}, { orderId: "CS1", connection: UNKNOWN })).failures, undefined);
    });

    it("refuses a connection that is not an object", async function () {
      const result = await dis().check({}, { orderId: "CS1", connection: "cn-north-4" });
      assert.deepEqual(
        result.failures?.map((f) => f.property),
        ["connection"],
      );
    });

    it("needs a project id for MetaStudio, whose path carries it, unless IAM scopes a password token", async function () {
      const ms = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      const product = { periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "s" };
      const result = await ms.check({}, { cloudServices: [product] });
      assert.match(result.failures?.[0]?.reason ?? "", /no Huawei Cloud project id is set/);
      const password = { region: "cn-north-4", userName: "u", password: "password-01", domainName: "d" };
      noSettings();
      assert.equal(
        (await ms.check({}, { cloudServices: [product], connection: password })).failures,
        undefined,
      );
    });
  });

  it("update is unreachable: every change replaces", async function () {
    await assert.rejects(dis().update(), /cannot be updated in place: every change to an order replaces it/);
  });

  it("create without credentials names the resource and sends nothing", async function () {
    process.env = Object.fromEntries(Object.entries(saved).filter(([k]) => !k.startsWith("HW_")));
    // What check would refuse at preview, handed to create anyway (an older stack's inputs).
    await assert.rejects(
      dis().create({ orderId: "CS1", resourceName: "orders-a", connection: { region: "cn-north-4" } }),
      /^Error: DisPackageOrder 'orders-a': not sent: no Huawei Cloud credentials found/,
    );
  });
});
