// The inputs every order resource has besides its order fields; none of them is part of the order.
// Their own module, free of imports, so the sdk can name them without loading the provider.

/** The resource's Pulumi name, for messages. */
export const RESOURCE_NAME_KEY = "resourceName";
/** Per-resource connection settings (a secret). */
export const CONNECTION_KEY = "connection";
/**
 * Adopts an existing order instead of placing one. It stands in for the `import` resource option,
 * which no Node dynamic resource can use in this SDK version: the dynamic-provider host loads the
 * provider from the state's `__provider`, and an import has no state yet, so its read fails
 * before reaching any provider code ("Cannot read properties of undefined").
 */
export const ADOPT_KEY = "adoptOrderId";
/** A program's own `resourceName` argument, which the resource's name would otherwise overwrite. */
export const MISNAMED_RESOURCE_NAME_KEY = "__resourceNameArgument";
/**
 * Whether the program runs for a preview (`pulumi.runtime.isDryRun()`), set by the sdk. Check reads
 * it and drops it: the engine's check carries no such flag, and without it this process learns it
 * serves an update only when the first create arrives, after the first checks have gone out as if
 * at a preview (a price inquiry retried after a 429). Absent (another host): that fallback.
 */
export const DRY_RUN_KEY = "__dryRun";
/**
 * The stack the program runs in ("organization/project/stack"), set by the sdk. Check reads it and
 * drops it, as DRY_RUN_KEY: the duplicate guard reads that stack's checkpoint for creates an
 * earlier run began and never finished (run/checkpoint.ts). Absent (another host): the guard
 * falls back to the account's recent orders, with a warning.
 */
export const STACK_KEY = "__stack";
/**
 * When this create attempt began, recorded by check in the inputs of a new resource whose order id
 * comes from the answer (ISO time): the engine keeps it in the pending create a killed run leaves,
 * which tells the next run when to look for that attempt's order (run/interrupted-creates.ts).
 */
export const ATTEMPT_MARKER_KEY = "__createAttemptAt";
/** How far create follows the order through billing (provider/steps/follow.ts). */
export const WAIT_UNTIL_KEY = "waitUntil";
/** How long create (or the update that resumes it) follows the order, in seconds. */
export const WAIT_TIMEOUT_KEY = "waitTimeoutSeconds";
/** DisPackageOrder: pay the order through BSS when it waits for payment. */
export const AUTO_PAY_KEY = "autoPay";
/** Overrides of what the price inquiry is told about the order (provider/orders/price-inquiry.ts). */
export const PRICE_INQUIRY_KEY = "priceInquiry";
/**
 * The price BSS quoted for a new order, recorded by check in the checked inputs (never by a
 * program): read by previews, policy packs and the operator; never part of the order, never diffed.
 */
export const PREVIEW_PRICE_KEY = "previewPrice";
/** What destroy does with the order: "keep" it (forget it, with a warning) or "unsubscribe" it through BSS. */
export const ON_DESTROY_KEY = "onDestroy";
/**
 * MetaStudioSubscription: place the order even when an earlier create of this resource never finished,
 * without looking for the order it may have placed (provider/steps/duplicate-guard.ts).
 */
export const ALLOW_IDENTICAL_KEY = "allowRecentIdenticalOrder";
/**
 * MetaStudioSubscription: sign MetaStudio's AUTO_PAY agreement before an order that asks to be paid
 * automatically (provider/steps/auto-pay-agreement.ts).
 */
export const SIGN_AGREEMENT_KEY = "signAutoPayAgreement";
