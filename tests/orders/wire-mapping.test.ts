import * as assert from "node:assert/strict";
import {
  checkInputs,
  disPackageOrderInputs,
  metaStudioSubscriptionInputs,
  toWire,
} from "../../provider/orders";

/** The shape of a JSON value: key names and nesting, with each leaf replaced by its JSON type. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return typeof v;
}

function parsed<T>(result: { ok: true; value: T } | { ok: false }): T {
  assert.ok(result.ok, "inputs should be valid");
  return result.value;
}

describe("the wire body derived from each schema", function () {
  it("DIS: every field of the page's example request, with its names, types and nesting", function () {
    // The page's example request, as published.
    const example = {
      cloudServices: {
        avalibleZoneId: "",
        chargingMode: 0,
        cloudServiceEndpoint: "",
        cloudServiceForm: {
          projectid: "5d5916d21xxx46efbe7c2e93bd1xxxce",
          orderid: "CS25110715xxx86MU",
          cloudServiceType: "hws.service.type.dis",
        },
        cloudServiceType: "hws.service.type.dis",
        isAutoRenew: 0,
        isTrial: 0,
        paymentMode: 0,
        periodNum: 1,
        periodType: 2,
        productInfos: {
          cloudServiceType: "hws.service.type.dis",
          productId: "00301-261175-0--0",
          resourceSpecCode: "dis.general.partition.duration.pkg",
          resourceType: "hws.resource.type.dis",
        },
        regionId: "cn-north-x",
        subscriptionNum: 1,
      },
      discountId: "",
      purchaseMode: 1,
      tenantId: "5d5916d21xxx46efbe7c2e93bd1xxxce",
    };
    const inputs = parsed(
      checkInputs(disPackageOrderInputs, {
        orderId: "CS25110715xxx86MU",
        cloudServices: {
          availableZoneId: "",
          chargingMode: 0,
          cloudServiceEndpoint: "",
          cloudServiceForm: { projectId: "5d5916d21xxx46efbe7c2e93bd1xxxce", orderId: "CS25110715xxx86MU" },
          isAutoRenew: false,
          isTrial: false,
          paymentMode: 0,
          periodNum: 1,
          periodType: 2,
          productInfos: {
            cloudServiceType: "hws.service.type.dis",
            productId: "00301-261175-0--0",
            resourceType: "hws.resource.type.dis",
          },
          regionId: "cn-north-x",
          subscriptionNum: 1,
        },
        discountId: "",
        tenantId: "5d5916d21xxx46efbe7c2e93bd1xxxce",
      }),
    );
    const body = toWire(disPackageOrderInputs, inputs);
    // The one deliberate difference (README "DIS page decisions"): cloudServiceForm's type is sent
    // with the table's spelling, cloudservicetype, where the example writes cloudServiceType.
    const { cloudServiceType: formType, ...formRest } = example.cloudServices.cloudServiceForm;
    const expected = {
      ...example,
      cloudServices: {
        ...example.cloudServices,
        cloudServiceForm: { ...formRest, cloudservicetype: formType },
      },
    };
    assert.deepEqual(shape(body), shape(expected));
    assert.deepEqual(body, expected);
  });

  it("DIS: the page's defaults fill every field left out, and the path's order id stays out of the body", function () {
    const body = toWire(
      disPackageOrderInputs,
      parsed(checkInputs(disPackageOrderInputs, { orderId: "CS1" })),
    );
    assert.deepEqual(body, {
      cloudServices: {
        chargingMode: 0,
        paymentMode: 0,
        periodType: 2,
        periodNum: 1,
        cloudServiceForm: { cloudservicetype: "hws.service.type.dis" },
        isAutoRenew: 0,
        isTrial: 0,
        cloudServiceType: "hws.service.type.dis",
        productInfos: {
          resourceSpecCode: "dis.general.partition.duration.pkg",
          resourceType: "hws.resource.type.dis",
        },
      },
      purchaseMode: 1,
    });
  });

  it("MetaStudio: snake_case names, integers for yes/no, an array of products", function () {
    const inputs = parsed(
      checkInputs(metaStudioSubscriptionInputs, {
        cloudServices: [
          { periodType: 3, periodNum: 2, subscriptionNum: 5, resourceSpecCode: "spec.a", isAutoPay: true },
          { periodType: 6, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "spec.b", isAutoRenew: false },
        ],
      }),
    );
    assert.deepEqual(toWire(metaStudioSubscriptionInputs, inputs), {
      cloud_services: [
        {
          is_auto_pay: 1,
          period_type: 3,
          period_num: 2,
          is_auto_renew: 0,
          subscription_num: 5,
          resource_spec_code: "spec.a",
        },
        {
          is_auto_pay: 0,
          period_type: 6,
          period_num: 1,
          is_auto_renew: 0,
          subscription_num: 1,
          resource_spec_code: "spec.b",
        },
      ],
    });
  });
});
