import * as assert from "node:assert/strict";
import { engineSuite, type EngineStack, type StateResource } from "../support/engine-suite";

// Refresh reads each order's truth through BSS and never drops one; destroy keeps an order or
// unsubscribes it (onDestroy). One stack of tests/fixtures/lifecycle carries every case, step by
// step; the emulator counts what could cost money (orders, payments, unsubscriptions).
describe("refresh and destroy read and end the subscription, through the real engine", function () {
  // The emulator's clock, which the last case moves on instead of waiting.
  let clockOffset = 0;
  const suite = engineSuite({ emulator: { clock: () => Date.now() + clockOffset } });
  const emu = suite.emu;
  let temp: EngineStack;

  type Spec = Record<string, string | number | boolean>;
  const KEPT = "CS2511071586KP";
  const ADOPTED = "CS2511071586AD";
  const SUBMITTED = "CS2511071586SB";
  const orders: Record<string, Spec> = {
    expired: { kind: "metastudio", isAutoPay: true },
    frozen: { kind: "metastudio", isAutoPay: true },
    gone: { kind: "metastudio", isAutoPay: true },
    eleven: { kind: "metastudio", isAutoPay: true, items: 11 },
    kept: { kind: "dis", orderId: KEPT, autoPay: true, waitUntil: "provisioned" },
    adopted: { kind: "dis", orderId: ADOPTED, adoptOrderId: ADOPTED },
    submitted: { kind: "dis", orderId: SUBMITTED, waitUntil: "submitted" },
  };

  const bssCalls = () => emu.requests().filter((r) => r.service === "bss");
  /** What can cost money: orders placed, payments, unsubscriptions (admin changes excluded). */
  const money = () => ({
    orders: emu.orderRequests().filter((r) => r.method === "POST").length,
    payments: bssCalls().filter((r) => r.path === "/v3/orders/customer-orders/pay").length,
    unsubscriptions: unsubscribeCalls().length,
  });
  const unsubscribeCalls = () =>
    bssCalls().filter((r) => r.path === "/v2/orders/subscriptions/resources/unsubscribe");

  /** The order resources by name, as the state holds them. */
  async function recorded(): Promise<Map<string, StateResource>> {
    return new Map((await temp.state()).orders.map((r) => [r.name, r]));
  }
  const resourcesOf = (r: StateResource | undefined) => r?.outputs.purchasedResources ?? [];

  before(async function () {
    emu.emulator.setBillingDelay(300);
    temp = await suite.stack("lifecycle", {
      config: { "huaweicloud-orders:orderPollIntervalSeconds": "0.1", orders },
    });
    // An order placed outside Pulumi, which the stack adopts.
    const placed = await fetch(`${emu.url}/v2/orders/${ADOPTED}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": emu.emulator.issueToken() },
      body: JSON.stringify({ cloudServices: { periodType: 2, periodNum: 1 } }),
    });
    assert.equal(placed.status, 200);
  });

  it("refresh after an outside expiry, freeze and unsubscription keeps every order, marks and warns, and buys, pays and unsubscribes nothing", async function () {
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 8 });
    const before = await recorded();
    const first = (name: string) => resourcesOf(before.get(name))[0]?.resourceId ?? "";
    assert.equal(resourcesOf(before.get("eleven")).length, 11);
    assert.ok(emu.emulator.changeResource(first("expired"), "expire"));
    assert.ok(emu.emulator.changeResource(first("frozen"), "freeze"));
    assert.ok(emu.emulator.changeResource(first("gone"), "unsubscribe"));

    const spent = money();
    const bssBefore = bssCalls().length;
    temp.clearOutput();
    const refresh = await temp.refresh();
    assert.deepEqual(money(), spent, "refresh orders, pays and unsubscribes nothing");
    // Completed orders: details and resources; orders not completed: details only.
    assert.equal(bssCalls().length - bssBefore, 5 * 2 + 2 * 1);
    assert.equal(refresh.summary.resourceChanges?.["delete"], undefined);

    const after = await recorded();
    assert.equal(after.size, 7, "no order left the stack");
    const status = (name: string) => after.get(name)?.outputs["subscriptionStatus"];
    assert.deepEqual(
      Object.keys(orders).map((name) => [name, status(name)]),
      [
        ["expired", "expired"],
        ["frozen", "frozen"],
        ["gone", "unsubscribed"],
        ["eleven", "active"],
        ["kept", "active"],
        ["adopted", "pending"],
        ["submitted", "pending"],
      ],
    );
    // The unsubscribed resource is kept in the outputs, closed; the adopted and submitted orders
    // were read for the first time.
    assert.deepEqual(
      resourcesOf(after.get("gone")).map((r) => [r.resourceId, r.status]),
      [[first("gone"), 3]],
    );
    assert.equal(after.get("adopted")?.outputs["orderStatus"], 6);
    assert.equal(after.get("submitted")?.outputs["officialAmount"], 10);
    assert.match(String(after.get("kept")?.outputs["subscriptionCheckedAt"]), /^\d{4}-\d\d-\d\dT/);
    for (const [name, what] of [
      ["expired", "has expired resources"],
      ["frozen", "has frozen resources"],
      ["gone", "no longer lists 1 resource of"],
    ]) {
      const orderId = String(after.get(name as string)?.outputs["orderId"]);
      const found =
        new RegExp(`MetaStudioSubscription '${name}': refresh found that [^\\n]*`).exec(temp.output())?.[0] ??
        "";
      assert.ok(found.includes(orderId) && found.includes(what as string), `${name}: ${found}`);
      assert.match(found, /stays in the stack, marked subscriptionStatus .*Choose: .*pulumi up --replace/);
    }
    assert.doesNotMatch(temp.output(), /'(eleven|kept|adopted|submitted)': refresh found/);

    // What refresh recorded changes no order: the next preview buys nothing.
    const preview = await temp.preview();
    assert.deepEqual(preview.changeSummary, { same: 8 });
    assert.deepEqual(money(), spent);
  });

  it('onDestroy "unsubscribe" of a one-off purchase is refused at preview, naming the property; nothing is sent', async function () {
    const requests = emu.requests().length;
    await temp.configure({
      orders: { ...orders, oneOff: { kind: "metastudio", periodType: 6, onDestroy: "unsubscribe" } },
    });
    await assert.rejects(
      temp.preview(),
      /onDestroy.*a one-off purchase cannot be unsubscribed \(cloudServices\[0\]\.periodType is 6, one-off\)/,
    );
    assert.equal(emu.requests().length - requests, 0);
  });

  it("changing only onDestroy is an update that orders and sends nothing", async function () {
    const requests = emu.requests().length;
    await temp.configure({
      orders: {
        ...orders,
        eleven: { ...orders["eleven"], onDestroy: "unsubscribe", waitTimeoutSeconds: 1 },
        gone: { ...orders["gone"], onDestroy: "unsubscribe" },
      },
    });
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { update: 2, same: 6 });
    assert.equal(emu.requests().length - requests, 0);
    const after = await recorded();
    assert.equal(after.get("eleven")?.outputs["onDestroy"], "unsubscribe");
    assert.equal(after.get("kept")?.outputs["onDestroy"], "keep");
  });

  it("destroy keeps what onDestroy keeps, unsubscribes 11 resources in 2 requests, and after a timeout resumes by waiting, never unsubscribing twice", async function () {
    const eleven = (await recorded()).get("eleven");
    const ids = resourcesOf(eleven).map((r) => r.resourceId);
    const spent = money();
    // The unsubscription takes an hour of the emulator's clock: longer than the 1 s the destroy waits.
    const HOUR = 3600_000;
    emu.emulator.setBillingDelay(HOUR);
    temp.clearOutput();
    await assert.rejects(
      temp.destroy({ continueOnError: true }),
      /MetaStudioSubscription 'eleven': 11 resources are of order \S+ still listed by BSS after \d+ s \(waitTimeoutSeconds 1\).*next `pulumi destroy` reads BSS first/s,
    );
    const calls = unsubscribeCalls();
    assert.equal(calls.length - spent.unsubscriptions, 2, "11 resources: requests of 10 and 1");
    const sent = calls
      .slice(spent.unsubscriptions)
      .map((c) => (c.body as { resource_ids: string[] }).resource_ids);
    assert.deepEqual(
      sent.map((part) => part.length),
      [10, 1],
    );
    assert.deepEqual(sent.flat().sort(), [...ids].sort());
    assert.equal(money().orders, spent.orders);
    assert.equal(money().payments, spent.payments);
    // keep: forgotten with the warning; gone (unsubscribed outside Pulumi): nothing left to send.
    assert.match(
      temp.output(),
      new RegExp(`DisPackageOrder 'kept': order ${KEPT} .* still exists in Huawei Cloud`),
    );
    assert.match(
      temp.output(),
      /MetaStudioSubscription 'gone': order \S+ is 5 \(completed\) and BSS lists no resource of it/,
    );
    assert.match(temp.output(), /'eleven': unsubscribing 10 resources of order \S+ \(request 1 of 2\)/);
    assert.match(temp.output(), /'eleven': BSS accepted the unsubscription \(order CS/);
    assert.deepEqual([...(await recorded()).keys()], ["eleven"], "the failed destroy keeps its resource");

    // The program keeps only that order and lets destroy wait longer (an update that sends nothing).
    await temp.configure({
      orders: { eleven: { ...orders["eleven"], onDestroy: "unsubscribe", waitTimeoutSeconds: 60 } },
    });
    const up = await temp.up();
    assert.deepEqual(up.summary.resourceChanges, { update: 1, same: 1 });

    // Once destroy says it waits for the unsubscription in progress, the hour passes.
    temp.clearOutput();
    const destroy = await temp.destroy({
      // Called with each line once it is in temp.output().
      onOutput: () => {
        if (clockOffset === 0 && /'eleven': an unsubscription is already in progress/.test(temp.output()))
          clockOffset = HOUR;
      },
    });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 2 });
    assert.equal(unsubscribeCalls().length - spent.unsubscriptions, 2, "no second unsubscription");
    assert.match(
      temp.output(),
      /'eleven': an unsubscription is already in progress .*sending no unsubscription/,
    );
    assert.match(
      temp.output(),
      /'eleven': 11 resources of order \S+ unsubscribed and gone; the resource leaves the stack/,
    );
    const left = emu.emulator.billingResources().filter((r) => ids.includes(r.resourceId));
    assert.ok(
      left.every((r) => r.removedAt !== undefined),
      "every resource is gone",
    );
  });

  it('destroy with onDestroy "unsubscribe" of an expired, an outside-unsubscribed and an in-use subscription: the stack ends empty, only the one in use is unsubscribed, once', async function () {
    // A fresh emulator, as the page answers: no order of the steps above is a recent identical one.
    emu.reset();
    emu.emulator.setBillingDelay(300);
    const spec = { kind: "metastudio", isAutoPay: true, onDestroy: "unsubscribe" };
    const stack = await suite.stack("lifecycle", {
      config: {
        "huaweicloud-orders:orderPollIntervalSeconds": "0.1",
        orders: { expired: spec, outside: spec, inUse: spec },
      },
    });
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 4 });
    const made = await stack.state();
    const first = (name: string) => made.resource(name).outputs.purchasedResources?.[0]?.resourceId ?? "";
    // Outside Pulumi: one expires, one is unsubscribed in the console.
    assert.ok(emu.emulator.changeResource(first("expired"), "expire"));
    assert.ok(emu.emulator.changeResource(first("outside"), "unsubscribe"));

    const calls = unsubscribeCalls().length;
    const spent = money();
    stack.clearOutput();
    const destroy = await stack.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 4 });
    assert.equal((await stack.state()).orders.length, 0, "the stack ends empty");
    const sent = unsubscribeCalls().slice(calls);
    assert.deepEqual(
      sent.map((c) => [c.status, (c.body as { resource_ids: string[] }).resource_ids]),
      [[200, [first("inUse")]]],
      "one request, naming only the resource in use, accepted",
    );
    assert.deepEqual([money().orders, money().payments], [spent.orders, spent.payments]);
    assert.match(
      stack.output(),
      new RegExp(
        `'expired': resource ${first("expired")} of order \\S+ is 5 \\(expired\\): BSS cannot unsubscribe an expired resource; nothing is sent for it, and it is forgotten`,
      ),
    );
    assert.match(stack.output(), /'outside': order \S+ is 5 \(completed\) and BSS lists no resource of it/);
    assert.match(
      stack.output(),
      /'inUse': 1 resource of order \S+ unsubscribed and gone; the resource leaves the stack/,
    );
    const billed = new Map(emu.emulator.billingResources().map((r) => [r.resourceId, r]));
    assert.deepEqual(
      ["expired", "outside", "inUse"].map((name) => billed.get(first(name))?.status),
      [5, 3, 3],
      "the expired resource is left to expire; the others are closed",
    );
  });
});
