// The few lines that differ between order resources; everything else (the lifecycle's phases, the
// price, reconcile, the duplicate guard, one-off checks, policy rules) is derived from them. A
// third order endpoint is one more file like dis-package-order.ts and one line in index.ts
// (CONTRIBUTING.md "Adding an order endpoint").
import type { z } from "zod";
import type { ServiceName } from "../client";
import type { PriceProduct } from "./price-inquiry";

/** The type token an order resource registers under (and policies match it by). */
export function orderTypeToken(kindName: string): string {
  return `pulumi-nodejs:dynamic/huaweicloud:${kindName}`;
}

/** The provider plugin's package name: also this package's configuration namespace. */
export const PLUGIN_PACKAGE = "huaweicloud-orders";

/** An order kind's type token as the provider plugin serves it (provider/plugin). */
export function pluginTypeToken(kindName: string): string {
  return `${PLUGIN_PACKAGE}:index:${kindName}`;
}

/** One thing an order buys: the whole DIS package, or one item of a MetaStudio subscription. */
export interface OrderItem {
  /** Where it is declared, as check names properties: `cloudServices`, `cloudServices[1]`. */
  path: string;
  /** The period as the kind's page codes it (2 monthly, 3 yearly; MetaStudio 6 one-off). */
  periodType: number;
  period: "month" | "year" | "one-off";
  periodNum: number;
  subscriptionNum: number;
  /** Compared with the resource_spec_code of the order's resources once BSS lists them. */
  resourceSpecCode: string;
  isAutoRenew: boolean;
  /** Only where the item itself says whether it is paid automatically (MetaStudio). */
  isAutoPay?: boolean;
  /** DIS only: productInfos.productId. */
  productId?: string;
  /**
   * How BSS's period price inquiry names the product (its period comes from the item); `region`
   * only where the order names its own; `cloudServiceType` only where the order names its own
   * (else the kind's code, as looked up: provider/billing/service-types.ts). Absent: the kind has
   * no price mapping.
   */
  product?: Omit<
    PriceProduct,
    "periodType" | "periodNum" | "subscriptionNum" | "region" | "cloudServiceType"
  > & {
    region?: string;
    cloudServiceType?: string;
  };
  /** The item as declared (defaults filled in): tells a changed item from an unchanged one. */
  declared: unknown;
}

/**
 * One line item of an order as BSS's order details show it (Go SDK OrderLineItemEntityV2): what
 * an order whose request had an unknown outcome is recognised by (docs/recovery.md "When an order's outcome
 * is unknown"). Derived from the kind's items (order-items.ts).
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

/** Where the placed order's id comes from. */
export type OrderIdSource<S extends z.ZodType> =
  /** The request names the order (DIS: the path's order id): the order is that id. */
  | { in: "request"; input: keyof z.output<S> & string }
  /** The service's answer carries it (MetaStudio); undefined when the answer lacks it. */
  | { in: "answer"; read: (responseBody: unknown) => string | undefined };

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
  orderId: OrderIdSource<S>;
  /**
   * BSS's cloud service type code of this kind's orders (reconcile, the duplicate guard, the
   * price): the built-in one, used when the stack configures none and BSS's service type list
   * confirms none (provider/billing/service-types.ts).
   */
  serviceTypeCode: string;
  /** How BSS's service type list names the service (abbreviation or name), to find its code there. */
  serviceTypeNames?: readonly string[];
  /** What the order buys, item by item: the one description every feature derives from. */
  items: (inputs: z.output<S>) => OrderItem[];
  /**
   * The list field whose elements are the order's items, for kinds whose one order holds several:
   * a replacement buys every one again, and its warning names each.
   */
  itemList?: keyof z.output<S> & string;
  /**
   * Who pays the order: "items" when the items' own isAutoPay asks Huawei to (MetaStudio);
   * "autoPay input" when the resource's `autoPay` input pays it through BSS once it waits.
   */
  payment: "items" | "autoPay input";
  /**
   * The agreement the account must have signed before Huawei pays an order of this kind by itself
   * (MetaStudio's AUTO_PAY), signed before ordering when the resource opts in
   * (`signAutoPayAgreement`, provider/steps/auto-pay-agreement.ts). Absent: the kind has none.
   */
  autoPayAgreement?: {
    /** The agreement_type the sign request names. */
    agreementType: string;
    /** How messages name it: "MetaStudio's AUTO_PAY agreement". */
    title: string;
  };
  /** What the operator does for an order that waits for payment which nothing here pays. */
  payHint: string;
  /** How the operator stops paying for an order that destroy only forgets. */
  unsubscribeHint: string;
}
