import * as assert from "node:assert/strict";
import { HuaweiCloudError, Redactor, type CallRequest, type CallResult } from "../../provider/client";
import { followOrder, FollowStopped, type FollowRequest } from "../../provider/billing/follow-order";
import { NOT_FOLLOWED, type FollowOutputs } from "../../provider/contract/recorded-outputs";

// followOrder against a scripted BSS and a fake clock: what it reads, pays and says, poll by poll.
describe("following an order (billing/follow-order)", function () {
  /** BSS answering order details with `statuses` in turn (the last one repeats), and resources. */
  function scriptedBss(statuses: number[], resources: { id: string; expires: string }[][] = []) {
    const calls: CallRequest[] = [];
    let reads = 0;
    let resourceReads = 0;
    const answer = (body: unknown): CallResult => ({
      status: 200,
      body,
      headers: {},
      requestId: `req${calls.length}`,
      attempts: 1,
      sentAt: new Date(0),
    });
    const client = {
      redactor: new Redactor(),
      async call(req: CallRequest): Promise<CallResult> {
        calls.push(req);
        const path = req.path.join("/");
        if (path.startsWith("v2/orders/customer-orders/details/")) {
          const status = statuses[Math.min(reads++, statuses.length - 1)];
          if (status === undefined || status < 0) {
            // -1: BSS does not know the order (yet).
            const meta = {
              service: "bss",
              operation: req.operation,
              httpStatus: 400,
              errorCode: "CBC.30000010",
              attempts: 1,
            } as const;
            throw new HuaweiCloudError(meta, "Invalid order. The order may not exist.", new Redactor());
          }
          return answer({
            order_info: {
              order_id: "CS1",
              status,
              ...(status === 3 || status === 5 ? { payment_time: "2026-01-01T00:00:00Z" } : {}),
              official_amount: 10,
              currency: "CNY",
            },
            total_count: 0,
          });
        }
        if (path === "v3/orders/customer-orders/pay") return { ...answer(undefined), status: 204 };
        if (path === "v2/orders/suscriptions/resources/query") {
          const list = resources[Math.min(resourceReads++, resources.length - 1)] ?? [];
          return answer({
            data: list.map((r) => ({ resource_id: r.id, status: 2, expire_time: r.expires })),
            total_count: list.length,
          });
        }
        throw new Error(`unexpected ${path}`);
      },
    };
    return { client, calls, pays: () => calls.filter((c) => c.operation === "PayOrders").length };
  }

  function request(
    client: FollowRequest["client"],
    over: Partial<FollowRequest> & { recorded?: FollowOutputs } = {},
  ): FollowRequest & { lines: string[] } {
    let clock = 0;
    const lines: string[] = [];
    return {
      client,
      orderId: "CS1",
      label: "DisPackageOrder 'a'",
      wanted: "paid",
      payThroughBss: false,
      paysItself: false,
      payHint: "Pay it by hand.",
      timeoutMs: 1000,
      pollMs: 100,
      recorded: NOT_FOLLOWED,
      progress: async (line) => void lines.push(line),
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      lines,
      ...over,
    };
  }

  it("a status no page lists is named, treated as pending, and reported once, until the timeout", async function () {
    const bss = scriptedBss([7]);
    const req = request(bss.client);
    const err = await followOrder(req).then(
      () => assert.fail("followed"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof FollowStopped);
    assert.match(err.message, /order CS1 is still 7 \(not a status the pages list\) after 1 s/);
    assert.match(err.message, /the next `pulumi up` resumes following it and places no new order/);
    assert.equal(err.outputs.orderStatus, 7);
    assert.equal(err.outputs.orderStage, "submitted");
    assert.deepEqual(req.lines, [
      "DisPackageOrder 'a': order CS1 is 7 (not a status the pages list); treated as still pending",
    ]);
    assert.equal(bss.calls.length, 11, "one read per poll: at 0, 100, ... 1000 ms");
    assert.equal(bss.pays(), 0);
  });

  it("pays a pending order once, even while BSS still shows it pending, and records when", async function () {
    const bss = scriptedBss([6, 6, 6, 3]);
    const req = request(bss.client, { payThroughBss: true });
    const out = await followOrder(req);
    assert.equal(bss.pays(), 1);
    assert.equal(out.orderStage, "paid");
    assert.equal(out.paidAt, "2026-01-01T00:00:00.000Z");
    assert.equal(out.paymentSentAt, new Date(0).toISOString());
    assert.equal(out.officialAmount, 10);
    assert.ok(req.lines.some((l) => /though this stack paid it at .* \(it is never paid twice\)/.test(l)));
  });

  it("never pays an order the stack already paid, when it resumes", async function () {
    const bss = scriptedBss([6]);
    const recorded = { ...NOT_FOLLOWED, paymentSentAt: "2026-01-01T00:00:00.000Z" };
    await assert.rejects(followOrder(request(bss.client, { payThroughBss: true, recorded })), FollowStopped);
    assert.equal(bss.pays(), 0);
  });

  it("without auto-pay, names what to do for an order waiting for payment", async function () {
    const bss = scriptedBss([6]);
    await assert.rejects(
      followOrder(request(bss.client)),
      /still 6 \(pending payment\) .*it waits for payment\. Pay it by hand\./,
    );
    assert.equal(bss.pays(), 0);
  });

  it("provisioned waits for the completed order's resources and records the earliest expiry", async function () {
    const bss = scriptedBss(
      [3, 5],
      [
        [],
        [
          { id: "r2", expires: "2027-03-01T00:00:00Z" },
          { id: "r1", expires: "2027-02-01T00:00:00Z" },
        ],
      ],
    );
    const req = request(bss.client, { wanted: "provisioned", paysItself: true });
    const out = await followOrder(req);
    assert.equal(out.orderStage, "provisioned");
    assert.deepEqual(
      out.purchasedResources.map((r) => r.resourceId),
      ["r2", "r1"],
    );
    assert.equal(out.earliestExpiry, "2027-02-01T00:00:00.000Z");
    assert.deepEqual(
      req.lines.map((l) => l.replace("DisPackageOrder 'a': order CS1 is ", "")),
      [
        "3 (processing)",
        "5 (completed); its resources are not listed yet",
        "5 (completed): 2 resources (r2, r1), earliest expiry 2027-02-01T00:00:00.000Z",
      ],
    );
  });

  it("an order BSS does not know yet (CBC.30000010) is waited for, then named at the timeout", async function () {
    const late = scriptedBss([-1, -1, 3]);
    const req = request(late.client);
    assert.equal((await followOrder(req)).orderStage, "paid");
    assert.match(req.lines[0] ?? "", /order CS1 is not known to BSS yet \(CBC\.30000010\); waiting for it/);
    const never = scriptedBss([-1]);
    await assert.rejects(
      followOrder(request(never.client)),
      /reading order CS1 through BSS failed: .*CBC\.30000010.* the next `pulumi up` resumes following it/,
    );
    assert.equal(never.calls.length, 11);
  });

  it("a cancelled order stops at once, with what was read", async function () {
    const bss = scriptedBss([3, 4]);
    const err = await followOrder(request(bss.client, { wanted: "provisioned" })).catch((e: unknown) => e);
    assert.ok(err instanceof FollowStopped);
    assert.match(err.message, /order CS1 was cancelled \(status 4 \(cancelled\)\): nothing was bought/);
    assert.equal(err.outputs.orderStatus, 4);
    assert.equal(err.outputs.orderStage, "paid", "it was processing (paid) before it was cancelled");
  });
});
