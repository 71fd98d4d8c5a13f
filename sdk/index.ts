/**
 * The resources Pulumi programs declare, `pulumi-huaweicloud-orders`: one class per order kind,
 * with its arguments and outputs.
 * @module pulumi-huaweicloud-orders
 */
// One class per order kind of provider/orders (ORDER_KINDS), derived from its schema. A new kind
// is one more line here, which tests/sdk/order-kinds.test.ts requires of every registered kind.
// First, before any module below loads @pulumi/pulumi: a program's SDK outside the peer range is
// refused, with both versions named.
import "./pulumi-version";
import { orderResourceClass, type OrderArgs } from "./order-resource-class";

/**
 * Submits a DIS cloud service package order (`POST /v2/orders/{order_id}`) exactly once, and
 * follows it through BSS as far as `waitUntil` asks. Any change to the order's fields places a new
 * order. Destroy keeps the order (forgets it, warning how to unsubscribe it) unless `onDestroy` is
 * "unsubscribe": then it unsubscribes the order's resources through BSS and waits until they are gone.
 */
export class DisPackageOrder extends orderResourceClass("DisPackageOrder") {}

/**
 * Subscribes to MetaStudio products (`POST /v1/{project_id}/mss/public/orders`) exactly once, and
 * follows the order through BSS as far as `waitUntil` asks. Any change to the products places a
 * new order. Destroy keeps the order (forgets it, warning how to unsubscribe it) unless
 * `onDestroy` is "unsubscribe": then it unsubscribes through BSS and waits until the resources are
 * gone (one-off purchases cannot be returned).
 */
export class MetaStudioSubscription extends orderResourceClass("MetaStudioSubscription") {}

/**
 * DisPackageOrder's arguments: the DIS page's fields, and what every order resource takes.
 * @interface
 */
export type DisPackageOrderArgs = OrderArgs<"DisPackageOrder">;
/**
 * MetaStudioSubscription's arguments: the MetaStudio page's fields, and what every order resource
 * takes.
 * @interface
 */
export type MetaStudioSubscriptionArgs = OrderArgs<"MetaStudioSubscription">;

export type { OrderArgs } from "./order-resource-class";
export type { ConnectionArgs } from "./order-resource";
