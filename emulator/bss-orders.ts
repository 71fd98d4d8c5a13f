// BSS's customer orders: an order's details, the order list and payment (emulator/bss.ts lists
// every BSS API). Orders are emulator/billing.ts's; these handlers show them in BSS's fields.
import { z } from "zod";
import { authenticated, type BssContext, invalid, jsonBody, parseBssTime } from "./bss";
import { type BillingOrder, bssTime, LINE_PERIOD, ORDER_STATUS } from "./billing-records";
import { BSS_INSUFFICIENT_BALANCE, BSS_ORDER_NOT_FOUND, BSS_ORDER_NOT_PAYABLE, serviceError } from "./errors";
import type { Call, Handled } from "./types";
import { describeViolations, integer, object, text, violationsOf } from "./validation";
import { parseQuery } from "./wire";

/** A query parameter given once (a repeated one is an error, as is an empty one). */
export function queryValue(
  query: Record<string, string | string[]>,
  name: string,
): string | undefined | Error {
  const v = query[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return new Error(`${name}: is given more than once`);
  return v;
}

export function queryInteger(
  query: Record<string, string | string[]>,
  name: string,
  min: number,
  max: number,
): number | undefined | Error {
  const v = queryValue(query, name);
  if (v === undefined || v instanceof Error) return v;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    return new Error(`${name}: must be an integer from ${min} to ${max}`);
  return n;
}

function orderAmounts(order: BillingOrder): { official: number; afterDiscount: number } {
  const total = order.lines.reduce((sum, l) => sum + l.amount, 0);
  return { official: total, afterDiscount: total };
}

/** CustomerOrderV3 (details) and CustomerOrderV2 (list) share these fields. */
function orderInfo(order: BillingOrder): Record<string, unknown> {
  const amounts = orderAmounts(order);
  return {
    order_id: order.orderId,
    customer_id: order.domainId,
    service_type_code: order.serviceTypeCode,
    service_type_name: order.service === "dis" ? "Data Ingestion Service" : "MetaStudio",
    source_type: 1,
    status: order.status,
    order_type: order.orderType,
    amount_after_discount: amounts.afterDiscount,
    official_amount: amounts.official,
    measure_id: 1,
    create_time: bssTime(order.createdAt),
    ...(order.paidAt !== undefined && order.status !== ORDER_STATUS.pendingPayment
      ? { payment_time: bssTime(order.paidAt) }
      : {}),
    currency: "CNY",
    amount_info: { discounts: [], flexipurchase_coupon_amount: 0, coupon_amount: 0, stored_card_amount: 0 },
  };
}

/** GET /v2/orders/customer-orders/details/{order_id}?limit&offset (limit/offset page the line items). */
export function showOrderDetails(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const query = parseQuery(call.rawQuery);
    const limit = queryInteger(query, "limit", 1, 100);
    const offset = queryInteger(query, "offset", 0, 1_000_000);
    for (const v of [limit, offset]) if (v instanceof Error) return { reply: invalid(v.message) };
    const order = ctx.billing.order(principal.account.domainId, call.params["order_id"] ?? "");
    if (!order) {
      return { reply: serviceError(400, BSS_ORDER_NOT_FOUND, "Invalid order. The order may not exist.") };
    }
    const resources = ctx.billing
      .resources(principal.account.domainId)
      .filter((r) => r.orderId === order.orderId);
    const start = (offset as number | undefined) ?? 0;
    const items = order.lines.slice(start, start + ((limit as number | undefined) ?? 10)).map((line) => {
      const resource = resources.find((r) => r.lineId === line.lineId);
      return {
        order_line_item_id: line.lineId,
        service_type_code: order.serviceTypeCode,
        ...(line.productId ? { product_id: line.productId } : {}),
        // "产品规格描述", a description for people (the SDK's model): not the spec code itself.
        product_spec_desc: `${order.service === "dis" ? "DIS" : "MetaStudio"} | ${line.resourceSpecCode} | ${line.subscriptionNum} unit(s)`,
        period_type: line.periodType,
        period_num: line.periodType === LINE_PERIOD.oneOff ? 1 : line.periodNum,
        ...(resource
          ? { effective_time: bssTime(resource.effectiveAt), expire_time: bssTime(resource.expiresAt) }
          : {}),
        subscription_num: line.subscriptionNum,
        amount_after_discount: line.amount,
        official_amount: line.amount,
        currency: "CNY",
        commercial_resource: line.resourceTypeCode,
        order_id: order.orderId,
      };
    });
    return {
      reply: {
        status: 200,
        body: { total_count: order.lines.length, order_info: orderInfo(order), order_line_items: items },
      },
    };
  });
}

/** GET /v2/orders/customer-orders with the filters the SDK's ListCustomerOrdersRequest has. */
export function listCustomerOrders(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const query = parseQuery(call.rawQuery);
    const problems: string[] = [];
    const value = (name: string): string | undefined => {
      const v = queryValue(query, name);
      if (v instanceof Error) problems.push(v.message);
      else if (v === "")
        return undefined; // "携带值为空时，不作为筛选条件": empty means no filter
      else return v;
      return undefined;
    };
    const integerValue = (name: string, min: number, max: number): number | undefined => {
      const v = queryInteger(query, name, min, max);
      if (v instanceof Error) problems.push(v.message);
      else return v;
      return undefined;
    };
    const time = (name: string): number | undefined => {
      const v = value(name);
      if (v === undefined) return undefined;
      const ms = parseBssTime(v);
      if (ms === undefined) problems.push(`${name}: must be UTC yyyy-MM-ddTHH:mm:ssZ`);
      return ms;
    };
    const orderId = value("order_id");
    const begin = time("create_time_begin");
    const end = time("create_time_end");
    const serviceType = value("service_type_code");
    const status = integerValue("status", 1, 99);
    const orderType = integerValue("order_type", 1, 99);
    const limit = integerValue("limit", 1, 100) ?? 10;
    const offset = integerValue("offset", 0, 1_000_000) ?? 0;
    const orderBy = value("order_by");
    if (orderBy !== undefined && !["createtime", "-createtime"].includes(orderBy.toLowerCase())) {
      problems.push("order_by: must be createTime or -createTime");
    }
    if (begin !== undefined && end !== undefined) {
      if (end < begin) problems.push("create_time_end: must not be before create_time_begin");
      else if (end - begin > 366 * 24 * 3600 * 1000) {
        problems.push("create_time_begin, create_time_end: must be at most one year apart");
      }
    }
    if (problems.length > 0) return { reply: invalid(problems.join("; ")) };

    let orders = ctx.billing
      .orders(principal.account.domainId)
      .filter(
        (o) =>
          (orderId === undefined || o.orderId.toUpperCase() === orderId.toUpperCase()) &&
          (begin === undefined || o.createdAt >= begin) &&
          (end === undefined || o.createdAt <= end) &&
          (serviceType === undefined || o.serviceTypeCode.toLowerCase() === serviceType.toLowerCase()) &&
          (status === undefined || o.status === status) &&
          (orderType === undefined || o.orderType === orderType),
      );
    orders = orders.sort((a, b) => a.createdAt - b.createdAt);
    if (orderBy?.toLowerCase() !== "createtime") orders.reverse(); // newest first unless asked otherwise
    return {
      reply: {
        status: 200,
        body: {
          total_count: orders.length,
          order_infos: orders.slice(offset, offset + limit).map(orderInfo),
        },
      },
    };
  });
}

const yesNo = z.enum(["YES", "NO"], {
  error: (i) => (i.input === undefined ? "is required" : "must be YES or NO"),
});
const benefits = z.array(object({ id: text({ nonEmpty: true }), type: integer() })).max(3);

const payBody = object({
  order_id: text({ nonEmpty: true }),
  use_coupon: yesNo,
  use_discount: yesNo,
  coupon_infos: benefits.optional(),
  discount_infos: benefits.optional(),
});

/** POST /v3/orders/customer-orders/pay: 204 with no body; only an order pending payment. */
export function payOrder(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = payBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const { order_id: orderId, use_coupon: useCoupon, use_discount: useDiscount } = parsed.data;
    if ((useCoupon === "YES") !== (parsed.data.coupon_infos !== undefined)) {
      return { reply: invalid("coupon_infos: must be given exactly when use_coupon is YES") };
    }
    if ((useDiscount === "YES") !== (parsed.data.discount_infos !== undefined)) {
      return { reply: invalid("discount_infos: must be given exactly when use_discount is YES") };
    }
    if (useCoupon === "YES" || useDiscount === "YES") {
      return { reply: invalid("the emulator's accounts have no coupons or discounts") };
    }
    const order = ctx.billing.order(principal.account.domainId, orderId);
    if (!order)
      return { reply: serviceError(400, BSS_ORDER_NOT_FOUND, "Invalid order. The order may not exist.") };
    const payable = order.status === ORDER_STATUS.pendingPayment && order.orderType === 1;
    const refused = payable && ctx.paymentRefused(order);
    switch (ctx.billing.pay(principal.account.domainId, order.orderId, refused)) {
      case "paid":
        return { reply: { status: 204 } };
      case "refused":
        return {
          reply: serviceError(400, BSS_INSUFFICIENT_BALANCE, "The account balance is insufficient."),
          faults: ["payment-refused"],
        };
      case "not-found":
        return { reply: serviceError(400, BSS_ORDER_NOT_FOUND, "Invalid order. The order may not exist.") };
      case "not-payable":
        return {
          reply: serviceError(
            400,
            BSS_ORDER_NOT_PAYABLE,
            `The order status has changed and no payment can be made (status ${order.status}).`,
          ),
        };
    }
  });
}
