import * as assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  HuaweiCloudError,
  OutcomeUnknownError,
  Redactor,
  type CallRequest,
  type CallResult,
} from "../../provider/client";
import { OrderProvider, ORDER_KINDS } from "../../provider";
import { NOT_FOLLOWED } from "../../provider/contract/recorded-outputs";
import { refreshOrder } from "../../provider/billing/refresh-order";
import { batches, unsubscribeOrder, type UnsubscribeRequest } from "../../provider/billing/unsubscribe-order";

// Refresh and unsubscribe against a scripted BSS and a fake clock: what they read and send.
describe("refresh and unsubscribe (billing/refresh-order, billing/unsubscribe-order)", function () {
  interface Script {
    orderStatus: number;
    /** Listed resources (main, in use unless said). */
    resources: { id: string; status?: number }[];
    /** Unsubscription orders BSS lists as processing. */
    inProgress?: string[];
    /** How each unsubscribe request ends: "accept" (gone after one more read), "unknown", or failures by id. */
    unsubscribe?: ("accept" | "unknown" | Record<string, string>)[];
  }
  function scriptedBss(script: Script) {
    const calls: CallRequest[] = [];
    const leaving = new Set<string>();
    let unsubscribes = 0;
    const answer = (body: unknown): CallResult => ({
      status: 200,
      body,
      headers: {},
      requestId: `req${calls.length}`,
      attempts: 1,
      sentAt: new Date(0),
    });
    const meta = (operation: string) => ({ service: "bss", operation, attempts: 1 }) as const;
    const client = {
      redactor: new Redactor(),
      async call(req: CallRequest): Promise<CallResult> {
        calls.push(req);
        const path = req.path.join("/");
        if (path.startsWith("v2/orders/customer-orders/details/")) {
          return answer({ order_info: { order_id: "CS1", status: script.orderStatus }, total_count: 0 });
        }
        if (path === "v2/orders/customer-orders") {
          const ids = script.inProgress ?? [];
          return answer({
            total_count: ids.length,
            order_infos: ids.map((id) => ({ order_id: id, status: 3 })),
          });
        }
        if (path === "v2/orders/suscriptions/resources/query") {
          // A resource whose unsubscription was accepted is listed once more, then gone.
          for (const id of leaving) {
            script.resources = script.resources.filter((r) => r.id !== id || !leaving.has(id));
          }
          const data = script.resources.map((r) => ({
            resource_id: r.id,
            status: r.status ?? 2,
            service_type_code: "hws.service.type.metastudio",
          }));
          return answer({ data, total_count: data.length });
        }
        if (path === "v2/orders/subscriptions/resources/unsubscribe") {
          const ids = (req.body as { resource_ids: string[] }).resource_ids;
          unsubscribes += 1;
          const how = script.unsubscribe?.[unsubscribes - 1] ?? "accept";
          if (how === "unknown") {
            ids.forEach((id) => leaving.add(id));
            throw new OutcomeUnknownError(
              meta(req.operation),
              new Date(0),
              "the connection was reset",
              { subject: "the unsubscription", advice: "Query first." },
              new Redactor(),
            );
          }
          const failures = how === "accept" ? {} : how;
          ids.filter((id) => !(id in failures)).forEach((id) => leaving.add(id));
          return answer({
            order_ids: [`UN${unsubscribes}`],
            ...(Object.keys(failures).length > 0
              ? {
                  fail_resource_infos: Object.entries(failures).map(([id, code]) => ({
                    resource_id: id,
                    error_code: code,
                    error_msg: "A one-off purchase cannot be unsubscribed.",
                  })),
                }
              : {}),
          });
        }
        throw new HuaweiCloudError(meta(req.operation), `unexpected ${path}`, new Redactor());
      },
    };
    const sent = () =>
      calls
        .filter((c) => c.operation === "CancelResourcesSubscription")
        .map((c) => (c.body as { resource_ids: string[] }).resource_ids);
    return { client, calls, sent };
  }

  function request(
    client: UnsubscribeRequest["client"],
    timeoutMs = 1000,
    sentByThisRun = new Set<string>(),
  ) {
    let clock = 0;
    const lines: string[] = [];
    const req: UnsubscribeRequest = {
      client,
      orderId: "CS1",
      label: "MetaStudioSubscription 'a'",
      timeoutMs,
      pollMs: 100,
      progress: async (line) => void lines.push(line),
      sentByThisRun,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    };
    return { req, lines };
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i + 1}` }));

  it("splits ids into requests of at most 10", function () {
    assert.deepEqual(
      batches(ids(23).map((r) => r.id)).map((b) => b.length),
      [10, 10, 3],
    );
    assert.deepEqual(batches([]), []);
  });

  it("unsubscribes 23 resources in 3 requests, each id once, and waits until BSS lists none", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(23) });
    const { req, lines } = request(bss.client);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(
      bss.sent().map((part) => part.length),
      [10, 10, 3],
    );
    assert.equal(new Set(bss.sent().flat()).size, 23);
    assert.deepEqual(outcome.unsubscriptionOrders, ["UN1", "UN2", "UN3"]);
    assert.ok(lines.includes("MetaStudioSubscription 'a': waiting for 23 resources of order CS1 to be gone"));
    assert.match(lines.at(-1) ?? "", /23 resources of order CS1 unsubscribed and gone/);
  });

  it("after an unknown outcome it never sends again: it reads BSS until the resources are gone", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(2), unsubscribe: ["unknown"] });
    const { req, lines } = request(bss.client);
    await unsubscribeOrder(req);
    assert.equal(bss.sent().length, 1);
    assert.ok(lines.some((l) => /outcome of unsubscribing r1, r2 is unknown .*not sending it again/.test(l)));
  });

  it("an unsubscription already in progress (an earlier destroy) is waited for, never sent again, until the timeout", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1), inProgress: ["UN9"] });
    const { req, lines } = request(bss.client);
    await assert.rejects(
      unsubscribeOrder(req),
      /1 resource is of order CS1 still listed by BSS after 1 s .*never sending a second one/,
    );
    assert.equal(bss.sent().length, 0);
    assert.match(lines[0] ?? "", /already in progress \(BSS order UN9\).*sending no unsubscription/);
  });

  it("an unsubscription in progress that this run sent (a parallel destroy's) is not waited for", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1), inProgress: ["UN9"] });
    const sentByThisRun = new Set(["UN9"]);
    const { req, lines } = request(bss.client, 1000, sentByThisRun);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(bss.sent(), [["r1"]]);
    assert.deepEqual(outcome.unsubscriptionOrders, ["UN1"]);
    assert.deepEqual([...sentByThisRun], ["UN9", "UN1"], "the run's set records what it sent");
    assert.ok(!lines.some((l) => /already in progress/.test(l)));
  });

  it("a resource BSS refuses (one-off) is a clear error naming it and its code; the others go", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(2), unsubscribe: [{ r2: "CBC.0100" }] });
    const { req } = request(bss.client);
    await assert.rejects(
      unsubscribeOrder(req),
      /BSS refused to unsubscribe 1 resource of order CS1: r2: CBC\.0100 A one-off purchase cannot be unsubscribed\. \(the others are gone: r1\)\. .*onDestroy "keep"/,
    );
    assert.equal(bss.sent().length, 1);
  });

  it("nothing listed: a completed order has nothing left to send; one not provisioned yet stays in the stack", async function () {
    const done = scriptedBss({ orderStatus: 5, resources: [] });
    await unsubscribeOrder(request(done.client).req);
    assert.equal(done.sent().length, 0);
    const unpaid = scriptedBss({ orderStatus: 6, resources: [] });
    await assert.rejects(
      unsubscribeOrder(request(unpaid.client).req),
      /order CS1 is 6 \(pending payment\): it has no resource to unsubscribe yet/,
    );
    assert.equal(unpaid.sent().length, 0);
  });

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
    const ms = () => new OrderProvider(ORDER_KINDS.MetaStudioSubscription);
    const item = (periodType: number) => ({
      periodType,
      periodNum: 1,
      subscriptionNum: 1,
      resourceSpecCode: "spec.a",
    });

    it("check refuses unsubscribing a one-off purchase and a bad value, naming the property", async function () {
      const failures = async (inputs: Record<string, unknown>) =>
        ((await ms().check({}, inputs)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
      assert.deepEqual(await failures({ cloudServices: [item(2), item(6)], onDestroy: "unsubscribe" }), [
        'onDestroy: a one-off purchase cannot be unsubscribed (cloudServices[1].periodType is 6, one-off): set onDestroy "keep", or declare the one-off items in a MetaStudioSubscription of their own',
      ]);
      assert.deepEqual(await failures({ cloudServices: [item(6)], onDestroy: "keep" }), []);
      assert.deepEqual(await failures({ cloudServices: [item(2)], onDestroy: "cancel" }), [
        'onDestroy: onDestroy must be "keep" or "unsubscribe"',
      ]);
    });

    it("changing only onDestroy is an update, never a replacement; update records it and sends nothing", async function () {
      const provider = ms();
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
