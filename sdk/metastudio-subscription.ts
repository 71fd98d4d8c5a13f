import type * as pulumi from "@pulumi/pulumi";
import type { MetaStudioSubscriptionInputs } from "../provider/orders";
import { OrderResource, type OrderResourceArgs, type ResourceArgs } from "./order-resource";

/** MetaStudioSubscription's arguments: the MetaStudio page's fields (documented in provider/orders/metastudio-subscription.ts). */
export interface MetaStudioSubscriptionArgs
  extends ResourceArgs<MetaStudioSubscriptionInputs>,
    OrderResourceArgs {}

/**
 * Subscribes to MetaStudio products (`POST /v1/{project_id}/mss/public/orders`) exactly once.
 * Any change to the products places a new order; destroy only forgets the order and warns how to
 * unsubscribe it (one-off purchases cannot be returned).
 */
export class MetaStudioSubscription extends OrderResource {
  /** The effective products ordered, the page's defaults filled in. */
  declare readonly cloudServices: pulumi.Output<MetaStudioSubscriptionInputs["cloudServices"]>;

  constructor(name: string, args: MetaStudioSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    super("MetaStudioSubscription", name, args, opts);
  }
}
