// The outputs a resource records when its order becomes known (placed, found or adopted): the
// order's effective parameters, its identity, nothing followed or read yet, what destroy will do,
// and what the program declared (which diff compares).
import {
  DECLARED_KEY,
  NOT_FOLLOWED,
  recordedFollow,
  type RecordedOutputs,
  type SubscriptionStatus,
} from "../contract/recorded-outputs";
import { RESOURCE_NAME_KEY } from "../contract/resource-keys";
import { subscriptionOf } from "../billing/refresh-order";
import type { Props, ResourceJob } from "./jobs";
import { recordedAs, type OrderState } from "./order-state";

/** The order's identity, as the resource records it. */
export type OrderIdentity = Pick<
  RecordedOutputs,
  "orderId" | "requestId" | "submittedAt" | "region" | "projectId" | "adopted"
>;

/** What destroy will do, as create and update record it (destroy sees only the recorded outputs). */
export function destroySettings(
  job: ResourceJob,
): Pick<RecordedOutputs, "onDestroy"> & { waitTimeoutSeconds: number } {
  return { onDestroy: job.resource.onDestroy, waitTimeoutSeconds: job.resource.waitTimeoutSeconds };
}

export function newOrderOutputs(
  job: ResourceJob & { parsed?: Props | undefined },
  identity: OrderIdentity,
): Props {
  const parsed = job.parsed ?? job.parsedOrder();
  return {
    ...parsed,
    ...identity,
    ...NOT_FOLLOWED,
    subscriptionStatus: "unknown" satisfies SubscriptionStatus,
    subscriptionCheckedAt: null,
    ...destroySettings(job),
    unknownOutcome: null,
    orderState: "reached",
    [RESOURCE_NAME_KEY]: job.extra[RESOURCE_NAME_KEY],
    [DECLARED_KEY]: job.order,
  };
}

/** Props with subscriptionStatus derived from the follow outputs they record. */
export function withSubscription(props: Props): Props {
  const checked = props["subscriptionCheckedAt"];
  return {
    ...props,
    subscriptionStatus: subscriptionOf(recordedFollow(props)),
    subscriptionCheckedAt: typeof checked === "string" ? checked : null,
  };
}

/** Props with the state the machine is in recorded. */
export function withState(props: Props, state: OrderState): Props {
  return { ...props, orderState: recordedAs(state) };
}
