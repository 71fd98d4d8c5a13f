// What every order resource class shares: the provider module recorded in state, the input type
// mapping and the outputs every order records.
import * as pulumi from "@pulumi/pulumi";
import type { OrderKindName } from "../provider/orders";
import { orderTypeToken } from "../provider/orders/order-kind";
import type { ClientSettingsInput } from "../provider/client";
import type { PurchasedResource } from "../provider/dynamic/order-follow";
import type { SubscriptionStatus } from "../provider/dynamic/order-refresh";
import { MISNAMED_RESOURCE_NAME_KEY } from "../provider/dynamic/resource-keys";
import { PACKAGE_NAME } from "../provider/client/package-manifest";
import type { PriceInquiryInput } from "../provider/orders/price-inquiry";

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
 * The `__provider` every resource records: the module text the engine's dynamic-provider host
 * evaluates, calling its `handler()` for the provider object. It only loads this package's
 * provider entry by name, from the program's node_modules, inside that process: no provider code
 * and no credential is in the state, and an upgraded package serves the resources already there.
 * (Resources written by 0.1.0 hold a serialized closure that loads the same entry; it still works.)
 * Refresh reads the order through BSS (provider/dynamic/order-refresh.ts); a resource still
 * recorded by 0.1.0's closure has no `read`, so the host returns its state unchanged.
 */
export function providerModule(kind: OrderKindName): string {
  const entry = JSON.stringify(`${PACKAGE_NAME}/provider`);
  return `exports.handler=()=>require(${entry}).orderProvider(${JSON.stringify(kind)})`;
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
  /**
   * How far create follows the order through Huawei's billing service (BSS) before the resource
   * is created: "submitted" (the request was accepted: no BSS call), "paid", or "provisioned"
   * (completed, its resources listed with their expiry). Default: "provisioned" when the order is
   * paid automatically (DisPackageOrder `autoPay`, MetaStudio `isAutoPay` on every item),
   * otherwise "submitted" (README "Following an order"). Not part of the order: changing it never
   * replaces it; raising it on an existing resource follows the order further.
   */
  waitUntil?: pulumi.Input<"submitted" | "paid" | "provisioned">;
  /**
   * How long create follows the order, in seconds (more than 0). Default: 2400 (40 minutes). When
   * it runs out the resource is still saved with its order, and the next `pulumi up` resumes.
   */
  waitTimeoutSeconds?: pulumi.Input<number>;
  /**
   * DisPackageOrder only (a MetaStudioSubscription pays itself with its items' `isAutoPay`): pay
   * the order through BSS once it waits for payment (the DIS page has no auto-pay field: every DIS
   * order waits for payment). Default: false. Paid once at most, while create follows the order
   * (so it needs waitUntil "paid" or "provisioned", its default then). Not part of the order.
   */
  autoPay?: pulumi.Input<boolean>;
  /**
   * What BSS's period price inquiry is told about the order, where the resource's own fields
   * cannot say it (README "The price at preview"): element i overrides product i's
   * cloudServiceType, resourceType, resourceSpec, region, availableZone, resourceSize or
   * sizeMeasureId (a DisPackageOrder buys one product, a MetaStudioSubscription one per
   * cloudServices item). Never part of the order: changing it changes nothing.
   */
  priceInquiry?: pulumi.Input<DeepInput<NonNullable<PriceInquiryInput>>>;
  /**
   * What `pulumi destroy` (and the replacement of this order) does with the order: "keep" (the
   * default) removes it from the stack and warns that it is still billed and how to unsubscribe
   * it; "unsubscribe" unsubscribes its resources through BSS (at most 10 per request) and waits,
   * up to `waitTimeoutSeconds`, until they are gone. A one-off purchase cannot be unsubscribed
   * (refused at preview). Not part of the order: changing it is an update that sends nothing.
   */
  onDestroy?: pulumi.Input<"keep" | "unsubscribe">;
  /**
   * MetaStudioSubscription only (a DisPackageOrder's `orderId` names its order, which DIS never
   * accepts twice): place the order even when BSS shows a recent order with the same line items
   * that no resource of the update holds (README "The engine interrupted while creating"). Without
   * it such an order stops the preview and the create, named, with `adoptOrderId` as the way to
   * take it. Default: false. Not part of the order: changing it changes nothing.
   */
  allowRecentIdenticalOrder?: pulumi.Input<boolean>;
}

/**
 * What every order resource records: the placed order's identity and where it was placed. It is a
 * dynamic resource as `pulumi.dynamic.Resource` registers one (the type token
 * `pulumi-nodejs:dynamic/huaweicloud:<Kind>` and a `__provider` input), written directly so that
 * `__provider` is the short module above rather than a serialized closure.
 */
export abstract class OrderResource extends pulumi.CustomResource {
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
  /** How far the order is known to have gone: "submitted", "paid" or "provisioned". */
  declare readonly orderStage: pulumi.Output<"submitted" | "paid" | "provisioned">;
  /** BSS's order status as last read (6 pending payment, 3 processing, 5 completed...); null if not read. */
  declare readonly orderStatus: pulumi.Output<number | null>;
  /** When the order was paid (ISO 8601), as BSS says; null if not known. */
  declare readonly paidAt: pulumi.Output<string | null>;
  /** When this stack paid the order through BSS (autoPay); null if it never did. */
  declare readonly paymentSentAt: pulumi.Output<string | null>;
  /** The order's list price, its price after discounts, and their currency, as BSS gives them. */
  declare readonly officialAmount: pulumi.Output<number | null>;
  declare readonly amountAfterDiscount: pulumi.Output<number | null>;
  declare readonly currency: pulumi.Output<string | null>;
  /** The resources the order bought, once it is provisioned. */
  declare readonly purchasedResources: pulumi.Output<PurchasedResource[]>;
  /** The earliest expiry among purchasedResources (ISO 8601); null if none is known. */
  declare readonly earliestExpiry: pulumi.Output<string | null>;
  /**
   * What became of the subscription, as last read through BSS: "unknown" (never read), "pending",
   * "active", "frozen", "expired", "unsubscribed" (its resources closed or no longer listed, e.g.
   * unsubscribed outside Pulumi) or "cancelled". `pulumi refresh` updates it and warns when the
   * subscription is no longer what the stack bought; the order always stays in the stack.
   */
  declare readonly subscriptionStatus: pulumi.Output<SubscriptionStatus>;
  /** When `pulumi refresh` last read the order through BSS (ISO 8601); null if it never did. */
  declare readonly subscriptionCheckedAt: pulumi.Output<string | null>;
  /** What destroy does with the order, as recorded: "keep" or "unsubscribe". */
  declare readonly onDestroy: pulumi.Output<"keep" | "unsubscribe">;
  /**
   * Set while the order request's outcome is unknown and BSS could not settle it (the resource is
   * pending reconcile: README "When an order's outcome is unknown"); null otherwise.
   */
  declare readonly unknownOutcome: pulumi.Output<{
    sentAt: string;
    requestId: string | null;
    cause: string;
  } | null>;

  protected constructor(
    kind: OrderKindName,
    name: string,
    args: object & OrderResourceArgs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const { connection, adoptOrderId, ...order } = args;
    const props = {
      // Output placeholders first: an argument of the same name (a program's `projectId`) is
      // passed on, and check refuses it as "not a field of this resource" instead of losing it.
      orderId: undefined,
      requestId: undefined,
      submittedAt: undefined,
      region: undefined,
      projectId: undefined,
      adopted: undefined,
      orderStage: undefined,
      orderStatus: undefined,
      paidAt: undefined,
      paymentSentAt: undefined,
      officialAmount: undefined,
      amountAfterDiscount: undefined,
      currency: undefined,
      purchasedResources: undefined,
      earliestExpiry: undefined,
      subscriptionStatus: undefined,
      subscriptionCheckedAt: undefined,
      onDestroy: undefined,
      unknownOutcome: undefined,
      ...order,
      resourceName: name,
      ...("resourceName" in order ? { [MISNAMED_RESOURCE_NAME_KEY]: order.resourceName } : {}),
      ...(connection === undefined ? {} : { connection: pulumi.secret(connection) }),
      ...(adoptOrderId === undefined ? {} : { adoptOrderId }),
    };
    // Pulumi captures a stack trace for each of the 4 promises it makes per output property; they
    // feed only its promise-leak report, which names the resource and property anyway. Under the
    // source-map-support the Node language host registers, each costs tens of microseconds: for
    // this resource's ~30 properties, most of the program's time (README "Benchmark and soak").
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
