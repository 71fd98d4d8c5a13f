import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import { OrderProvider, ORDER_KINDS, RunContext } from "../../provider";
import { parseRunSettings } from "../../provider/contract/run-settings";
import { PriceTally } from "../../provider/run/price-tally";
import { priceProducts } from "../../provider/orders/order-items";
import { AdaptiveRateLimiter, resolveSettings } from "../../provider/client";
import {
  checkPriceInquiry,
  describePrice,
  priceAtCheck,
  quoteOrder,
  type PreviewPrice,
} from "../../provider/billing/price-quote";
import { withOverrides } from "../../provider/orders/price-inquiry";
import { UNKNOWN } from "../../provider/orders/schema-kit";
import { useEmulator } from "../emulator/helpers";
import { simulateUpdate, type UpdateScenario } from "../support/simulated-rate-limit";

const d = DEMO_ACCOUNT;
const CHANNEL = "hws.resource.type.metastudio.modeling.avatarlive.channel";
const dis = ORDER_KINDS.DisPackageOrder;
const ms = ORDER_KINDS.MetaStudioSubscription;

describe("the price at preview: mapping, settings, running total", function () {
  describe("each order as the price inquiry describes it", function () {
    it("a DIS package: its service type, resource type, package code, period, region and zone", function () {
      const order = dis.inputs.parse({
        orderId: "CS1",
        cloudServices: {
          periodType: 3,
          periodNum: 2,
          regionId: "cn-south-1",
          availableZoneId: "cn-south-1a",
          subscriptionNum: 4,
        },
      });
      assert.deepEqual(priceProducts(dis, order, "cn-north-4"), {
        products: [
          {
            cloudServiceType: "hws.service.type.dis",
            resourceType: "hws.resource.type.dis",
            resourceSpec: "dis.general.partition.duration.pkg",
            region: "cn-south-1",
            availableZone: "cn-south-1a",
            periodType: 3,
            periodNum: 2,
            subscriptionNum: 4,
          },
        ],
      });
      // Defaults: the settings' region, one package.
      const plain = priceProducts(dis, dis.inputs.parse({ orderId: "CS1" }), "cn-north-4");
      assert.ok(plain && "products" in plain);
      assert.equal(plain.products[0]?.region, "cn-north-4");
      assert.equal(plain.products[0]?.subscriptionNum, 1);
    });

    it("a MetaStudio order: one product per item; a one-off item has no period price", function () {
      const order = ms.inputs.parse({
        cloudServices: [
          { periodType: 2, periodNum: 3, subscriptionNum: 2, resourceSpecCode: CHANNEL },
          { periodType: 3, periodNum: 1, subscriptionNum: 1, resourceSpecCode: "spec.b" },
        ],
      });
      const mapped = priceProducts(ms, order, "cn-north-4");
      assert.ok(mapped && "products" in mapped);
      assert.deepEqual(
        mapped.products.map((p) => [
          p.cloudServiceType,
          p.resourceType,
          p.resourceSpec,
          p.periodType,
          p.periodNum,
          p.subscriptionNum,
        ]),
        [
          ["hws.service.type.metastudio", CHANNEL, CHANNEL, 2, 3, 2],
          ["hws.service.type.metastudio", "spec.b", "spec.b", 3, 1, 1],
        ],
      );
      const oneOff = ms.inputs.parse({
        cloudServices: [{ periodType: 6, periodNum: 1, subscriptionNum: 1, resourceSpecCode: CHANNEL }],
      });
      assert.match(JSON.stringify(priceProducts(ms, oneOff, "cn-north-4")), /one-off purchase/);
    });

    it("priceInquiry overrides the mapping product by product; its problems are named", function () {
      const mapped = priceProducts(dis, dis.inputs.parse({ orderId: "CS1" }), "cn-north-4");
      assert.ok(mapped && "products" in mapped);
      const [p] = withOverrides(mapped.products, [
        { resourceSpec: "other.pkg", resourceSize: 10, sizeMeasureId: 14 },
      ]);
      assert.equal(p?.resourceSpec, "other.pkg");
      assert.equal(p?.resourceSize, 10);
      assert.equal(p?.resourceType, "hws.resource.type.dis");
      assert.deepEqual(checkPriceInquiry([{ resourceSpec: "" }, { color: "red" }]), [
        { property: "priceInquiry[0].resourceSpec", reason: "resourceSpec must not be empty" },
        { property: "priceInquiry[1].color", reason: "is not a field of this resource" },
      ]);
      assert.deepEqual(checkPriceInquiry(undefined), []);
    });
  });

  describe("the settings", function () {
    const parse = (config: Record<string, string>) => {
      const { settings, problems } = parseRunSettings((k) => config[k]);
      return problems.length > 0
        ? { error: problems.join("; ") }
        : { inquire: settings.previewPrice, require: settings.requirePreviewPrice };
    };
    it("default: ask, do not require; both are true/false; requiring what is never asked is refused", function () {
      assert.deepEqual(parse({}), { inquire: true, require: false });
      assert.deepEqual(parse({ "huaweicloud-orders:requirePreviewPrice": "true" }), {
        inquire: true,
        require: true,
      });
      assert.deepEqual(parse({ "huaweicloud-orders:previewPrice": "false" }), {
        inquire: false,
        require: false,
      });
      assert.match(
        JSON.stringify(parse({ "huaweicloud-orders:requirePreviewPrice": "yes" })),
        /huaweicloud-orders:requirePreviewPrice must be true or false, got \\"yes\\"/,
      );
      assert.match(
        JSON.stringify(
          parse({
            "huaweicloud-orders:requirePreviewPrice": "true",
            "huaweicloud-orders:previewPrice": "false",
          }),
        ),
        /can never be had/,
      );
    });
  });

  describe("the running total", function () {
    const price = (amount: number, officialAmount: number, currency = "CNY"): PreviewPrice => ({
      currency,
      officialAmount,
      amount,
      quotedAt: "2026-11-30T00:00:00.000Z",
    });
    it("sums per currency, names what has no price, and counts a resource quoted twice once", function () {
      const tally = new PriceTally();
      tally.record("A 'a'", price(8, 10));
      tally.record("B 'b'", undefined);
      tally.record("A 'a'", price(9, 10));
      const line = tally.record("C 'c'", price(1.5, 2, "USD"));
      assert.equal(
        line,
        "update total so far: 3 new paid orders, total 9.00 CNY + 1.50 USD (official 10.00 CNY + 2.00 USD); " +
          `1 without a price (B 'b'), not counted. The last "update total" line of a preview is the update's total`,
      );
    });
    it("one line per order: the official price, or the best offer and what it takes off", function () {
      assert.equal(
        describePrice(price(10, 10)),
        "price of the new order: 10.00 CNY (official price; no offer applies)",
      );
      assert.equal(
        describePrice({ ...price(7.5, 10), discountAmount: 2.5, offer: "Promo" }),
        'price of the new order: 7.50 CNY with the best offer "Promo" (2.50 CNY off the official 10.00 CNY)',
      );
    });
  });

  describe("the price under throttling", function () {
    const asked = { inquire: true, require: false };
    it("a preview always asks; an update stops asking once the API throttles, unless a price is required", function () {
      const at = (servesUpdate: boolean, throttled: boolean, settings = asked) =>
        priceAtCheck({ settings, servesUpdate, throttled });
      assert.equal(at(false, false), "ask");
      assert.equal(at(false, true), "ask", "a preview's price is what a reviewer approves");
      assert.equal(at(true, false), "ask", "an unthrottled up prices as before");
      assert.equal(at(true, true), "skip-throttled");
      assert.equal(at(true, true, { inquire: true, require: true }), "ask");
      assert.equal(at(false, false, { inquire: false, require: false }), "off");
    });

    it("the update says it once, with how many orders were priced before", function () {
      const tally = new PriceTally();
      assert.equal(tally.servesUpdate, false);
      tally.markUpdate();
      assert.equal(tally.servesUpdate, true);
      tally.record("A 'a'", undefined);
      assert.match(tally.skipNotice() ?? "", /throttling this update \(HTTP 429\).*\(1 priced before\)/);
      assert.equal(tally.skipNotice(), undefined);
    });

    // The engine checks one resource at a time (each check awaits its price inquiry) and creates
    // in parallel: measured in the benchmark's provider process. 100 new orders at 2 requests/s.
    const update: Omit<UpdateScenario, "price"> = {
      seed: 1,
      orders: 100,
      parallel: 8,
      limitPerSecond: 2,
      statesLimit: true,
    };
    const bound = update.orders / update.limitPerSecond;

    it("as before: an unpaced inquiry at each check holds the checks up, about 2.5x N/R and a 429 per order", async function () {
      // What the real run showed (143 s, 1.1 429s per order) and the request-only simulation missed.
      const r = await simulateUpdate({ ...update, price: () => "unpaced" });
      assert.ok(r.seconds > 2 * bound, `${r.seconds.toFixed(1)} s against N/R ${bound} s`);
      assert.ok(r.throttled > 0.5 * update.orders, `${r.throttled} 429s`);
    });

    it("every inquiry paced by the shared limiter: the floor of 2 requests per order, few 429s", async function () {
      const r = await simulateUpdate({ ...update, price: () => "paced" });
      assert.equal(r.priced, update.orders);
      assert.ok(r.seconds <= 1.1 * 2 * bound, `${r.seconds.toFixed(1)} s against 2N/R ${2 * bound} s`);
      assert.ok(r.throttled <= 0.5 * update.orders, `${r.throttled} 429s`);
    });

    for (const seed of [1, 2, 3, 4, 5]) {
      it(`paced, and skipped at up once the API throttles (priceAtCheck), seed ${seed}: within 1.1x N/R, at most 0.5 429s per order`, async function () {
        const r = await simulateUpdate({
          ...update,
          seed,
          price: (ctx) => (priceAtCheck({ settings: asked, ...ctx }) === "skip-throttled" ? "skip" : "paced"),
        });
        assert.ok(
          r.seconds <= 1.1 * bound,
          `${r.seconds.toFixed(1)} s against N/R ${bound} s (seed ${seed})`,
        );
        assert.ok(r.throttled <= 0.5 * update.orders, `${r.throttled} 429s (seed ${seed})`);
        assert.ok(
          r.priced >= 1 && r.priced < 5,
          `${r.priced} orders priced before the first 429 (seed ${seed})`,
        );
      });
    }
  });

  describe("quoting an order, and check recording it", function () {
    const emulator = useEmulator();
    let emu: RunningEmulator;
    beforeEach(function () {
      emu = emulator();
    });
    const settings = () =>
      resolveSettings({
        explicit: {
          region: d.region,
          projectId: d.projectId,
          authUrl: emu.url,
          endpoints: { bss: emu.url },
          accessKey: d.accessKey,
          secretKey: d.secretKey,
        },
      });

    /** A DIS provider configured for the emulator, with its own price tally and limiter. */
    const providerWith = async (limiter: AdaptiveRateLimiter, extra: Record<string, string> = {}) => {
      const config: Record<string, string> = {
        "huaweicloud:region": d.region,
        "huaweicloud:projectId": d.projectId,
        "huaweicloud:authUrl": emu.url,
        "huaweicloud:endpoints": JSON.stringify({ bss: emu.url, dis: emu.url }),
        "huaweicloud:accessKey": d.accessKey,
        "huaweicloud:secretKey": d.secretKey,
        // Each provider here has a run of its own: the account id given, IAM is never asked for it,
        // so the limiter's turns below are the inquiries' alone.
        "huaweicloud:domainId": d.domainId,
        ...extra,
      };
      const provider = new OrderProvider(dis, new RunContext({ prices: new PriceTally(), limiter }));
      await provider.configure({ config: { get: (k: string) => config[k] } } as never);
      return provider;
    };

    it("a price that cannot be had says why, and never throws", async function () {
      const order = dis.inputs.parse({ orderId: "CS1" });
      const noCredentials = await quoteOrder({
        kind: dis,
        order,
        overrides: undefined,
        settings: () => {
          throw new Error("no credentials are set");
        },
      });
      assert.deepEqual(noCredentials, {
        unavailable: "no credentials to ask BSS with at preview (no credentials are set)",
      });
      const unknown = await quoteOrder({
        kind: dis,
        order: { ...order, purchaseMode: UNKNOWN },
        overrides: undefined,
        settings,
      });
      assert.match(JSON.stringify(unknown), /not known until `pulumi up`/);
      const day = await quoteOrder({
        kind: dis,
        order: { ...order, cloudServices: { ...order.cloudServices, periodType: 5 } },
        overrides: undefined,
        settings,
      });
      assert.match(JSON.stringify(day), /period type 5 is not one the period price inquiry prices/);
      assert.equal(emu.requests().length, 0, "nothing was asked for any of them");
    });

    it("check adds previewPrice to a create's inputs, never to an existing resource's, and refuses a declared one", async function () {
      const provider = await providerWith(new AdaptiveRateLimiter());
      const news = { orderId: "CS1", cloudServices: { periodNum: 2 }, resourceName: "pkg" };
      const created = await provider.check({}, news);
      assert.equal(created.failures, undefined);
      const recorded = (created.inputs as Record<string, unknown>)["previewPrice"] as PreviewPrice;
      assert.deepEqual(
        { ...recorded, quotedAt: "t" },
        { currency: "CNY", officialAmount: 20, amount: 20, quotedAt: "t" },
      );
      const kept = await provider.check(created.inputs as Record<string, unknown>, news);
      assert.equal("previewPrice" in (kept.inputs as object), false);
      const declared = await provider.check({}, { ...news, previewPrice: recorded });
      assert.deepEqual(
        declared.failures?.map((f) => f.property),
        ["previewPrice"],
      );
      // The diff ignores it: the recorded inputs against the program's are no change.
      const diff = await provider.diff(
        "CS1",
        {
          ...(created.inputs as object),
          declaredInputs: { orderId: "CS1", cloudServices: { periodNum: 2 } },
        },
        news,
      );
      assert.equal(diff.changes, false);
    });

    it("alike orders are asked once per process: each gets its price line from the one answer; a failed inquiry is asked again", async function () {
      const provider = await providerWith(new AdaptiveRateLimiter());
      const inquiries = () => emu.requests().filter((r) => r.path.endsWith("/subscribe-rate")).length;
      const checked = async (orderId: string, periodNum: number) => {
        const r = await provider.check({}, { orderId, cloudServices: { periodNum }, resourceName: orderId });
        return (r.inputs as Record<string, unknown>)["previewPrice"] as PreviewPrice | undefined;
      };
      const first = await checked("CS1", 2);
      const alike = await checked("CS2", 2);
      assert.equal(inquiries(), 1, "the second order, alike but for its id, is not asked again");
      assert.deepEqual(alike, first, "the same price, quoted when BSS answered");
      assert.equal((await checked("CS3", 4))?.officialAmount, 40);
      assert.equal(inquiries(), 2, "another period is another question");
      emu.injectFaults({ kind: "error", count: 1000, status: 503, service: "bss" });
      assert.equal(await checked("CS4", 6), undefined, "BSS down: no price");
      const failedAttempts = inquiries();
      emu.clearFaults();
      assert.equal((await checked("CS5", 6))?.officialAmount, 60);
      assert.equal(inquiries(), failedAttempts + 1, "the failure was not kept: asked again, answered");
    });

    it("throttled: a preview's inquiry waits its turn in the shared limiter; an up's is skipped after its first create", async function () {
      /** The process's limiter, counting the turns taken. */
      class CountingLimiter extends AdaptiveRateLimiter {
        turns = 0;
        override reserve(): number {
          this.turns++;
          return super.reserve();
        }
      }
      // Each order for another number of months: alike orders would be answered from the first.
      const news = (orderId: string) => ({
        orderId,
        cloudServices: { periodNum: Number(orderId.slice(2)) },
        resourceName: orderId.toLowerCase(),
      });
      const priced = (r: { inputs?: unknown }) => "previewPrice" in (r.inputs as object);
      const bssRequests = () => emu.requests().filter((r) => r.service === "bss").length;
      // The API has throttled this process, stating a limit high enough that no turn takes long.
      const limiter = new CountingLimiter();
      limiter.record({ throttled: true, bookedAtMs: limiter.nowMs(), statedLimitPerSecond: 1000 });

      const provider = await providerWith(limiter);
      // Before any create, the process may serve a preview: the price is asked, in turn.
      assert.ok(priced(await provider.check({}, news("CS1"))));
      assert.equal(bssRequests(), 1);
      assert.equal(limiter.turns, 1, "the inquiry took its turn in the shared limiter");
      // The engine creates only in an update: from then on, a throttled API gets orders, not inquiries.
      const created = await provider.create((await provider.check({}, news("CS2"))).inputs as never);
      assert.equal(created.id, "CS2");
      const before = bssRequests();
      const third = await provider.check({}, news("CS3"));
      assert.equal(third.failures, undefined);
      assert.equal(priced(third), false);
      assert.equal(bssRequests(), before, "no inquiry once the update is throttled");
      assert.equal(emu.orders().length, 1, "check never orders");

      // requirePreviewPrice: every order is priced even so.
      const strict = await providerWith(limiter, { "huaweicloud-orders:requirePreviewPrice": "true" });
      await strict.create((await strict.check({}, news("CS4"))).inputs as never);
      assert.ok(priced(await strict.check({}, news("CS5"))));
      // Unthrottled, an up prices every new order as before.
      const calm = await providerWith(new AdaptiveRateLimiter());
      await calm.create((await calm.check({}, news("CS6"))).inputs as never);
      assert.ok(priced(await calm.check({}, news("CS7"))));
      assert.equal(emu.orders().length, 3);
      // In an update, the first inquiry the API refuses is not waited out: it turns pricing off.
      const calmLimiter = new AdaptiveRateLimiter();
      const refused = await providerWith(calmLimiter);
      await refused.create((await refused.check({}, news("CS8"))).inputs as never);
      emu.injectFaults({ kind: "throttle", count: 1, service: "bss", retryAfterSeconds: 0 });
      const bssBefore = emu.requests().filter((r) => r.service === "bss");
      const eighth = await refused.check({}, news("CS9"));
      const bssAfter = emu
        .requests()
        .filter((r) => r.service === "bss")
        .slice(bssBefore.length);
      assert.equal(eighth.failures, undefined);
      assert.equal(priced(eighth), false);
      assert.deepEqual(
        bssAfter.map((r) => r.status),
        [429],
        "one refused inquiry, not sent again",
      );
      assert.equal(calmLimiter.state().enabled, true, "the refusal paces the process");
    });
  });
});
