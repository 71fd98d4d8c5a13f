import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import packageJson from "../../package.json";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// The shipped policy pack (policy-pack/) through the real CLI, `pulumi preview --policy-pack` with
// `--policy-pack-config`, started by this project's language host (RunPlugin), against the
// emulator: each rule failing and passing, mandatory and advisory, held orders not counted, bad
// config refused. Every preview leaves the emulator untouched.
const PACK = path.resolve(__dirname, "..", "..", "policy-pack");

describe("policy pack huaweicloud-orders", function () {
  const suite = engineSuite();
  const emu = suite.emu;
  let temp: EngineStack;
  before(async function () {
    // The price rule is fed by the priced stand-in alone: with the provider's own price at preview
    // off, the totals below hold and a preview sends nothing (docs/price-and-policy.md "The price at preview").
    temp = await suite.stack("raw-orders", { config: { "huaweicloud-orders:previewPrice": "false" } });
  });

  const channel = "hws.resource.type.metastudio.modeling.avatarlive.channel";
  const voice = "hws.resource.type.metastudio.voice.clone";
  // Orders the stack holds after the first `up`: compliant with every rule below.
  const heldDis = {
    kind: "dis",
    name: "held-dis",
    args: { orderId: "CS7000000001", cloudServices: { periodNum: 3, productInfos: { productId: "p1" } } },
  };
  const heldMs = (periodNum: number, isAutoPay = false) => ({
    kind: "metastudio",
    name: "held-ms",
    args: {
      cloudServices: [{ periodType: 2, periodNum, subscriptionNum: 1, resourceSpecCode: channel, isAutoPay }],
    },
  });
  // A new order priced at preview: stands in for the provider's previewPrice (fixture's comment).
  const priced = {
    kind: "dis",
    name: "priced",
    args: { orderId: "CS7000000003", cloudServices: { periodNum: 1, productInfos: { productId: "p1" } } },
    previewPrice: { currency: "CNY", officialAmount: 100, amount: 80, quotedAt: "2026-11-30T06:00:00Z" },
  };

  const declare = (resources: object[]) => temp.configure({ resources });

  /** `pulumi preview --policy-pack policy-pack --policy-pack-config <config>`: its output, and whether it passed. */
  async function preview(config: object): Promise<{ ok: boolean; text: string }> {
    const file = path.join(temp.dir, `policy-config-${Date.now()}.json`);
    await fs.writeFile(file, JSON.stringify(config));
    const before = suite.counts();
    const { ok, text } = await temp.attempt("preview", { policyPacks: [PACK], policyPackConfigs: [file] });
    assert.equal(
      suite.countsSince(before).besidesPreviewReads,
      0,
      `a preview sends nothing to Huawei Cloud but BSS reads (prices, recent orders):\n${text}`,
    );
    return { ok, text };
  }

  // Every rule configured so that the update of the second step breaks it.
  const strict = {
    "allowed-products": {
      resourceSpecCodes: [channel, "dis.general.partition.duration.pkg"],
      disProductIds: ["p1"],
    },
    "max-period": { maxMonths: 12 },
    "auto-renew": { allowed: false },
    "auto-pay": { allowed: false },
    "max-new-orders": { max: 3 },
    "max-total-price": { max: 50, currency: "CNY" },
  };

  it("held orders count for nothing; within every rule the preview passes with no violation", async function () {
    await declare([heldDis, heldMs(1)]);
    await temp.up();
    assert.equal(emu.orderRequests().length, 2);

    // Two held orders and one new one: at most one new order, priced at most 100 CNY.
    await declare([heldDis, heldMs(1), priced]);
    const p = await preview({
      ...strict,
      "max-new-orders": { max: 1 },
      "max-total-price": { max: 100, currency: "CNY" },
    });
    assert.ok(p.ok, p.text);
    // The pack reports its folder's version, which is the package's (tests/policy/rules.test.ts).
    assert.ok(p.text.includes(`huaweicloud-orders@v${packageJson.version}`), p.text);
    assert.doesNotMatch(p.text, /\[(mandatory|advisory)\]/, p.text);
    assert.equal(emu.orderRequests().length, 2);
  });

  const breaking = [
    heldDis,
    heldMs(2, true), // changed: replaced, a new order
    {
      kind: "dis",
      name: "new-dis",
      args: {
        orderId: "CS7000000002",
        autoPay: true,
        cloudServices: { periodType: 3, periodNum: 2, isAutoRenew: true, productInfos: { productId: "p2" } },
      },
    },
    priced,
    {
      kind: "metastudio",
      name: "voices",
      args: { cloudServices: [{ periodType: 6, periodNum: 1, subscriptionNum: 1, resourceSpecCode: voice }] },
    },
  ];
  const violations = [
    `allowed-products.*\\n.*\\n.*DisPackageOrder 'new-dis': cloudServices.productInfos.productId "p2" is not an allowed DIS product`,
    `allowed-products.*\\n.*\\n.*MetaStudioSubscription 'voices': cloudServices\\[0\\].resourceSpecCode "${voice}" is not an allowed resource spec code`,
    "max-period.*\\n.*\\n.*DisPackageOrder 'new-dis': cloudServices subscribes for 2 years \\(24 months\\), longer than max-period.maxMonths \\(12\\)",
    "auto-renew.*\\n.*\\n.*DisPackageOrder 'new-dis': cloudServices.isAutoRenew is true, and auto-renew.allowed is false",
    "auto-pay.*\\n.*\\n.*DisPackageOrder 'new-dis': autoPay is true",
    "auto-pay.*\\n.*\\n.*MetaStudioSubscription 'held-ms': cloudServices\\[0\\].isAutoPay is true",
    "max-new-orders.*\\n.*\\n.*this update would place 4 new paid orders, more than max-new-orders.max \\(3\\): " +
      "(DisPackageOrder 'new-dis'|DisPackageOrder 'priced'|MetaStudioSubscription 'held-ms'|MetaStudioSubscription 'voices')(, (DisPackageOrder 'new-dis'|DisPackageOrder 'priced'|MetaStudioSubscription 'held-ms'|MetaStudioSubscription 'voices')){3}\\.",
    "max-total-price.*\\n.*\\n.*MetaStudioSubscription 'voices': could not check max-total-price: the provider recorded no price for it",
    "max-total-price.*\\n.*\\n.*this update would place orders priced 100.00 CNY in all \\(official prices\\), more than max-total-price.max \\(50.00\\): DisPackageOrder 'priced' 100.00",
  ];

  it("every rule broken: mandatory fails the preview naming each violation; advisory reports them and passes", async function () {
    await declare(breaking);
    const mandatory = await preview(strict);
    assert.equal(mandatory.ok, false, mandatory.text);
    for (const v of violations) assert.match(mandatory.text, new RegExp(`\\[mandatory\\]\\s+${v}`), v);
    assert.doesNotMatch(mandatory.text, /held-dis/, "the held, compliant order is not named");

    const advisory = await preview({ all: "advisory", ...strict });
    assert.ok(advisory.ok, advisory.text);
    for (const v of violations) assert.match(advisory.text, new RegExp(`\\[advisory\\]\\s+${v}`), v);

    // One rule advisory, the others mandatory: only the mandatory ones fail the preview.
    const mixed = await preview({
      "max-period": { enforcementLevel: "advisory", maxMonths: 12 },
      "max-new-orders": { max: 4 },
    });
    assert.ok(mixed.ok, mixed.text);
    assert.match(mixed.text, /\[advisory\]\s+max-period/);
    assert.doesNotMatch(mixed.text, /\[mandatory\]/);
    assert.equal(emu.orderRequests().length, 2, "still only the two orders of the first up");
  });

  it("with the provider's price at preview on, max-total-price judges the price BSS gave (no stand-in)", async function () {
    const real = {
      kind: "dis",
      name: "real",
      args: { orderId: "CS7000000004", cloudServices: { periodNum: 1, productInfos: { productId: "p1" } } },
    };
    await temp.configure({
      "huaweicloud-orders:previewPrice": "true",
      resources: [heldDis, heldMs(1), real],
    });
    try {
      const inquiries = () => emu.priceInquiries().length;
      const asked = inquiries();
      const p = await preview({ "max-total-price": { max: 1, currency: "CNY" } });
      assert.equal(p.ok, false, p.text);
      assert.match(
        p.text,
        /\[mandatory\]\s+max-total-price.*\n.*\n.*this update would place orders priced \d+\.\d\d CNY in all \(official prices\), more than max-total-price\.max \(1\.00\): DisPackageOrder 'real' \d+\.\d\d/,
      );
      assert.equal(inquiries() - asked, 1, "one price inquiry, for the one new order");
      assert.equal(emu.orderRequests().length, 2, "still only the two orders of the first up");
    } finally {
      await temp.configure({ "huaweicloud-orders:previewPrice": "false" });
    }
  });

  it("a config with an unknown key or a wrong type fails the preview, naming the setting", async function () {
    await declare([heldDis]);
    const unknown = await preview({ "max-period": { maxMonth: 12 } });
    assert.equal(unknown.ok, false);
    assert.match(
      unknown.text,
      /policy config: max-period\.maxMonth is not a setting of policy max-period \(its settings: maxMonths, and enforcementLevel\)/,
    );
    const wrongType = await preview({ "max-new-orders": { max: "three" } });
    assert.equal(wrongType.ok, false);
    assert.match(wrongType.text, /max-new-orders: max: Invalid type\. Expected: integer, given: string/);
  });
});
