// BSS, Huawei Cloud's billing service: the customer-order calls that follow an order to its end
// (details, lists, payment). A global service (provider/client/services.ts): one endpoint for
// every region, a domain-scoped token or AK/SK with X-Domain-Id. Paths and fields from Huawei's
// Go SDK v0.1.207 `services/bss/v2` (read, not copied); permissions from Huawei's "API Access
// Permission (Customer)" table where it names them. Reads may be retried on 5xx and timeouts;
// paying follows the never-twice rules of placing an order.
import { z } from "zod";
import {
  contradiction,
  defined,
  integerField,
  metadataOf,
  optionalField,
  optionalTime,
  parseAnswer,
} from "./answers";
import { BSS_READ as READ, OrderNotFoundError, type BssClient, type Page } from "./bss-common";

// ---- answers, as the pages promise them (only the fields a caller relies on are required;
// an optional one may be null, answers.ts) ----

const amounts = {
  official_amount: optionalField(z.number()),
  amount_after_discount: optionalField(z.number()),
  currency: optionalField(z.string()),
};

const customerOrder = z.object({
  order_id: z.string().min(1),
  status: integerField,
  order_type: optionalField(integerField),
  service_type_code: optionalField(z.string()),
  create_time: optionalTime,
  payment_time: optionalTime,
  ...amounts,
});

const lineItem = z.object({
  order_line_item_id: optionalField(z.string()),
  service_type_code: optionalField(z.string()),
  product_id: optionalField(z.string()),
  period_type: optionalField(integerField),
  period_num: optionalField(integerField),
  subscription_num: optionalField(integerField),
  effective_time: optionalTime,
  expire_time: optionalTime,
  ...amounts,
});

const detailsAnswer = z.object({
  total_count: optionalField(integerField),
  // Absent or null: BSS does not know the order (bss-common.ts, ORDER_NOT_FOUND).
  order_info: optionalField(customerOrder),
  order_line_items: optionalField(z.array(lineItem)),
});

const listAnswer = z.object({
  total_count: integerField,
  order_infos: optionalField(z.array(customerOrder)),
});

// ---- typed results ----

export interface CustomerOrder {
  orderId: string;
  /** Kept as a number even when no page lists it: see describeOrderStatus. */
  status: number;
  orderType?: number;
  serviceTypeCode?: string;
  createdAt?: Date;
  paidAt?: Date;
  officialAmount?: number;
  amountAfterDiscount?: number;
  currency?: string;
}

export interface OrderLineItem {
  lineItemId?: string;
  periodType?: number;
  periodNum?: number;
  subscriptionNum?: number;
  effectiveAt?: Date;
  expiresAt?: Date;
  officialAmount?: number;
  amountAfterDiscount?: number;
  currency?: string;
}

export interface OrderDetails extends CustomerOrder {
  lineItems: OrderLineItem[];
  requestId: string | undefined;
}

function toOrder(o: z.output<typeof customerOrder>): CustomerOrder {
  return defined({
    orderId: o.order_id,
    status: o.status,
    orderType: o.order_type,
    serviceTypeCode: o.service_type_code,
    createdAt: o.create_time,
    paidAt: o.payment_time,
    officialAmount: o.official_amount,
    amountAfterDiscount: o.amount_after_discount,
    currency: o.currency,
  });
}

// ---- operations ----

/** ShowCustomerOrderDetails: GET /v2/orders/customer-orders/details/{order_id}; every line item. */
export async function orderDetails(client: BssClient, orderId: string): Promise<OrderDetails> {
  const operation = "ShowCustomerOrderDetails";
  const lineItems: OrderLineItem[] = [];
  for (let offset = 0; ; ) {
    const result = await client.call({
      ...READ,
      service: "bss",
      operation,
      method: "GET",
      path: ["v2", "orders", "customer-orders", "details", orderId],
      query: { limit: 100, offset },
      permission: "bss:order:view",
    });
    const answer = parseAnswer(client, result, "bss", operation, detailsAnswer);
    const info = answer.order_info;
    if (info === undefined) {
      throw new OrderNotFoundError(
        metadataOf(result, "bss", operation),
        `the answer has no order_info: BSS does not know order ${orderId} (yet)`,
        client.redactor,
      );
    }
    if (info.order_id.toUpperCase() !== orderId.toUpperCase()) {
      throw contradiction(
        client,
        result,
        "bss",
        operation,
        `the answer is about order ${info.order_id}, not ${orderId}`,
      );
    }
    const items = answer.order_line_items ?? [];
    for (const l of items) {
      lineItems.push(
        defined({
          lineItemId: l.order_line_item_id,
          periodType: l.period_type,
          periodNum: l.period_num,
          subscriptionNum: l.subscription_num,
          effectiveAt: l.effective_time,
          expiresAt: l.expire_time,
          officialAmount: l.official_amount,
          amountAfterDiscount: l.amount_after_discount,
          currency: l.currency,
        }),
      );
    }
    offset += items.length;
    if (items.length === 0 || offset >= (answer.total_count ?? 0)) {
      return { ...toOrder(info), lineItems, requestId: result.requestId };
    }
  }
}

export interface OrderFilter {
  /** The creation window: both ends inclusive, at most one year apart (BSS's rule). */
  createdFrom?: Date;
  createdTo?: Date;
  orderId?: string;
  /** e.g. "hws.service.type.metastudio". */
  serviceTypeCode?: string;
  status?: number;
  orderType?: number;
  /** Oldest first when true; BSS's default is newest first. */
  oldestFirst?: boolean;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** BSS's time format: UTC, whole seconds. */
export function bssTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** ListCustomerOrders: GET /v2/orders/customer-orders, one page (limit 1-100). */
export async function listOrders(
  client: BssClient,
  filter: OrderFilter,
  page: { limit?: number; offset?: number } = {},
): Promise<Page<CustomerOrder>> {
  const operation = "ListCustomerOrders";
  if (
    filter.createdFrom &&
    filter.createdTo &&
    filter.createdTo.getTime() - filter.createdFrom.getTime() > ONE_YEAR_MS
  ) {
    throw new RangeError("BSS lists orders created at most one year apart: narrow createdFrom..createdTo");
  }
  const result = await client.call({
    ...READ,
    service: "bss",
    operation,
    method: "GET",
    path: ["v2", "orders", "customer-orders"],
    query: {
      order_id: filter.orderId,
      create_time_begin: filter.createdFrom && bssTime(filter.createdFrom),
      create_time_end: filter.createdTo && bssTime(filter.createdTo),
      service_type_code: filter.serviceTypeCode,
      status: filter.status,
      order_type: filter.orderType,
      limit: page.limit ?? 100,
      offset: page.offset ?? 0,
      order_by: filter.oldestFirst ? "createTime" : undefined,
    },
    permission: "bss:order:view",
  });
  const answer = parseAnswer(client, result, "bss", operation, listAnswer);
  return {
    items: (answer.order_infos ?? []).map(toOrder),
    totalCount: answer.total_count,
    requestId: result.requestId,
  };
}

/** Every order matching `filter`, page by page (at most `maxOrders`, default 1000). */
export async function listAllOrders(
  client: BssClient,
  filter: OrderFilter,
  maxOrders = 1000,
): Promise<CustomerOrder[]> {
  const all: CustomerOrder[] = [];
  for (;;) {
    const page = await listOrders(client, filter, { limit: 100, offset: all.length });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.totalCount) return all;
    if (all.length >= maxOrders) {
      throw new RangeError(
        `more than ${maxOrders} orders match (BSS counts ${page.totalCount}): narrow the filter`,
      );
    }
  }
}

/**
 * PayOrders: POST /v3/orders/customer-orders/pay for an order pending payment (204), without
 * coupons or discounts. Never sent twice when the outcome is unknown: read the order first.
 */
export async function payOrder(
  client: BssClient,
  orderId: string,
): Promise<{ requestId: string | undefined }> {
  const result = await client.call({
    service: "bss",
    operation: "PayOrders",
    method: "POST",
    path: ["v3", "orders", "customer-orders", "pay"],
    body: { order_id: orderId, use_coupon: "NO", use_discount: "NO" },
    creates: true,
    notDone: `Order ${orderId} was not paid`,
    ifUnknown: {
      subject: `the payment of order ${orderId}`,
      advice:
        `The order may have been paid. Read the order before paying again (BSS order details): ` +
        `status 6 (pending payment) means it was not paid; any other status means the payment went through or the order moved on.`,
    },
    permission: "bss:order:pay",
  });
  return { requestId: result.requestId };
}
