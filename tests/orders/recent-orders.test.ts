import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import { HuaweiCloudClient, resolveSettings } from "../../provider/client";
import { RecentOrders, type GuardRequest } from "../../provider/billing/recent-orders";
import type { ExpectedLine } from "../../provider/orders/order-kind";
import { FakeClock, METASTUDIO_PATH, metastudioOrderBody, send, useEmulator } from "../emulator/helpers";

const d = DEMO_ACCOUNT;
const MINUTE = 60_000;
const DELAY = 1000;

// The look for a recent identical order before a MetaStudio order is placed (docs/recovery.md "The engine
// interrupted while creating"), against the emulator's BSS on a fake clock: which orders count as
// duplicates, and what the look costs in BSS requests for a whole run.
describe("the duplicate guard's look at recent orders (duplicate-guard)", function () {
  const clock = new FakeClock();
  const emulator = useEmulator({ clock: clock.now, billingDelayMs: DELAY });
  let emu: RunningEmulator;
  let client: HuaweiCloudClient;
  beforeEach(function () {
    emu = emulator();
    client = new HuaweiCloudClient(
      resolveSettings({
        explicit: {
          region: d.region,
          projectId: d.projectId,
          authUrl: emu.url,
          endpoints: { bss: emu.url },
          token: emu.issueToken(),
          domainAuthToken: emu.issueToken({ scope: "domain" }),
        },
      }),
      { now: () => new Date(clock.ms) },
    );
  });

  const lines = (subscriptionNum: number): ExpectedLine[] => [
    {
      periodType: 2,
      periodNum: 1,
      subscriptionNum,
      resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
    },
  ];

  async function place(subscriptionNum: number, isAutoPay: 0 | 1 = 0): Promise<string> {
    const answer = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": emu.issueToken() },
      json: metastudioOrderBody({ subscription_num: subscriptionNum, is_auto_pay: isAutoPay }),
    });
    assert.equal(answer.status, 200, answer.text);
    return (answer.json() as { order_id: string }).order_id;
  }

  const request = (subscriptionNum: number, over: Partial<GuardRequest> = {}): GuardRequest => ({
    client,
    account: "demo",
    serviceTypeCode: "hws.service.type.metastudio",
    lines: lines(subscriptionNum),
    windowMinutes: 60,
    held: new Set(),
    ...over,
  });

  const bssRequests = () =>
    emu
      .requests()
      .filter((r) => r.service === "bss")
      .map((r) => r.path.replace(/details\/\w+$/, "details/<id>"));

  it("finds the recent orders with the same line items that nothing holds, pending or alive; not cancelled, unsubscribed, other lines, or older than the window", async function () {
    const old = await place(2);
    clock.advance(90 * MINUTE);
    const pending = await place(2);
    const otherLines = await place(3);
    const alive = await place(2, 1);
    const gone = await place(2, 1);
    emu.injectFaults({ kind: "order-cancelled", count: 1, service: "metastudio" });
    const cancelled = await place(2, 1);
    clock.advance(DELAY + 1);
    const byId = new Map(emu.billingOrders().map((o) => [o.orderId, o.status]));
    assert.deepEqual(
      [alive, gone, cancelled].map((id) => byId.get(id)),
      [5, 5, 4],
      "completed, completed, cancelled",
    );
    const goneResource = emu.billingResources().find((r) => r.orderId === gone);
    assert.ok(goneResource && emu.changeResource(goneResource.resourceId, "unsubscribe"));
    clock.advance(MINUTE);

    const recent = new RecentOrders(clock.ms);
    const found = await recent.identical(request(2));
    assert.deepEqual(found.map((c) => c.orderId).sort(), [alive, pending].sort());
    assert.ok(!found.some((c) => [old, otherLines, gone, cancelled].includes(c.orderId)));
    const completed = found.find((c) => c.orderId === alive);
    assert.match(completed?.compared ?? "", /line items .* and resource specs/);
    assert.equal(found.find((c) => c.orderId === pending)?.status, 6);

    // An order a resource of the update holds is never a duplicate.
    assert.deepEqual(
      (await recent.identical(request(2, { held: new Set([pending]) }))).map((c) => c.orderId),
      [alive],
    );
  });

  it("asks BSS once per run: one listing for every resource, each order's details (and resources) once; orders the run places later are not in it", async function () {
    const a = await place(4);
    const b = await place(5, 1);
    clock.advance(DELAY + 1);
    const recent = new RecentOrders(clock.ms);
    const before = bssRequests().length;
    assert.deepEqual(
      (await recent.identical(request(4))).map((c) => c.orderId),
      [a],
    );
    // Three more resources of the same run, two of them with b's lines, one with lines nobody has.
    clock.advance(3 * MINUTE);
    const placedByTheRun = await place(4);
    assert.deepEqual(
      (await recent.identical(request(5))).map((c) => c.orderId),
      [b],
    );
    assert.deepEqual(
      (await recent.identical(request(5))).map((c) => c.orderId),
      [b],
    );
    assert.deepEqual(await recent.identical(request(6)), []);
    assert.deepEqual(
      (await recent.identical(request(4))).map((c) => c.orderId),
      [a],
      `not ${placedByTheRun}, placed after the run began`,
    );
    assert.deepEqual(bssRequests().slice(before).sort(), [
      "/v2/orders/customer-orders",
      "/v2/orders/customer-orders/details/<id>",
      "/v2/orders/customer-orders/details/<id>",
      "/v2/orders/customer-orders/details/<id>",
      "/v2/orders/suscriptions/resources/query",
    ]);
  });

  it("the listing covers the window before the run began, with BSS's clock allowed 2 minutes either side", async function () {
    const recent = new RecentOrders(Date.parse("2026-11-30T10:00:00.000Z"));
    await recent.identical(request(1, { windowMinutes: 30 }));
    const listing = emu.requests().find((r) => r.path === "/v2/orders/customer-orders");
    assert.ok(listing);
    assert.deepEqual(
      {
        from: listing.query["create_time_begin"],
        to: listing.query["create_time_end"],
        service: listing.query["service_type_code"],
        type: listing.query["order_type"],
      },
      {
        from: "2026-11-30T09:28:00Z",
        to: "2026-11-30T10:02:00Z",
        service: "hws.service.type.metastudio",
        type: "1",
      },
    );
  });
});
