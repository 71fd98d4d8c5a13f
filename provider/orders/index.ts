// The order resources this package offers, by type name.
import { disPackageOrder } from "./dis-package-order";
import { metaStudioSubscription } from "./metastudio-subscription";
import type { OrderKind } from "./order-kind";

/** The order kinds, by resource type name: each one's schema, request and BSS codes. */
export const ORDER_KINDS = {
  /** DIS "Submitting a Cloud Service Package Order". */
  DisPackageOrder: disPackageOrder,
  /** MetaStudio "Subscribing to a MetaStudio Product". */
  MetaStudioSubscription: metaStudioSubscription,
} as const satisfies Record<string, OrderKind>;

/** The resource type name of an order kind: "DisPackageOrder" or "MetaStudioSubscription". */
export type OrderKindName = keyof typeof ORDER_KINDS;

export { disPackageOrderInputs, type DisPackageOrderInputs } from "./dis-package-order";
export { metaStudioSubscriptionInputs, type MetaStudioSubscriptionInputs } from "./metastudio-subscription";
export type { OrderKind } from "./order-kind";
export { checkInputs, toWire, UNKNOWN, type CheckFailure } from "./schema-kit";
