// The few lines that differ between order resources; everything else (check, diff, create,
// read, delete) is derived by provider/dynamic/order-provider.ts. A third order endpoint is one
// more file like dis-package-order.ts and one line in index.ts (README "Adding an order endpoint").
import type { z } from "zod";
import type { ServiceName } from "../client";
import type { PriceProducts } from "./price-inquiry";

/** The type token an order resource registers under (and policies match it by). */
export function orderTypeToken(kindName: string): string {
  return `pulumi-nodejs:dynamic/huaweicloud:${kindName}`;
}

/**
 * One line item of an order as BSS's order details show it (Go SDK OrderLineItemEntityV2): what
 * an order whose request had an unknown outcome is recognised by (README "When an order's outcome
 * is unknown").
 */
export interface ExpectedLine {
  /** BSS's period_type: 2 month, 3 year, 5 one-time. */
  periodType: number;
  /** Compared unless the line is one-time. */
  periodNum: number;
  subscriptionNum: number;
  /**
   * Compared with the resource_spec_code of the order's resources once BSS lists them: the line
   * item itself carries only product_spec_desc, a description, never compared.
   */
  resourceSpecCode: string;
}

export interface OrderKind<S extends z.ZodType = z.ZodType> {
  /** The resource type name, as programs and previews show it. */
  name: string;
  service: Exclude<ServiceName, "iam" | "bss">;
  /** The API operation, named as the page names it. */
  operation: string;
  /** The one source of the inputs' types, validation, defaults and wire names. */
  inputs: S;
  /** The request path carries the project id, so one must be known before the order is sent. */
  projectInPath: boolean;
  /** The request path's segments, unencoded; `projectId` is "" unless projectInPath is true. */
  path: (inputs: z.output<S>, projectId: string) => string[];
  /** The placed order's id, from the inputs or the answer; undefined if the answer lacks it. */
  orderId: (inputs: z.output<S>, responseBody: unknown) => string | undefined;
  /** How the operator stops paying for an order that destroy only forgets. */
  unsubscribeHint: string;
  /**
   * The input that names the order itself (DIS: the path's order id), where there is one. The
   * order is then that id: changing its parameters under the same id is refused, never resent.
   */
  orderIdInput?: string;
  /**
   * Whether the order's own fields ask Huawei to pay it (MetaStudio's isAutoPay). Kinds without it
   * take the \`autoPay\` input instead: the order is paid through BSS once it waits for payment.
   */
  paysItself?: (inputs: z.output<S>) => boolean;
  /** What the operator does for an order that waits for payment which nothing here pays. */
  payHint: string;
  /**
   * The property paths of the order's one-off items (cloudServices[0].periodType), which BSS cannot
   * unsubscribe: onDestroy "unsubscribe" is refused at preview for such an order. None when absent.
   */
  oneOffItems?: (inputs: z.output<S>) => string[];
  /**
   * How BSS finds this kind's order after an unknown outcome: its cloud service type code and, for
   * a kind without orderIdInput (the order id comes from the answer), the line items its order has.
   * Without it, an unknown outcome fails with the advice to look and adopt by hand.
   */
  reconcile?: { serviceTypeCode: string; lines?: (inputs: z.output<S>) => ExpectedLine[] };
  /** What a replacement buys again, item by item, for kinds whose one order holds several items. */
  replacementNote?: (before: z.output<S>, after: z.output<S>) => string;
  /**
   * The order as BSS's period price inquiry describes it (provider/orders/price-inquiry.ts):
   * one product per item the order buys, in `region` unless the order names its own. A kind
   * without it is previewed without a price, saying so.
   */
  priceProducts?: (inputs: z.output<S>, region: string) => PriceProducts;
}
