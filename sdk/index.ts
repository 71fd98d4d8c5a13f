// The resources Pulumi programs declare.
import { assertSupportedSdk } from "./pulumi-version";

// Before any module below loads @pulumi/pulumi: a program's SDK outside the peer range is refused
// here, with both versions named.
assertSupportedSdk();

export { DisPackageOrder, type DisPackageOrderArgs } from "./dis-package-order";
export { MetaStudioSubscription, type MetaStudioSubscriptionArgs } from "./metastudio-subscription";
export type { ConnectionArgs } from "./order-resource";
