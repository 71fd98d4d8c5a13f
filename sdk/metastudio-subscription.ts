import * as pulumi from "@pulumi/pulumi";
import type { MetaStudioSubscriptionInputs } from "../provider/orders";
import { orderProps, providerStub, type ConnectionArgs, type ResourceArgs } from "./order-resource";

/** MetaStudioSubscription's arguments: the MetaStudio page's fields (see provider/orders/metastudio-subscription.ts). */
export interface MetaStudioSubscriptionArgs extends ResourceArgs<MetaStudioSubscriptionInputs> {
  /** Per-resource connection settings and credentials (secret; never part of the order). */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerStub("MetaStudioSubscription");

/**
 * Subscribes to MetaStudio products (`POST /v1/{project_id}/mss/public/orders`) exactly once.
 * Any change to the products places a new order; destroy only forgets the order and warns how to
 * unsubscribe it (one-off purchases cannot be returned).
 */
export class MetaStudioSubscription extends pulumi.dynamic.Resource {
  /** The order ID MetaStudio returned (`order_id`). */
  declare readonly orderId: pulumi.Output<string>;
  /** X-Request-Id of the answer that accepted the order. */
  declare readonly requestId: pulumi.Output<string | null>;
  /** When the accepted request was sent (ISO 8601). */
  declare readonly submittedAt: pulumi.Output<string>;
  /** The region the order was placed through. */
  declare readonly region: pulumi.Output<string>;
  /** The project the order was placed in. */
  declare readonly projectId: pulumi.Output<string>;
  /** The effective products ordered, defaults filled in. */
  declare readonly cloudServices: pulumi.Output<MetaStudioSubscriptionInputs["cloudServices"]>;

  constructor(name: string, args: MetaStudioSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      orderProps(name, args, pulumi.secret),
      opts,
      "huaweicloud",
      "MetaStudioSubscription",
    );
  }
}
