// BSS's records (emulator/billing.ts runs their lifecycle): the status and type codes of Huawei's
// pages (Go SDK v0.1.207 `services/bss/v2`, CustomerOrderV3, OrderInstanceV2, OrderLineItemEntityV2),
// the schema of the data file's billing section, and the pure rules: fake prices, order ids, BSS's
// time format and a period's expiry.
import * as crypto from "node:crypto";
import { z } from "zod";
import type { OrderService } from "./types";

/** CustomerOrderV3.status (the SDK lists 10-13 for physical goods; they never occur here). */
export const ORDER_STATUS = { processing: 3, cancelled: 4, completed: 5, pendingPayment: 6 } as const;
/** CustomerOrderV3.order_type. */
export const ORDER_TYPE = { new: 1, unsubscribe: 4 } as const;
/** OrderInstanceV2.status. */
export const RESOURCE_STATUS = { inUse: 2, closed: 3, frozen: 4, expired: 5 } as const;
/** OrderLineItemEntityV2.period_type: 2 month, 3 year, 5 one-time. */
export const LINE_PERIOD = { month: 2, year: 3, oneOff: 5 } as const;

export const SERVICE_TYPE_CODES: Readonly<Record<OrderService, string>> = {
  // The DIS page's example request names this cloud service type.
  dis: "hws.service.type.dis",
  // Not on a page this project read: the emulator's choice, by the same pattern (settable:
  // the serviceTypeCodes option, the admin API's /service-types).
  metastudio: "hws.service.type.metastudio",
};

/**
 * A line's resource type when the order names none. MetaStudio's lines take the item's
 * resource_spec_code instead: the codes MetaStudio's "Resource Types" page lists (its "Resource
 * Type Code" column) are what an order's resource_spec_code carries (emulator/core.ts).
 */
const DEFAULT_RESOURCE_TYPES: Readonly<Record<OrderService, string>> = {
  dis: "hws.resource.type.dis",
  metastudio: "hws.resource.type.metastudio",
};

/** Default processing delay: long enough for a demo to show "processing", short for tests. */
export const DEFAULT_PROCESSING_DELAY_MS = 1000;

const lineSchema = z.object({
  lineId: z.string(),
  periodType: z.number().int(),
  periodNum: z.number().int(),
  subscriptionNum: z.number().int(),
  resourceTypeCode: z.string(),
  resourceSpecCode: z.string(),
  productId: z.string().optional(),
  amount: z.number(),
});

const orderSchema = z.object({
  orderId: z.string(),
  domainId: z.string(),
  projectId: z.string(),
  regionCode: z.string(),
  service: z.enum(["dis", "metastudio"]),
  serviceTypeCode: z.string(),
  orderType: z.number().int(),
  status: z.number().int(),
  createdAt: z.number(),
  paidAt: z.number().optional(),
  /** When the order leaves processing, or (fated to be cancelled) when it is cancelled. */
  settlesAt: z.number().optional(),
  fate: z.enum(["complete", "stuck", "cancelled"]),
  resourcesLateMs: z.number(),
  /** BSS shows the order from this time on (the bss-lag fault); absent: from its creation. */
  visibleAt: z.number().optional(),
  autoPay: z.boolean(),
  lines: z.array(lineSchema),
  /** An unsubscribe order: the resources it removes. */
  unsubscribes: z.array(z.string()).optional(),
});

const resourceSchema = z.object({
  resourceId: z.string(),
  orderId: z.string(),
  lineId: z.string(),
  domainId: z.string(),
  projectId: z.string(),
  regionCode: z.string(),
  service: z.enum(["dis", "metastudio"]),
  serviceTypeCode: z.string(),
  resourceTypeCode: z.string(),
  resourceSpecCode: z.string(),
  periodType: z.number().int(),
  subscriptionNum: z.number().int(),
  status: z.number().int(),
  effectiveAt: z.number(),
  expiresAt: z.number(),
  /** Listed from this time on (later than effectiveAt under the resources-late fault). */
  visibleAt: z.number(),
  /** Gone from every query from this time on (unsubscribed). */
  removedAt: z.number().optional(),
  unsubscribeOrderId: z.string().optional(),
});

export const billingDataSchema = z.object({
  orders: z.array(orderSchema),
  resources: z.array(resourceSchema),
});

export type BillingLine = z.infer<typeof lineSchema>;
export type BillingOrder = z.infer<typeof orderSchema>;
export type BillingResource = z.infer<typeof resourceSchema>;
export type BillingData = z.infer<typeof billingDataSchema>;

export function emptyBilling(): BillingData {
  return { orders: [], resources: [] };
}

/** What a recorded DIS or MetaStudio order asks BSS for. */
export interface PlacedOrder {
  service: OrderService;
  orderId: string;
  domainId: string;
  projectId: string;
  regionCode: string;
  autoPay: boolean;
  lines: Omit<BillingLine, "lineId" | "amount">[];
}

/** The lifecycle faults that apply to one new order (consumed from the fault list by the caller). */
export interface OrderFate {
  fate: BillingOrder["fate"];
  resourcesLateMs: number;
  /** Auto-pay refused (insufficient balance): the order waits in pending payment instead. */
  paymentRefused: boolean;
  /** BSS shows the order only this long after it was placed (the bss-lag fault). */
  bssLagMs?: number;
}

/** Prices are fake and fixed: 10.00 CNY per unit and month, 100.00 per year, 50.00 one-off. */
export function lineAmount(line: Omit<BillingLine, "lineId" | "amount">): number {
  const unit = line.periodType === LINE_PERIOD.year ? 100 : line.periodType === LINE_PERIOD.oneOff ? 50 : 10;
  const periods = line.periodType === LINE_PERIOD.oneOff ? 1 : line.periodNum;
  return unit * periods * line.subscriptionNum;
}

/** A new order id in the style of Huawei's (CS + yymmdd + 12 hex digits), unique here. */
export function newOrderId(now: number, taken: (id: string) => boolean): string {
  const day = new Date(now).toISOString().slice(2, 10).replaceAll("-", "");
  for (;;) {
    const id = `CS${day}${crypto.randomBytes(6).toString("hex").toUpperCase()}`;
    if (!taken(id)) return id;
  }
}

/** yyyy-MM-dd'T'HH:mm:ss'Z' (UTC, whole seconds): BSS's time format, and MetaStudio's. */
export function bssTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `months` calendar months after `from` (UTC); a day the month lacks becomes its last day. */
export function addMonths(from: number, months: number): number {
  const d = new Date(from);
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** A resource's expiry: its period after it takes effect; a one-off purchase is valid for a year. */
export function expiryOf(line: Pick<BillingLine, "periodType" | "periodNum">, effectiveAt: number): number {
  if (line.periodType === LINE_PERIOD.year) return addMonths(effectiveAt, 12 * line.periodNum);
  if (line.periodType === LINE_PERIOD.oneOff) return addMonths(effectiveAt, 12);
  return addMonths(effectiveAt, line.periodNum);
}

export type PayOutcome = "paid" | "not-found" | "not-payable" | "refused";

export type UnsubscribeFailure = { resourceId: string; code: string; message: string };

export function defaultResourceType(service: OrderService): string {
  return DEFAULT_RESOURCE_TYPES[service];
}
