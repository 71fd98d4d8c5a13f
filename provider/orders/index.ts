// The order resources this package offers, by type name.
import { disPackageOrder } from "./dis-package-order";
import { metaStudioSubscription } from "./metastudio-subscription";
import type { OrderKind } from "./order-kind";

export const ORDER_KINDS = {
  DisPackageOrder: disPackageOrder,
  MetaStudioSubscription: metaStudioSubscription,
} as const satisfies Record<string, OrderKind>;

export type OrderKindName = keyof typeof ORDER_KINDS;

export { disPackageOrderInputs, type DisPackageOrderInputs } from "./dis-package-order";
export { metaStudioSubscriptionInputs, type MetaStudioSubscriptionInputs } from "./metastudio-subscription";
export type { OrderKind } from "./order-kind";
export { checkInputs, toWire, UNKNOWN, type CheckFailure } from "./schema-kit";
