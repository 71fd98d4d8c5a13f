import * as assert from "node:assert/strict";
import { HuaweiCloudError, Redactor, type CallRequest, type CallResult } from "../../provider/client";
import type { OrderLineItem, OrderResource } from "../../provider/client/bss";
import {
  compareLines,
  compareSpecs,
  ReconcileFailed,
  reconcileOrder,
  searchWindow,
  type ReconcileRequest,
} from "../../provider/billing/reconcile-order";
import { OrderLedger } from "../../provider/run/order-ledger";
import { SYSTEM_CLOCK } from "../../provider/run/run-context";
import type { ExpectedLine } from "../../provider/orders/order-kind";

// The matching that decides which order an unknown outcome placed, and the look-up loop against
// a scripted BSS and a fake clock.
describe("reconciling an unknown outcome (billing/reconcile-order)", function () {
  const monthly: ExpectedLine = {
    periodType: 2,
    periodNum: 1,
    subscriptionNum: 2,
    resourceSpecCode: "spec.a",
  };
  const oneOff: ExpectedLine = {
    periodType: 5,
    periodNum: 3,
    subscriptionNum: 1,
    resourceSpecCode: "spec.b",
  };
  const line = (l: ExpectedLine, over: Partial<OrderLineItem> = {}): OrderLineItem => ({
    periodType: l.periodType,
    periodNum: l.periodType === 5 ? 1 : l.periodNum,
    subscriptionNum: l.subscriptionNum,
    ...over,
  });

  describe("compareLines", function () {
    it("matches the same lines in any order; a one-time line's period count is not compared", function () {
      const v = compareLines([monthly, oneOff], [line(oneOff), line(monthly)]);
      assert.equal(v.matches, true);
      assert.match(v.detail, /period_type 2 × 1, subscription_num 2; period_type 5, subscription_num 1/);
    });
    it("refuses another quantity, period count, period type, or number of lines, and says which", function () {
      assert.deepEqual(compareLines([monthly], [line(monthly, { subscriptionNum: 3 })]), {
        matches: false,
        detail: "no line item with period_type 2 × 1, subscription_num 2",
      });
      assert.equal(compareLines([monthly], [line(monthly, { periodNum: 2 })]).matches, false);
      assert.equal(compareLines([monthly], [line(monthly, { periodType: 3 })]).matches, false);
      assert.deepEqual(compareLines([monthly], [line(monthly), line(monthly)]), {
        matches: false,
        detail: "2 line items, not 1",
      });
      // Two equal lines need two equal line items, not one counted twice.
      assert.equal(compareLines([monthly, monthly], [line(monthly), line(oneOff)]).matches, false);
    });
  });

  describe("compareSpecs", function () {
    const resource = (spec: string | undefined, main = true): OrderResource => ({
      resourceId: `r-${spec}`,
      status: 2,
      isMainResource: main,
      ...(spec ? { resourceSpecCode: spec } : {}),
    });
    it("compares the main resources' specs with the lines', as many of each", function () {
      assert.deepEqual(
        compareSpecs([monthly, oneOff], [resource("spec.b"), resource("spec.a"), resource("x", false)]),
        {
          matches: true,
          detail: "resource specs (spec.a, spec.b)",
        },
      );
      assert.equal(compareSpecs([monthly], [resource("spec.z")]).matches, false);
      assert.equal(compareSpecs([monthly, monthly], [resource("spec.a"), resource("spec.b")]).matches, false);
    });
    it("no resources listed yet, or none naming its spec, refutes nothing and claims nothing", function () {
      assert.deepEqual(compareSpecs([monthly], []), { matches: true, detail: "" });
      assert.deepEqual(compareSpecs([monthly], [resource(undefined)]), { matches: true, detail: "" });
    });
  });

  it("searches whole seconds from 2 minutes before the request to 2 minutes after the look", function () {
    const w = searchWindow(new Date("2026-11-30T07:00:00.700Z"), new Date("2026-11-30T07:00:05.200Z"));
    assert.equal(w.from.toISOString(), "2026-11-30T06:58:00.000Z");
    assert.equal(w.to.toISOString(), "2026-11-30T07:02:06.000Z");
  });

  describe("reconcileOrder against a scripted BSS", function () {
    interface Listed {
      id: string;
      lines: ExpectedLine[];
      status?: number;
      specs?: string[];
      /** Visible to BSS from this fake time on. */
      from?: number;
      /** service_type_code; default MetaStudio's. */
      code?: string;
    }
    const MS = "hws.service.type.metastudio";
    function scripted(orders: Listed[], opts: { failing?: boolean } = {}) {
      let clock = 1_000_000;
      const calls: string[] = [];
      const answer = (body: unknown): CallResult => ({
        status: 200,
        body,
        headers: {},
        requestId: "r",
        attempts: 1,
        sentAt: new Date(clock),
      });
      const bssError = (code: string, status = 400) =>
        new HuaweiCloudError(
          { service: "bss", operation: "x", httpStatus: status, errorCode: code, attempts: 1 },
          "failed",
          new Redactor(),
        );
      const visible = () => orders.filter((o) => (o.from ?? 0) <= clock);
      const client = {
        redactor: new Redactor(),
        async call(req: CallRequest): Promise<CallResult> {
          const path = req.path.join("/");
          calls.push(path);
          if (opts.failing) throw bssError("CBC.0999", 500);
          if (path === "v2/orders/customer-orders") {
            assert.equal(req.query?.["order_type"], 1);
            const code = req.query?.["service_type_code"];
            const listed = visible().filter((o) => code === undefined || (o.code ?? MS) === code);
            return answer({
              total_count: listed.length,
              order_infos: listed.map((o) => ({
                order_id: o.id,
                status: o.status ?? 6,
                service_type_code: o.code ?? MS,
              })),
            });
          }
          if (path.startsWith("v2/orders/customer-orders/details/")) {
            const o = visible().find((x) => x.id === req.path.at(-1));
            if (!o) throw bssError("CBC.30000010");
            return answer({
              order_info: { order_id: o.id, status: o.status ?? 6, create_time: "2026-11-30T07:00:00Z" },
              total_count: o.lines.length,
              order_line_items: o.lines.map((l) => ({
                period_type: l.periodType,
                period_num: l.periodNum,
                subscription_num: l.subscriptionNum,
              })),
            });
          }
          if (path === "v2/orders/suscriptions/resources/query") {
            const o = orders.find((x) => x.id === (req.body as { order_id: string }).order_id);
            const specs = o?.specs ?? [];
            return answer({
              total_count: specs.length,
              data: specs.map((s, i) => ({
                resource_id: `r${i}`,
                status: 2,
                is_main_resource: 1,
                resource_spec_code: s,
              })),
            });
          }
          throw new Error(`unexpected ${path}`);
        },
      };
      const progress: string[] = [];
      const request = (over: Partial<ReconcileRequest> = {}): ReconcileRequest => ({
        client,
        label: "MetaStudioSubscription 'm'",
        sentAt: new Date(clock),
        serviceTypeCode: "hws.service.type.metastudio",
        lines: [monthly],
        otherServiceTypeCodes: ["hws.service.type.dis"],
        held: new Set(),
        settleMs: 3000,
        pollMs: 1000,
        progress: async (l) => void progress.push(l),
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
        ...over,
      });
      return { calls, progress, request, advance: (ms: number) => void (clock += ms) };
    }

    it("one matching order is found; others of the window are told apart by their lines and specs", async function () {
      const bss = scripted([
        { id: "OTHERQTY", lines: [{ ...monthly, subscriptionNum: 9 }] },
        { id: "OTHERSPEC", lines: [monthly], status: 5, specs: ["spec.z"] },
        { id: "OURS", lines: [monthly], status: 5, specs: ["spec.a"] },
      ]);
      const found = await reconcileOrder(bss.request());
      assert.deepEqual(found, {
        kind: "found",
        orderId: "OURS",
        createdAt: "2026-11-30T07:00:00.000Z",
        compared: "line items (period_type 2 × 1, subscription_num 2) and resource specs (spec.a)",
      });
      // 1 list + 3 details + 2 resource queries (only completed orders whose lines match).
      assert.equal(bss.calls.length, 6);
    });

    it("several matching orders are all listed; held orders are never candidates", async function () {
      const bss = scripted([
        { id: "A", lines: [monthly] },
        { id: "B", lines: [monthly] },
        { id: "HELD", lines: [monthly] },
      ]);
      const found = await reconcileOrder(bss.request({ held: new Set(["HELD"]) }));
      assert.equal(found.kind, "ambiguous");
      assert.deepEqual(found.kind === "ambiguous" && found.candidates.map((c) => c.orderId), ["A", "B"]);
    });

    it("an order BSS shows late is found while the settle time lasts; none by then is 'not placed'", async function () {
      const late = scripted([{ id: "LATE", lines: [monthly], from: 1_000_000 + 2000 }]);
      const found = await reconcileOrder(late.request());
      assert.equal(found.kind, "found");
      assert.equal(late.progress.length, 1, "told once that it looks again");
      assert.match(
        late.progress[0] ?? "",
        /BSS shows no a new hws\.service\.type\.metastudio order .* looking again until/,
      );

      const none = scripted([{ id: "LATER", lines: [monthly], from: 1_000_000 + 10_000 }]);
      const notPlaced = await reconcileOrder(none.request());
      assert.equal(notPlaced.kind, "not-placed");
      // Looks at 0, 1, 2 and 3 s after the request was sent, then once without the service filter.
      assert.equal(none.calls.length, 5);
    });

    it("before 'not placed', an order of an unexpected service type with these lines stops it; other kinds' orders do not", async function () {
      const unexpected = scripted([
        { id: "ELSEWHERE", lines: [monthly], code: "hws.service.type.mss" },
        { id: "DISORDER", lines: [monthly], code: "hws.service.type.dis" },
      ]);
      const found = await reconcileOrder(unexpected.request());
      assert.equal(found.kind, "ambiguous");
      assert.deepEqual(found.kind === "ambiguous" && found.candidates.map((c) => c.orderId), ["ELSEWHERE"]);
      const onlyDis = scripted([{ id: "DISORDER", lines: [monthly], code: "hws.service.type.dis" }]);
      assert.equal((await reconcileOrder(onlyDis.request())).kind, "not-placed");
    });

    it("a DIS order is read by its id: found, or not placed after the settle time", async function () {
      const bss = scripted([{ id: "CS1", lines: [] }]);
      assert.equal((await reconcileOrder(bss.request({ orderId: "CS1", settleMs: 0 }))).kind, "found");
      assert.equal(bss.calls.length, 1);
      const missing = scripted([]);
      assert.equal(
        (await reconcileOrder(missing.request({ orderId: "CS2", settleMs: 2000 }))).kind,
        "not-placed",
      );
      assert.equal(missing.calls.length, 3);
    });

    it("BSS unable to answer is ReconcileFailed, naming the failure", async function () {
      const bss = scripted([], { failing: true });
      await assert.rejects(reconcileOrder(bss.request()), (err: unknown) => {
        assert.ok(err instanceof ReconcileFailed);
        assert.match(
          err.message,
          /MetaStudioSubscription 'm': looking the order up through BSS failed: .*HTTP 500/,
        );
        return true;
      });
    });
  });

  it("the ledger runs reconciles one at a time, after the order requests in flight", async function () {
    const ledger = new OrderLedger(SYSTEM_CLOCK);
    const events: string[] = [];
    let answer: () => void = () => undefined;
    const sending = ledger.sending(
      () =>
        new Promise<void>((resolve) => {
          answer = () => {
            events.push("answered");
            resolve();
          };
        }),
    );
    const first = ledger.reconciling(async () => void events.push("reconcile 1"));
    const second = ledger.reconciling(async () => void events.push("reconcile 2"));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, [], "no reconcile while an order request is in flight");
    answer();
    await Promise.all([sending, first, second]);
    assert.deepEqual(events, ["answered", "reconcile 1", "reconcile 2"]);
  });

  it("the ledger's quiet ends quietMs after the last resource shown, at most maxMs after it began, on the run's clock", async function () {
    let now = 1_000;
    const slept: number[] = [];
    const ledger = new OrderLedger({
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
        // The engine shows another resource during the first wait: quiet starts again from it.
        if (slept.length === 1) ledger.shown();
      },
    });
    await ledger.quiet(300, 10_000);
    assert.deepEqual(slept, [300, 300], "300 ms after the start, then 300 ms after the resource shown then");
    slept.length = 0;
    const busy = new OrderLedger({
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
        busy.shown(); // never quiet
      },
    });
    await busy.quiet(300, 1_000);
    assert.equal(
      slept.reduce((a, b) => a + b, 0),
      1_000,
      "a run that never goes quiet waits maxMs in all",
    );
  });
});
