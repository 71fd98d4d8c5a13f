// The billing service's (BSS) model: every order DIS or MetaStudio accepts becomes a customer
// order that goes through the states Huawei's pages name (Go SDK v0.1.207 `services/bss/v2`,
// CustomerOrderV3.status; OrderInstanceV2.status), and a completed order owns resources with an
// expiry computed from its period. Time is the emulator's clock: states are advanced lazily,
// whenever something reads or changes them, so a test with a fake clock never waits.
//
//   placed ──(auto-pay)──────────────▶ 3 processing ──(delay)──▶ 5 completed, resources appear
//   placed ──(no auto-pay)──▶ 6 pending payment ──(pay)──▶ 3 processing
//   fault "order-cancelled": 4 cancelled once the delay has passed (from 6 or 3)
//   fault "order-stuck":     stays in 3 processing
//   fault "resources-late":  5 completed, its resources appear `ms` later
//   unsubscribe: an order of type 4 in 3 processing; after the delay it is 5 completed and the
//                resources it names are gone (absent from every query)
import * as crypto from "node:crypto";
import { z } from "zod";
import type { OrderService } from "./state";

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
  // Not on a page this project read: the emulator's choice, by the same pattern.
  metastudio: "hws.service.type.metastudio",
};

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
function lineAmount(line: Omit<BillingLine, "lineId" | "amount">): number {
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

export class Billing {
  constructor(
    private readonly data: () => BillingData,
    private readonly save: () => void,
    private readonly now: () => number,
    public processingDelayMs = DEFAULT_PROCESSING_DELAY_MS,
  ) {}

  /** Moves every order and resource to where the clock says it is now. */
  advance(): void {
    const now = this.now();
    const data = this.data();
    let changed = false;
    for (const order of data.orders) {
      if (order.settlesAt === undefined || now < order.settlesAt) continue;
      const settling =
        order.status === ORDER_STATUS.processing ||
        (order.status === ORDER_STATUS.pendingPayment && order.fate === "cancelled");
      if (!settling) continue;
      if (order.fate === "cancelled") order.status = ORDER_STATUS.cancelled;
      else if (order.fate === "stuck") continue;
      else {
        order.status = ORDER_STATUS.completed;
        if (order.orderType === ORDER_TYPE.new) this.provision(order, order.settlesAt);
        for (const id of order.unsubscribes ?? []) {
          const r = data.resources.find((x) => x.resourceId === id);
          if (r && r.removedAt === undefined) {
            r.removedAt = order.settlesAt;
            r.status = RESOURCE_STATUS.closed;
          }
        }
      }
      changed = true;
    }
    for (const r of data.resources) {
      if (r.removedAt === undefined && r.status === RESOURCE_STATUS.inUse && r.expiresAt <= now) {
        r.status = RESOURCE_STATUS.expired;
        changed = true;
      }
    }
    if (changed) this.save();
  }

  /** Records the customer order for an order DIS or MetaStudio accepted (once per order id). */
  place(placed: PlacedOrder, fate: OrderFate): BillingOrder | undefined {
    const data = this.data();
    if (data.orders.some((o) => o.orderId === placed.orderId && o.domainId === placed.domainId))
      return undefined;
    const now = this.now();
    const paid = placed.autoPay && !fate.paymentRefused;
    const order: BillingOrder = {
      orderId: placed.orderId,
      domainId: placed.domainId,
      projectId: placed.projectId,
      regionCode: placed.regionCode,
      service: placed.service,
      serviceTypeCode: SERVICE_TYPE_CODES[placed.service],
      orderType: ORDER_TYPE.new,
      status: paid ? ORDER_STATUS.processing : ORDER_STATUS.pendingPayment,
      createdAt: now,
      ...(paid ? { paidAt: now } : {}),
      ...(paid || fate.fate === "cancelled" ? { settlesAt: now + this.processingDelayMs } : {}),
      fate: fate.fate,
      resourcesLateMs: fate.resourcesLateMs,
      ...(fate.bssLagMs ? { visibleAt: now + fate.bssLagMs } : {}),
      autoPay: placed.autoPay,
      lines: placed.lines.map((line, i) => ({
        ...line,
        lineId: `${placed.orderId}-${i + 1}`,
        amount: lineAmount(line),
      })),
    };
    data.orders.push(order);
    this.save();
    return structuredClone(order);
  }

  /** An order as BSS shows it now: not before it reaches BSS (bss-lag). */
  order(domainId: string, orderId: string): BillingOrder | undefined {
    this.advance();
    const now = this.now();
    const o = this.data().orders.find(
      (x) =>
        x.domainId === domainId &&
        x.orderId.toUpperCase() === orderId.toUpperCase() &&
        (x.visibleAt ?? 0) <= now,
    );
    return o && structuredClone(o);
  }

  /** The orders BSS lists now; `all` (the admin API's view): those still on their way too. */
  orders(domainId?: string, all = false): BillingOrder[] {
    this.advance();
    const now = this.now();
    return structuredClone(
      this.data().orders.filter(
        (o) => (domainId === undefined || o.domainId === domainId) && (all || (o.visibleAt ?? 0) <= now),
      ),
    );
  }

  /** Resources listed now: provisioned, visible, not unsubscribed. */
  resources(domainId?: string): BillingResource[] {
    this.advance();
    const now = this.now();
    return structuredClone(
      this.data().resources.filter(
        (r) =>
          (domainId === undefined || r.domainId === domainId) &&
          r.visibleAt <= now &&
          r.removedAt === undefined,
      ),
    );
  }

  /** Every resource ever provisioned, unsubscribed ones included (the admin API's view). */
  allResources(): BillingResource[] {
    this.advance();
    return structuredClone(this.data().resources);
  }

  pay(domainId: string, orderId: string, refused: boolean): PayOutcome {
    this.advance();
    const order = this.data().orders.find(
      (o) => o.domainId === domainId && o.orderId === orderId && (o.visibleAt ?? 0) <= this.now(),
    );
    if (!order) return "not-found";
    if (order.status !== ORDER_STATUS.pendingPayment || order.orderType !== ORDER_TYPE.new)
      return "not-payable";
    if (refused) return "refused";
    const now = this.now();
    order.status = ORDER_STATUS.processing;
    order.paidAt = now;
    // An order fated to be cancelled keeps its time; any other settles one delay after payment.
    if (order.fate !== "cancelled" || order.settlesAt === undefined)
      order.settlesAt = now + this.processingDelayMs;
    this.save();
    return "paid";
  }

  /**
   * BSS "Unsubscribing from Yearly/Monthly Resources" for the resources of one account: those that
   * can go are named in one unsubscribe order (type 4, processing for the delay); the others are
   * failures with a code. `immediately` (the admin API, "outside Pulumi") completes it at once.
   */
  unsubscribe(
    domainId: string,
    resourceIds: string[],
    immediately = false,
  ): { orderId?: string; failures: UnsubscribeFailure[] } {
    this.advance();
    const data = this.data();
    const now = this.now();
    const failures: UnsubscribeFailure[] = [];
    const accepted: BillingResource[] = [];
    for (const id of resourceIds) {
      const r = data.resources.find(
        (x) => x.resourceId === id && x.domainId === domainId && x.visibleAt <= now,
      );
      if (!r) {
        failures.push({
          resourceId: id,
          code: BSS_RESOURCE_NOT_FOUND,
          message: "The resources do not exist or has been deleted due to expiration.",
        });
      } else if (r.removedAt !== undefined || r.unsubscribeOrderId !== undefined) {
        failures.push({
          resourceId: id,
          code: BSS_ALREADY_UNSUBSCRIBED,
          message: "Resources have been unsubscribed from.",
        });
      } else if (r.periodType === LINE_PERIOD.oneOff) {
        failures.push({
          resourceId: id,
          code: BSS_INVALID_PARAMETER,
          message: "A one-off purchase cannot be unsubscribed.",
        });
      } else if (accepted.includes(r)) {
        continue;
      } else {
        accepted.push(r);
      }
    }
    if (accepted.length === 0) return { failures };
    const first = accepted[0] as BillingResource;
    const orderId = newOrderId(now, (id) => data.orders.some((o) => o.orderId === id));
    data.orders.push({
      orderId,
      domainId,
      projectId: first.projectId,
      regionCode: first.regionCode,
      service: first.service,
      serviceTypeCode: first.serviceTypeCode,
      orderType: ORDER_TYPE.unsubscribe,
      status: immediately ? ORDER_STATUS.completed : ORDER_STATUS.processing,
      createdAt: now,
      paidAt: now,
      settlesAt: immediately ? now : now + this.processingDelayMs,
      fate: "complete",
      resourcesLateMs: 0,
      autoPay: true,
      lines: [],
      unsubscribes: accepted.map((r) => r.resourceId),
    });
    for (const r of accepted) {
      r.unsubscribeOrderId = orderId;
      if (immediately) {
        r.removedAt = now;
        r.status = RESOURCE_STATUS.closed;
      }
    }
    this.save();
    return { orderId, failures };
  }

  /** The admin API's "outside Pulumi" changes: a resource expires or is frozen now. */
  setResourceStatus(
    resourceId: string,
    status: typeof RESOURCE_STATUS.expired | typeof RESOURCE_STATUS.frozen,
  ): boolean {
    this.advance();
    const r = this.data().resources.find((x) => x.resourceId === resourceId && x.removedAt === undefined);
    if (!r) return false;
    r.status = status;
    if (status === RESOURCE_STATUS.expired) r.expiresAt = Math.min(r.expiresAt, this.now());
    this.save();
    return true;
  }

  private provision(order: BillingOrder, at: number): void {
    const data = this.data();
    for (const line of order.lines) {
      data.resources.push({
        resourceId: crypto.randomUUID(),
        orderId: order.orderId,
        lineId: line.lineId,
        domainId: order.domainId,
        projectId: order.projectId,
        regionCode: order.regionCode,
        service: order.service,
        serviceTypeCode: order.serviceTypeCode,
        resourceTypeCode: line.resourceTypeCode,
        resourceSpecCode: line.resourceSpecCode,
        periodType: line.periodType,
        subscriptionNum: line.subscriptionNum,
        status: RESOURCE_STATUS.inUse,
        effectiveAt: at,
        expiresAt: expiryOf(line, at),
        visibleAt: at + order.resourcesLateMs,
      });
    }
  }
}

export function defaultResourceType(service: OrderService): string {
  return DEFAULT_RESOURCE_TYPES[service];
}

// BSS error codes. From Huawei's "Error Codes" page (customer operation capabilities):
// CBC.30050009 "The resources do not exist or has been deleted due to expiration.",
// CBC.3124 "Resources have been unsubscribed from.". From the project's field notes:
// CBC.30000010 (invalid order / may not exist, 400), CBC.99003106 (order not payable).
// CBC.0100 (parameter error) and CBC.0999 (other error) are the codes BSS pages commonly show;
// CBC.30000052 for insufficient balance could not be confirmed on a page this project could read
// (emulator/README.md says so): a client must report any refusal by its code and message.
export const BSS_INVALID_PARAMETER = "CBC.0100";
export const BSS_INTERNAL_ERROR = "CBC.0999";
export const BSS_ORDER_NOT_FOUND = "CBC.30000010";
export const BSS_ORDER_NOT_PAYABLE = "CBC.99003106";
export const BSS_INSUFFICIENT_BALANCE = "CBC.30000052";
export const BSS_RESOURCE_NOT_FOUND = "CBC.30050009";
export const BSS_ALREADY_UNSUBSCRIBED = "CBC.3124";
