import * as pulumi from "@pulumi/pulumi";
import type { DisPackageOrderInputs } from "../provider/orders";
import { orderProps, providerStub, type ConnectionArgs, type ResourceArgs } from "./order-resource";

/** DisPackageOrder's arguments: the DIS page's fields (see provider/orders/dis-package-order.ts). */
export interface DisPackageOrderArgs extends ResourceArgs<DisPackageOrderInputs> {
  /** Per-resource connection settings and credentials (secret; never part of the order). */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerStub("DisPackageOrder");

/**
 * Submits a DIS cloud service package order (`POST /v2/orders/{order_id}`) exactly once.
 * Any change to the order's fields places a new order; destroy only forgets the order (it cannot
 * be cancelled through this API) and warns how to unsubscribe it.
 */
export class DisPackageOrder extends pulumi.dynamic.Resource {
  /** The submitted order's ID (the path's order_id; the page's answer has no body). */
  declare readonly orderId: pulumi.Output<string>;
  /** X-Request-Id of the answer that accepted the order. */
  declare readonly requestId: pulumi.Output<string | null>;
  /** When the accepted request was sent (ISO 8601). */
  declare readonly submittedAt: pulumi.Output<string>;
  /** The region the order was placed through. */
  declare readonly region: pulumi.Output<string>;
  /** The project the order was placed in. */
  declare readonly projectId: pulumi.Output<string>;
  /** The effective order parameters, defaults filled in. */
  declare readonly cloudServices: pulumi.Output<
    Required<NonNullable<DisPackageOrderInputs["cloudServices"]>>
  >;
  declare readonly purchaseMode: pulumi.Output<number>;
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly discountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: DisPackageOrderArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, orderProps(name, args, pulumi.secret), opts, "huaweicloud", "DisPackageOrder");
  }
}
