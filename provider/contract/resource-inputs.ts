// The inputs every order resource has besides its order fields, as one schema: none of them is
// part of the order (changing one never buys a new order). The sdk derives its argument types from
// it (sdk/order-resource.ts); each lifecycle step checks the fields it owns with these schemas.
import { z } from "zod";
import type { ClientSettingsInput } from "../client";
import { priceInquiryInput } from "../orders/price-inquiry";
import {
  ADOPT_KEY,
  ALLOW_IDENTICAL_KEY,
  AUTO_PAY_KEY,
  CONNECTION_KEY,
  ON_DESTROY_KEY,
  PRICE_INQUIRY_KEY,
  SIGN_AGREEMENT_KEY,
  WAIT_TIMEOUT_KEY,
  WAIT_UNTIL_KEY,
} from "./resource-keys";

/** How far an order has gone, in order. */
export const STAGES = ["submitted", "paid", "provisioned"] as const;
export type Stage = (typeof STAGES)[number];

const rank = (stage: Stage): number => STAGES.indexOf(stage);
export const isBefore = (a: Stage, b: Stage): boolean => rank(a) < rank(b);

export const ON_DESTROY = ["keep", "unsubscribe"] as const;
export type OnDestroy = (typeof ON_DESTROY)[number];

/** Terraform's huaweicloud_metastudio_instance waits up to 40 minutes; so do we by default. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 40 * 60;

/** An order id as BSS writes one. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** The inputs a program may set besides the order's fields, each documented where it is defined. */
export const resourceInputs = z.object({
  [CONNECTION_KEY]: z
    .custom<ClientSettingsInput>()
    .optional()
    .describe(
      "Per-resource connection settings and credentials, overriding the stack's configuration and " +
        "the environment (docs/configuration.md). Stored as a secret; changing them never replaces " +
        "an order. Checked by the settings step, which names each key.",
    ),
  [ADOPT_KEY]: z
    .string({ error: `${ADOPT_KEY} must be 1 to 64 letters and digits` })
    .regex(ORDER_ID_PATTERN, `${ADOPT_KEY} must be 1 to 64 letters and digits`)
    .optional()
    .describe(
      "Adopt an order that already exists instead of placing one: creating the resource then " +
        "sends no request and records this order id with the resource's parameters. Use it for an " +
        "order placed outside Pulumi, or one a failed or interrupted run may have placed (docs/recovery.md " +
        "\"When an order's outcome is unknown\"). 1–64 letters and digits; a DisPackageOrder's must " +
        "equal its `orderId`. Adding or removing it later changes nothing; remove it once the order " +
        "is in the stack, since while it stays a change that needs a new order is refused. It takes " +
        "the place of the `import` resource option, which Node dynamic resources cannot use in this " +
        "Pulumi SDK.",
    ),
  [WAIT_UNTIL_KEY]: z
    .enum(STAGES, { error: `${WAIT_UNTIL_KEY} must be "submitted", "paid" or "provisioned"` })
    .optional()
    .describe(
      "How far create follows the order through Huawei's billing service (BSS) before the " +
        'resource is created: "submitted" (the request was accepted: no BSS call), "paid", or ' +
        '"provisioned" (completed, its resources listed with their expiry). Default: "provisioned" ' +
        "when the order is paid automatically (DisPackageOrder `autoPay`, MetaStudio `isAutoPay` on " +
        'every item), otherwise "submitted" (docs/following-orders-and-destroy.md "Following an order"). Not part of the order: ' +
        "changing it never replaces it; raising it on an existing resource follows the order " +
        "further.",
    ),
  [WAIT_TIMEOUT_KEY]: z
    .number({ error: `${WAIT_TIMEOUT_KEY} must be a number of seconds` })
    .finite(`${WAIT_TIMEOUT_KEY} must be a number of seconds`)
    .positive(`${WAIT_TIMEOUT_KEY} must be more than 0`)
    .default(DEFAULT_WAIT_TIMEOUT_SECONDS)
    .describe(
      "How long create follows the order, in seconds (more than 0). Default: 2400 (40 minutes). " +
        "When it runs out the resource is still saved with its order, and the next `pulumi up` " +
        "resumes.",
    ),
  [AUTO_PAY_KEY]: z
    .boolean({ error: `${AUTO_PAY_KEY} must be true or false` })
    .default(false)
    .describe(
      "DisPackageOrder only (a MetaStudioSubscription pays itself with its items' `isAutoPay`): " +
        "pay the order through BSS once it waits for payment (the DIS page has no auto-pay field: " +
        "every DIS order waits for payment). Default: false. Paid once at most, while create " +
        'follows the order (so it needs waitUntil "paid" or "provisioned", its default then). Not ' +
        "part of the order.",
    ),
  [PRICE_INQUIRY_KEY]: priceInquiryInput.describe(
    "What BSS's period price inquiry is told about the order, where the resource's own fields " +
      'cannot say it (docs/price-and-policy.md "The price at preview"): element i overrides product i\'s ' +
      "cloudServiceType, resourceType, resourceSpec, region, availableZone, resourceSize or " +
      "sizeMeasureId (a DisPackageOrder buys one product, a MetaStudioSubscription one per " +
      "cloudServices item). Never part of the order: changing it changes nothing.",
  ),
  [ON_DESTROY_KEY]: z
    .enum(ON_DESTROY, { error: `${ON_DESTROY_KEY} must be "keep" or "unsubscribe"` })
    .default("keep")
    .describe(
      'What `pulumi destroy` (and the replacement of this order) does with the order: "keep" (the ' +
        "default) removes it from the stack and warns that it is still billed and how to " +
        'unsubscribe it; "unsubscribe" unsubscribes its resources through BSS (at most 10 per ' +
        "request) and waits, up to `waitTimeoutSeconds`, until they are gone. A one-off purchase " +
        "cannot be unsubscribed (refused at preview). Not part of the order: changing it is an " +
        "update that sends nothing.",
    ),
  [ALLOW_IDENTICAL_KEY]: z
    .boolean({ error: `${ALLOW_IDENTICAL_KEY} must be true or false` })
    .default(false)
    .describe(
      "MetaStudioSubscription only (a DisPackageOrder's `orderId` names its order, which DIS " +
        "never accepts twice): place the order even when the stack's checkpoint shows an earlier " +
        "create of this resource that never finished (a killed `pulumi up`), without looking in BSS " +
        'for the order it may have placed (docs/recovery.md "The engine interrupted while creating"); also ' +
        "when that checkpoint cannot be read and BSS shows a recent identical order. Without it, " +
        "one such order is taken and several stop the create, named. Default: false. Not part of " +
        "the order: changing it changes nothing.",
    ),
  [SIGN_AGREEMENT_KEY]: z
    .boolean({ error: `${SIGN_AGREEMENT_KEY} must be true or false` })
    .default(false)
    .describe(
      "MetaStudioSubscription only: before placing an order with an item that has `isAutoPay: " +
        "true`, sign MetaStudio's AUTO_PAY agreement for the account (POST " +
        '/v1/{project_id}/tenants/special-agreements/signed with `{"agreement_type": "AUTO_PAY", ' +
        '"to_sign": true}`), as Huawei\'s Terraform does before every order. Huawei pays an auto-pay ' +
        "order only under that agreement; without it the order waits for payment by hand. Signed " +
        "once per run and project; a refusal fails the create before anything is ordered; a preview " +
        "says it will sign. Default: false (an agreement is the account owner's decision). Not part " +
        "of the order.",
    ),
});

export type ResourceInputs = z.output<typeof resourceInputs>;
/** What a program passes (the sdk's argument type derives from it). */
export type ResourceInputArgs = z.input<typeof resourceInputs>;
export type ResourceInputKey = keyof ResourceInputs;

/** The schema of some of the fields, for the step that owns them. */
export function inputsOf<K extends ResourceInputKey>(...keys: K[]) {
  return resourceInputs.pick(Object.fromEntries(keys.map((k) => [k, true])) as { [P in K]: true });
}

/** The resource inputs as recorded, with their defaults where a value is missing or malformed. */
export function readResourceInputs(props: Readonly<Record<string, unknown>>): ResourceInputs {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(resourceInputs.shape) as [string, z.ZodType][]) {
    const parsed = schema.safeParse(props[key]);
    out[key] = parsed.success ? parsed.data : schema.safeParse(undefined).data;
  }
  return out as ResourceInputs;
}
