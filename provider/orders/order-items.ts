// What every feature needs to know of an order, derived from the one thing a kind says about it:
// its items (OrderKind.items). Pricing, reconcile's line items, the one-off check, who pays and the
// replacement warning read the items; none of them looks at a kind's fields.
import type { z } from "zod";
import type { ExpectedLine, OrderItem, OrderKind } from "./order-kind";
import type { PriceProducts } from "./price-inquiry";

type Parsed = z.output<z.ZodType>;

/** BSS's period_type for each period: one-off purchases are BSS's 5 (one-time). */
const BSS_PERIOD_TYPE = { month: 2, year: 3, "one-off": 5 } as const;

export function itemsOf(kind: OrderKind, parsed: Parsed): OrderItem[] {
  return kind.items(parsed);
}

/** The order's id when its request names it (DIS); undefined for kinds whose answer carries it. */
export function requestOrderId(kind: OrderKind, parsed: unknown): string | undefined {
  if (kind.orderId.in !== "request") return undefined;
  const value = (parsed as Record<string, unknown> | undefined)?.[kind.orderId.input];
  return typeof value === "string" ? value : undefined;
}

/** The input naming the order, for kinds whose request names it. */
export function orderIdInput(kind: OrderKind): string | undefined {
  return kind.orderId.in === "request" ? kind.orderId.input : undefined;
}

/** The placed order's id: the one the request named, or the one the answer carries. */
export function placedOrderId(kind: OrderKind, parsed: Parsed, responseBody: unknown): string | undefined {
  return kind.orderId.in === "request" ? requestOrderId(kind, parsed) : kind.orderId.read(responseBody);
}

/** The line items BSS shows for the order: how an order of unknown outcome is recognised. */
export function expectedLines(kind: OrderKind, parsed: Parsed): ExpectedLine[] {
  return itemsOf(kind, parsed).map((item) => ({
    periodType: BSS_PERIOD_TYPE[item.period],
    periodNum: item.periodNum,
    subscriptionNum: item.subscriptionNum,
    resourceSpecCode: item.resourceSpecCode,
  }));
}

/** The property paths of the one-off items, which BSS cannot unsubscribe. */
export function oneOffItems(kind: OrderKind, parsed: Parsed): string[] {
  return itemsOf(kind, parsed)
    .filter((item) => item.period === "one-off")
    .map((item) => `${item.path}.periodType`);
}

/** Whether the order's own fields ask Huawei to pay it (every item's isAutoPay). */
export function paysItself(kind: OrderKind, parsed: Parsed): boolean {
  return kind.payment === "items" && itemsOf(kind, parsed).every((item) => item.isAutoPay === true);
}

/**
 * The order as BSS's period price inquiry describes it: one product per item, in `region` unless
 * the order names its own, of `serviceTypeCode` (default the kind's built-in code) unless the
 * order names its own service type. The inquiry prices yearly/monthly products only.
 */
export function priceProducts(
  kind: OrderKind,
  parsed: Parsed,
  region: string,
  serviceTypeCode: string = kind.serviceTypeCode,
): PriceProducts {
  const items = itemsOf(kind, parsed);
  const oneOff = items.find((item) => item.period === "one-off");
  if (oneOff) {
    return {
      unavailable:
        `${oneOff.path} is a one-off purchase (periodType ${oneOff.periodType}), and BSS's period price inquiry ` +
        "prices yearly/monthly products only",
    };
  }
  if (items.some((item) => item.product === undefined)) {
    return { unavailable: `no price mapping is defined for ${kind.name}` };
  }
  return {
    products: items.map((item) => {
      const { region: own, cloudServiceType, ...product } = item.product as NonNullable<OrderItem["product"]>;
      return {
        cloudServiceType: cloudServiceType ?? serviceTypeCode,
        ...product,
        region: own ?? region,
        periodType: item.periodType,
        periodNum: item.periodNum,
        subscriptionNum: item.subscriptionNum,
      };
    }),
  };
}

/** Whether the order's price names the kind's service type code (an item names no service type of its own). */
export function pricedByServiceType(kind: OrderKind, parsed: Parsed): boolean {
  return itemsOf(kind, parsed).some(
    (item) => item.product !== undefined && item.product.cloudServiceType === undefined,
  );
}

/** "spec × 2, 3 months" / "spec × 1, one-off": an item in a warning. */
export function describeItem(item: OrderItem): string {
  const period =
    item.period === "one-off"
      ? "one-off"
      : `${item.periodNum} ${item.period}${item.periodNum > 1 ? "s" : ""}`;
  return `${item.resourceSpecCode} × ${item.subscriptionNum}, ${period}`;
}

/**
 * What a replacement buys again, item by item, for kinds whose one order holds several items
 * (OrderKind.itemList); undefined for the others.
 */
export function replacementNote(kind: OrderKind, before: Parsed, after: Parsed): string | undefined {
  if (kind.itemList === undefined) return undefined;
  const old = itemsOf(kind, before);
  const items = itemsOf(kind, after);
  const listed = items.map((item, i) => {
    const same = JSON.stringify(old[i]?.declared) === JSON.stringify(item.declared);
    return `[${i}] ${describeItem(item)}${same ? " (unchanged, bought again)" : " (changed)"}`;
  });
  const oneOff = items.some((item) => item.period === "one-off");
  return (
    `The new order buys every item of ${kind.itemList} again: ${listed.join("; ")}.` +
    (oneOff ? " One-off items cannot be returned." : "") +
    (items.length > 1 ? ` To change items independently, declare one ${kind.name} per item.` : "")
  );
}
