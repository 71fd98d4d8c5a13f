// What the BSS calls share: the client they need, a page of results, and the codes BSS answers
// with, named as the SDK's models name them.
import type { AnswerContext } from "./answers";
import type { CallRequest, CallResult } from "./call-request";

/** What these functions need of a client: HuaweiCloudClient. */
export interface BssClient extends AnswerContext {
  call(request: CallRequest): Promise<CallResult>;
}

export interface Page<T> {
  items: T[];
  /** How many match in all, as BSS counts them. */
  totalCount: number;
  requestId: string | undefined;
}

/** A BSS read: changes nothing, so it may be retried on 5xx and timeouts. */
export const BSS_READ = { creates: false, notDone: "Nothing was changed" } as const;

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
