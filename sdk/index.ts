// The resources Pulumi programs declare.
export { DisPackageOrder, type DisPackageOrderArgs } from "./dis-package-order";
export { MetaStudioSubscription, type MetaStudioSubscriptionArgs } from "./metastudio-subscription";
export type { ConnectionArgs } from "./order-resource";
