// The error codes BSS answers an unsubscription with, and what the operator can do about each.
// Huawei's current page "Unsubscribing from Yearly/Monthly Resources" (POST
// /v2/orders/subscriptions/resources/unsubscribe) lists only refusals of the whole request, HTTP
// 400; older tables answered 200 with per-resource `fail_resource_infos` (a field the SDK's
// response model now marks reserved) and the two LEGACY codes below. Both readings are understood.

/** The page's status-code table (HTTP 400 for the whole request unless said). */
export const UNSUBSCRIBE_CODE = {
  badParameter: "CBC.0100",
  savingsPlan: "CBC.30000053",
  deletedOrNotManaged: "CBC.30000067",
  notFound: "CBC.99003012",
  pendingPayment: "CBC.99003100",
  noRenewedPeriod: "CBC.99003128",
  asAWhole: "CBC.99003185",
  invoiced: "CBC.99003643",
  onDemandPackage: "CBC.99003647",
  trial: "CBC.99003649",
  marketplace: "CBC.99003650",
  transactionInProgress: "CBC.99003651",
  frozen: "CBC.99003656",
} as const;

/** Older tables' per-resource codes, in a 200 answer's fail_resource_infos. */
export const LEGACY_CODE = {
  /** "The resources do not exist or has been deleted due to expiration." */
  gone: "CBC.30050009",
  /** "Resources have been unsubscribed from." (also while the unsubscription is in progress) */
  alreadyUnsubscribed: "CBC.3124",
} as const;

/** Codes saying the resource is no longer there to unsubscribe (believed only once a read agrees). */
export const GONE_CODES: ReadonlySet<string> = new Set([
  LEGACY_CODE.gone,
  UNSUBSCRIBE_CODE.deletedOrNotManaged,
  UNSUBSCRIBE_CODE.notFound,
]);

const KEEP = `or set onDestroy "keep" (and run \`pulumi up\`) to remove it from the stack without unsubscribing`;

const ADVICE: Readonly<Record<string, string>> = {
  [UNSUBSCRIBE_CODE.frozen]:
    "the resource is frozen: unfreeze it in the Billing Center (settle what is owed) and destroy again, " +
    KEEP,
  [UNSUBSCRIBE_CODE.pendingPayment]:
    "the resource is part of an order pending payment: pay or cancel that order in Billing Center > Orders " +
    "and destroy again, " +
    KEEP,
  [UNSUBSCRIBE_CODE.trial]:
    'a trial resource cannot be unsubscribed: it ends by itself; set onDestroy "keep" to remove it from the stack',
  [UNSUBSCRIBE_CODE.asAWhole]:
    "the resource must be unsubscribed together with the resources bought with it: do so in " +
    "Billing Center > Orders > Unsubscriptions, then destroy again (nothing will be left to send), " +
    KEEP,
  [UNSUBSCRIBE_CODE.savingsPlan]: `a resource billed under a savings plan cannot be unsubscribed: ${KEEP.slice(3)}`,
  [UNSUBSCRIBE_CODE.invoiced]: `an invoiced resource cannot be unsubscribed here: ask Huawei Cloud billing support, ${KEEP}`,
  [UNSUBSCRIBE_CODE.onDemandPackage]: `this package cannot be unsubscribed: ${KEEP.slice(3)}`,
  [UNSUBSCRIBE_CODE.marketplace]: `a marketplace product is unsubscribed through the marketplace, ${KEEP}`,
  [UNSUBSCRIBE_CODE.transactionInProgress]:
    "another transaction on the resource (a renewal, change or unsubscription) is still in progress: wait until " +
    "it ends (Billing Center > Orders) and destroy again, or raise waitTimeoutSeconds (`pulumi up` records it)",
  [UNSUBSCRIBE_CODE.noRenewedPeriod]: `the resource has no renewed period to unsubscribe, ${KEEP}`,
};

/** What to do about a refusal with `code`. */
export function adviceFor(code: string | undefined): string {
  if (code !== undefined && GONE_CODES.has(code)) {
    return (
      "BSS says the resource is deleted or unknown, yet still lists it: check it in the Billing Center and " +
      `destroy again, ${KEEP}`
    );
  }
  return (
    (code === undefined ? undefined : ADVICE[code]) ??
    `check the resource in the Billing Center and destroy again, ${KEEP}`
  );
}
