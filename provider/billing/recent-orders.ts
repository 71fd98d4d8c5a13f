// Stops a create that would buy an order the account already has. When the engine is killed while
// creating a resource whose order id comes from the answer (MetaStudio), the checkpoint keeps only
// a pending create, the next `pulumi up` creates the resource again, and the engine gives the
// provider nothing of the first attempt. What is left of it is in BSS: a new order with the same
// line items, created shortly before, held by no resource. So before such an order is placed, the
// account's new orders of its service created in the last `huaweicloud-orders:duplicateOrderWindowMinutes`
// before this run are compared with it, line item by line item (docs/recovery.md "The engine interrupted
// while creating"); with none of its service, the window's orders of any service not known to be
// another's. Nothing here places an order.
import { createHash } from "node:crypto";
import { bss } from "../client";
import type { ExpectedLine } from "../orders/order-kind";
import { compareLines, compareSpecs, type Candidate, WINDOW_MARGIN_MS } from "./reconcile-order";

/** A cancelled order bought nothing: never a duplicate. */
const CANCELLED = bss.ORDER_STATUS.cancelled;
/** A completed order is a duplicate only while some of its resources are still bought. */
const COMPLETED = bss.ORDER_STATUS.completed;
/** OrderInstanceV2.status of a resource still bought: in use, frozen (unpaid renewal). */
const ALIVE_RESOURCE: ReadonlySet<number> = new Set([2, 4]);

export interface IdenticalOrder extends Candidate {
  /** What was compared: line items, and resource specs once listed. */
  compared: string;
}

export interface GuardRequest {
  client: bss.BssClient;
  /** Identifies the account and BSS endpoint (any credential in it is hashed, never kept). */
  account: unknown;
  serviceTypeCode: string;
  /**
   * Codes of other services (ServiceTypeCode.others). When no order of serviceTypeCode is in the
   * window, it is listed once more without the service filter, and its orders of any code but
   * these are compared: a wrong code must never make a recent identical order look absent.
   */
  otherServiceTypeCodes?: readonly string[];
  lines: readonly ExpectedLine[];
  windowMinutes: number;
  /** When set, the orders created in this window instead (an interrupted attempt's, duplicate-guard.ts). */
  window?: { from: Date; to: Date };
  /** Orders the resources of this update hold: never duplicates. */
  held: ReadonlySet<string>;
}

/**
 * What one provider process (one engine run) has read of the account's recent orders: each
 * account's listing is asked once, each order's details and resources once, whatever the number
 * of resources that compare against them. The listing ends when this run began, so orders the run
 * places itself are never in it.
 */
export class RecentOrders {
  private readonly listings = new Map<string, Promise<bss.CustomerOrder[]>>();
  private readonly orders = new Map<
    string,
    Promise<{ details: bss.OrderDetails; main?: bss.OrderResource[] }>
  >();

  constructor(private readonly runStartedAt: number = Date.now()) {}

  /** The recent orders with the same line items that no resource of this update holds. */
  async identical(req: GuardRequest): Promise<IdenticalOrder[]> {
    const listed = await this.listing(req);
    const found: IdenticalOrder[] = [];
    for (const order of listed) {
      if (req.held.has(order.orderId) || order.status === CANCELLED) continue;
      const known = await this.order(req.client, order.orderId, false);
      if (!known) continue;
      const lines = compareLines(req.lines, known.details.lineItems);
      if (!lines.matches || known.details.status === CANCELLED) continue;
      let compared = lines.detail;
      if (known.details.status === COMPLETED) {
        const main = (await this.order(req.client, order.orderId, true))?.main ?? [];
        // A completed order whose resources are all gone was unsubscribed or has expired.
        if (!main.some((r) => ALIVE_RESOURCE.has(r.status))) continue;
        const specs = compareSpecs(req.lines, main);
        if (!specs.matches) continue;
        if (specs.detail) compared += ` and ${specs.detail}`;
      }
      found.push({
        orderId: order.orderId,
        createdAt: (known.details.createdAt ?? order.createdAt)?.toISOString() ?? null,
        status: known.details.status,
        compared,
      });
    }
    return found;
  }

  /** The window's orders of the service; without any, its orders of codes not known as others'. */
  private async listing(req: GuardRequest): Promise<bss.CustomerOrder[]> {
    const filtered = await this.list(req, req.serviceTypeCode);
    if (filtered.length > 0) return filtered;
    const others = new Set(
      [req.serviceTypeCode, ...(req.otherServiceTypeCodes ?? [])].map((c) => c.toLowerCase()),
    );
    const unfiltered = await this.list(req, undefined);
    return unfiltered.filter((o) => !others.has(o.serviceTypeCode?.toLowerCase() ?? ""));
  }

  private list(req: GuardRequest, serviceTypeCode: string | undefined): Promise<bss.CustomerOrder[]> {
    const key = createHash("sha256")
      .update(JSON.stringify([req.account, serviceTypeCode ?? null, req.windowMinutes, req.window]))
      .digest("hex");
    let listing = this.listings.get(key);
    if (!listing) {
      listing = bss.listAllOrders(req.client, {
        createdFrom:
          req.window?.from ?? new Date(this.runStartedAt - req.windowMinutes * 60_000 - WINDOW_MARGIN_MS),
        // BSS's clock may run a little ahead of this machine's.
        createdTo: req.window?.to ?? new Date(this.runStartedAt + WINDOW_MARGIN_MS),
        ...(serviceTypeCode === undefined ? {} : { serviceTypeCode }),
        orderType: 1, // new purchases
      });
      // A failed look is asked again by the next resource, not remembered.
      listing.catch(() => this.listings.delete(key));
      this.listings.set(key, listing);
    }
    return listing;
  }

  private order(
    client: bss.BssClient,
    orderId: string,
    withResources: boolean,
  ): Promise<{ details: bss.OrderDetails; main?: bss.OrderResource[] } | undefined> {
    const key = `${orderId}${withResources ? "+resources" : ""}`;
    let known = this.orders.get(key);
    if (!known) {
      known = (async () => {
        const details = await bss.orderDetails(client, orderId);
        if (!withResources) return { details };
        return {
          details,
          main: await bss.allOrderResources(client, { orderId, onlyMainResources: true }),
        };
      })();
      known.catch(() => this.orders.delete(key));
      this.orders.set(key, known);
    }
    return known.catch((err: unknown) => {
      // Listed a moment ago, unknown now: nothing to compare.
      if (bss.isOrderNotFound(err)) return undefined;
      throw err;
    });
  }
}
