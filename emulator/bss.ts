// BSS, the billing service (a global service: one endpoint for every region, no project in the
// paths). The five customer APIs the project uses, with the request and answer fields of Huawei's
// Go SDK v0.1.207 `services/bss/v2/model` (read, not copied):
//   GET  /v2/orders/customer-orders/details/{order_id}   ShowCustomerOrderDetails
//   GET  /v2/orders/customer-orders                       ListCustomerOrders
//   POST /v3/orders/customer-orders/pay                   PayOrders (204)
//   POST /v2/orders/suscriptions/resources/query          ListPayPerUseCustomerResources (sic)
//   POST /v2/orders/subscriptions/resources/unsubscribe   CancelResourcesSubscription
//   POST /v2/bills/ratings/period-resources/subscribe-rate ListRateOnPeriodDetail (emulator/pricing.ts)
// Authentication: a domain-scoped token, or AK/SK with X-Domain-Id (emulator/auth.ts). Errors:
// {"error_code": "CBC.xxxx", "error_msg": "..."}; the gateway's for authentication.
import { z } from "zod";
import { type AccountPrincipal, authenticateDomain, type AuthContext } from "./auth";
import {
  type Billing,
  type BillingOrder,
  type BillingResource,
  BSS_INSUFFICIENT_BALANCE,
  BSS_INVALID_PARAMETER,
  BSS_ORDER_NOT_FOUND,
  BSS_ORDER_NOT_PAYABLE,
  bssTime,
  LINE_PERIOD,
  ORDER_STATUS,
} from "./billing";
import { gatewayAuthError, type Reply, serviceError } from "./errors";
import {
  BSS_PERIOD_NOT_OFFERED,
  BSS_UNSUPPORTED_SERVICE,
  INQUIRY_PERIOD_TYPES,
  type PriceTable,
  rate,
} from "./pricing";
import { describeViolations, integer, object, oneOf, text, violationsOf } from "./validation";
import { isJson, parseQuery, type Call, type Handled } from "./wire";

export interface BssContext extends AuthContext {
  billing: Billing;
  /** The price table the period price inquiry answers from. */
  pricing: PriceTable;
  /** Whether this payment is refused (the payment-refused fault), for an order of that service. */
  paymentRefused(order: BillingOrder): boolean;
}

const BSS_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function parseBssTime(value: string): number | undefined {
  if (!BSS_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || bssTime(ms) !== value ? undefined : ms;
}

const invalid = (detail: string): Reply =>
  serviceError(400, BSS_INVALID_PARAMETER, `Invalid parameter: ${detail}`);

/** Authentication first (a failure is the gateway's answer), then the handler. */
function authenticated(
  call: Call,
  ctx: BssContext,
  handle: (principal: AccountPrincipal) => Handled,
): Handled {
  const auth = authenticateDomain(call, ctx);
  if (!auth.ok) return { reply: gatewayAuthError(auth.failure, call.requestId), note: auth.failure.detail };
  return handle(auth.principal);
}

function jsonBody(call: Call): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  if (!isJson(call.headers["content-type"])) {
    return { ok: false, reply: invalid("Content-Type: must be application/json") };
  }
  try {
    return { ok: true, value: JSON.parse(call.body.toString("utf8")) };
  } catch {
    return {
      ok: false,
      reply: invalid(call.body.length === 0 ? "body: is empty" : "body: is not valid JSON"),
    };
  }
}

/** A query parameter given once (a repeated one is an error, as is an empty one). */
function queryValue(query: Record<string, string | string[]>, name: string): string | undefined | Error {
  const v = query[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return new Error(`${name}: is given more than once`);
  return v;
}

function queryInteger(
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

const resourcesQueryBody = object({
  resource_ids: z
    .array(text({ nonEmpty: true }))
    .max(50, { error: "must list at most 50 ids" })
    .optional(),
  order_id: text().optional(),
  only_main_resource: integer(0, 1).optional(),
  status_list: z.array(oneOf([2, 3, 4, 5], "2, 3, 4 or 5")).optional(),
  offset: integer(0, 1_000_000).optional(),
  limit: integer(1, 500).optional(),
  expire_time_begin: text().optional(),
  expire_time_end: text().optional(),
  service_type_code: text({ nonEmpty: true }).optional(),
  customer_id: text().optional(),
});

function resourceItem(r: BillingResource): Record<string, unknown> {
  return {
    id: `${r.orderId}-${r.lineId}`,
    resource_id: r.resourceId,
    resource_name: r.resourceSpecCode,
    region_code: r.regionCode,
    service_type_code: r.serviceTypeCode,
    resource_type_code: r.resourceTypeCode,
    resource_spec_code: r.resourceSpecCode,
    project_id: r.projectId,
    is_main_resource: 1,
    status: r.status,
    effective_time: bssTime(r.effectiveAt),
    expire_time: bssTime(r.expiresAt),
    expire_policy: 0,
    update_time: bssTime(r.effectiveAt),
  };
}

/** POST /v2/orders/suscriptions/resources/query (the path's spelling): {data, total_count}. */
export function queryResources(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = resourcesQueryBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const q = parsed.data;
    const expireBegin = q.expire_time_begin ? parseBssTime(q.expire_time_begin) : undefined;
    const expireEnd = q.expire_time_end ? parseBssTime(q.expire_time_end) : undefined;
    if (
      (q.expire_time_begin && expireBegin === undefined) ||
      (q.expire_time_end && expireEnd === undefined)
    ) {
      return { reply: invalid("expire_time_begin, expire_time_end: must be UTC yyyy-MM-ddTHH:mm:ssZ") };
    }
    const ids = q.resource_ids?.length ? new Set(q.resource_ids) : undefined;
    const statuses = q.status_list?.length ? new Set(q.status_list) : undefined;
    const matching = ctx.billing
      .resources(principal.account.domainId)
      .filter(
        (r) =>
          (ids === undefined || ids.has(r.resourceId)) &&
          (!q.order_id || r.orderId.toUpperCase() === q.order_id.toUpperCase()) &&
          (statuses === undefined || statuses.has(r.status)) &&
          (expireBegin === undefined || r.expiresAt >= expireBegin) &&
          (expireEnd === undefined || r.expiresAt <= expireEnd) &&
          (q.service_type_code === undefined ||
            r.serviceTypeCode.toLowerCase() === q.service_type_code.toLowerCase()),
      );
    const offset = q.offset ?? 0;
    return {
      reply: {
        status: 200,
        body: {
          data: matching.slice(offset, offset + (q.limit ?? 10)).map(resourceItem),
          total_count: matching.length,
        },
      },
    };
  });
}

const unsubscribeBody = object({
  resource_ids: z
    .array(text({ nonEmpty: true }), {
      error: (i) => (i.input === undefined ? "is required" : "must be an array"),
    })
    .min(1, { error: "must list at least one id" })
    .max(10, { error: "must list at most 10 ids" }),
  unsubscribe_type: oneOf([1, 2], "1 (the resources and their renewals) or 2 (only the renewals)"),
  unsubscribe_reason_type: integer(1, 5).optional(),
  unsubscribe_reason: text().optional(),
});

/**
 * POST /v2/orders/subscriptions/resources/unsubscribe: 200 {order_ids, fail_resource_infos?}.
 * Type 1 removes the resources after the processing delay; the emulator renews nothing, so type 2
 * (only the renewed periods) has nothing to act on and fails for every id.
 */
export function unsubscribeResources(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = unsubscribeBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const ids = parsed.data.resource_ids;
    const outcome =
      parsed.data.unsubscribe_type === 2
        ? {
            failures: ids.map((resourceId) => ({
              resourceId,
              code: BSS_INVALID_PARAMETER,
              message: "The resource has no renewed period to unsubscribe from.",
            })),
          }
        : ctx.billing.unsubscribe(principal.account.domainId, ids);
    const failures = outcome.failures.map((f) => ({
      error_code: f.code,
      error_msg: f.message,
      resource_id: f.resourceId,
    }));
    return {
      reply: {
        status: 200,
        body: {
          order_ids: "orderId" in outcome && outcome.orderId ? [outcome.orderId] : [],
          ...(failures.length > 0 ? { fail_resource_infos: failures } : {}),
        },
      },
    };
  });
}

const productInfo = object({
  id: text({ nonEmpty: true }).max(64, { error: "must be at most 64 characters" }),
  cloud_service_type: text({ nonEmpty: true }),
  resource_type: text({ nonEmpty: true }),
  resource_spec: text({ nonEmpty: true }),
  region: text({ nonEmpty: true }),
  available_zone: text().nullish(),
  resource_size: integer(1).nullish(),
  size_measure_id: integer().nullish(),
  period_type: oneOf(INQUIRY_PERIOD_TYPES, "0 (day), 2 (month), 3 (year) or 4 (hour)"),
  period_num: integer(1),
  subscription_num: integer(1),
  fee_installment_mode: text().nullish(),
});

const rateBody = object({
  project_id: text({ nonEmpty: true }).max(64, { error: "must be at most 64 characters" }),
  product_infos: z
    .array(productInfo, { error: (i) => (i.input === undefined ? "is required" : "must be an array") })
    .min(1, { error: "must list at least one product" })
    .max(100, { error: "must list at most 100 products" }),
});

/**
 * POST /v2/bills/ratings/period-resources/subscribe-rate: 200 {currency,
 * official_website_rating_result, optional_discount_rating_results?}. The project must be one of
 * the caller's account; ids must be unique within the inquiry.
 */
export function ratePeriodProducts(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = rateBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const q = parsed.data;
    if (!principal.account.projects.some((p) => p.id === q.project_id)) {
      return { reply: invalid(`project_id: ${q.project_id} is not a project of this account`) };
    }
    const ids = q.product_infos.map((p) => p.id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated !== undefined) return { reply: invalid(`product_infos.id: ${repeated} is given twice`) };
    const rating = rate(ctx.pricing, q.product_infos);
    if (rating.ok) return { reply: { status: 200, body: rating.body } };
    const p = rating.product;
    switch (rating.reason) {
      case "unsupported-service":
        return { reply: serviceError(400, BSS_UNSUPPORTED_SERVICE, "Unsupported cloud service type.") };
      case "period":
        return {
          reply: serviceError(
            400,
            BSS_PERIOD_NOT_OFFERED,
            "The period type or number of periods for the resource does not exist.",
          ),
        };
      case "not-found":
        return {
          reply: serviceError(
            400,
            BSS_INVALID_PARAMETER,
            `The product cannot be found: no product of ${p.cloud_service_type} with resource type ` +
              `${p.resource_type} and spec ${p.resource_spec} is sold in ${p.region}.`,
          ),
        };
    }
  });
}
