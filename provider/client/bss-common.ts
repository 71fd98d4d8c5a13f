// What the BSS calls share: the client they need, a page of results, and the codes BSS answers
// with, named as the SDK's models name them.
import type { AnswerContext } from "./answers";
import type { CallRequest, CallResult } from "./call-request";
import { HuaweiCloudError } from "./errors";

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

/**
 * 400 "Invalid order. The order may not exist.": the status-code tables of BSS's order pages
 * (PayOrders; "Managing Yearly/Monthly Orders"). The order-details page (ShowCustomerOrderDetails)
 * names no code for an unknown order, and the SDK's model makes its order_info optional: a 200
 * without order_info is read the same way (OrderNotFoundError; emulator/README.md, BSS error codes).
 */
export const ORDER_NOT_FOUND = "CBC.30000010";
/** PayOrders page, status codes: 400, the account balance is insufficient. */
export const INSUFFICIENT_BALANCE = "CBC.99005003";
/** PayOrders page, status codes: 400, the resource or the account is frozen. */
export const FROZEN = "CBC.30000052";

/** BSS answered order details 200 without order_info: it does not know the order (yet). */
export class OrderNotFoundError extends HuaweiCloudError {
  override readonly name: string = "OrderNotFoundError";
}

/** BSS does not know the order (yet), in either reading: 400 CBC.30000010 or a 200 without order_info. */
export function isOrderNotFound(err: unknown): err is HuaweiCloudError {
  return (
    err instanceof OrderNotFoundError ||
    (err instanceof HuaweiCloudError && err.metadata.errorCode === ORDER_NOT_FOUND)
  );
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
