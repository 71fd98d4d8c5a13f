import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, startEmulator, type RunningEmulator } from "../../emulator";
import { OrderProvider, ORDER_KINDS, RunContext } from "../../provider";
import { Redactor, type CallRequest, type CallResult } from "../../provider/client";
import { AGREEMENT_GRACE_READS, followOrder, FollowStopped } from "../../provider/billing/follow-order";
import { NOT_FOLLOWED } from "../../provider/contract/recorded-outputs";
import { signsAgreement } from "../../provider/steps/auto-pay-agreement";

const SIGN_PATH = /^\/v1\/\w+\/tenants\/special-agreements\/signed$/;
const ORDER_PATH = /^\/v1\/\w+\/mss\/public\/orders$/;
const item = (isAutoPay: boolean) => ({
  periodType: 2,
  periodNum: 1,
  subscriptionNum: 1,
  resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
  isAutoPay,
});

// signAutoPayAgreement (provider/steps/auto-pay-agreement.ts): who signs, the sign before the
// order, once per run and project, a refusal that orders nothing, and the early stop of a follow
// whose auto-pay order waits under an agreement the run did not sign.
describe("MetaStudio's AUTO_PAY agreement (steps/auto-pay-agreement)", function () {
  it("signs only for a kind with an agreement, on opt-in, for an order with an item asking isAutoPay", function () {
    const ms = ORDER_KINDS.MetaStudioSubscription;
    const parsed = (...flags: boolean[]) => ms.inputs.parse({ cloudServices: flags.map(item) });
    const optIn = { signAutoPayAgreement: true };
    assert.equal(signsAgreement(ms, optIn, parsed(false, true)), true);
    assert.equal(signsAgreement(ms, optIn, parsed(false)), false, "nothing asks auto-pay");
    assert.equal(signsAgreement(ms, {}, parsed(true)), false, "no opt-in");
    assert.equal(signsAgreement(ms, { signAutoPayAgreement: false }, parsed(true)), false);
    assert.equal(signsAgreement(ms, optIn, undefined), false, "invalid order fields");
    const dis = ORDER_KINDS.DisPackageOrder;
    assert.equal(signsAgreement(dis, optIn, dis.inputs.parse({ orderId: "CS1" })), false);
  });

  describe("check", function () {
    let saved: NodeJS.ProcessEnv;
    beforeEach(function () {
      saved = process.env;
      process.env = { ...saved, HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-000001" };
    });
    afterEach(function () {
      process.env = saved;
    });

    it("signAutoPayAgreement must be a boolean, and is refused on a DisPackageOrder", async function () {
      const ms = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      const bad = await ms.check({}, { cloudServices: [item(true)], signAutoPayAgreement: "yes" });
      assert.ok(
        bad.failures?.some(
          (f) =>
            f.property === "signAutoPayAgreement" &&
            f.reason === "signAutoPayAgreement must be true or false",
        ),
        JSON.stringify(bad.failures),
      );
      const dis = new OrderProvider(ORDER_KINDS.DisPackageOrder);
      const refused = await dis.check({}, { orderId: "CS1", signAutoPayAgreement: true });
      assert.ok(
        refused.failures?.some(
          (f) =>
            f.property === "signAutoPayAgreement" &&
            f.reason === "is not a field of DisPackageOrder: its orders are paid with no agreement to sign",
        ),
        JSON.stringify(refused.failures),
      );
    });
  });

  describe("create, against the emulator", function () {
    let emu: RunningEmulator;
    let lines: string[];
    let warn: typeof console.warn;
    before(async function () {
      emu = await startEmulator();
    });
    after(async function () {
      await emu?.stop();
    });
    beforeEach(function () {
      emu.reset();
      emu.setAutoPayAgreement(false);
      lines = [];
      warn = console.warn;
      // Without an engine, the provider's lines go to console.warn.
      console.warn = (line: string) => void lines.push(line);
    });
    afterEach(function () {
      console.warn = warn;
    });

    const connection = (projectId: string = DEMO_ACCOUNT.projectId) => ({
      region: DEMO_ACCOUNT.region,
      projectId,
      token: emu.issueToken(),
      endpoints: { metastudio: emu.url, bss: emu.url },
      maxRetries: 0,
    });
    const resource = (name: string, projectId?: string) => ({
      resourceName: name,
      connection: connection(projectId),
      cloudServices: [item(true)],
      signAutoPayAgreement: true,
      allowRecentIdenticalOrder: true,
      waitUntil: "submitted",
    });
    const signs = () => emu.requests().filter((r) => SIGN_PATH.test(r.path));
    const orders = () => emu.requests().filter((r) => ORDER_PATH.test(r.path));

    it("the preview says it signs; create signs once per run and project, before the first order, and the order is paid", async function () {
      const run = new RunContext();
      const provider = new OrderProvider(ORDER_KINDS.MetaStudioSubscription, run);
      const checked = await provider.check({}, resource("a"));
      assert.equal(checked.failures, undefined);
      assert.ok(
        lines.some((l) =>
          l.includes("MetaStudioSubscription 'a': signs MetaStudio's AUTO_PAY agreement before ordering"),
        ),
        lines.join("\n"),
      );
      assert.equal(signs().length, 0, "check signs nothing");

      // Two resources of one run, created together: one signature, then both orders.
      await Promise.all([provider.create(resource("a")), provider.create(resource("b"))]);
      assert.equal(signs().length, 1);
      assert.equal(orders().length, 2);
      const log = emu.requests();
      assert.ok(log.findIndex((r) => SIGN_PATH.test(r.path)) < log.findIndex((r) => ORDER_PATH.test(r.path)));
      assert.deepEqual(signs()[0]?.body, { agreement_type: "AUTO_PAY", to_sign: true });
      assert.equal(emu.autoPayAgreementSigned(), true);
      assert.ok(
        emu.billingOrders().every((o) => o.paidAt !== undefined),
        "paid by auto-pay",
      );
      assert.ok(
        lines.some((l) =>
          /'a': signed MetaStudio's AUTO_PAY agreement \(X-Request-Id \w+, version 1\.0\)/.test(l),
        ),
      );

      // Another run (the next `pulumi up`) signs again.
      await new OrderProvider(ORDER_KINDS.MetaStudioSubscription).create(resource("c"));
      assert.equal(signs().length, 2);
      assert.equal(orders().length, 3);
    });

    it("a refused signature fails the create naming the call, status, error and request id; nothing is ordered", async function () {
      const provider = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      // The token acts in the demo project only: the other project's sign request is refused (403).
      const err = await provider.create(resource("a", DEMO_ACCOUNT.otherProjectId)).then(
        () => assert.fail("created"),
        (e: unknown) => e as Error,
      );
      assert.match(
        err.message,
        /^MetaStudioSubscription 'a': signing MetaStudio's AUTO_PAY agreement before ordering \(POST \/v1\/\{project_id\}\/tenants\/special-agreements\/signed\) failed: MetaStudio SignSpecialAgreement failed \(HTTP 403, error_code MSS\.00000005, error_msg "Forbidden", X-Request-Id [0-9a-f]{32}, 1 attempt\).*Nothing was ordered\./s,
      );
      assert.equal(signs().length, 1);
      assert.equal(signs()[0]?.status, 403);
      assert.equal(orders().length, 0);
      assert.equal(emu.orders().length, 0);
    });

    it("without opt-in nothing is signed, and the unsigned account's auto-pay order waits for payment", async function () {
      const provider = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      await provider.create({ ...resource("a"), signAutoPayAgreement: false });
      assert.equal(signs().length, 0);
      assert.equal(orders().length, 1);
      assert.deepEqual(
        emu.billingOrders().map((o) => o.status),
        [6],
      );
    });
  });

  describe("following an auto-pay order the run signed no agreement for", function () {
    /** BSS showing the order with `statuses` in turn (the last repeats). */
    function bss(statuses: number[]) {
      const calls: CallRequest[] = [];
      const client = {
        redactor: new Redactor(),
        async call(req: CallRequest): Promise<CallResult> {
          calls.push(req);
          const status = statuses[Math.min(calls.length - 1, statuses.length - 1)] ?? 6;
          return {
            status: 200,
            body: {
              order_info: {
                order_id: "CS1",
                status,
                ...(status === 3 ? { payment_time: "2026-01-01T00:00:00Z" } : {}),
              },
              total_count: 0,
            },
            headers: {},
            requestId: "r",
            attempts: 1,
            sentAt: new Date(0),
          };
        },
      };
      return { client, calls };
    }

    function follow(client: ReturnType<typeof bss>["client"], signed: boolean | undefined) {
      let clock = 0;
      const lines: string[] = [];
      const run = followOrder({
        client,
        orderId: "CS1",
        label: "MetaStudioSubscription 'a'",
        wanted: "paid",
        payThroughBss: false,
        paysItself: true,
        payHint: "Pay it by hand.",
        ...(signed === undefined
          ? {}
          : {
              agreement: {
                title: "MetaStudio's AUTO_PAY agreement",
                signed,
                optIn: "`signAutoPayAgreement: true`",
              },
            }),
        timeoutMs: 60_000,
        pollMs: 1000,
        recorded: NOT_FOLLOWED,
        progress: async (line) => void lines.push(line),
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
      });
      return { run, lines, elapsed: () => clock };
    }

    it("stops at the third read still pending payment, naming the agreement and what to do, long before the timeout", async function () {
      const scripted = bss([6]);
      const f = follow(scripted.client, false);
      const err = await f.run.then(
        () => assert.fail("followed"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof FollowStopped);
      assert.equal(scripted.calls.length, AGREEMENT_GRACE_READS);
      assert.equal(f.elapsed(), (AGREEMENT_GRACE_READS - 1) * 1000);
      assert.match(
        err.message,
        /^MetaStudioSubscription 'a': order CS1 is still 6 \(pending payment\) at 3 reads although it asks to be paid automatically \(isAutoPay\): Huawei pays such an order only when the account has signed MetaStudio's AUTO_PAY agreement/,
      );
      assert.match(
        err.message,
        /This run signed no agreement\. Pay this order in the Huawei Cloud console .*set `signAutoPayAgreement: true` on the resource .*Order CS1 is recorded in the stack: the next `pulumi up` resumes following it and places no new order\./,
      );
      assert.equal(err.outputs.orderStatus, 6);
      assert.ok(
        scripted.calls.every((c) => c.operation !== "PayOrders"),
        "nothing paid",
      );
      assert.match(
        f.lines[0] ?? "",
        /auto-pay has not gone through yet \(the account may not have signed MetaStudio's AUTO_PAY agreement/,
      );
    });

    it("an order paid within the grace is followed on", async function () {
      const out = await follow(bss([6, 6, 3]).client, false).run;
      assert.equal(out.orderStage, "paid");
    });

    it("waits as before when this run signed it, or for a kind with no agreement", async function () {
      for (const signed of [true, undefined]) {
        const out = await follow(bss([6, 6, 6, 6, 6, 3]).client, signed).run;
        assert.equal(out.orderStage, "paid", `signed: ${String(signed)}`);
      }
    });
  });
});
