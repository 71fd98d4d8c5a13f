// What every order resource class shares: the provider module recorded in state, the input type
// mapping and the outputs every order records.
import * as pulumi from "@pulumi/pulumi";
import type { OrderKindName } from "../provider/orders";
import { orderTypeToken } from "../provider/orders/order-kind";
import type { ClientSettingsInput } from "../provider/client";
import { recordedOutputs, type RecordedOutputs } from "../provider/contract/recorded-outputs";
import type { ResourceInputArgs } from "../provider/contract/resource-inputs";
import { DRY_RUN_KEY, MISNAMED_RESOURCE_NAME_KEY, STACK_KEY } from "../provider/contract/resource-keys";
import { PACKAGE_NAME } from "../provider/client/package-manifest";

/** `pulumi.Input` at every level, as Pulumi programs expect of resource arguments. */
export type DeepInput<T> = T extends readonly (infer E)[]
  ? pulumi.Input<DeepInput<E>>[]
  : T extends object
    ? { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> }
    : T;

export type ResourceArgs<T> = { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };

/**
 * Connection settings for one resource, overriding the `huaweicloud:` stack configuration and the
 * HW_* environment (docs/configuration.md). Stored as a secret; changing them never replaces
 * an order.
 * @interface
 */
export type ConnectionArgs = ResourceArgs<ClientSettingsInput>;

/**
 * The `__provider` every resource records: the module text the engine's dynamic-provider host
 * evaluates, calling its `handler()` for the provider object. It only loads this package's
 * provider entry by name, from the program's node_modules, inside that process: no provider code
 * and no credential is in the state, and an upgraded package serves the resources already there.
 * (Resources written by 0.1.0 hold a serialized closure that loads the same entry; it still works.)
 * Refresh reads the order through BSS (provider/billing/refresh-order.ts); a resource still
 * recorded by 0.1.0's closure has no `read`, so the host returns its state unchanged.
 */
export function providerModule(kind: OrderKindName): string {
  const entry = JSON.stringify(`${PACKAGE_NAME}/provider`);
  return `exports.handler=()=>require(${entry}).orderProvider(${JSON.stringify(kind)})`;
}

/**
 * Arguments every order resource takes besides its order fields, derived from the provider's one
 * schema of them (provider/contract/resource-inputs.ts), where each is documented.
 */
export type OrderResourceArgs = ResourceArgs<ResourceInputArgs>;

/** The outputs every order records (provider/contract/recorded-outputs.ts), as output properties. */
export type RecordedOutputProperties = {
  readonly [K in keyof RecordedOutputs]-?: pulumi.Output<RecordedOutputs[K]>;
};

/**
 * Pulumi gives a resource an output property only for the keys it is handed: one placeholder per
 * recorded output. Placed first, so an argument of the same name (a program's `projectId`) is
 * passed on, and check refuses it as "not a field of this resource" instead of losing it.
 */
const OUTPUT_PLACEHOLDERS: Readonly<Record<string, undefined>> = Object.fromEntries(
  Object.keys(recordedOutputs.shape).map((key) => [key, undefined]),
);

/**
 * The stack the program runs in, as `pulumi stack export --stack` names it: the provider reads
 * that stack's checkpoint for creates an earlier run never finished (provider/run/checkpoint.ts).
 */
function stackName(): string | undefined {
  const known = (name: () => string) => {
    try {
      return name();
    } catch {
      return undefined; // not told by this engine (or a test's mocks)
    }
  };
  const [organization, project, stack] = [
    known(pulumi.getOrganization),
    known(pulumi.getProject),
    known(pulumi.getStack),
  ];
  if (!project || !stack) return undefined;
  return organization ? `${organization}/${project}/${stack}` : `${project}/${stack}`;
}

/**
 * What every order resource records: the placed order's identity and where it was placed. It is a
 * dynamic resource as `pulumi.dynamic.Resource` registers one (the type token
 * `pulumi-nodejs:dynamic/huaweicloud:<Kind>` and a `__provider` input), written directly so that
 * `__provider` is the short module above rather than a serialized closure. Its output properties
 * are typed by the class each kind derives (RecordedOutputProperties).
 */
export abstract class OrderResource extends pulumi.CustomResource {
  protected constructor(
    kind: OrderKindName,
    name: string,
    args: object & OrderResourceArgs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const { connection, adoptOrderId, ...order } = args;
    const stack = stackName();
    const props = {
      ...OUTPUT_PLACEHOLDERS,
      ...order,
      resourceName: name,
      ...("resourceName" in order ? { [MISNAMED_RESOURCE_NAME_KEY]: order.resourceName } : {}),
      ...(connection === undefined ? {} : { connection: pulumi.secret(connection) }),
      ...(adoptOrderId === undefined ? {} : { adoptOrderId }),
      [DRY_RUN_KEY]: pulumi.runtime.isDryRun(),
      ...(stack === undefined ? {} : { [STACK_KEY]: stack }),
    };
    // Pulumi captures a stack trace for each of the 4 promises it makes per output property; they
    // feed only its promise-leak report, which names the resource and property anyway. Under the
    // source-map-support the Node language host registers, each costs tens of microseconds: for
    // this resource's ~30 properties, most of the program's time (docs/benchmarks.md).
    // Not captured while this constructor registers, unless the leak report is asked for.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env["PULUMI_DEBUG_PROMISE_LEAKS"]) Error.stackTraceLimit = 0;
    try {
      super(orderTypeToken(kind), name, { ...props, __provider: providerModule(kind) }, opts);
    } catch (err) {
      // Thrown while no frames were captured: it gets the program's frames, from here.
      Error.stackTraceLimit = stackTraceLimit;
      if (err instanceof Error) Error.captureStackTrace(err);
      throw err;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
