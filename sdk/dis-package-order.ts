import type * as pulumi from "@pulumi/pulumi";
import type { DisPackageOrderInputs } from "../provider/orders";
import { OrderResource, type OrderResourceArgs, type ResourceArgs } from "./order-resource";

/** DisPackageOrder's arguments: the DIS page's fields (documented in provider/orders/dis-package-order.ts). */
export interface DisPackageOrderArgs extends ResourceArgs<DisPackageOrderInputs>, OrderResourceArgs {
  /**
   * Pay the order through BSS once it waits for payment (the DIS page has no auto-pay field: every
   * DIS order waits for payment). Default: false. Paid once at most, while create follows the
   * order (so it needs waitUntil "paid" or "provisioned", its default then). Not part of the order.
   */
  autoPay?: pulumi.Input<boolean>;
}

/**
 * Submits a DIS cloud service package order (`POST /v2/orders/{order_id}`) exactly once.
 * Any change to the order's fields places a new order; destroy only forgets the order (it cannot
 * be cancelled through this API) and warns how to unsubscribe it.
 */
export class DisPackageOrder extends OrderResource {
  /** The effective package details, the page's defaults filled in. */
  declare readonly cloudServices: pulumi.Output<
    Required<NonNullable<DisPackageOrderInputs["cloudServices"]>>
  >;
  declare readonly purchaseMode: pulumi.Output<number>;
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly discountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: DisPackageOrderArgs, opts?: pulumi.CustomResourceOptions) {
    super("DisPackageOrder", name, args, opts);
  }
}
