import * as assert from "node:assert/strict";
import {
  checkInputs,
  disPackageOrderInputs,
  metaStudioSubscriptionInputs,
  UNKNOWN,
} from "../../provider/orders";

const okProduct = { periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "spec" };

// Each row: inputs that break one documented rule, and the property path the failure must name.
const dis: [string, Record<string, unknown>, string][] = [
  ["a missing orderId", {}, "orderId"],
  ["an empty orderId", { orderId: "" }, "orderId"],
  ["an orderId of 65 characters", { orderId: "A".repeat(65) }, "orderId"],
  ["an orderId with a dash", { orderId: "CS-1" }, "orderId"],
  ["periodType 1", { orderId: "A", cloudServices: { periodType: 1 } }, "cloudServices.periodType"],
  [
    "periodNum 0 (monthly)",
    { orderId: "A", cloudServices: { periodType: 2, periodNum: 0 } },
    "cloudServices.periodNum",
  ],
  [
    "periodNum 10 (monthly)",
    { orderId: "A", cloudServices: { periodType: 2, periodNum: 10 } },
    "cloudServices.periodNum",
  ],
  [
    "periodNum 4 (yearly)",
    { orderId: "A", cloudServices: { periodType: 3, periodNum: 4 } },
    "cloudServices.periodNum",
  ],
  ["periodNum 1.5", { orderId: "A", cloudServices: { periodNum: 1.5 } }, "cloudServices.periodNum"],
  ["periodNum as a string", { orderId: "A", cloudServices: { periodNum: "1" } }, "cloudServices.periodNum"],
  ["isTrial as 0", { orderId: "A", cloudServices: { isTrial: 0 } }, "cloudServices.isTrial"],
  [
    "a projectId with a dash",
    { orderId: "A", cloudServices: { cloudServiceForm: { projectId: "p-1" } } },
    "cloudServices.cloudServiceForm.projectId",
  ],
  [
    "a 65-character form orderId",
    { orderId: "A", cloudServices: { cloudServiceForm: { orderId: "B".repeat(65) } } },
    "cloudServices.cloudServiceForm.orderId",
  ],
  [
    "subscriptionNum 0",
    { orderId: "A", cloudServices: { subscriptionNum: 0 } },
    "cloudServices.subscriptionNum",
  ],
  ["cloudServices as an array", { orderId: "A", cloudServices: [{}] }, "cloudServices"],
  [
    "productInfos as an array",
    { orderId: "A", cloudServices: { productInfos: [{}] } },
    "cloudServices.productInfos",
  ],
  ["purchaseMode as a string", { orderId: "A", purchaseMode: "1" }, "purchaseMode"],
  ["an unknown field", { orderId: "A", colour: "red" }, "colour"],
  [
    "an unknown nested field",
    { orderId: "A", cloudServices: { avalibleZoneId: "az1" } },
    "cloudServices.avalibleZoneId",
  ],
];

const metastudio: [string, Record<string, unknown>, string][] = [
  ["no cloudServices", {}, "cloudServices"],
  ["an empty cloudServices", { cloudServices: [] }, "cloudServices"],
  [
    "a missing periodType",
    { cloudServices: [{ ...okProduct, periodType: undefined }] },
    "cloudServices[0].periodType",
  ],
  ["periodType 4", { cloudServices: [{ ...okProduct, periodType: 4 }] }, "cloudServices[0].periodType"],
  ["periodNum 0", { cloudServices: [{ ...okProduct, periodNum: 0 }] }, "cloudServices[0].periodNum"],
  [
    "periodNum 2147483648",
    { cloudServices: [{ ...okProduct, periodNum: 2147483648 }] },
    "cloudServices[0].periodNum",
  ],
  [
    "subscriptionNum 0",
    { cloudServices: [okProduct, { ...okProduct, subscriptionNum: 0 }] },
    "cloudServices[1].subscriptionNum",
  ],
  [
    "subscriptionNum 2147483648",
    { cloudServices: [{ ...okProduct, subscriptionNum: 2147483648 }] },
    "cloudServices[0].subscriptionNum",
  ],
  [
    "a missing resourceSpecCode",
    { cloudServices: [{ ...okProduct, resourceSpecCode: undefined }] },
    "cloudServices[0].resourceSpecCode",
  ],
  [
    "an empty resourceSpecCode",
    { cloudServices: [{ ...okProduct, resourceSpecCode: "" }] },
    "cloudServices[0].resourceSpecCode",
  ],
  ["isAutoPay as 1", { cloudServices: [{ ...okProduct, isAutoPay: 1 }] }, "cloudServices[0].isAutoPay"],
  [
    "an unknown product field",
    { cloudServices: [{ ...okProduct, period_num: 1 }] },
    "cloudServices[0].period_num",
  ],
];

describe("check names the property of every documented violation", function () {
  for (const [schemaName, schema, table] of [
    ["DisPackageOrder", disPackageOrderInputs, dis],
    ["MetaStudioSubscription", metaStudioSubscriptionInputs, metastudio],
  ] as const) {
    describe(schemaName, function () {
      for (const [name, inputs, property] of table) {
        it(`rejects ${name} at ${property}`, function () {
          const result = checkInputs(schema, inputs);
          assert.ok(!result.ok, "should be rejected");
          assert.deepEqual(
            result.failures.map((f) => f.property),
            [property],
            JSON.stringify(result.failures),
          );
          assert.ok(result.failures[0]?.reason);
        });
      }
    });
  }

  it("accepts each range's bounds", function () {
    for (const [periodType, periodNum] of [
      [2, 1],
      [2, 9],
      [3, 1],
      [3, 3],
    ] as const) {
      assert.ok(
        checkInputs(disPackageOrderInputs, { orderId: "A", cloudServices: { periodType, periodNum } }).ok,
      );
    }
    assert.ok(checkInputs(disPackageOrderInputs, { orderId: "A".repeat(64) }).ok);
    const max = { ...okProduct, periodNum: 2147483647, subscriptionNum: 2147483647, periodType: 6 };
    assert.ok(checkInputs(metaStudioSubscriptionInputs, { cloudServices: [max] }).ok);
  });

  it("says what the range is in words a person can act on", function () {
    const r = checkInputs(disPackageOrderInputs, {
      orderId: "A",
      cloudServices: { periodType: 3, periodNum: 5 },
    });
    assert.ok(!r.ok);
    assert.equal(r.failures[0]?.reason, "periodNum must be from 1 to 3 when periodType is 3 (years), got 5");
  });

  it("reports the period's range together with every other failure, so one preview names them all", function () {
    const r = checkInputs(disPackageOrderInputs, {
      orderId: "CS-1",
      cloudServices: { periodNum: 10, chargingMode: -1 },
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.failures.map((f) => f.property),
      ["orderId", "cloudServices.chargingMode", "cloudServices.periodNum"],
    );
  });

  it("does not judge values a preview does not know yet", function () {
    const r = checkInputs(metaStudioSubscriptionInputs, {
      cloudServices: [{ ...okProduct, periodNum: UNKNOWN }],
    });
    assert.ok(r.ok);
    const whole = checkInputs(disPackageOrderInputs, { orderId: UNKNOWN });
    assert.ok(whole.ok);
    const stillWrong = checkInputs(disPackageOrderInputs, { orderId: UNKNOWN, purchaseMode: "x" });
    assert.ok(!stillWrong.ok);
    assert.deepEqual(
      stillWrong.failures.map((f) => f.property),
      ["purchaseMode"],
    );
  });
});
