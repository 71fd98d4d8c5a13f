import * as assert from "node:assert/strict";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// Create follows the order through BSS (waitUntil), pays it only when asked, and keeps an
// accepted order in state whatever stops the follow; the next up resumes it and never orders
// again. Counted through the emulator: orders placed, BSS requests, payments, per order. Each
// stack holds several orders so one engine run covers several paths (the engine creates them in
// parallel).
describe("following an order through billing, through the real engine", function () {
  const suite = engineSuite();

  type Spec = Record<string, string | number | boolean>;

  /** A fresh stack of tests/fixtures/lifecycle against a fresh emulator (billing delay 300 ms). */
  async function lifecycleStack(orders: Record<string, Spec>): Promise<EngineStack> {
    suite.emu.reset();
    suite.emu.emulator.setBillingDelay(300);
    return suite.stack("lifecycle", {
      config: { "huaweicloud-orders:orderPollIntervalSeconds": "0.1", orders },
    });
  }

  const bss = () => suite.emu.requests().filter((r) => r.service === "bss");
  const about = (orderId: string) =>
    bss().filter((r) => r.path.includes(orderId) || JSON.stringify(r.body ?? "").includes(orderId));
  const payments = (orderId: string) =>
    about(orderId).filter((r) => r.path === "/v3/orders/customer-orders/pay");

  it("submitted, paid with autoPay, provisioned by itself, and unpaid until the timeout; the next up resumes and follows further", async function () {
    const SUBMITTED = "CS2511071586SU";
    const PAID = "CS2511071586PA";
    const UNPAID = "CS2511071586UN";
    const orders: Record<string, Spec> = {
      submitted: { kind: "dis", orderId: SUBMITTED, waitUntil: "submitted" },
      paid: { kind: "dis", orderId: PAID, waitUntil: "paid", autoPay: true },
      provisioned: { kind: "metastudio", isAutoPay: true }, // default: provisioned
      unpaid: { kind: "dis", orderId: UNPAID, waitUntil: "paid", waitTimeoutSeconds: 1 },
    };
    const t = await lifecycleStack(orders);
    const emu = suite.emu;

    // The unpaid order stops the update after its timeout; the others are created meanwhile.
    await assert.rejects(
      t.up({ continueOnError: true }),
      new RegExp(
        `order ${UNPAID} is still 6 \\(pending payment\\) after 1 s .*it waits for payment\\. Pay it in the ` +
          "Huawei Cloud console .* or set autoPay: true .*the next `pulumi up` resumes following it and places no new order",
        "s",
      ),
    );
    assert.equal(emu.orders("dis").length, 3);
    assert.equal(emu.orders("metastudio").length, 1);
    const state = await t.state();
    const output = t.output();

    // submitted: no BSS request about it, and the operator is told it waits for payment.
    assert.equal(about(SUBMITTED).length, 0);
    assert.equal(state.resource("submitted").outputs.orderStage, "submitted");
    assert.match(output, new RegExp(`order ${SUBMITTED} submitted and not followed .* it waits for payment`));

    // paid with autoPay: exactly one payment, and the order's billing recorded.
    const paid = state.resource("paid").outputs;
    assert.equal(payments(PAID).length, 1);
    assert.equal(paid.orderStage, "paid");
    assert.match(String(paid["paidAt"]), /^\d{4}-\d\d-\d\dT/);
    assert.match(String(paid["paymentSentAt"]), /^\d{4}-\d\d-\d\dT/);
    assert.equal(paid["officialAmount"], 10);
    assert.equal(paid["currency"], "CNY");
    assert.match(
      output,
      new RegExp(`order ${PAID} is 6 \\(pending payment\\): paying it through BSS \\(autoPay\\)`),
    );

    // MetaStudio with isAutoPay pays itself: no payment sent; resources and expiry recorded.
    const provisioned = state.resource("provisioned").outputs;
    const msOrder = String(provisioned.orderId);
    assert.equal(payments(msOrder).length, 0);
    assert.equal(provisioned.orderStage, "provisioned");
    assert.equal(provisioned.orderStatus, 5);
    const resources = provisioned.purchasedResources ?? [];
    assert.deepEqual(
      resources.map((r) => r.resourceId),
      emu.emulator
        .billingResources()
        .filter((r) => r.orderId === msOrder)
        .map((r) => r.resourceId),
    );
    assert.equal(resources.length, 1);
    assert.equal(provisioned["earliestExpiry"], resources[0]?.expiresAt);
    assert.ok(Date.parse(String(provisioned["earliestExpiry"])) > Date.now());
    // Progress lines, status by status, in the engine's output.
    assert.match(
      output,
      new RegExp(`MetaStudioSubscription 'provisioned': order ${msOrder} is 3 \\(processing\\)`),
    );
    assert.match(
      output,
      new RegExp(`order ${msOrder} is 5 \\(completed\\): 1 resource \\(\\S+\\), earliest expiry \\d{4}-`),
    );

    // unpaid: in state with its order and an initialization error; nothing paid without auto-pay.
    const unpaid = state.resource("unpaid");
    assert.equal(unpaid.outputs.orderId, UNPAID);
    assert.equal(unpaid.outputs.orderStatus, 6);
    assert.equal(unpaid.initErrors?.length, 1);
    assert.equal(payments(UNPAID).length, 0);
    assert.match(output, new RegExp(`order ${UNPAID} is 6 \\(pending payment\\): waiting for payment`));

    // The operator pays the unpaid order; the program raises the submitted one to paid with autoPay.
    await suite.emu.payAsOwner(UNPAID);
    await t.configure({
      orders: { ...orders, submitted: { ...orders["submitted"], waitUntil: "paid", autoPay: true } },
    });
    const up = await t.up();
    assert.deepEqual(up.summary.resourceChanges, { update: 2, same: 3 });
    assert.equal(emu.orders().length, 4, "no second order");
    assert.equal(payments(UNPAID).length, 1, "only the operator's payment");
    assert.equal(payments(SUBMITTED).length, 1);
    assert.equal(payments(PAID).length, 1);
    const outputs = up.outputs["orders"]?.value as Record<string, { orderStage: string }>;
    assert.equal(outputs["unpaid"]?.orderStage, "paid");
    assert.equal(outputs["submitted"]?.orderStage, "paid");
    assert.equal((await t.state()).resource("unpaid").initErrors, undefined);

    // Followed as far as asked: nothing left to do.
    const before = suite.counts();
    const preview = await t.preview();
    assert.deepEqual(preview.changeSummary, { same: 5 });
    assert.equal(suite.countsSince(before).all, 0);
  });

  it("a zero timeout is refused at preview; a cancelled order and a refused payment keep their orders in state; the next up pays again, never orders again", async function () {
    const REFUSED = "CS2511071586RE";
    const orders: Record<string, Spec> = {
      refused: { kind: "dis", orderId: REFUSED, waitUntil: "paid", autoPay: true, waitTimeoutSeconds: 0 },
      cancelled: { kind: "metastudio", isAutoPay: true },
    };
    const t = await lifecycleStack(orders);
    const emu = suite.emu;
    await assert.rejects(t.preview(), /waitTimeoutSeconds must be more than 0/);
    assert.equal(suite.counts().besidesPreviewReads, 0);

    await t.configure({ orders: { ...orders, refused: { ...orders["refused"], waitTimeoutSeconds: 60 } } });
    emu.emulator.injectFaults(
      { kind: "order-cancelled", count: 1, service: "metastudio" },
      { kind: "payment-refused", count: 1, service: "dis" },
    );
    let failure = "";
    // continueOnError: the engine otherwise stops starting steps once one fails, and which of the
    // two fails first is a race.
    await assert.rejects(t.up({ continueOnError: true }), (err: Error) => {
      failure = err.message;
      return true;
    });
    assert.match(
      failure,
      new RegExp(`paying order ${REFUSED} through BSS failed: .*CBC\\.99005003.*top it up`),
    );
    assert.match(failure, /order \S+ was cancelled \(status 4 \(cancelled\)\): nothing was bought/);

    const state = await t.state();
    const refused = state.resource("refused");
    assert.equal(refused.outputs["paymentSentAt"], null, "a refused payment moved no money");
    assert.equal(refused.initErrors?.length, 1);
    assert.equal(payments(REFUSED).length, 1);
    const cancelled = state.resource("cancelled");
    assert.equal(cancelled.outputs.orderStatus, 4);
    assert.equal(cancelled.initErrors?.length, 1);

    // The next up pays the refused order again (once), and says again that the other was cancelled.
    await assert.rejects(t.up({ continueOnError: true }), /was cancelled \(status 4 \(cancelled\)\)/);
    assert.equal(payments(REFUSED).length, 2);
    const again = (await t.state()).resource("refused");
    assert.equal(again.outputs.orderStage, "paid");
    assert.equal(again.initErrors, undefined);
    assert.equal(emu.orders("dis").length, 1, "no second order");
    assert.equal(emu.orders("metastudio").length, 1, "no second order");

    // A resource saved by a partial create is destroyed like any other: forgotten, with the warning.
    t.clearOutput();
    await t.destroy();
    assert.match(t.output(), /MetaStudioSubscription 'cancelled': order \S+ .* still exists in Huawei Cloud/);
    assert.equal(emu.orders().length, 2);
  });
});
