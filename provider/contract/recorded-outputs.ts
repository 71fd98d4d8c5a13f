// What every order resource records in the stack's state besides its order's effective fields, as
// one schema with one reader. The sdk derives its output properties from it (sdk/order-resource.ts);
// the lifecycle reads a resource's state only through `readRecorded`, which tolerates the state of
// earlier releases (missing fields take the values they stood for) and of Huawei's answers (nulls).
import { z } from "zod";
import { ON_DESTROY, STAGES } from "./resource-inputs";

/**
 * Where an order's lifecycle stands, as recorded (provider/lifecycle/order-state.ts):
 * - "outcome-unknown": its request's outcome is unknown and BSS could not settle it yet;
 * - "stopped": following it stopped before its wanted stage (the next `up` resumes);
 * - "reached": it reached the stage the resource waits for (or was adopted).
 */
export const RECORDED_STATES = ["outcome-unknown", "stopped", "reached"] as const;
export type RecordedState = (typeof RECORDED_STATES)[number];

/**
 * What became of the order's subscription, as last read:
 * - "unknown": never read through BSS (not followed, or recorded by an older release);
 * - "pending": not provisioned yet (waits for payment, processing, or no resource listed yet);
 * - "active": every purchased resource is in use (2);
 * - "frozen" / "expired": a purchased resource is frozen (4) / expired (5);
 * - "unsubscribed": a purchased resource is closed (3) or no longer listed by BSS (unsubscribed,
 *   or deleted after it expired);
 * - "cancelled": the order was cancelled (4): nothing was bought.
 */
export const SUBSCRIPTION_STATUSES = [
  "unknown",
  "pending",
  "active",
  "frozen",
  "expired",
  "unsubscribed",
  "cancelled",
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

export const purchasedResource = z
  .object({
    resourceId: z.string().describe("The purchased resource's ID, as BSS lists it."),
    status: z.number().describe("OrderInstanceV2.status: 2 in use, 3 closed, 4 frozen, 5 expired."),
    isMainResource: z.boolean().describe("Whether it is the order's main resource (not an attached one)."),
    resourceTypeCode: nullableString.describe(
      "Its resource type code, e.g. hws.resource.type.dis; null if BSS gives none.",
    ),
    effectiveAt: nullableString.describe("When it took effect (ISO 8601); null if BSS gives no time."),
    expiresAt: nullableString.describe("When it expires (ISO 8601); null if BSS gives no time."),
  })
  .meta({ id: "PurchasedResource", description: "A resource the order bought, as BSS last listed it." });
export type PurchasedResource = z.output<typeof purchasedResource>;

/** A request whose outcome is unknown and not settled yet: the search window's anchor and why. */
export const unknownOutcome = z
  .object({
    sentAt: z.string().describe("When the (first) request was sent."),
    requestId: nullableString.describe(
      "X-Request-Id of the request whose outcome is unknown, if an answer carried one.",
    ),
    cause: z.string().describe("Why the outcome is unknown (the error's message)."),
  })
  .meta({ id: "UnknownOutcome", description: "A request whose outcome is unknown and not settled yet." });
export type UnknownOutcome = z.output<typeof unknownOutcome>;

/** What the resource records of the order's billing (null: not read yet). */
export const followOutputs = z.object({
  orderStage: z
    .enum(STAGES)
    .describe('How far the order is known to have gone: "submitted", "paid" or "provisioned".'),
  orderStatus: nullableNumber.describe(
    "BSS's order status as last read (6 pending payment, 3 processing, 5 completed...); null if " +
      "not read.",
  ),
  paidAt: nullableString.describe("When the order was paid (ISO 8601), as BSS says; null if not known."),
  paymentSentAt: nullableString.describe(
    "When this stack paid the order through BSS (autoPay); null if it never did. It is never " +
      "paid twice.",
  ),
  officialAmount: nullableNumber.describe("The order's list price, as BSS gives it."),
  amountAfterDiscount: nullableNumber.describe("The order's price after discounts, as BSS gives it."),
  currency: nullableString.describe("The currency of the amounts."),
  purchasedResources: z
    .array(purchasedResource)
    .describe("The resources the order bought, once it is provisioned."),
  earliestExpiry: nullableString.describe(
    "The earliest expiry among purchasedResources (ISO 8601); null if none is known.",
  ),
});
export type FollowOutputs = z.output<typeof followOutputs>;

/** The outputs every order resource records, each an output property of its class. */
export const recordedOutputs = z.object({
  orderId: z.string().describe("The placed order's ID; also the resource's id."),
  requestId: nullableString.describe(
    "X-Request-Id of the answer that accepted the order; null for an adopted order.",
  ),
  submittedAt: nullableString.describe(
    "When the accepted request was sent (ISO 8601); null for an adopted order.",
  ),
  region: nullableString.describe(
    "The region the order was placed through (for an adopted order: the configured one, if any).",
  ),
  projectId: nullableString.describe(
    "The project the order was placed in (for an adopted order: the configured one, if any).",
  ),
  adopted: z
    .boolean()
    .describe("True when the order was adopted with `adoptOrderId` rather than placed by this stack."),
  ...followOutputs.shape,
  subscriptionStatus: z
    .enum(SUBSCRIPTION_STATUSES)
    .describe(
      'What became of the subscription, as last read through BSS: "unknown" (never read), ' +
        '"pending", "active", "frozen", "expired", "unsubscribed" (its resources closed or no ' +
        'longer listed, e.g. unsubscribed outside Pulumi) or "cancelled". `pulumi refresh` updates ' +
        "it and warns when the subscription is no longer what the stack bought; the order always " +
        "stays in the stack.",
    ),
  subscriptionCheckedAt: nullableString.describe(
    "When `pulumi refresh` last read the order through BSS (ISO 8601); null if it never did.",
  ),
  onDestroy: z
    .enum(ON_DESTROY)
    .describe('What destroy does with the order, as recorded: "keep" or "unsubscribe".'),
  unknownOutcome: unknownOutcome
    .nullable()
    .describe(
      "Set while the order request's outcome is unknown and BSS could not settle it (the resource " +
        'is pending reconcile: README "When an order\'s outcome is unknown"); null otherwise.',
    ),
  orderState: z
    .enum(RECORDED_STATES)
    .describe('Where the order\'s lifecycle stands: "outcome-unknown", "stopped" or "reached".'),
});
export type RecordedOutputs = z.output<typeof recordedOutputs>;
export type RecordedOutputName = keyof RecordedOutputs;

/** The output recording what the program declared, which diff compares (orders/changes.ts). */
export const DECLARED_KEY = "declaredInputs";

export const NOT_FOLLOWED: FollowOutputs = {
  orderStage: "submitted",
  orderStatus: null,
  paidAt: null,
  paymentSentAt: null,
  officialAmount: null,
  amountAfterDiscount: null,
  currency: null,
  purchasedResources: [],
  earliestExpiry: null,
};

/** What a field recorded by an earlier release (or never recorded) stands for. */
const FALLBACKS: { [K in Exclude<RecordedOutputName, "orderId" | "orderState">]: RecordedOutputs[K] } = {
  requestId: null,
  submittedAt: null,
  region: null,
  projectId: null,
  adopted: false,
  ...NOT_FOLLOWED,
  subscriptionStatus: "unknown",
  subscriptionCheckedAt: null,
  onDestroy: "keep",
  unknownOutcome: null,
};

/**
 * A resource's recorded outputs, each field as recorded or, where missing or malformed (the state
 * of an earlier release), what it stood for. `id` is the resource's id: the order unless `orderId`
 * says otherwise (a resource settled after a pending reconcile keeps its first id).
 */
export function readRecorded(id: string, props: Readonly<Record<string, unknown>>): RecordedOutputs {
  const out: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(FALLBACKS)) {
    const value = props[key];
    // A missing field is what earlier releases recorded: no parse (a failed parse builds an error).
    if (value === undefined) {
      out[key] = fallback;
      continue;
    }
    const parsed = (recordedOutputs.shape[key as keyof typeof FALLBACKS] as z.ZodType).safeParse(value);
    out[key] = parsed.success ? parsed.data : fallback;
  }
  const orderId = props["orderId"];
  const recorded = out as Omit<RecordedOutputs, "orderId" | "orderState">;
  const state = recordedOutputs.shape.orderState.safeParse(props["orderState"]);
  return {
    ...recorded,
    orderId: typeof orderId === "string" && orderId !== "" ? orderId : id,
    // An unsettled request is marked by its unknownOutcome (the only state earlier releases marked).
    orderState: recorded.unknownOutcome ? "outcome-unknown" : state.success ? state.data : "reached",
  };
}

/** The follow outputs of a recorded resource. */
export function recordedFollow(props: Readonly<Record<string, unknown>>): FollowOutputs {
  const recorded = readRecorded("", props);
  return Object.fromEntries(
    Object.keys(NOT_FOLLOWED).map((k) => [k, recorded[k as keyof FollowOutputs]]),
  ) as FollowOutputs;
}
