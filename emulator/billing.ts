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
import {
  type BillingData,
  type BillingOrder,
  type BillingResource,
  DEFAULT_PROCESSING_DELAY_MS,
  expiryOf,
  lineAmount,
  newOrderId,
  type OrderFate,
  ORDER_STATUS,
  ORDER_TYPE,
  type PayOutcome,
  type PlacedOrder,
  RESOURCE_STATUS,
  SERVICE_TYPE_CODES,
  type UnsubscribeFailure,
} from "./billing-records";
import { unsubscribeRefusal } from "./unsubscribe-refusals";
import type { OrderService } from "./types";

export class Billing {
  constructor(
    private readonly data: () => BillingData,
    private readonly save: () => void,
    private readonly now: () => number,
    public processingDelayMs = DEFAULT_PROCESSING_DELAY_MS,
  ) {}

  /** The service type code each new order carries (emulator/billing-records.ts's by default). */
  serviceTypeCodes: Record<OrderService, string> = { ...SERVICE_TYPE_CODES };

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
      serviceTypeCode: this.serviceTypeCodes[placed.service],
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
   * BSS "Unsubscribing from Yearly/Monthly Resources" for the resources of one account. As the
   * current page: one resource that cannot go refuses the whole request (its failure, first, is
   * the 400's code; nothing changes). `legacy` (older tables, a fault): those that can go are
   * named in one unsubscribe order and the others are failures with the old codes. The order is
   * of type 4, processing for the delay; `immediately` (the admin API, "outside Pulumi") completes
   * it at once.
   */
  unsubscribe(
    domainId: string,
    resourceIds: string[],
    how: { immediately?: boolean; legacy?: boolean } = {},
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
      const failure = unsubscribeRefusal(id, r, how.legacy === true);
      if (failure) failures.push(failure);
      else if (r && !accepted.includes(r)) accepted.push(r);
    }
    if (accepted.length === 0 || (failures.length > 0 && !how.legacy)) return { failures };
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
      status: how.immediately ? ORDER_STATUS.completed : ORDER_STATUS.processing,
      createdAt: now,
      paidAt: now,
      settlesAt: how.immediately ? now : now + this.processingDelayMs,
      fate: "complete",
      resourcesLateMs: 0,
      autoPay: true,
      lines: [],
      unsubscribes: accepted.map((r) => r.resourceId),
    });
    for (const r of accepted) {
      r.unsubscribeOrderId = orderId;
      if (how.immediately) {
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
