import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import {
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  errorOf,
  FakeClock,
  METASTUDIO_PATH,
  officiallySigned,
  sdkDate,
  send,
  metastudioOrderBody,
  tokenRequest,
  useEmulator,
} from "./helpers";

const d = DEMO_ACCOUNT;
const DELAY = 1000;
const DETAILS = (orderId: string) => `/v2/orders/customer-orders/details/${orderId}`;
const LIST = "/v2/orders/customer-orders";
const PAY = "/v3/orders/customer-orders/pay";
const RESOURCES = "/v2/orders/suscriptions/resources/query";
const UNSUBSCRIBE = "/v2/orders/subscriptions/resources/unsubscribe";
const TENANT_RESOURCES = `/v1/${d.projectId}/tenants/resources`;

interface OrderInfo {
  order_id: string;
  status: number;
  order_type: number;
  official_amount: number;
  amount_after_discount: number;
  currency: string;
  create_time: string;
  payment_time?: string;
  service_type_code: string;
}
interface Details {
  total_count: number;
  order_info: OrderInfo;
  order_line_items: {
    period_type: number;
    period_num: number;
    subscription_num: number;
    effective_time?: string;
    expire_time?: string;
  }[];
}
interface Resource {
  resource_id: string;
  status: number;
  is_main_resource: number;
  effective_time: string;
  expire_time: string;
  resource_spec_code: string;
}

describe("BSS, the billing service: every accepted order goes through its lifecycle", function () {
  const clock = new FakeClock();
  const emulator = useEmulator({ clock: clock.now, billingDelayMs: DELAY });
  let emu: RunningEmulator;
  let project: string; // a project-scoped token, for DIS and MetaStudio
  let global: string; // a domain-scoped token, for BSS

  beforeEach(function () {
    emu = emulator();
    project = emu.issueToken();
    global = emu.issueToken({ scope: "domain" });
  });

  const bss = (method: "GET" | "POST", p: string, json?: unknown) =>
    send(emu.url, {
      method,
      path: p,
      headers: { "X-Auth-Token": global },
      ...(json === undefined ? {} : { json }),
    });
  const details = async (orderId: string) => {
    const answer = await bss("GET", DETAILS(orderId));
    assert.equal(answer.status, 200, answer.text);
    return answer.json() as Details;
  };
  const resources = async (query: Record<string, unknown> = {}) => {
    const answer = await bss("POST", RESOURCES, query);
    assert.equal(answer.status, 200, answer.text);
    return answer.json() as { data: Resource[]; total_count: number };
  };
  const orderMetastudio = async (body = metastudioOrderBody({ is_auto_pay: 1 })) => {
    const answer = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": project },
      json: body,
    });
    assert.equal(answer.status, 200, answer.text);
    return (answer.json() as { order_id: string }).order_id;
  };
  const orderDis = async (orderId = "CS2511071586MU", body: unknown = DIS_PAGE_EXAMPLE) => {
    const answer = await send(emu.url, {
      path: `/v2/orders/${orderId}`,
      headers: { "X-Auth-Token": project },
      json: body,
    });
    assert.equal(answer.status, 200, answer.text);
    return orderId;
  };
  const pay = (orderId: string) =>
    bss("POST", PAY, { order_id: orderId, use_coupon: "NO", use_discount: "NO" });

  describe("an order placed with auto-pay", function () {
    it("is processing, then completed after the delay, with resources whose expiry follows the period", async function () {
      const orderId = await orderMetastudio(
        metastudioOrderBody({ is_auto_pay: 1, period_type: 2, period_num: 3, subscription_num: 2 }),
      );
      const placedAt = clock.ms;
      const before = await details(orderId);
      assert.equal(before.order_info.status, 3);
      assert.equal(before.order_info.order_type, 1);
      assert.equal(
        before.order_info.payment_time,
        new Date(placedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      );
      assert.equal(before.order_info.service_type_code, "hws.service.type.metastudio");
      assert.equal(before.order_info.currency, "CNY");
      assert.equal(before.order_info.official_amount, 60, "10.00 per unit and month: 3 months x 2 units");
      assert.equal(before.order_line_items[0]?.expire_time, undefined, "no expiry before provisioning");
      assert.equal((await resources({ order_id: orderId })).total_count, 0);

      clock.advance(DELAY - 1);
      assert.equal((await details(orderId)).order_info.status, 3);
      clock.advance(1);
      const after = await details(orderId);
      assert.equal(after.order_info.status, 5);
      const line = after.order_line_items[0];
      assert.deepEqual([line?.period_type, line?.period_num, line?.subscription_num], [2, 3, 2]);
      const effective = new Date(placedAt + DELAY);
      const expected = new Date(effective);
      expected.setUTCMonth(expected.getUTCMonth() + 3);
      assert.equal(line?.effective_time, effective.toISOString().replace(/\.\d{3}Z$/, "Z"));
      assert.equal(line?.expire_time, expected.toISOString().replace(/\.\d{3}Z$/, "Z"));
      const listed = await resources({ order_id: orderId });
      assert.equal(listed.total_count, 1);
      assert.deepEqual(
        [listed.data[0]?.status, listed.data[0]?.is_main_resource, listed.data[0]?.expire_time],
        [2, 1, line?.expire_time],
      );
    });

    it("becomes expired (resource status 5) when the clock passes its expiry", async function () {
      const orderId = await orderMetastudio();
      clock.advance(DELAY);
      clock.advance(32 * 24 * 3600 * 1000);
      global = emu.issueToken({ scope: "domain" }); // the first one lapsed after 24 hours
      assert.equal((await resources({ order_id: orderId })).data[0]?.status, 5);
    });
  });

  describe("an order placed without auto-pay", function () {
    it("waits in pending payment until paid, then goes through processing to completed", async function () {
      const orderId = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 0 }));
      clock.advance(10 * DELAY);
      const waiting = await details(orderId);
      assert.equal(waiting.order_info.status, 6);
      assert.equal(waiting.order_info.payment_time, undefined);
      const paid = await pay(orderId);
      assert.equal(paid.status, 204);
      assert.equal(paid.text, "");
      assert.equal((await details(orderId)).order_info.status, 3);
      clock.advance(DELAY);
      assert.equal((await details(orderId)).order_info.status, 5);
      assert.equal((await resources({ order_id: orderId })).total_count, 1);
    });

    it("refuses to pay twice, or an order that does not exist, with the pages' codes", async function () {
      const orderId = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 0 }));
      assert.equal((await pay(orderId)).status, 204);
      const again = await pay(orderId);
      assert.equal(again.status, 400);
      assert.equal(errorOf(again).code, "CBC.99003106");
      const unknown = await pay("CS000000NOSUCH");
      assert.equal(unknown.status, 400);
      assert.equal(errorOf(unknown).code, "CBC.30000010");
      assert.equal(errorOf(await bss("GET", DETAILS("CS000000NOSUCH"))).code, "CBC.30000010");
    });

    it("validates the payment body field by field", async function () {
      const answer = await bss("POST", PAY, { order_id: "", use_coupon: "maybe", extra: 1 });
      assert.equal(answer.status, 400);
      const { code, message } = errorOf(answer);
      assert.equal(code, "CBC.0100");
      for (const part of [
        "order_id: must not be empty",
        "use_coupon: must be YES or NO",
        "use_discount: is required",
        "extra: unknown field",
      ]) {
        assert.ok(message.includes(part), message);
      }
    });

    it("makes a DIS package order a customer order pending payment, once per order id, with a yearly expiry", async function () {
      const body = {
        ...DIS_PAGE_EXAMPLE,
        cloudServices: { ...DIS_PAGE_EXAMPLE.cloudServices, periodType: 3, periodNum: 2 },
      };
      const orderId = await orderDis("CS2511071586MU", body);
      // The same id again is refused by DIS (an order id is submitted once), and billed nothing.
      const again = await send(emu.url, {
        path: `/v2/orders/${orderId}`,
        headers: { "X-Auth-Token": project },
        json: body,
      });
      assert.equal(again.status, 400);
      assert.equal(emu.orders("dis").length, 1);
      assert.equal(emu.billingOrders().length, 1);
      const placed = await details(orderId);
      assert.equal(placed.order_info.status, 6);
      assert.equal(placed.order_info.service_type_code, "hws.service.type.dis");
      assert.equal((await pay(orderId)).status, 204);
      clock.advance(DELAY);
      const line = (await details(orderId)).order_line_items[0];
      assert.equal(line?.period_type, 3);
      const expected = new Date(Date.parse(line?.effective_time ?? ""));
      expected.setUTCFullYear(expected.getUTCFullYear() + 2);
      assert.equal(line?.expire_time, expected.toISOString().replace(/\.\d{3}Z$/, "Z"));
    });
  });

  describe("listing customer orders", function () {
    it("filters by creation window, service, status and type, newest first, with limit and offset", async function () {
      const begin = new Date(clock.ms).toISOString().replace(/\.\d{3}Z$/, "Z");
      const first = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 0 }));
      clock.advance(60_000);
      const second = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 1 }));
      await orderDis();
      clock.advance(60_000);
      const end = new Date(clock.ms).toISOString().replace(/\.\d{3}Z$/, "Z");
      const list = async (q: string) => {
        const answer = await bss("GET", `${LIST}?${q}`);
        assert.equal(answer.status, 200, answer.text);
        return answer.json() as { total_count: number; order_infos: OrderInfo[] };
      };
      const window = `create_time_begin=${begin}&create_time_end=${end}`;
      const metastudio = await list(`${window}&service_type_code=hws.service.type.metastudio`);
      assert.equal(metastudio.total_count, 2);
      assert.deepEqual(
        metastudio.order_infos.map((o) => o.order_id),
        [second, first],
      );
      assert.deepEqual(
        (
          await list(`${window}&service_type_code=HWS.SERVICE.TYPE.METASTUDIO&order_by=createTime`)
        ).order_infos.map((o) => o.order_id),
        [first, second],
      );
      assert.deepEqual(
        (await list(`status=6&service_type_code=hws.service.type.metastudio`)).order_infos.map(
          (o) => o.order_id,
        ),
        [first],
      );
      const paged = await list(`${window}&limit=1&offset=1`);
      assert.equal(paged.total_count, 3);
      assert.equal(paged.order_infos.length, 1);
      const later = new Date(clock.ms + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      assert.equal((await list(`create_time_begin=${later}`)).total_count, 0);
      assert.equal((await list(`order_type=4`)).total_count, 0);
    });

    it("refuses a malformed time, a window over a year, and a bad limit", async function () {
      const answer = await bss(
        "GET",
        `${LIST}?create_time_begin=2025-01-01T00:00:00Z&create_time_end=2026-06-01T00:00:00Z&limit=0&order_by=price`,
      );
      assert.equal(answer.status, 400);
      const { code, message } = errorOf(answer);
      assert.equal(code, "CBC.0100");
      assert.match(message, /at most one year apart/);
      assert.match(message, /limit: must be an integer from 1 to 100/);
      assert.match(message, /order_by/);
      assert.match(
        errorOf(await bss("GET", `${LIST}?create_time_begin=2025-01-01`)).message,
        /yyyy-MM-ddTHH:mm:ssZ/,
      );
    });
  });

  describe("querying resources", function () {
    it("filters by order, status and ids, pages with limit and offset, and validates the body", async function () {
      const a = await orderMetastudio(
        metastudioOrderBody({ is_auto_pay: 1 }, { is_auto_pay: 1, period_type: 3 }),
      );
      const b = await orderMetastudio();
      clock.advance(DELAY);
      assert.equal((await resources({ order_id: a })).total_count, 2);
      assert.equal((await resources({ status_list: [2], limit: 500 })).total_count, 3);
      assert.equal((await resources({ status_list: [4] })).total_count, 0);
      const page = await resources({ limit: 1, offset: 2 });
      assert.deepEqual([page.total_count, page.data.length], [3, 1]);
      const one = (await resources({ order_id: b })).data[0]?.resource_id ?? "";
      assert.equal((await resources({ resource_ids: [one] })).total_count, 1);
      const bad = await bss("POST", RESOURCES, {
        resource_ids: Array.from({ length: 51 }, (_, i) => `r${i}`),
        status_list: [7],
        limit: 501,
      });
      assert.equal(bad.status, 400);
      const { message } = errorOf(bad);
      for (const part of [
        "resource_ids: must list at most 50 ids",
        "status_list[0]: must be 2, 3, 4 or 5",
        "limit: must be from 1 to 500",
      ]) {
        assert.ok(message.includes(part), message);
      }
    });
  });

  describe("unsubscribing", function () {
    it("records an unsubscribe order and removes the resources once it completes", async function () {
      const orderId = await orderMetastudio();
      clock.advance(DELAY);
      const id = (await resources({ order_id: orderId })).data[0]?.resource_id ?? "";
      const answer = await bss("POST", UNSUBSCRIBE, { resource_ids: [id], unsubscribe_type: 1 });
      assert.equal(answer.status, 200, answer.text);
      const body = answer.json() as { order_ids: string[]; fail_resource_infos?: unknown[] };
      assert.equal(body.order_ids.length, 1);
      assert.equal(body.fail_resource_infos, undefined, "the field is present only when something failed");
      const unsubscribeOrder = await details(body.order_ids[0] ?? "");
      assert.deepEqual([unsubscribeOrder.order_info.order_type, unsubscribeOrder.order_info.status], [4, 3]);
      assert.equal((await resources({ order_id: orderId })).total_count, 1, "still listed while processing");
      clock.advance(DELAY);
      assert.equal((await details(body.order_ids[0] ?? "")).order_info.status, 5);
      assert.equal((await resources({ order_id: orderId })).total_count, 0, "gone once unsubscribed");
      assert.equal(emu.billingResources()[0]?.status, 3, "the admin view keeps it, closed");

      // As the current page: a resource already unsubscribed refuses the whole request, 400.
      const again = await bss("POST", UNSUBSCRIBE, { resource_ids: [id], unsubscribe_type: 1 });
      assert.equal(again.status, 400);
      assert.equal(errorOf(again).code, "CBC.30000067");
    });

    it("refuses the whole request (400, nothing unsubscribed) for an expired, frozen, unknown or in-progress resource, as the page does", async function () {
      const orders = await Promise.all([1, 2, 3, 4].map(() => orderMetastudio()));
      clock.advance(DELAY);
      const [expired, frozen, busy, inUse] = await Promise.all(
        orders.map(async (o) => (await resources({ order_id: o })).data[0]?.resource_id ?? ""),
      );
      assert.ok(emu.changeResource(expired ?? "", "expire"));
      assert.ok(emu.changeResource(frozen ?? "", "freeze"));
      assert.equal(
        (await bss("POST", UNSUBSCRIBE, { resource_ids: [busy], unsubscribe_type: 1 })).status,
        200,
      );
      const unsubscribeOrders = () => emu.billingOrders().filter((o) => o.orderType === 4).length;
      for (const [other, code] of [
        [expired, "CBC.30000067"],
        [frozen, "CBC.99003656"],
        [busy, "CBC.99003651"],
        ["no-such-resource", "CBC.99003012"],
      ]) {
        const answer = await bss("POST", UNSUBSCRIBE, { resource_ids: [inUse, other], unsubscribe_type: 1 });
        assert.equal(answer.status, 400, `${code}: ${answer.text}`);
        assert.equal(errorOf(answer).code, code);
      }
      assert.equal(unsubscribeOrders(), 1, "no refused request unsubscribed anything");
      assert.equal(
        (await resources({ order_id: orders[3] })).data[0]?.status,
        2,
        "the resource in use is untouched",
      );
      const type2 = await bss("POST", UNSUBSCRIBE, { resource_ids: [inUse], unsubscribe_type: 2 });
      assert.equal(errorOf(type2).code, "CBC.99003128");
      const alone = await bss("POST", UNSUBSCRIBE, { resource_ids: [inUse], unsubscribe_type: 1 });
      assert.equal(alone.status, 200);
    });

    it("the unsubscribe-legacy fault answers as older tables did: 200, per-resource failures with the old codes", async function () {
      const oneOff = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 1, period_type: 6 }));
      const periodic = await orderMetastudio();
      const other = await orderMetastudio();
      clock.advance(DELAY);
      const [oneOffId, periodicId, otherId] = await Promise.all(
        [oneOff, periodic, other].map(
          async (o) => (await resources({ order_id: o })).data[0]?.resource_id ?? "",
        ),
      );
      assert.equal(
        (await bss("POST", UNSUBSCRIBE, { resource_ids: [periodicId], unsubscribe_type: 1 })).status,
        200,
      );
      emu.injectFaults({ kind: "unsubscribe-legacy", count: 1 });
      const answer = await bss("POST", UNSUBSCRIBE, {
        resource_ids: [oneOffId, "no-such-resource", periodicId, otherId],
        unsubscribe_type: 1,
      });
      assert.equal(answer.status, 200);
      const body = answer.json() as {
        order_ids: string[];
        fail_resource_infos: { error_code: string; resource_id: string }[];
      };
      assert.equal(body.order_ids.length, 1, "the one that can go is unsubscribed");
      assert.deepEqual(
        body.fail_resource_infos.map((f) => [f.resource_id, f.error_code]),
        [
          [oneOffId, "CBC.0100"],
          ["no-such-resource", "CBC.30050009"],
          [periodicId, "CBC.3124"],
        ],
      );
      assert.deepEqual(emu.requests().at(-1)?.faults, ["unsubscribe-legacy"]);
      const next = await bss("POST", UNSUBSCRIBE, { resource_ids: [oneOffId], unsubscribe_type: 1 });
      assert.equal(next.status, 400, "one request only: then the page's answers again");
    });

    it("refuses more than 10 ids, none, or an unsubscribe_type the page does not define", async function () {
      const many = await bss("POST", UNSUBSCRIBE, {
        resource_ids: Array.from({ length: 11 }, (_, i) => `r${i}`),
        unsubscribe_type: 1,
      });
      assert.equal(many.status, 400);
      assert.match(errorOf(many).message, /resource_ids: must list at most 10 ids/);
      const none = await bss("POST", UNSUBSCRIBE, { resource_ids: [], unsubscribe_type: 3 });
      assert.match(
        errorOf(none).message,
        /resource_ids: must list at least one id; unsubscribe_type: must be 1/,
      );
    });
  });

  describe("lifecycle faults", function () {
    it("order-stuck: the order stays in processing", async function () {
      emu.injectFaults({ kind: "order-stuck", count: 1 });
      const orderId = await orderMetastudio();
      clock.advance(100 * DELAY);
      assert.equal((await details(orderId)).order_info.status, 3);
      assert.equal((await resources({ order_id: orderId })).total_count, 0);
      assert.deepEqual(emu.requests().find((r) => r.service === "metastudio")?.faults, ["order-stuck"]);
    });

    it("order-cancelled: cancelled (4) once the delay has passed, from pending payment too", async function () {
      emu.injectFaults({ kind: "order-cancelled", count: 2 });
      const auto = await orderMetastudio();
      const pending = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 0 }));
      clock.advance(DELAY);
      assert.equal((await details(auto)).order_info.status, 4);
      assert.equal((await details(pending)).order_info.status, 4);
      assert.equal(errorOf(await pay(pending)).code, "CBC.99003106");
      assert.equal((await resources()).total_count, 0);
    });

    it("payment-refused: the pay API refuses for insufficient balance and the order stays pending", async function () {
      const orderId = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 0 }));
      emu.injectFaults({ kind: "payment-refused", count: 1 });
      const refused = await pay(orderId);
      assert.equal(refused.status, 400);
      assert.deepEqual(errorOf(refused), {
        code: "CBC.99005003",
        message: "The account balance is insufficient.",
      });
      assert.equal((await details(orderId)).order_info.status, 6);
      assert.deepEqual(emu.requests().at(-2)?.faults, ["payment-refused"]);
      assert.equal((await pay(orderId)).status, 204, "the next payment goes through");
    });

    it("payment-refused on auto-pay: the order waits in pending payment", async function () {
      emu.injectFaults({ kind: "payment-refused", count: 1 });
      const orderId = await orderMetastudio();
      clock.advance(DELAY);
      assert.equal((await details(orderId)).order_info.status, 6);
    });

    it("resources-late: completed, but its resources are listed only later", async function () {
      emu.injectFaults({ kind: "resources-late", count: 1, ms: 5000 });
      const orderId = await orderMetastudio();
      clock.advance(DELAY);
      assert.equal((await details(orderId)).order_info.status, 5);
      assert.equal((await resources({ order_id: orderId })).total_count, 0);
      clock.advance(5000);
      assert.equal((await resources({ order_id: orderId })).total_count, 1);
    });

    it("5xx and throttling aimed at BSS leave the other services alone", async function () {
      const orderId = await orderMetastudio();
      emu.injectFaults(
        { kind: "error", count: 1, status: 503, service: "bss" },
        { kind: "throttle", count: 1, service: "bss" },
      );
      const throttled = await bss("GET", DETAILS(orderId));
      assert.equal(throttled.status, 429);
      assert.equal(errorOf(throttled).code, "APIGW.0308");
      const failed = await bss("GET", DETAILS(orderId));
      assert.equal(failed.status, 503);
      assert.equal(errorOf(failed).code, "CBC.0999");
      assert.equal((await bss("GET", DETAILS(orderId))).status, 200);
    });
  });

  describe("authentication: BSS is a global service", function () {
    it("takes a domain-scoped token and refuses a project-scoped one", async function () {
      const orderId = await orderMetastudio();
      const refused = await send(emu.url, {
        method: "GET",
        path: DETAILS(orderId),
        headers: { "X-Auth-Token": project },
      });
      assert.equal(refused.status, 403);
      assert.equal(errorOf(refused).code, "APIGW.0302");
      assert.match(emu.requests().at(-1)?.note ?? "", /needs a domain-scoped token/);
      const dis = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": global },
        json: DIS_PAGE_EXAMPLE,
      });
      assert.equal(dis.status, 403, "and a regional API refuses the domain-scoped token");
    });

    it("IAM issues a domain-scoped token for a password and scope.domain", async function () {
      const body = tokenRequest();
      const answer = await send(emu.url, {
        path: "/v3/auth/tokens",
        json: { auth: { identity: body.auth.identity, scope: { domain: { name: d.domainName } } } },
      });
      assert.equal(answer.status, 201, answer.text);
      const token = (answer.json() as { token: { domain?: { id: string }; project?: unknown } }).token;
      assert.deepEqual([token.domain?.id, token.project], [d.domainId, undefined]);
      const value = String(answer.headers["x-subject-token"]);
      const orderId = await orderMetastudio();
      assert.equal(
        (await send(emu.url, { method: "GET", path: DETAILS(orderId), headers: { "X-Auth-Token": value } }))
          .status,
        200,
      );
      const wrong = await send(emu.url, {
        path: "/v3/auth/tokens",
        json: { auth: { identity: body.auth.identity, scope: { domain: { name: "someone-else" } } } },
      });
      assert.equal(wrong.status, 401);
      const both = await send(emu.url, {
        path: "/v3/auth/tokens",
        json: {
          auth: {
            identity: body.auth.identity,
            scope: { domain: { name: d.domainName }, project: { name: d.region } },
          },
        },
      });
      assert.equal(both.status, 400);
    });

    it("takes AK/SK with the account's X-Domain-Id, and refuses it without or with another", async function () {
      const orderId = await orderMetastudio();
      const signed = (headers: Record<string, string>) => {
        const s = officiallySigned({
          baseUrl: emu.url,
          path: DETAILS(orderId),
          method: "GET",
          headers: { ...headers, "X-Sdk-Date": sdkDate(clock.ms) },
        });
        return send(emu.url, { method: "GET", path: DETAILS(orderId), headers: s.headers });
      };
      assert.equal((await signed({ "X-Domain-Id": d.domainId })).status, 200);
      const without = await signed({ "X-Project-Id": d.projectId });
      assert.equal(without.status, 401);
      assert.match(errorOf(without).message, /needs X-Domain-Id/);
      assert.equal((await signed({ "X-Domain-Id": "f".repeat(32) })).status, 403);
    });

    it("IAM's GET /v3/auth/domains names the account of an AK/SK signature, as Huawei's SDKs ask it", async function () {
      const s = officiallySigned({
        baseUrl: emu.url,
        path: "/v3/auth/domains",
        method: "GET",
        headers: { "X-Sdk-Date": sdkDate(clock.ms) },
      });
      const answer = await send(emu.url, { method: "GET", path: "/v3/auth/domains", headers: s.headers });
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual((answer.json() as { domains: unknown[] }).domains, [
        { id: d.domainId, name: d.domainName, enabled: true, description: "" },
      ]);
      assert.equal((await send(emu.url, { method: "GET", path: "/v3/auth/domains" })).status, 401);
    });
  });

  describe("MetaStudio's tenant resources query answers from the same state", function () {
    const tenant = (query: string) =>
      send(emu.url, {
        method: "GET",
        path: `${TENANT_RESOURCES}?${query}`,
        headers: { "X-Auth-Token": project },
      });

    it("lists the PURCHASED resources of completed MetaStudio orders, by order and charging mode", async function () {
      const periodic = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 1, subscription_num: 3 }));
      const oneOff = await orderMetastudio(metastudioOrderBody({ is_auto_pay: 1, period_type: 6 }));
      await orderDis();
      const empty = await tenant("resource_source=PURCHASED");
      assert.deepEqual(empty.json(), { resources: [], count: 0 }, "nothing before completion");
      clock.advance(DELAY);
      const all = (await tenant("resource_source=PURCHASED")).json() as {
        resources: {
          order_id: string;
          charging_mode: string;
          amount: number;
          status: number;
          resource_source: string;
        }[];
        count: number;
      };
      assert.equal(all.count, 2);
      const byOrder = ((await tenant(`resource_source=PURCHASED&order_id=${periodic}`)).json() as typeof all)
        .resources;
      assert.deepEqual(
        byOrder.map((r) => [r.order_id, r.charging_mode, r.amount, r.status, r.resource_source]),
        [[periodic, "PERIODIC", 3, 0, "PURCHASED"]],
      );
      const oneOffs = (
        (await tenant("resource_source=PURCHASED&charging_mode=ONE_TIME")).json() as typeof all
      ).resources;
      assert.deepEqual(
        oneOffs.map((r) => r.order_id),
        [oneOff],
      );
      assert.equal(((await tenant("resource_source=SP_ALLOCATED")).json() as typeof all).count, 0);
    });

    it("requires resource_source and checks the project, as the order API does", async function () {
      const missing = await tenant("limit=10");
      assert.equal(missing.status, 400);
      assert.equal(errorOf(missing).code, "MSS.00000003");
      const other = await send(emu.url, {
        method: "GET",
        path: `/v1/${d.otherProjectId}/tenants/resources?resource_source=PURCHASED`,
        headers: { "X-Auth-Token": project },
      });
      assert.equal(other.status, 403);
    });
  });

  describe("the admin API changes resources outside Pulumi", function () {
    const admin = (p: string, json?: unknown) =>
      send(emu.url, {
        method: json === undefined ? "GET" : "POST",
        path: `/__emulator${p}`,
        ...(json === undefined ? {} : { json }),
      });

    it("expires, freezes and unsubscribes a resource, and sets the processing delay", async function () {
      const orders = [await orderMetastudio(), await orderMetastudio(), await orderMetastudio()];
      clock.advance(DELAY);
      const ids = await Promise.all(
        orders.map(async (o) => (await resources({ order_id: o })).data[0]?.resource_id ?? ""),
      );
      assert.equal((await admin("/billing/resources", { resourceId: ids[0], change: "expire" })).status, 200);
      assert.equal((await admin("/billing/resources", { resourceId: ids[1], change: "freeze" })).status, 200);
      assert.equal(
        (await admin("/billing/resources", { resourceId: ids[2], change: "unsubscribe" })).status,
        200,
      );
      const listed = (await resources()).data;
      assert.deepEqual(
        listed.map((r) => [r.resource_id, r.status]).sort(),
        [
          [ids[0], 5],
          [ids[1], 4],
        ].sort(),
      );
      const tenantFrozen = (
        await send(emu.url, {
          method: "GET",
          path: `${TENANT_RESOURCES}?resource_source=PURCHASED&resource_id=${ids[1]}`,
          headers: { "X-Auth-Token": project },
        })
      ).json() as { resources: { status: number }[] };
      assert.equal(tenantFrozen.resources[0]?.status, 1);
      const unsubscribeOrders = emu.billingOrders().filter((o) => o.orderType === 4);
      assert.deepEqual(
        unsubscribeOrders.map((o) => [o.status, o.unsubscribes]),
        [[5, [ids[2]]]],
      );
      assert.equal((await admin("/billing/resources", { resourceId: ids[2], change: "freeze" })).status, 404);
      assert.equal((await admin("/billing/resources", { resourceId: ids[0], change: "delete" })).status, 400);

      assert.deepEqual((await admin("/billing/settings", { processingDelayMs: 0 })).json(), {
        processingDelayMs: 0,
      });
      const instant = await orderMetastudio();
      assert.equal((await details(instant)).order_info.status, 5);
      const view = (await admin("/billing")).json() as {
        processingDelayMs: number;
        orders: unknown[];
        resources: unknown[];
      };
      assert.deepEqual([view.processingDelayMs, view.orders.length, view.resources.length], [0, 5, 4]);
      emu.reset();
      assert.equal(
        ((await admin("/billing")).json() as { processingDelayMs: number }).processingDelayMs,
        DELAY,
      );
    });
  });

  it("keeps the billing state in the data file across a restart", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bss-emulator-"));
    try {
      const file = path.join(dir, "state.json");
      const first = await startEmulator({ clock: clock.now, dataFile: file, billingDelayMs: 0 });
      const token = first.issueToken();
      await send(first.url, {
        path: METASTUDIO_PATH,
        headers: { "X-Auth-Token": token },
        json: metastudioOrderBody({ is_auto_pay: 1 }),
      });
      await first.stop();
      const second = await startEmulator({ clock: clock.now, dataFile: file });
      try {
        assert.deepEqual(
          second.billingOrders().map((o) => o.status),
          [5],
        );
        assert.equal(second.billingResources().length, 1);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
