// What both resource classes share: the serialized provider stub, the input type mapping and the
// outputs every order records.
import * as pulumi from "@pulumi/pulumi";
import type { OrderKindName } from "../provider/orders";
import type { ClientSettingsInput } from "../provider/client";
import type { OrderProvider } from "../provider/dynamic/order-provider";

/** `pulumi.Input` at every level, as Pulumi programs expect of resource arguments. */
export type DeepInput<T> = T extends readonly (infer E)[]
  ? pulumi.Input<DeepInput<E>>[]
  : T extends object
    ? { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> }
    : T;

export type ResourceArgs<T> = { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };

/**
 * Connection settings for one resource, overriding the `huaweicloud:` stack configuration and the
 * HW_* environment (README "Configuration"). Stored as a secret; changing them never replaces
 * an order.
 */
export type ConnectionArgs = ResourceArgs<ClientSettingsInput>;

/**
 * The provider object Pulumi serializes into state for each resource. It is only these few lines:
 * every method loads this package's provider module by name inside the engine's dynamic-provider
 * process, so no provider code and no credential is captured in `__provider`.
 */
const stubs = new Map<OrderKindName, pulumi.dynamic.ResourceProvider>();

function providerStub(kind: OrderKindName): pulumi.dynamic.ResourceProvider {
  const cached = stubs.get(kind);
  if (cached) return cached;
  const stub = lazyProvider(kind);
  stubs.set(kind, stub);
  return stub;
}

function lazyProvider(kind: OrderKindName): pulumi.dynamic.ResourceProvider {
  // Every method text below is stored in each resource's state (twice), so they stay this short.
  // No `read`: without one, the engine's dynamic-provider host returns the recorded state
  // unchanged, which is what a refresh must do here (the pages give no read endpoint).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time by package name, on purpose
  const p = (): OrderProvider => require("pulumi-huaweicloud-orders/provider").orderProvider(kind);
  return {
    configure: (r) => p().configure(r),
    check: (o, n) => p().check(o, n),
    diff: (i, o, n) => p().diff(i, o, n),
    create: (n) => p().create(n),
    update: () => p().update(),
    delete: (i, o) => p().delete(i, o),
  };
}

/** Arguments every order resource takes besides its order fields. */
export interface OrderResourceArgs {
  /** Per-resource connection settings and credentials (secret; never part of the order). */
  connection?: pulumi.Input<ConnectionArgs>;
  /**
   * Adopt an order that already exists instead of placing one: creating the resource then sends
   * no request and records this order id with the resource's parameters. Use it for an order
   * placed outside Pulumi, or one a failed or interrupted run may have placed (README "When an
   * order's outcome is unknown"). 1–64 letters and digits; a DisPackageOrder's must equal its
   * `orderId`. Adding or removing it later changes nothing; remove it once the order is in the
   * stack, since while it stays a change that needs a new order is refused. It takes the place
   * of the `import` resource option, which Node dynamic resources cannot use in this Pulumi SDK.
   */
  adoptOrderId?: pulumi.Input<string>;
}

/** What every order resource records: the placed order's identity and where it was placed. */
export abstract class OrderResource extends pulumi.dynamic.Resource {
  /** The placed order's ID; also the resource's id. */
  declare readonly orderId: pulumi.Output<string>;
  /** X-Request-Id of the answer that accepted the order; null for an adopted order. */
  declare readonly requestId: pulumi.Output<string | null>;
  /** When the accepted request was sent (ISO 8601); null for an adopted order. */
  declare readonly submittedAt: pulumi.Output<string | null>;
  /** The region the order was placed through (for an adopted order: the configured one, if any). */
  declare readonly region: pulumi.Output<string | null>;
  /** The project the order was placed in (for an adopted order: the configured one, if any). */
  declare readonly projectId: pulumi.Output<string | null>;
  /** True when the order was adopted with `adoptOrderId` rather than placed by this stack. */
  declare readonly adopted: pulumi.Output<boolean>;

  protected constructor(
    kind: OrderKindName,
    name: string,
    args: object & OrderResourceArgs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const { connection, adoptOrderId, ...order } = args;
    const props = {
      ...order,
      resourceName: name,
      ...(connection === undefined ? {} : { connection: pulumi.secret(connection) }),
      ...(adoptOrderId === undefined ? {} : { adoptOrderId }),
      orderId: "orderId" in order ? order.orderId : undefined,
      requestId: undefined,
      submittedAt: undefined,
      region: undefined,
      projectId: undefined,
      adopted: undefined,
    };
    super(providerStub(kind), name, props, opts, "huaweicloud", kind);
  }
}
