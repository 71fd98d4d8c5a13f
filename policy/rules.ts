// The policy pack's rules as plain functions of what the engine shows a policy: a resource's type
// token and its properties. Nothing here loads @pulumi/policy, so the rules are unit-tested
// directly; pack.ts serves them as CrossGuard policies.
//
// What a policy sees (pkg/resource/deploy/step_generator.go, v3.276.0): a resource policy gets the
// resource's inputs as the provider's check returned them (what the program declared, without
// defaults), before the resource's step runs; a stack policy gets every resource of the stack once
// the program has finished, new ones with their inputs (a preview creates nothing) and held ones with
// their recorded outputs. Neither is told whether a resource is created, replaced or unchanged: a
// held order is recognised by the outputs only a placed order records (`submittedAt`).
import type { z } from "zod";
import { ORDER_KINDS, type OrderKindName } from "../provider/orders";
import {
  orderTypeToken,
  pluginTypeToken,
  type OrderItem,
  type OrderKind,
} from "../provider/orders/order-kind";
import { fieldNames } from "../provider/orders/schema-kit";
import { ADOPT_KEY, AUTO_PAY_KEY } from "../provider/contract/resource-keys";
import type { PreviewPrice } from "../provider/billing/price-quote";

type Props = Record<string, unknown>;

export type { OrderItem };

/** The price the provider obtained at preview (the `previewPrice` input): the provider's own type. */
export type { PreviewPrice };

/** An order resource as the rules read it, defaults filled in from its schema. */
export interface OrderView {
  kind: OrderKindName;
  /** `DisPackageOrder 'name'`, as the provider's own messages name a resource. */
  label: string;
  urn: string;
  items: OrderItem[];
  /** DisPackageOrder's `autoPay` input: the order is paid through BSS. */
  autoPay: boolean;
}

export interface Violation {
  message: string;
  /** The resource the violation is about; none for the update as a whole. */
  urn?: string;
}

/** Both ways a resource is declared: a dynamic resource (Node) and the provider plugin's type. */
const KIND_BY_TYPE = new Map(
  (Object.keys(ORDER_KINDS) as OrderKindName[]).flatMap((kind) => [
    [orderTypeToken(kind), kind] as const,
    [pluginTypeToken(kind), kind] as const,
  ]),
);

/** The order kind a type token names, if it is one of this package's resources. */
export function orderKindOf(type: string): OrderKindName | undefined {
  return KIND_BY_TYPE.get(type);
}

/** A kind's items, from its parsed inputs (each kind says what it buys: provider/orders). */
function itemsOf(kind: OrderKindName, props: Props): OrderItem[] | undefined {
  const schema = ORDER_KINDS[kind].inputs as z.ZodType;
  const parsed = schema.safeParse(orderFields(kind, props));
  return parsed.success ? (ORDER_KINDS[kind] as OrderKind).items(parsed.data) : undefined;
}

/** Only the order's own fields: reading another (a secret connection, an unknown) is not needed. */
function orderFields(kind: OrderKindName, props: Props): Props {
  const fields: Props = {};
  for (const key of fieldNames(ORDER_KINDS[kind].inputs)) {
    if (props[key] !== undefined) fields[key] = props[key];
  }
  return fields;
}

/**
 * The order a resource declares, or undefined for other resources and for inputs that do not
 * parse (the provider's check already fails the preview naming them).
 */
export function readOrder(resource: {
  type: string;
  name: string;
  urn: string;
  props: Props;
}): OrderView | undefined {
  const kind = orderKindOf(resource.type);
  if (kind === undefined) return undefined;
  const items = itemsOf(kind, resource.props);
  if (items === undefined) return undefined;
  return {
    kind,
    label: `${kind} '${resource.name}'`,
    urn: resource.urn,
    items,
    autoPay: resource.props[AUTO_PAY_KEY] === true,
  };
}

// ---- Configuration ----------------------------------------------------------------------------

/** Each policy's settings (its `configSchema` in pack.ts says the same for the CLI). */
export interface AllowedProductsConfig {
  resourceSpecCodes?: string[];
  disProductIds?: string[];
}
export interface MaxPeriodConfig {
  maxMonths?: number;
}
export interface AllowedConfig {
  allowed?: boolean;
}
export interface MaxNewOrdersConfig {
  max?: number;
}
export interface MaxTotalPriceConfig {
  max?: number;
  currency?: string;
  amount?: "official" | "afterOffer";
}

/**
 * Refuses keys a policy does not know. The CLI checks each key's type against the policy's
 * configSchema but passes keys the schema does not name (it keeps only `properties` and `required`
 * of a policy's schema), so a misspelt limit would otherwise be ignored without a word.
 */
export function checkConfigKeys(policy: string, known: readonly string[], config: object): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `policy config: ${unknown.map((k) => `${policy}.${k}`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not ` +
        `a setting of policy ${policy} (its settings: ${known.length > 0 ? known.join(", ") : "none"}, and enforcementLevel)`,
    );
  }
}

// ---- Rules on one order (resource policies) --------------------------------------------------

const PERIOD_UNIT: Record<number, string> = { 2: "month", 3: "year" };

/** An item's period in months; undefined for a one-off purchase (MetaStudio periodType 6). */
export function periodMonths(item: OrderItem): number | undefined {
  if (item.periodType === 2) return item.periodNum;
  if (item.periodType === 3) return item.periodNum * 12;
  return undefined;
}

function describePeriod(item: OrderItem): string {
  const unit = PERIOD_UNIT[item.periodType] ?? "period";
  return `${item.periodNum} ${unit}${item.periodNum === 1 ? "" : "s"}`;
}

export function allowedProducts(order: OrderView, config: AllowedProductsConfig): Violation[] {
  const out: Violation[] = [];
  for (const item of order.items) {
    const codes = config.resourceSpecCodes;
    if (codes !== undefined && !codes.includes(item.resourceSpecCode)) {
      const field =
        order.kind === "DisPackageOrder"
          ? `${item.path}.productInfos.resourceSpecCode`
          : `${item.path}.resourceSpecCode`;
      out.push({
        urn: order.urn,
        message:
          `${order.label}: ${field} "${item.resourceSpecCode}" is not an allowed resource spec code ` +
          `(allowed-products.resourceSpecCodes: ${list(codes)})`,
      });
    }
    const ids = config.disProductIds;
    if (ids !== undefined && order.kind === "DisPackageOrder" && !ids.includes(item.productId ?? "")) {
      out.push({
        urn: order.urn,
        message:
          `${order.label}: ${item.path}.productInfos.productId ` +
          `${item.productId === undefined ? "is not set" : `"${item.productId}" is not an allowed DIS product`} ` +
          `(allowed-products.disProductIds: ${list(ids)})`,
      });
    }
  }
  return out;
}

export function maxPeriod(order: OrderView, config: MaxPeriodConfig): Violation[] {
  const limit = config.maxMonths;
  if (limit === undefined) return [];
  return order.items.flatMap((item) => {
    const months = periodMonths(item);
    return months !== undefined && months > limit
      ? [
          {
            urn: order.urn,
            message:
              `${order.label}: ${item.path} subscribes for ${describePeriod(item)}` +
              `${item.periodType === 3 ? ` (${months} months)` : ""}, longer than max-period.maxMonths (${limit})`,
          },
        ]
      : [];
  });
}

export function autoRenew(order: OrderView, config: AllowedConfig): Violation[] {
  if (config.allowed !== false) return [];
  return order.items
    .filter((item) => item.isAutoRenew)
    .map((item) => ({
      urn: order.urn,
      message: `${order.label}: ${item.path}.isAutoRenew is true, and auto-renew.allowed is false`,
    }));
}

export function autoPay(order: OrderView, config: AllowedConfig): Violation[] {
  if (config.allowed !== false) return [];
  const paid: string[] = order.autoPay ? [AUTO_PAY_KEY] : [];
  for (const item of order.items) if (item.isAutoPay) paid.push(`${item.path}.isAutoPay`);
  return paid.map((field) => ({
    urn: order.urn,
    message: `${order.label}: ${field} is true (the order would be paid without a person), and auto-pay.allowed is false`,
  }));
}

// ---- Rules on the whole update (stack policies) ----------------------------------------------

/** A resource as a stack policy sees it. */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  props: Props;
}

/** What a stack policy reads of one order the update would place. */
export interface NewOrder {
  label: string;
  urn: string;
  resource: StackResource;
}

/**
 * The orders this update would place: order resources that hold no placed order yet (no recorded
 * `submittedAt`: new, or the new half of a replacement) and adopt none. A value still unknown at
 * preview counts as placing one: the count errs towards more orders, never fewer.
 */
export function newOrders(resources: readonly StackResource[]): NewOrder[] {
  return resources.flatMap((r) => {
    const kind = orderKindOf(r.type);
    if (kind === undefined || "submittedAt" in r.props) return [];
    const adopt = readOrUnknown(r.props, ADOPT_KEY);
    if (typeof adopt === "string") return [];
    return [{ label: `${kind} '${r.name}'`, urn: r.urn, resource: r }];
  });
}

export function maxNewOrders(resources: readonly StackResource[], config: MaxNewOrdersConfig): Violation[] {
  const limit = config.max;
  if (limit === undefined) return [];
  const orders = newOrders(resources);
  if (orders.length <= limit) return [];
  return [
    {
      message:
        `this update would place ${orders.length} new paid order${orders.length === 1 ? "" : "s"}, more than ` +
        `max-new-orders.max (${limit}): ${orders.map((o) => o.label).join(", ")}. If a resource was renamed ` +
        "or moved, give it `aliases` so it keeps its order",
    },
  ];
}

const UNKNOWN_VALUE = Symbol("unknown at preview");

/** A property, or UNKNOWN_VALUE where the policy SDK refuses to read a value not computed yet. */
function readOrUnknown(props: Props, key: string): unknown {
  try {
    return props[key];
  } catch {
    return UNKNOWN_VALUE;
  }
}

/** The `previewPrice` input, checked against the contract; a reason when it cannot be used. */
export function readPreviewPrice(props: Props): PreviewPrice | { missing: string } {
  const raw = readOrUnknown(props, "previewPrice");
  if (raw === UNKNOWN_VALUE) return { missing: "its price is not known until the update runs" };
  if (raw === undefined || raw === null) return { missing: "the provider recorded no price for it" };
  let p: Props;
  try {
    p = JSON.parse(JSON.stringify(raw)) as Props;
  } catch {
    return { missing: "its price is not known until the update runs" };
  }
  const amountOk = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (
    typeof p.currency !== "string" ||
    p.currency === "" ||
    !amountOk(p.officialAmount) ||
    !amountOk(p.amount) ||
    typeof p.quotedAt !== "string" ||
    (p.discountAmount !== undefined && !amountOk(p.discountAmount))
  ) {
    return {
      missing:
        "its recorded price is malformed (previewPrice needs currency, officialAmount, amount, quotedAt)",
    };
  }
  return p as unknown as PreviewPrice;
}

export function maxTotalPrice(resources: readonly StackResource[], config: MaxTotalPriceConfig): Violation[] {
  const limit = config.max;
  if (limit === undefined) return [];
  const field = config.amount === "afterOffer" ? "amount" : "officialAmount";
  const out: Violation[] = [];
  const priced: { label: string; price: PreviewPrice }[] = [];
  for (const order of newOrders(resources)) {
    const price = readPreviewPrice(order.resource.props);
    if ("missing" in price) {
      out.push({
        urn: order.urn,
        message: `${order.label}: could not check max-total-price: ${price.missing}`,
      });
    } else if (config.currency !== undefined && price.currency !== config.currency) {
      out.push({
        urn: order.urn,
        message:
          `${order.label}: could not check max-total-price: priced in ${price.currency}, ` +
          `the limit is in ${config.currency} (max-total-price.currency)`,
      });
    } else {
      priced.push({ label: order.label, price });
    }
  }
  const currencies = [...new Set(priced.map((p) => p.price.currency))];
  if (currencies.length > 1) {
    out.push({
      message:
        `could not check max-total-price: the new orders are priced in ${currencies.join(" and ")}; ` +
        "set max-total-price.currency to the limit's currency",
    });
    return out;
  }
  const total = priced.reduce((sum, p) => sum + p.price[field], 0);
  if (total > limit) {
    const currency = currencies[0] ?? "";
    out.push({
      message:
        `this update would place orders priced ${money(total)} ${currency} in all` +
        `${field === "amount" ? " (after offers)" : " (official prices)"}, more than max-total-price.max ` +
        `(${money(limit)}): ${priced.map((p) => `${p.label} ${money(p.price[field])}`).join(", ")}`,
    });
  }
  return out;
}

function money(n: number): string {
  return n.toFixed(2);
}

function list(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}
