import * as assert from "node:assert/strict";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// MetaStudio's AUTO_PAY agreement (docs/following-orders-and-destroy.md "Following an order"): signed before the order only on
// opt-in, and an auto-pay order the account cannot pay stops the wait early instead of holding
// the update for 40 minutes. Counted through the emulator: signatures, orders, payments.
describe("MetaStudio's AUTO_PAY agreement, through the real engine", function () {
  const suite = engineSuite();

  type Spec = Record<string, string | number | boolean>;

  /** tests/fixtures/lifecycle against a fresh emulator whose demo account has not signed the agreement. */
  async function unsignedStack(orders: Record<string, Spec>): Promise<EngineStack> {
    suite.emu.reset();
    suite.emu.emulator.setBillingDelay(300);
    suite.emu.emulator.setAutoPayAgreement(false);
    return suite.stack("lifecycle", {
      config: { "huaweicloud-orders:orderPollIntervalSeconds": "0.1", orders },
    });
  }

  const isSign = (path: string) => /^\/v1\/\w+\/tenants\/special-agreements\/signed$/.test(path);
  const isOrder = (path: string) => /^\/v1\/\w+\/mss\/public\/orders$/.test(path);
  const signs = () => suite.emu.requests().filter((r) => isSign(r.path));
  const payments = () =>
    suite.emu.requests().filter((r) => r.service === "bss" && r.path === "/v3/orders/customer-orders/pay");

  it("opted in: the preview says it signs; up signs once, then orders once, and the order completes by itself", async function () {
    const t = await unsignedStack({
      avatar: { kind: "metastudio", isAutoPay: true, signAutoPayAgreement: true, items: 2 },
    });
    await t.preview();
    assert.match(
      t.output(),
      /MetaStudioSubscription 'avatar': signs MetaStudio's AUTO_PAY agreement before ordering \(signAutoPayAgreement\)/,
    );
    assert.equal(signs().length, 0, "a preview signs nothing");
    assert.equal(suite.emu.emulator.autoPayAgreementSigned(), false);

    await t.up();
    const log = suite.emu.requests();
    assert.equal(signs().length, 1);
    assert.equal(log.filter((r) => isOrder(r.path)).length, 1);
    assert.ok(log.findIndex((r) => isSign(r.path)) < log.findIndex((r) => isOrder(r.path)), "signed first");
    assert.deepEqual(signs()[0]?.body, { agreement_type: "AUTO_PAY", to_sign: true });
    assert.equal(signs()[0]?.status, 200);
    assert.equal(suite.emu.emulator.autoPayAgreementSigned(), true);
    assert.equal(suite.emu.orders("metastudio").length, 1);
    assert.equal(payments().length, 0, "auto-pay: no payment sent");
    const avatar = (await t.state()).resource("avatar").outputs;
    assert.equal(avatar.orderStage, "provisioned");
    assert.equal(avatar.purchasedResources?.length, 2);
    assert.match(
      t.output(),
      /'avatar': signed MetaStudio's AUTO_PAY agreement \(X-Request-Id \w+, version 1\.0\)/,
    );
  });

  it("not opted in and unsigned: the wait stops early naming the agreement; signing afterwards pays nothing; once paid by hand, up resumes and orders nothing", async function () {
    const t = await unsignedStack({ waiting: { kind: "metastudio", isAutoPay: true } });
    const stopped = new RegExp(
      "MetaStudioSubscription 'waiting': order \\S+ is still 6 \\(pending payment\\) at 3 reads although it asks " +
        "to be paid automatically \\(isAutoPay\\): Huawei pays such an order only when the account has signed " +
        "MetaStudio's AUTO_PAY agreement .*Pay this order in the Huawei Cloud console .*`signAutoPayAgreement: true`" +
        ".*the next `pulumi up` resumes following it and places no new order",
      "s",
    );
    // Default timeout: 40 minutes. The stop comes at the third read (0.2 s apart here).
    await assert.rejects(t.up(), stopped);
    assert.equal(suite.emu.orders("metastudio").length, 1);
    assert.equal(signs().length, 0);
    assert.equal(payments().length, 0);
    const waiting = (await t.state()).resource("waiting");
    assert.equal(waiting.outputs.orderStatus, 6);
    assert.equal(waiting.initErrors?.length, 1);
    const orderId = String(waiting.outputs.orderId);

    // Signed in the console afterwards: the next up resumes the same order, which still waits.
    suite.emu.emulator.setAutoPayAgreement(true);
    await assert.rejects(t.up(), stopped);
    assert.equal(suite.emu.orders("metastudio").length, 1, "no second order");

    // Paid by hand: the next up resumes and follows it to the end.
    await suite.emu.payAsOwner(orderId);
    const up = await t.up();
    assert.equal(up.summary.resourceChanges?.["update"], 1);
    assert.equal(suite.emu.orders("metastudio").length, 1, "no second order");
    assert.equal(signs().length, 0);
    assert.equal(payments().length, 1, "only the owner's payment");
    const done = (await t.state()).resource("waiting");
    assert.equal(done.outputs.orderId, orderId);
    assert.equal(done.outputs.orderStage, "provisioned");
    assert.equal(done.initErrors, undefined);
  });
});
