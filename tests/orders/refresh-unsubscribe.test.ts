import * as assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { Redactor, type CallResult } from "../../provider/client";
import { OrderProvider, ORDER_KINDS } from "../../provider";
import { NOT_FOLLOWED } from "../../provider/contract/recorded-outputs";
import { refreshOrder } from "../../provider/billing/refresh-order";
import { offlineRun } from "../support/offline-run";
import { ids, scriptedBss } from "../support/scripted-bss";

// Refresh against a scripted BSS (what it reads), and the provider's refresh and onDestroy rules;
// unsubscribing itself is tests/orders/unsubscribe-order.test.ts's.
describe("refresh and the provider's onDestroy (billing/refresh-order, steps/on-destroy)", function () {
  it("refresh of a state without billing outputs (an older release) reads the order and its resources, and only reads", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1) });
    const { outputs, finding } = await refreshOrder({
      client: bss.client,
      orderId: "CS1",
      recorded: NOT_FOLLOWED,
    });
    assert.equal(outputs.orderStage, "provisioned");
    assert.equal(outputs.subscriptionStatus, "active");
    assert.equal(finding, undefined);
    assert.deepEqual(
      bss.calls.map((c) => c.operation),
      ["ShowCustomerOrderDetails", "ListPayPerUseCustomerResources"],
    );
  });

  it("refresh keeps a resource BSS no longer lists, closed, and says what to do", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: [{ id: "r2", status: 5 }] });
    const recorded = {
      ...NOT_FOLLOWED,
      orderStatus: 5,
      orderStage: "provisioned" as const,
      purchasedResources: ["r1", "r2"].map((resourceId) => ({
        resourceId,
        status: 2,
        isMainResource: true,
        resourceTypeCode: null,
        effectiveAt: null,
        expiresAt: null,
      })),
    };
    const { outputs, finding } = await refreshOrder({ client: bss.client, orderId: "CS1", recorded });
    assert.deepEqual(
      outputs.purchasedResources.map((r) => [r.resourceId, r.status]),
      [
        ["r2", 5],
        ["r1", 3],
      ],
    );
    assert.equal(outputs.subscriptionStatus, "unsubscribed");
    assert.match(finding ?? "", /BSS no longer lists 1 resource of order CS1: r1 .*stays in the stack/);
    assert.match(
      finding ?? "",
      /Choose: keep it as it is .*pulumi up --replace <urn>.*pulumi state delete <urn>/,
    );
  });

  describe("through the provider, against the emulator", function () {
    let emu: RunningEmulator;
    before(async function () {
      emu = await startEmulator();
    });
    after(async function () {
      await emu?.stop();
    });

    it("refresh without billing permission keeps the state as it was and names the permission; nothing is sent but reads", async function () {
      const provider = new OrderProvider(ORDER_KINDS.DisPackageOrder);
      // A project-scoped token alone: BSS refuses it (403), as it would credentials without billing rights.
      const props = {
        orderId: "CS1",
        resourceName: "a",
        orderStatus: 6,
        subscriptionStatus: "pending",
        connection: { region: "cn-north-4", authToken: emu.issueToken(), bssEndpoint: emu.url },
      };
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (line: string) => void warnings.push(line);
      try {
        const result = await provider.read("CS1", props);
        assert.equal(result.id, "CS1");
        assert.deepEqual(result.props, props);
      } finally {
        console.warn = warn;
      }
      assert.match(
        warnings.join("\n"),
        /DisPackageOrder 'a': refresh could not read order CS1 through BSS: .*HTTP 403.*bss:order:view.*kept as last recorded \(subscriptionStatus "pending", last read never\); nothing was bought, paid or unsubscribed/,
      );
      assert.ok(emu.requests().every((r) => r.method === "GET"));
    });

    it('destroy with onDestroy "unsubscribe" and credentials without billing permission fails naming it, and sends no unsubscription', async function () {
      const provider = new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
      const props = {
        orderId: "CS1",
        resourceName: "a",
        onDestroy: "unsubscribe",
        connection: { region: "cn-north-4", authToken: emu.issueToken(), bssEndpoint: emu.url },
      };
      await assert.rejects(
        provider.delete("CS1", props),
        /MetaStudioSubscription 'a': .*HTTP 403.*bss:order:view.*Order CS1 stays in the stack/s,
      );
      assert.ok(emu.requests().every((r) => !r.path.endsWith("/unsubscribe")));
    });
  });

  it("refresh refuses an answer without the fields the page promises, naming them (the provider then keeps the state)", async function () {
    const client = {
      redactor: new Redactor(),
      async call(): Promise<CallResult> {
        return {
          status: 200,
          body: { order_info: {} },
          headers: {},
          requestId: "r1",
          attempts: 1,
          sentAt: new Date(0),
        };
      },
    };
    await assert.rejects(
      refreshOrder({ client, orderId: "CS1", recorded: NOT_FOLLOWED }),
      /ShowCustomerOrderDetails.*order_info\.order_id/s,
    );
  });

  describe("the provider's onDestroy rules", function () {
    let saved: NodeJS.ProcessEnv;
    beforeEach(function () {
      saved = process.env;
      process.env = {
        ...saved,
        HW_REGION_NAME: "cn-north-4",
        HW_AUTH_TOKEN: "token-000001",
        HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
      };
    });
    afterEach(function () {
      process.env = saved;
    });
    const ms = async () => new OrderProvider(ORDER_KINDS.MetaStudioSubscription, await offlineRun());
    const item = (periodType: number) => ({
      periodType,
      periodNum: 1,
      subscriptionNum: 1,
      resourceSpecCode: "spec.a",
    });

    it("check refuses unsubscribing a one-off purchase and a bad value, naming the property", async function () {
      const failures = async (inputs: Record<string, unknown>) =>
        ((await (await ms()).check({}, inputs)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
      assert.deepEqual(await failures({ cloudServices: [item(2), item(6)], onDestroy: "unsubscribe" }), [
        'onDestroy: a one-off purchase cannot be unsubscribed (cloudServices[1].periodType is 6, one-off): set onDestroy "keep", or declare the one-off items in a MetaStudioSubscription of their own',
      ]);
      assert.deepEqual(await failures({ cloudServices: [item(6)], onDestroy: "keep" }), []);
      assert.deepEqual(await failures({ cloudServices: [item(2)], onDestroy: "cancel" }), [
        'onDestroy: onDestroy must be "keep" or "unsubscribe"',
      ]);
    });

    it("changing only onDestroy is an update, never a replacement; update records it and sends nothing", async function () {
      const provider = await ms();
      const inputs = { cloudServices: [item(2)], resourceName: "a" };
      const created = await provider.create({ ...inputs, adoptOrderId: "MS1" });
      const olds = created.outs as Record<string, unknown>;
      assert.equal(olds["onDestroy"], "keep");
      assert.equal(olds["subscriptionStatus"], "unknown");
      assert.deepEqual(await provider.diff("MS1", olds, { ...inputs, onDestroy: "keep" }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      const news = { ...inputs, onDestroy: "unsubscribe" };
      assert.deepEqual(await provider.diff("MS1", olds, news), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      const updated = await provider.update("MS1", olds, news);
      assert.equal((updated.outs as Record<string, unknown>)["onDestroy"], "unsubscribe");
      // With "unsubscribe", how long destroy waits is recorded too.
      const unsub = updated.outs as Record<string, unknown>;
      assert.equal((await provider.diff("MS1", unsub, { ...news, waitTimeoutSeconds: 60 })).changes, true);
    });
  });
});
