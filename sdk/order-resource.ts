// What both resource classes share: the serialized provider stub, the input type mapping and the
// outputs every order records.
import type * as pulumi from "@pulumi/pulumi";
import type { ClientSettingsInput } from "../provider/client";

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

export type OrderKindName = "DisPackageOrder" | "MetaStudioSubscription";

/**
 * The provider object Pulumi serializes into state for each resource. It is only these few lines:
 * every method loads this package's provider module by name inside the engine's dynamic-provider
 * process, so no provider code and no credential is captured in `__provider`.
 */
export function providerStub(kind: OrderKindName): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded at run time by package name, on purpose */
  return {
    configure: (req) => require("pulumi-huaweicloud-orders/provider").orderProvider(kind).configure(req),
    check: (olds, news) =>
      require("pulumi-huaweicloud-orders/provider").orderProvider(kind).check(olds, news),
    diff: (id, olds, news) =>
      require("pulumi-huaweicloud-orders/provider").orderProvider(kind).diff(id, olds, news),
    create: (inputs) => require("pulumi-huaweicloud-orders/provider").orderProvider(kind).create(inputs),
    read: (id, props) => require("pulumi-huaweicloud-orders/provider").orderProvider(kind).read(id, props),
    update: () => require("pulumi-huaweicloud-orders/provider").orderProvider(kind).update(),
    delete: (id, props) =>
      require("pulumi-huaweicloud-orders/provider").orderProvider(kind).delete(id, props),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Registration props shared by both classes: the outputs to expect, the name, the secret connection. */
export function orderProps(
  name: string,
  args: object & { connection?: pulumi.Input<ConnectionArgs> | undefined },
  secret: <T>(v: T) => pulumi.Output<T>,
): Record<string, unknown> {
  const { connection, ...order } = args;
  return {
    ...order,
    resourceName: name,
    ...(connection === undefined ? {} : { connection: secret(connection) }),
    orderId: "orderId" in order ? order.orderId : undefined,
    requestId: undefined,
    submittedAt: undefined,
    region: undefined,
    projectId: undefined,
  };
}
