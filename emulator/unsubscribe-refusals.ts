// Why BSS refuses to unsubscribe a resource. Huawei's current page "Unsubscribing from
// Yearly/Monthly Resources" answers HTTP 400 for the whole request, with the codes of its
// status-code table (the wording here paraphrases the table); older tables answered 200 and named
// each refused resource in fail_resource_infos with other codes, which the unsubscribe-legacy
// fault brings back. Where the page does not say which code a case gets, emulator/README.md says
// what the emulator chose.
import {
  type BillingResource,
  LINE_PERIOD,
  RESOURCE_STATUS,
  type UnsubscribeFailure,
} from "./billing-records";
import {
  BSS_ALREADY_UNSUBSCRIBED,
  BSS_INVALID_PARAMETER,
  BSS_RESOURCE_NOT_FOUND,
  BSS_UNSUBSCRIBE_FROZEN,
  BSS_UNSUBSCRIBE_GONE,
  BSS_UNSUBSCRIBE_IN_PROGRESS,
  BSS_UNSUBSCRIBE_NO_SUCH_ID,
} from "./errors";

/** The failure for resource `id` (found as `r`, if at all), or undefined when it can be unsubscribed. */
export function unsubscribeRefusal(
  id: string,
  r: BillingResource | undefined,
  legacy: boolean,
): UnsubscribeFailure | undefined {
  const fail = (code: string, message: string): UnsubscribeFailure => ({ resourceId: id, code, message });
  if (!r) {
    return legacy
      ? fail(BSS_RESOURCE_NOT_FOUND, "The resources do not exist or has been deleted due to expiration.")
      : fail(BSS_UNSUBSCRIBE_NO_SUCH_ID, "The resource ID does not exist.");
  }
  if (r.removedAt !== undefined || r.unsubscribeOrderId !== undefined) {
    if (legacy) return fail(BSS_ALREADY_UNSUBSCRIBED, "Resources have been unsubscribed from.");
    // Unsubscribed: no longer managed. Being unsubscribed: a transaction in progress.
    return r.removedAt !== undefined
      ? fail(
          BSS_UNSUBSCRIBE_GONE,
          "The resource has been deleted or is not managed and cannot be unsubscribed.",
        )
      : fail(BSS_UNSUBSCRIBE_IN_PROGRESS, "A transaction is in progress for the resource.");
  }
  if (r.status === RESOURCE_STATUS.expired) {
    return legacy
      ? fail(BSS_RESOURCE_NOT_FOUND, "The resources do not exist or has been deleted due to expiration.")
      : fail(
          BSS_UNSUBSCRIBE_GONE,
          "The resource has been deleted or is not managed and cannot be unsubscribed.",
        );
  }
  if (r.status === RESOURCE_STATUS.frozen) {
    return fail(BSS_UNSUBSCRIBE_FROZEN, "The resource is frozen and cannot be unsubscribed.");
  }
  if (r.periodType === LINE_PERIOD.oneOff) {
    return fail(BSS_INVALID_PARAMETER, "A one-off purchase cannot be unsubscribed.");
  }
  return undefined;
}
