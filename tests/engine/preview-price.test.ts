import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { CredentialKind } from "../support/emulator-harness";
import { engineSuite, type EngineStack } from "../support/engine-suite";

const run = promisify(execFile);

// The price of every order a preview would place, through the real engine against the emulator:
// one line per order with its price, a running total whose last line is the update's, the price
// recorded as `previewPrice` (never an order field, never a diff), and a preview that goes on
// (or fails, under huaweicloud-orders:requirePreviewPrice) when the price cannot be had. No preview
// places an order: the emulator counts every request.
describe("the price of every order at preview", function () {
  const suite = engineSuite();
  const emu = suite.emu;

  const CHANNEL = "hws.resource.type.metastudio.modeling.avatarlive.channel";
  const DIS_SPEC = "dis.general.partition.duration.pkg";
  interface Declared {
    kind: "dis" | "metastudio";
    name: string;
    args: unknown;
  }
  const dis = (name: string, orderId: string, periodNum = 3, extra: object = {}): Declared => ({
    kind: "dis",
    name,
    args: { orderId, cloudServices: { periodNum }, ...extra },
  });
  const avatars = (name: string, items: object[]): Declared => ({
    kind: "metastudio",
    name,
    args: { cloudServices: items },
  });
  const channel = (periodType: number, periodNum: number, subscriptionNum: number) => ({
    periodType,
    periodNum,
    subscriptionNum,
    resourceSpecCode: CHANNEL,
  });

  const rawStack = (
    credentials: CredentialKind,
    resources: Declared[],
    config: Record<string, string> = {},
  ) => suite.stack("raw-orders", { credentials, config: { ...config, resources } });
  const declare = (temp: EngineStack, resources: Declared[]) => temp.configure({ resources });
  const preview = (temp: EngineStack) => temp.attempt("preview");
  const rateRequests = () =>
    emu.requests().filter((r) => r.path.endsWith("/period-resources/subscribe-rate"));
  /** The running-total lines of the Diagnostics section (the progress display shows them too). */
  const totals = (text: string) =>
    text.split("\nDiagnostics:")[1]?.match(/update total so far: [^\n]*/g) ?? [];

  function setPrices(percentOff?: number, monthly = 10) {
    emu.emulator.setPricing({
      products: [
        {
          cloudServiceType: "hws.service.type.dis",
          resourceType: "hws.resource.type.dis",
          resourceSpec: DIS_SPEC,
          monthly,
          yearly: 100,
        },
        {
          cloudServiceType: "hws.service.type.metastudio",
          resourceType: CHANNEL,
          resourceSpec: CHANNEL,
          monthly,
          yearly: 100,
        },
      ],
      discounts:
        percentOff === undefined
          ? []
          : [{ discountId: "biz-1", discountName: "Business discount", percentOff }],
    });
  }

  it("shows each order's price and the update's total, in the text and in --json, and orders nothing", async function () {
    emu.reset();
    setPrices(20);
    const temp = await rawStack("aksk", [
      dis("pkg", "CS3000000001", 3),
      avatars("avatars", [channel(2, 1, 2), channel(3, 1, 1)]),
    ]);
    const p = await preview(temp);
    assert.ok(p.ok, p.text);
    // DIS: 3 months x 10.00 = 30.00, 20% off. MetaStudio: 2 x 10.00 + 100.00 = 120.00, 20% off.
    assert.match(
      p.text,
      /DisPackageOrder 'pkg': price of the new order: 24\.00 CNY with the best offer "Business discount" \(6\.00 CNY off the official 30\.00 CNY\)/,
    );
    assert.match(
      p.text,
      /MetaStudioSubscription 'avatars': price of the new order: 96\.00 CNY with the best offer "Business discount" \(24\.00 CNY off the official 120\.00 CNY\)/,
    );
    const lines = totals(p.text);
    assert.equal(lines.length, 2, p.text);
    assert.match(
      lines.at(-1) ?? "",
      /^update total so far: 2 new paid orders, total 120\.00 CNY \(official 150\.00 CNY\)\./,
    );
    assert.equal(emu.orderRequests().length, 0, "a preview places no order");
    assert.equal(rateRequests().length, 2, "one inquiry per new order");

    // `pulumi preview --json`: the lines are diagnostics, and each step's inputs carry previewPrice.
    const { stdout } = await run("pulumi", ["preview", "--json", "--non-interactive", "--stack", "test"], {
      cwd: path.join(temp.dir, "program"),
      env: { ...process.env, ...temp.env },
    });
    const json = JSON.parse(stdout) as {
      diagnostics?: { message: string }[];
      steps: { op: string; newState?: { type: string; inputs: Record<string, unknown> } }[];
    };
    const messages = (json.diagnostics ?? []).map((m) => m.message);
    assert.ok(
      messages.some((m) => /DisPackageOrder 'pkg': price of the new order: 24\.00 CNY/.test(m)),
      stdout,
    );
    assert.ok(
      messages.some((m) => /update total so far: 2 new paid orders, total 120\.00 CNY/.test(m)),
      stdout,
    );
    const prices = json.steps
      .filter((s) => s.newState?.type.startsWith("pulumi-nodejs:dynamic/huaweicloud:"))
      .map((s) => s.newState?.inputs["previewPrice"] as Record<string, unknown>)
      .sort((a, b) => Number(a["officialAmount"]) - Number(b["officialAmount"]));
    assert.deepEqual(
      prices.map(({ quotedAt, ...rest }) => (assert.match(String(quotedAt), /^\d{4}-\d\d-\d\dT/), rest)),
      [
        { currency: "CNY", officialAmount: 30, amount: 24, discountAmount: 6, offer: "Business discount" },
        { currency: "CNY", officialAmount: 120, amount: 96, discountAmount: 24, offer: "Business discount" },
      ],
    );
    assert.equal(emu.orderRequests().length, 0, "--json places no order either");
  });

  it("a quote that changes before `up` changes nothing; later previews show no change and ask no price", async function () {
    emu.reset();
    setPrices();
    const temp = await rawStack("password", [
      dis("pkg", "CS3000000011", 2),
      avatars("avatars", [channel(2, 1, 1)]),
    ]);
    const first = await preview(temp);
    assert.match(
      first.text,
      /update total so far: 2 new paid orders, total 30\.00 CNY \(official 30\.00 CNY\)/,
    );
    // The price list changes between the preview and the up: the up re-quotes and places the same orders.
    setPrices(50, 12);
    const upText = (await temp.up()).stdout;
    assert.match(upText, /update total so far: 2 new paid orders, total 18\.00 CNY \(official 36\.00 CNY\)/);
    assert.equal(emu.orders("dis").length, 1);
    assert.equal(emu.orders("metastudio").length, 1);
    const sentDis = emu.orders("dis")[0]?.request.body;
    assert.equal(
      JSON.stringify(sentDis).includes("previewPrice"),
      false,
      "the price is never sent with the order",
    );

    const asked = rateRequests().length;
    const again = await preview(temp);
    assert.deepEqual(again.changes, { same: 3 });
    assert.equal(totals(again.text).length, 0, again.text);
    // (An up of unchanged orders sends nothing at all: orders.test.ts.)
    assert.equal(rateRequests().length, asked, "no inquiry for orders already placed");

    // A replacement's create half is priced; the update's total counts it once.
    await declare(temp, [dis("pkg", "CS3000000012", 4), avatars("avatars", [channel(2, 1, 1)])]);
    const replacing = await preview(temp);
    assert.deepEqual(replacing.changes, { replace: 1, same: 2 });
    assert.match(
      replacing.text,
      /DisPackageOrder 'pkg': price of the new order: 24\.00 CNY with the best offer/,
    );
    assert.match(
      totals(replacing.text).at(-1) ?? "",
      /update total so far: 1 new paid order, total 24\.00 CNY/,
    );
    assert.equal(emu.orderRequests().length, 2);
  });

  it("`up` without a preview: every order's warning, price and running total reach the output (checks do not wait for them, creates do)", async function () {
    emu.reset();
    setPrices();
    // Alike orders two by two: 4 inquiries for 8 orders, each order still with its lines.
    const ids = Array.from({ length: 8 }, (_, i) => `CS30000000${61 + i}`);
    const temp = await rawStack(
      "aksk",
      ids.map((id, i) => dis(`pkg-${i}`, id, 1 + (i % 4))),
    );
    const up = await temp.up();
    const text = up.stdout;
    assert.equal(up.summary.result, "succeeded", text);
    const diagnostics = text.split("\nDiagnostics:")[1] ?? "";
    for (let i = 0; i < ids.length; i++) {
      assert.match(diagnostics, new RegExp(`DisPackageOrder 'pkg-${i}': places a new paid order`), text);
      assert.match(
        diagnostics,
        new RegExp(`DisPackageOrder 'pkg-${i}': price of the new order: \\d+\\.00 CNY`),
        text,
      );
    }
    // 1 + 2 + 3 + 4 months, twice, at 10.00 CNY a month.
    assert.match(
      totals(text).at(-1) ?? "",
      /^update total so far: 8 new paid orders, total 200\.00 CNY/,
      text,
    );
    assert.equal(totals(text).length, 8, text);
    assert.equal(rateRequests().length, 4, "alike orders asked once");
    assert.equal(emu.orders("dis").length, 8);
  });

  it("without a price the preview says why, one line per resource, and goes on; requirePreviewPrice fails it", async function () {
    emu.reset();
    setPrices();
    const temp = await rawStack(
      "aksk",
      [
        dis("unknown", "CS3000000021", 1, { priceInquiry: [{ resourceSpec: "no.such.spec" }] }),
        avatars("one-off", [{ periodType: 6, periodNum: 1, subscriptionNum: 1, resourceSpecCode: CHANNEL }]),
      ],
      // BSS down and throttled below: one retry, a second at most, before the preview goes on.
      { "huaweicloud-orders:maxRetryWaitSeconds": "1", "huaweicloud-orders:maxRetries": "1" },
    );
    const p = await preview(temp);
    assert.ok(p.ok, p.text);
    assert.match(
      p.text,
      /DisPackageOrder 'unknown': no price for the new order: .*ListRateOnPeriodDetail.*HTTP 400.*CBC\.99006006.*set priceInquiry.*The preview goes on without it \(set huaweicloud-orders:requirePreviewPrice to true to fail instead\)/,
    );
    assert.match(
      p.text,
      /MetaStudioSubscription 'one-off': no price for the new order: cloudServices\[0\] is a one-off purchase/,
    );
    assert.match(totals(p.text).at(-1) ?? "", /2 new paid orders, no price known; 2 without a price/);

    // BSS down (5xx after the retries), then throttled past the preview's wait.
    await declare(temp, [dis("down", "CS3000000022")]);
    emu.emulator.injectFaults({ kind: "error", count: 1000, status: 503, service: "bss" });
    const down = await preview(temp);
    assert.ok(down.ok, down.text);
    assert.match(down.text, /DisPackageOrder 'down': no price for the new order: .*HTTP 503/);
    emu.emulator.clearFaults();
    emu.emulator.injectFaults({ kind: "throttle", count: 1000, service: "bss" });
    const throttled = await preview(temp);
    assert.ok(throttled.ok, throttled.text);
    assert.match(throttled.text, /DisPackageOrder 'down': no price for the new order: .*HTTP 429/);
    emu.emulator.clearFaults();

    await temp.configure({
      "huaweicloud-orders:requirePreviewPrice": "true",
      resources: [dis("unknown", "CS3000000021", 1, { priceInquiry: [{ resourceSpec: "no.such.spec" }] })],
    });
    const required = await preview(temp);
    assert.equal(required.ok, false);
    assert.match(
      required.text,
      /DisPackageOrder 'unknown': no price for the new order: .*CBC\.99006006.*huaweicloud-orders:requirePreviewPrice is true, so the preview fails/,
    );
    assert.equal(emu.orderRequests().length, 0, "no preview placed an order");
  });

  it("throttled: the preview prices every order in turn; `up` stops pricing at the first 429, one line, each order once", async function () {
    emu.reset();
    setPrices();
    const ids = Array.from({ length: 4 }, (_, i) => `CS30000000${41 + i}`);
    const temp = await rawStack(
      "aksk",
      // Each for another number of months: alike orders would be priced by one inquiry.
      ids.map((id, i) => dis(`pkg-${i}`, id, i + 1)),
    );
    // Three requests a second for every service, one at a time, as API Gateway would: below what 4
    // orders ask at once.
    emu.emulator.injectFaults({ kind: "rate-limit", perSecond: 3, burst: 1 });
    const p = await preview(temp);
    assert.ok(p.ok, p.text);
    assert.equal(
      (p.text.split("\nDiagnostics:")[1]?.match(/price of the new order: /g) ?? []).length,
      4,
      p.text,
    );
    assert.match(totals(p.text).at(-1) ?? "", /4 new paid orders, total 100\.00 CNY/);
    assert.equal(emu.orderRequests().length, 0, "a preview places no order");
    assert.ok(
      emu.requests().some((r) => r.status === 429),
      "the preview was throttled on the way, and still priced every order",
    );

    const inquiriesBefore = rateRequests().length;
    const up = await temp.up();
    const text = up.stdout;
    assert.equal(up.summary.result, "succeeded", text);
    const diagnostics = text.split("\nDiagnostics:")[1] ?? "";
    assert.equal(
      (
        diagnostics.match(
          /the API is throttling this update \(HTTP 429\): new orders are not priced again/g,
        ) ?? []
      ).length,
      1,
      text,
    );
    const atUp = rateRequests().slice(inquiriesBefore);
    assert.ok(atUp.length < ids.length, `${atUp.length} inquiries at up for ${ids.length} orders`);
    assert.equal(
      atUp.filter((r) => r.status === 429).length <= 1,
      true,
      "a refused inquiry is not sent again",
    );
    // Each order accepted exactly once, whatever was refused on the way.
    const accepted = emu
      .orderRequests()
      .filter((r) => r.status === 200)
      .map((r) => r.path.split("/").at(-1));
    assert.deepEqual([...accepted].sort(), [...ids].sort());
    emu.emulator.clearFaults();
  });

  it("a token without billing permission (project-scoped, no domainAuthToken) gets no price and the preview goes on", async function () {
    emu.reset();
    setPrices();
    const temp = await rawStack("token", [dis("pkg", "CS3000000031")]);
    await temp.stack.removeConfig("huaweicloud-orders:domainAuthToken");
    const p = await preview(temp);
    assert.ok(p.ok, p.text);
    assert.match(p.text, /DisPackageOrder 'pkg': no price for the new order: .*HTTP 403.*APIGW\.0302/);
    assert.equal(emu.orderRequests().length, 0);
  });
});
