import * as assert from "node:assert/strict";
import { spawnUp } from "../support/engine";
import { engineSuite, type EngineStack } from "../support/engine-suite";
import { killTree, waitForExit } from "../support/processes";

// An order request whose outcome is unknown is looked up through BSS before anything is sent
// again (docs/recovery.md "When an order's outcome is unknown"), and an interrupted create never leads the
// next up to order twice without saying so. Counted through the emulator: order requests and
// orders placed, per service. Several resources per stack, created in parallel by the engine.
describe("reconciling unknown order outcomes through BSS, through the real engine", function () {
  /** How far BSS's clock runs ahead: time passing between two runs, without waiting for it. */
  let clockOffsetMs = 0;
  const suite = engineSuite({ emulator: { clock: () => Date.now() + clockOffsetMs } });
  const emu = suite.emu;
  afterEach(function () {
    emu.emulator.clearFaults();
    clockOffsetMs = 0;
  });

  type Spec = Record<string, string | number | boolean>;

  function lifecycleStack(orders: Record<string, Spec>, reconcileSeconds = "1"): Promise<EngineStack> {
    emu.reset();
    emu.emulator.setBillingDelay(300);
    return suite.stack("lifecycle", {
      config: {
        "huaweicloud-orders:orderPollIntervalSeconds": "0.2",
        "huaweicloud-orders:orderReconcileSeconds": reconcileSeconds,
        "huaweicloud-orders:maxRetries": "1",
        orders,
      },
    });
  }

  /** The resource named `name` as the state holds it (read from the backend's files). */
  const recorded = async (t: EngineStack, name: string) => (await t.state()).resource(name);

  const posts = (service: "dis" | "metastudio") =>
    emu.orderRequests().filter((r) => r.service === service && r.method === "POST");

  /** The MetaStudio orders placed with this subscription_num, oldest first. */
  const ordersFor = (subscriptionNum: number) =>
    emu
      .orders("metastudio")
      .filter(
        (o) =>
          (o.request.body as { cloud_services: { subscription_num: number }[] }).cloud_services[0]
            ?.subscription_num === subscriptionNum,
      )
      .map((o) => o.orderId);

  /** An order placed outside this stack, straight through the MetaStudio API. */
  const outsideOrder = (subscriptionNum: number) =>
    emu.outsideMetaStudioOrder({ subscription_num: subscriptionNum });

  it("a DIS order answered 5xx after it was placed, and shown late by BSS, is found by its id; a dropped MetaStudio order is found by its window; one never placed is sent again", async function () {
    const DIS = "CS2511071586RC";
    const t = await lifecycleStack(
      {
        dis: { kind: "dis", orderId: DIS },
        dropped: { kind: "metastudio", subscriptionNum: 1 },
        refused: { kind: "metastudio", subscriptionNum: 2 },
      },
      "3",
    );
    emu.emulator.injectFaults(
      { kind: "error-after-accept", count: 1, status: 502, service: "dis" },
      { kind: "bss-lag", count: 1, ms: 1500, service: "dis" },
      // The first MetaStudio request fails before it is handled (nothing placed); the next
      // accepted one is dropped after it was placed. Which resource meets which is a race;
      // either way each must end with exactly one order.
      { kind: "error", count: 1, status: 503, service: "metastudio" },
      { kind: "drop", count: 1, service: "metastudio" },
    );
    const up = await t.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 4 });

    // DIS: one request, one order, found by its id once BSS showed it.
    assert.equal(posts("dis").length, 1);
    assert.deepEqual(
      emu.orders("dis").map((o) => o.orderId),
      [DIS],
    );
    assert.match(
      t.output(),
      new RegExp(
        `DisPackageOrder 'dis': the outcome of the order request sent at \\S+ is unknown \\(HTTP 502`,
      ),
    );
    assert.match(
      t.output(),
      new RegExp(`DisPackageOrder 'dis': BSS shows no order ${DIS} yet; looking again until`),
    );
    assert.match(
      t.output(),
      new RegExp(`BSS shows order ${DIS} \\(created \\S+\\), matching its id: this resource adopts it`),
    );
    assert.equal((await recorded(t, "dis")).outputs["orderId"], DIS);

    // MetaStudio: three requests (the refused one sent again once), two orders, one per resource.
    assert.equal(posts("metastudio").length, 3);
    const placed = emu.orders("metastudio").map((o) => o.orderId);
    assert.equal(placed.length, 2);
    const held = [
      String((await recorded(t, "dropped")).outputs["orderId"]),
      String((await recorded(t, "refused")).outputs["orderId"]),
    ];
    assert.deepEqual([...held].sort(), [...placed].sort());
    assert.match(
      t.output(),
      /matching line items \(period_type 2 × 1, subscription_num [12]\): this resource adopts it/,
    );
    assert.match(t.output(), /it was not placed; sending the order request again \(once\)/);
    for (const name of ["dis", "dropped", "refused"]) {
      assert.equal((await recorded(t, name)).outputs["unknownOutcome"], null);
      assert.equal((await recorded(t, name)).initErrors, undefined);
    }
  });

  it("BSS down: both resources are kept as pending reconcile; the next up finds the DIS order, and stops at two MetaStudio candidates without ordering; adoptOrderId settles it", async function () {
    const DIS = "CS2511071586BD";
    const t = await lifecycleStack({
      dis: { kind: "dis", orderId: DIS },
      twin: { kind: "metastudio", subscriptionNum: 3 },
    });
    // The outside orders are this test's second candidate, placed before the run on purpose: the
    // duplicate guard, which would stop the create before its request, is off.
    await t.configure({ "huaweicloud-orders:duplicateOrderWindowMinutes": "0" });
    const [first, second] = [await outsideOrder(3), await outsideOrder(3)];
    emu.emulator.injectFaults(
      { kind: "error-after-accept", count: 1, service: "dis" },
      { kind: "error", count: 1, status: 500, service: "metastudio" },
      { kind: "error", count: 1000, status: 503, service: "bss" },
    );
    let failure = "";
    await assert.rejects(t.up({ continueOnError: true }), (err: Error) => {
      failure = err.message;
      return true;
    });
    emu.emulator.clearFaults();
    for (const name of ["dis", "twin"]) {
      assert.match(
        failure,
        new RegExp(
          `'${name}': looking the order up through BSS failed: .*HTTP 503.*recorded as pending reconcile`,
          "s",
        ),
      );
      const r = await recorded(t, name);
      assert.equal(r.initErrors?.length, 1);
      assert.match(String(r.outputs.unknownOutcome?.sentAt), /^\d{4}-/);
    }
    assert.equal((await recorded(t, "dis")).id, DIS);
    assert.match(String((await recorded(t, "twin")).id), /^unknown-outcome-\d+$/);
    assert.equal(emu.orders("dis").length, 1);
    assert.equal(emu.orders("metastudio").length, 2, "the two outside orders only");

    // BSS is back: the DIS order is found by its id; the MetaStudio one has two candidates.
    t.clearOutput();
    const requestsBefore = posts("metastudio").length + posts("dis").length;
    const bssBefore = emu.requests().filter((r) => r.service === "bss").length;
    await assert.rejects(t.up({ continueOnError: true }), (err: Error) => {
      assert.match(
        err.message,
        /'twin': the outcome of the order request sent at \S+ is unknown, and BSS shows 2 orders that match it/,
      );
      assert.ok(err.message.includes(first) && err.message.includes(second), "both candidates named");
      assert.match(err.message, /Nothing was sent\. .*set `adoptOrderId` to it/);
      return true;
    });
    assert.equal(posts("metastudio").length + posts("dis").length, requestsBefore, "no order request sent");
    // What the two reconciles cost: DIS, one order-details request; MetaStudio, one look at BSS's
    // service types, one list request and one details request per candidate (neither completed,
    // so no resources query).
    const reconciles = emu
      .requests()
      .filter((r) => r.service === "bss")
      .slice(bssBefore)
      .map((r) => (r.path.startsWith("/v2/orders/customer-orders/details/") ? "details" : r.path));
    assert.deepEqual([...reconciles].sort(), [
      "/v2/orders/customer-orders",
      "/v2/products/service-types",
      "details",
      "details",
      "details",
    ]);
    assert.equal(emu.orders("metastudio").length, 2);
    const dis = await recorded(t, "dis");
    assert.equal(dis.initErrors, undefined);
    assert.equal(dis.outputs["unknownOutcome"], null);
    assert.equal((await recorded(t, "twin")).initErrors?.length, 1);

    // The operator names the order the request placed: adopted, nothing sent.
    await t.configure({
      orders: {
        dis: { kind: "dis", orderId: DIS },
        twin: { kind: "metastudio", subscriptionNum: 3, adoptOrderId: second },
      },
    });
    const settled = await t.up();
    assert.deepEqual(settled.summary.resourceChanges, { update: 1, same: 2 });
    const twin = await recorded(t, "twin");
    assert.equal(twin.outputs["orderId"], second);
    assert.equal(twin.initErrors, undefined);
    assert.equal(posts("metastudio").length + posts("dis").length, requestsBefore);
    assert.equal(emu.orders("metastudio").length, 2);
    assert.equal(emu.orders("dis").length, 1);
  });

  it("an engine killed while following: the next preview names the MetaStudio order its create left, and up takes it (its pending create is the evidence), never another stack's identical order placed in between; DIS names its refused id to adopt", async function () {
    const DIS = "CS2511071586KL";
    const config = {
      "huaweicloud-orders:orderPollIntervalSeconds": "0.2",
      "huaweicloud-orders:orderReconcileSeconds": "1",
      "huaweicloud-orders:maxRetries": "1",
    };
    const t = await lifecycleStack({
      dis: { kind: "dis", orderId: DIS, waitUntil: "paid", waitTimeoutSeconds: 600 },
      avatar: { kind: "metastudio", subscriptionNum: 4, waitUntil: "paid", waitTimeoutSeconds: 600 },
    });
    const run = spawnUp(t);
    const both = Promise.all([emu.emulator.nextOrder("dis"), emu.emulator.nextOrder("metastudio")]);
    const first = await Promise.race([both.then(() => "ordered"), run.exited.then(() => "exited")]);
    assert.equal(first, "ordered", `the run ended before its orders arrived:\n${run.output()}`);
    // Both creates now wait for payment, which never comes: kill the whole run, as a crash would.
    const killed = killTree(run.pid);
    await run.exited;
    assert.deepEqual(await waitForExit(killed, 10_000), []);
    await t.stack.cancel();
    const [placed] = emu.orders("metastudio").map((o) => o.orderId);
    assert.ok(placed);
    // 20 minutes later (BSS's clock), another stack of the same program orders the same subscription.
    clockOffsetMs = 20 * 60_000;
    const staging = await suite.stack("lifecycle", {
      stackName: "staging",
      config: { ...config, orders: { avatar: { kind: "metastudio", subscriptionNum: 4 } } },
    });
    assert.deepEqual((await staging.up()).summary.resourceChanges, { create: 2 });
    const stagings = (await staging.state()).resource("avatar").id ?? "";
    assert.deepEqual(ordersFor(4), [placed, stagings]);
    // The next run follows no further than the order request (the payment never comes).
    const next = {
      dis: { kind: "dis", orderId: DIS, waitUntil: "submitted" },
      avatar: { kind: "metastudio", subscriptionNum: 4, waitUntil: "submitted" },
    };
    await t.configure({ orders: next });

    // The preview names the order already: the engine checks before it creates.
    const preview = await t.preview();
    assert.match(
      preview.stdout,
      new RegExp(
        `MetaStudioSubscription 'avatar': the stack's checkpoint holds a create of this resource that an earlier run ` +
          `began and never finished .*BSS shows one order .*: ${placed} .*\`pulumi up\` takes it and orders nothing`,
      ),
    );
    assert.doesNotMatch(preview.stdout, new RegExp(stagings));
    await assert.rejects(t.up({ continueOnError: true }), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(
          `DisPackageOrder 'dis': .*HTTP 400.*DIS\\.4200.*BSS shows order ${DIS} already placed .*set \`adoptOrderId: "${DIS}"\``,
          "s",
        ),
      );
      assert.doesNotMatch(err.message, /MetaStudioSubscription 'avatar': .*(Nothing was ordered|could not)/);
      return true;
    });
    assert.match(
      t.output(),
      new RegExp(
        `MetaStudioSubscription 'avatar': the stack's checkpoint holds .*BSS shows one order .*: ${placed} ` +
          `\\(created \\S+, status 6 \\(pending payment\\)\\), matching line items \\(period_type 2 × 1, ` +
          `subscription_num 4\\): this resource takes it as the order that create placed; nothing was sent`,
      ),
    );
    assert.match(t.output(), /pending operations from previous deployment/);
    assert.match(t.output(), /avatar, interrupted while creating/);
    assert.equal((await recorded(t, "avatar")).id, placed);
    assert.equal(posts("metastudio").length, 2, "the killed run's request and staging's, none more");
    assert.equal(emu.orders("dis").length, 1, "DIS refused the second submission");

    // The operator adopts the DIS order, as the error says: one order of each, nothing sent.
    await t.configure({ orders: { ...next, dis: { ...next.dis, adoptOrderId: DIS } } });
    const adopted = await t.up();
    assert.deepEqual(adopted.summary.resourceChanges, { create: 1, same: 2 });
    assert.equal((await recorded(t, "dis")).id, DIS);
    // The engine keeps pending creates until told (backend/journal.go: they "require user
    // intervention"), and warns of them each run: the refresh the README gives clears them.
    const pending = async () => (await t.state()).pendingOperations;
    assert.deepEqual(await pending(), ["creating", "creating"]);
    await t.refresh({ clearPendingCreates: true });
    assert.deepEqual(await pending(), []);
    assert.equal((await recorded(t, "avatar")).id, placed);
    assert.equal(posts("dis").length, 2);
    assert.deepEqual(ordersFor(4), [placed, stagings], "one order for each stack");
    assert.equal(emu.orders("dis").length, 1);
  });

  it("duplicate guard: without an interrupted create in the stack's checkpoint, an identical MetaStudio order outside the stack stops nothing and costs no BSS look", async function () {
    const t = await lifecycleStack({
      twin: { kind: "metastudio", subscriptionNum: 5 },
      other: { kind: "metastudio", subscriptionNum: 6 },
    });
    const outside = await outsideOrder(5);
    const bssBefore = emu.requests().filter((r) => r.service === "bss").length;
    const preview = await t.preview();
    assert.doesNotMatch(preview.stdout, /BSS shows|checkpoint/);
    const upOutput = (await t.up()).stdout;
    assert.doesNotMatch(upOutput, /BSS shows|checkpoint|Nothing was ordered/);
    const twin = await recorded(t, "twin");
    assert.deepEqual(ordersFor(5), [outside, twin.id]);
    assert.equal(ordersFor(6).length, 1);
    const looks = emu
      .requests()
      .filter((r) => r.service === "bss")
      .slice(bssBefore)
      .filter((r) => r.path.startsWith("/v2/orders/customer-orders"));
    assert.deepEqual(looks, [], "no listing, no order details");
    // The marker check recorded is in the new resources' inputs, in the state.
    assert.match(String(twin.inputs["__createAttemptAt"]), /^\d{4}-\d\d-\d\dT/);
    assert.equal(posts("metastudio").length, 3);
  });

  it("Ctrl-C once while following: the engine waits for the create, which ends at its timeout with the order saved", async function () {
    const DIS = "CS2511071586CC";
    const t = await lifecycleStack({
      dis: { kind: "dis", orderId: DIS, waitUntil: "paid", waitTimeoutSeconds: 4 },
    });
    const run = spawnUp(t);
    const first = await Promise.race([
      emu.emulator.nextOrder("dis").then(() => "ordered"),
      run.exited.then(() => "exited"),
    ]);
    assert.equal(first, "ordered", `the run ended before its order arrived:\n${run.output()}`);
    const interrupted = Date.now();
    process.kill(run.pid, "SIGINT"); // the CLI alone, as a terminal's Ctrl-C reaches it
    await run.exited;
    const waited = (Date.now() - interrupted) / 1000;
    assert.match(run.output(), /\^C received; cancelling/);
    assert.match(run.output(), new RegExp(`order ${DIS} is still 6 \\(pending payment\\) after \\d+ s`));
    const dis = await recorded(t, "dis");
    assert.equal(dis.outputs["orderId"], DIS);
    assert.equal(dis.initErrors?.length, 1);
    assert.deepEqual((await t.state()).pendingOperations, [], "no pending create");
    assert.equal(emu.orders("dis").length, 1);
    console.log(
      `      (Ctrl-C to exit: ${waited.toFixed(1)} s, the create's timeout being 4 s after its request)`,
    );
  });
});
