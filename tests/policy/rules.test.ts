import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import packageJson from "../../package.json";
import { orderTypeToken } from "../../provider/orders/order-kind";
import {
  allowedProducts,
  autoPay,
  autoRenew,
  checkConfigKeys,
  maxNewOrders,
  maxPeriod,
  maxTotalPrice,
  newOrders,
  readOrder,
  readPreviewPrice,
  type OrderView,
  type StackResource,
} from "../../policy/rules";

// The policy pack's rules on the properties a policy is shown (policy/rules.ts); the engine test
// (tests/engine/policy-pack.test.ts) runs them through the CLI.
const DIS = orderTypeToken("DisPackageOrder");
const MS = orderTypeToken("MetaStudioSubscription");
type Props = Record<string, unknown>;

function resource(type: string, name: string, props: Props): StackResource {
  return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, props };
}
function order(type: string, name: string, props: Props): OrderView {
  const view = readOrder(resource(type, name, props));
  assert.ok(view, `${name} reads as an order`);
  return view;
}
const messages = (vs: { message: string }[]) => vs.map((v) => v.message);

const dis = (cloudServices: Props = {}, extra: Props = {}) =>
  order(DIS, "pkg", { orderId: "CS1", cloudServices, ...extra });
const item = (fields: Props = {}) => ({
  periodType: 2,
  periodNum: 1,
  subscriptionNum: 1,
  resourceSpecCode: "hws.resource.type.metastudio.avatarlive.channel",
  ...fields,
});
const metastudio = (...items: Props[]) => order(MS, "avatars", { cloudServices: items });
const price = (fields: Props = {}) => ({
  currency: "CNY",
  officialAmount: 100,
  amount: 80,
  quotedAt: "2026-11-30T06:00:00Z",
  ...fields,
});

describe("policy pack rules", function () {
  describe("reading an order", function () {
    it("knows this package's resources by type token and fills in the schema's defaults", function () {
      assert.equal(readOrder(resource("aws:s3/bucket:Bucket", "b", { orderId: "CS1" })), undefined);
      assert.deepEqual(
        dis().items.map(({ path, resourceSpecCode, periodType, periodNum, isAutoRenew }) => ({
          path,
          resourceSpecCode,
          periodType,
          periodNum,
          isAutoRenew,
        })),
        [
          {
            path: "cloudServices",
            resourceSpecCode: "dis.general.partition.duration.pkg",
            periodType: 2,
            periodNum: 1,
            isAutoRenew: false,
          },
        ],
      );
      assert.equal(dis().label, "DisPackageOrder 'pkg'");
      assert.deepEqual(
        metastudio(item(), item({ periodType: 6, isAutoPay: true })).items.map((i) => [i.path, i.isAutoPay]),
        [
          ["cloudServices[0]", false],
          ["cloudServices[1]", true],
        ],
      );
    });

    it("leaves inputs that do not parse to the provider's check, which fails the preview", function () {
      assert.equal(readOrder(resource(MS, "bad", { cloudServices: [] })), undefined);
    });
  });

  describe("allowed-products", function () {
    it("passes allowed codes and products, and everything when unset", function () {
      const cfg = { resourceSpecCodes: ["dis.general.partition.duration.pkg"], disProductIds: ["p1"] };
      assert.deepEqual(allowedProducts(dis({ productInfos: { productId: "p1" } }), cfg), []);
      assert.deepEqual(allowedProducts(metastudio(item()), {}), []);
    });

    it("names the field, the value and the setting of every item outside the list", function () {
      const cfg = { resourceSpecCodes: ["a.b"] };
      assert.deepEqual(
        messages(allowedProducts(metastudio(item({ resourceSpecCode: "a.b" }), item()), cfg)),
        [
          `MetaStudioSubscription 'avatars': cloudServices[1].resourceSpecCode "hws.resource.type.metastudio.avatarlive.channel" ` +
            "is not an allowed resource spec code (allowed-products.resourceSpecCodes: a.b)",
        ],
      );
      assert.deepEqual(
        messages(allowedProducts(dis({ productInfos: { productId: "p2" } }), { disProductIds: ["p1"] })),
        [
          `DisPackageOrder 'pkg': cloudServices.productInfos.productId "p2" is not an allowed DIS product (allowed-products.disProductIds: p1)`,
        ],
      );
      assert.deepEqual(messages(allowedProducts(dis(), { disProductIds: ["p1"] })), [
        "DisPackageOrder 'pkg': cloudServices.productInfos.productId is not set (allowed-products.disProductIds: p1)",
      ]);
      // The DIS product list says nothing about MetaStudio items.
      assert.deepEqual(allowedProducts(metastudio(item()), { disProductIds: ["p1"] }), []);
    });
  });

  describe("max-period", function () {
    it("counts years as 12 months and leaves one-off purchases alone", function () {
      assert.deepEqual(maxPeriod(dis({ periodType: 3, periodNum: 1 }), { maxMonths: 12 }), []);
      assert.deepEqual(maxPeriod(metastudio(item({ periodType: 6, periodNum: 1 })), { maxMonths: 1 }), []);
      assert.deepEqual(maxPeriod(dis({ periodType: 3, periodNum: 3 }), {}), []);
      assert.deepEqual(messages(maxPeriod(dis({ periodType: 3, periodNum: 2 }), { maxMonths: 12 })), [
        "DisPackageOrder 'pkg': cloudServices subscribes for 2 years (24 months), longer than max-period.maxMonths (12)",
      ]);
      assert.deepEqual(messages(maxPeriod(metastudio(item({ periodNum: 7 })), { maxMonths: 6 })), [
        "MetaStudioSubscription 'avatars': cloudServices[0] subscribes for 7 months, longer than max-period.maxMonths (6)",
      ]);
    });
  });

  describe("auto-renew and auto-pay", function () {
    it("refuse only when the setting is false, naming each field that asks for it", function () {
      assert.deepEqual(autoRenew(dis({ isAutoRenew: true }), {}), []);
      assert.deepEqual(autoRenew(dis({ isAutoRenew: true }), { allowed: true }), []);
      assert.deepEqual(autoRenew(dis(), { allowed: false }), []);
      assert.deepEqual(
        messages(autoRenew(metastudio(item(), item({ isAutoRenew: true })), { allowed: false })),
        [
          "MetaStudioSubscription 'avatars': cloudServices[1].isAutoRenew is true, and auto-renew.allowed is false",
        ],
      );
      assert.deepEqual(autoPay(dis({}, { autoPay: true }), {}), []);
      assert.deepEqual(autoPay(dis(), { allowed: false }), []);
      assert.deepEqual(messages(autoPay(dis({}, { autoPay: true }), { allowed: false })), [
        "DisPackageOrder 'pkg': autoPay is true (the order would be paid without a person), and auto-pay.allowed is false",
      ]);
      assert.deepEqual(messages(autoPay(metastudio(item({ isAutoPay: true })), { allowed: false })), [
        "MetaStudioSubscription 'avatars': cloudServices[0].isAutoPay is true (the order would be paid without a person), and auto-pay.allowed is false",
      ]);
    });
  });

  describe("max-new-orders", function () {
    const held = resource(DIS, "held", {
      orderId: "CS0",
      submittedAt: "2026-11-01T00:00:00Z",
      adopted: false,
    });
    const adopting = resource(DIS, "adopting", { orderId: "CS9", adoptOrderId: "CS9" });
    const fresh = (name: string) => resource(MS, name, { cloudServices: [item()] });
    const other = resource("pulumi:pulumi:Stack", "s", {});

    it("counts resources that hold no placed order and adopt none", function () {
      assert.deepEqual(
        newOrders([held, adopting, fresh("a"), other, fresh("b")]).map((o) => o.label),
        ["MetaStudioSubscription 'a'", "MetaStudioSubscription 'b'"],
      );
    });

    it("counts an order whose adoptOrderId is unknown at preview as new", function () {
      const unknownAdopt = resource(DIS, "u", {});
      Object.defineProperty(unknownAdopt.props, "adoptOrderId", {
        enumerable: true,
        get: () => {
          throw new Error("unknown value");
        },
      });
      assert.equal(newOrders([unknownAdopt]).length, 1);
    });

    it("refuses more than the limit in one violation naming every new order", function () {
      assert.deepEqual(maxNewOrders([held, fresh("a"), fresh("b")], { max: 2 }), []);
      assert.deepEqual(maxNewOrders([fresh("a"), fresh("b"), fresh("c")], {}), []);
      assert.deepEqual(messages(maxNewOrders([held, fresh("a"), fresh("b")], { max: 1 })), [
        "this update would place 2 new paid orders, more than max-new-orders.max (1): MetaStudioSubscription 'a', " +
          "MetaStudioSubscription 'b'. If a resource was renamed or moved, give it `aliases` so it keeps its order",
      ]);
      assert.equal(maxNewOrders([fresh("a")], { max: 0 }).length, 1);
    });
  });

  describe("max-total-price", function () {
    const priced = (name: string, p: Props | undefined) =>
      resource(DIS, name, { orderId: name, ...(p === undefined ? {} : { previewPrice: p }) });
    const held = resource(DIS, "held", {
      orderId: "CS0",
      submittedAt: "2026-11-01T00:00:00Z",
      previewPrice: price(),
    });

    it("adds up the official prices of the new orders (held ones are not bought again)", function () {
      const stack = [held, priced("a", price()), priced("b", price({ officialAmount: 50.5, amount: 40 }))];
      assert.deepEqual(maxTotalPrice(stack, { max: 150.5, currency: "CNY" }), []);
      assert.deepEqual(messages(maxTotalPrice(stack, { max: 150 })), [
        "this update would place orders priced 150.50 CNY in all (official prices), more than max-total-price.max " +
          "(150.00): DisPackageOrder 'a' 100.00, DisPackageOrder 'b' 50.50",
      ]);
      assert.deepEqual(maxTotalPrice(stack, { max: 120, amount: "afterOffer" }), []);
      assert.match(
        messages(maxTotalPrice(stack, { max: 119, amount: "afterOffer" }))[0] ?? "",
        /120\.00 CNY in all \(after offers\)/,
      );
      assert.deepEqual(maxTotalPrice(stack, {}), [], "no limit, nothing to check");
    });

    it("says it could not check an order without a usable price, on that order", function () {
      const stack = [
        priced("none", undefined),
        priced("bad", price({ amount: -1 })),
        priced("usd", price({ currency: "USD" })),
      ];
      const found = maxTotalPrice(stack, { max: 1000, currency: "CNY" });
      assert.deepEqual(
        found.map((v) => [v.urn?.split("::").pop(), v.message]),
        [
          [
            "none",
            "DisPackageOrder 'none': could not check max-total-price: the provider recorded no price for it",
          ],
          [
            "bad",
            "DisPackageOrder 'bad': could not check max-total-price: its recorded price is malformed " +
              "(previewPrice needs currency, officialAmount, amount, quotedAt)",
          ],
          [
            "usd",
            "DisPackageOrder 'usd': could not check max-total-price: priced in USD, the limit is in CNY (max-total-price.currency)",
          ],
        ],
      );
      assert.match(
        messages(
          maxTotalPrice([priced("c", price()), priced("u", price({ currency: "USD" }))], { max: 1000 }),
        )[0] ?? "",
        /priced in CNY and USD; set max-total-price.currency/,
      );
    });

    it("accepts a price with its optional fields, and refuses each missing or negative field", function () {
      assert.deepEqual(readPreviewPrice({ previewPrice: price({ discountAmount: 20, offer: "promo" }) }), {
        ...price(),
        discountAmount: 20,
        offer: "promo",
      });
      for (const broken of [
        { currency: undefined },
        { currency: "" },
        { officialAmount: "100" },
        { amount: Number.NaN },
        { amount: -0.01 },
        { quotedAt: 1 },
        { discountAmount: -5 },
      ]) {
        const read = readPreviewPrice({ previewPrice: price(broken) });
        assert.ok("missing" in read, JSON.stringify(broken));
      }
    });
  });

  describe("configuration", function () {
    it("refuses a key the policy does not know, naming it and the policy's settings", function () {
      checkConfigKeys("max-period", ["maxMonths"], { maxMonths: 3 });
      assert.throws(
        () => checkConfigKeys("max-period", ["maxMonths"], { maxMonth: 3 }),
        /^Error: policy config: max-period\.maxMonth is not a setting of policy max-period \(its settings: maxMonths, and enforcementLevel\)$/,
      );
    });

    it("the pack's folder carries the package's version (@pulumi/policy reports it)", function () {
      const pack = JSON.parse(
        fs.readFileSync(path.join(__dirname, "..", "..", "policy-pack", "package.json"), "utf8"),
      );
      assert.equal(pack.version, packageJson.version);
    });
  });
});
