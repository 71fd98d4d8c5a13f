// BSS, Huawei Cloud's billing service: the customer-order calls that follow an order to its end.
// A global service (provider/client/services.ts): one endpoint for every region, a domain-scoped
// token or AK/SK with X-Domain-Id. Paths and fields from Huawei's Go SDK v0.1.207
// `services/bss/v2` (read, not copied); permissions from Huawei's "API Access Permission
// (Customer)" table where it names them. Reads may be retried on 5xx and timeouts; paying and
// unsubscribing follow the never-twice rules of placing an order.
import { z } from "zod";
import { contradiction, defined, integerField, parseAnswer, timeField, type AnswerContext } from "./answers";
import type { CallRequest, CallResult } from "./client";

/** What these functions need of a client: HuaweiCloudClient. */
export interface BssClient extends AnswerContext {
  call(request: CallRequest): Promise<CallResult>;
}

/** CustomerOrderV3.status, as the SDK's model lists it. */
export const ORDER_STATUSES: Readonly<Record<number, string>> = {
  1: "pending approval",
  2: "pending refund",
  3: "processing",
  4: "cancelled",
  5: "completed",
  6: "pending payment",
  9: "to be confirmed",
  10: "to be shipped",
  11: "to be received",
  12: "awaiting pickup",
  13: "being exchanged",
};

/** The statuses the lifecycle acts on, by name. */
export const ORDER_STATUS = { processing: 3, cancelled: 4, completed: 5, pendingPayment: 6 } as const;

/** CustomerOrderV3.order_type. */
export const ORDER_TYPES: Readonly<Record<number, string>> = {
  1: "new purchase",
  2: "renewal",
  3: "change",
  4: "unsubscription",
  10: "yearly/monthly to pay-per-use",
  11: "pay-per-use to yearly/monthly",
  13: "trial",
  14: "trial to commercial use",
  15: "fee adjustment",
};

/** OrderInstanceV2.status. */
export const RESOURCE_STATUSES: Readonly<Record<number, string>> = {
  2: "in use",
  3: "closed",
  4: "frozen",
  5: "expired",
};

/** OrderLineItemEntityV2.period_type. */
export const PERIOD_TYPES: Readonly<Record<number, string>> = {
  0: "day",
  1: "week",
  2: "month",
  3: "year",
  4: "hour",
  5: "one-time",
  6: "pay-per-use",
  7: "usage report",
};

function describe(table: Readonly<Record<number, string>>, value: number): string {
  const name = table[value];
  return `${value} (${name ?? "not a status the pages list"})`;
}

/** "6 (pending payment)", or "7 (not a status the pages list)". */
export const describeOrderStatus = (status: number): string => describe(ORDER_STATUSES, status);
export const describeResourceStatus = (status: number): string => describe(RESOURCE_STATUSES, status);

// ---- answers, as the pages promise them (only the fields a caller relies on are required) ----

const amounts = {
  official_amount: z.number().optional(),
  amount_after_discount: z.number().optional(),
  currency: z.string().optional(),
};

const customerOrder = z.object({
  order_id: z.string().min(1),
  status: integerField,
  order_type: integerField.optional(),
  service_type_code: z.string().optional(),
  create_time: timeField.optional(),
  payment_time: timeField.optional(),
  ...amounts,
});

const lineItem = z.object({
  order_line_item_id: z.string().optional(),
  service_type_code: z.string().optional(),
  product_id: z.string().optional(),
  period_type: integerField.optional(),
  period_num: integerField.nullish(),
  subscription_num: integerField.optional(),
  effective_time: timeField.optional(),
  expire_time: timeField.optional(),
  ...amounts,
});

const detailsAnswer = z.object({
  total_count: integerField.optional(),
  order_info: customerOrder,
  order_line_items: z.array(lineItem).optional(),
});

const listAnswer = z.object({
  total_count: integerField,
  order_infos: z.array(customerOrder).optional(),
});

const resourceItem = z.object({
  resource_id: z.string().min(1),
  resource_type_code: z.string().optional(),
  resource_spec_code: z.string().optional(),
  service_type_code: z.string().optional(),
  region_code: z.string().optional(),
  project_id: z.string().optional(),
  is_main_resource: integerField.optional(),
  status: integerField,
  effective_time: timeField.optional(),
  expire_time: timeField.optional(),
  expire_policy: integerField.optional(),
});

const resourcesAnswer = z.object({
  data: z.array(resourceItem).optional(),
  total_count: integerField,
});

const unsubscribeAnswer = z.object({
  order_ids: z.array(z.string()).optional(),
  fail_resource_infos: z
    .array(
      z.object({
        error_code: z.string().optional(),
        error_msg: z.string().optional(),
        resource_id: z.string().optional(),
      }),
    )
    .nullish(),
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

export interface OrderResource {
  resourceId: string;
  /** Kept as a number even when no page lists it: see describeResourceStatus. */
  status: number;
  isMainResource: boolean;
  resourceTypeCode?: string;
  resourceSpecCode?: string;
  serviceTypeCode?: string;
  regionCode?: string;
  projectId?: string;
  effectiveAt?: Date;
  expiresAt?: Date;
  /** 0 grace period, 1 to pay-per-use, 2 deleted, 3 auto-renewed, 4 frozen, 5 deleted after retention. */
  expirePolicy?: number;
}

export interface Page<T> {
  items: T[];
  /** How many match in all, as BSS counts them. */
  totalCount: number;
  requestId: string | undefined;
}

export interface UnsubscribeResult {
  /** The unsubscribe orders BSS created (empty when every resource failed). */
  orderIds: string[];
  failures: { resourceId?: string; errorCode?: string; errorMsg?: string }[];
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

const READ = { creates: false, notDone: "Nothing was changed" } as const;

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
    if (answer.order_info.order_id.toUpperCase() !== orderId.toUpperCase()) {
      throw contradiction(
        client,
        result,
        "bss",
        operation,
        `the answer is about order ${answer.order_info.order_id}, not ${orderId}`,
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
      return { ...toOrder(answer.order_info), lineItems, requestId: result.requestId };
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

export interface ResourceFilter {
  orderId?: string;
  /** At most 50. */
  resourceIds?: readonly string[];
  onlyMainResources?: boolean;
  statuses?: readonly number[];
}

/** ListPayPerUseCustomerResources: POST /v2/orders/suscriptions/resources/query (sic), one page. */
export async function orderResources(
  client: BssClient,
  filter: ResourceFilter,
  page: { limit?: number; offset?: number } = {},
): Promise<Page<OrderResource>> {
  const operation = "ListPayPerUseCustomerResources";
  if ((filter.resourceIds?.length ?? 0) > 50)
    throw new RangeError("BSS queries at most 50 resource ids at once");
  const result = await client.call({
    ...READ,
    service: "bss",
    operation,
    // The query is a POST that changes nothing: retried like a read.
    method: "POST",
    path: ["v2", "orders", "suscriptions", "resources", "query"],
    body: defined({
      order_id: filter.orderId,
      resource_ids: filter.resourceIds,
      only_main_resource:
        filter.onlyMainResources === undefined ? undefined : filter.onlyMainResources ? 1 : 0,
      status_list: filter.statuses,
      limit: page.limit ?? 500,
      offset: page.offset ?? 0,
    }),
    // Huawei's permission table lists this query with the order reads.
    permission: "bss:order:view",
  });
  const answer = parseAnswer(client, result, "bss", operation, resourcesAnswer);
  return {
    items: (answer.data ?? []).map((r) =>
      defined({
        resourceId: r.resource_id,
        status: r.status,
        isMainResource: r.is_main_resource === undefined ? true : r.is_main_resource === 1,
        resourceTypeCode: r.resource_type_code,
        resourceSpecCode: r.resource_spec_code,
        serviceTypeCode: r.service_type_code,
        regionCode: r.region_code,
        projectId: r.project_id,
        effectiveAt: r.effective_time,
        expiresAt: r.expire_time,
        expirePolicy: r.expire_policy,
      }),
    ),
    totalCount: answer.total_count,
    requestId: result.requestId,
  };
}

/** Every resource matching `filter`, page by page. */
export async function allOrderResources(client: BssClient, filter: ResourceFilter): Promise<OrderResource[]> {
  const all: OrderResource[] = [];
  for (;;) {
    const page = await orderResources(client, filter, { limit: 500, offset: all.length });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.totalCount) return all;
  }
}

/** The most resource ids one unsubscribe request takes. */
export const UNSUBSCRIBE_BATCH = 10;

/**
 * CancelResourcesSubscription: POST /v2/orders/subscriptions/resources/unsubscribe, type 1 (the
 * resources and their renewed periods), at most 10 main resources. Never sent twice when the
 * outcome is unknown: query the resources first.
 */
export async function unsubscribeResources(
  client: BssClient,
  resourceIds: readonly string[],
): Promise<UnsubscribeResult> {
  if (resourceIds.length === 0 || resourceIds.length > UNSUBSCRIBE_BATCH) {
    throw new RangeError(
      `unsubscribe takes 1 to ${UNSUBSCRIBE_BATCH} resource ids, got ${resourceIds.length}`,
    );
  }
  const operation = "CancelResourcesSubscription";
  const named = resourceIds.join(", ");
  const result = await client.call({
    service: "bss",
    operation,
    method: "POST",
    path: ["v2", "orders", "subscriptions", "resources", "unsubscribe"],
    body: { resource_ids: resourceIds, unsubscribe_type: 1 },
    creates: true,
    notDone: "Nothing was unsubscribed",
    ifUnknown: {
      subject: `the unsubscription of ${named}`,
      advice:
        "The resources may have been unsubscribed. Query them before unsubscribing again (BSS resources of the order): " +
        "a resource that is gone, or has an unsubscribe order in progress, must not be unsubscribed twice.",
    },
    // As recalled from Huawei's "API Access Permission (Customer)" table; not re-read on a page here.
    permission: "bss:unsubscribe:update",
  });
  const answer = parseAnswer(client, result, "bss", operation, unsubscribeAnswer);
  return {
    orderIds: answer.order_ids ?? [],
    failures: (answer.fail_resource_infos ?? []).map((f) =>
      defined({ resourceId: f.resource_id, errorCode: f.error_code, errorMsg: f.error_msg }),
    ),
    requestId: result.requestId,
  };
}
