// BSS unsubscription (CancelResourcesSubscription), from Huawei's Go SDK v0.1.207
// `services/bss/v2` (read, not copied). It follows the never-twice rules of placing an order: a
// request whose outcome is unknown is never sent again before the resources are read.
import { z } from "zod";
import { defined, optionalField, parseAnswer } from "./answers";
import type { BssClient } from "./bss-common";

// The current page refuses a whole request with HTTP 400 (a HuaweiCloudError carrying the code);
// older tables answered 200 with per-resource fail_resource_infos, which the SDK's model now marks
// reserved: still read, never required. Every field may be absent or null (answers.ts).
const unsubscribeAnswer = z.object({
  order_ids: optionalField(z.array(z.string())),
  fail_resource_infos: optionalField(
    z.array(
      z.object({
        error_code: optionalField(z.string()),
        error_msg: optionalField(z.string()),
        resource_id: optionalField(z.string()),
      }),
    ),
  ),
});

export interface UnsubscribeResult {
  /** The unsubscribe orders BSS created (empty when every resource failed). */
  orderIds: string[];
  /** Older tables' per-resource refusals in a 200 answer; the current page answers 400 instead. */
  failures: { resourceId?: string; errorCode?: string; errorMsg?: string }[];
  requestId: string | undefined;
}

/** The most resource ids one unsubscribe request takes. */
export const UNSUBSCRIBE_BATCH = 10;

/**
 * CancelResourcesSubscription: POST /v2/orders/subscriptions/resources/unsubscribe, type 1 (the
 * resources and their renewed periods), at most 10 main resources. Never sent twice when the
 * outcome is unknown: query the resources first.
 */
export async function unsubscribeResources(
  client: BssClient,
  resourceIds: readonly string[],
): Promise<UnsubscribeResult> {
  if (resourceIds.length === 0 || resourceIds.length > UNSUBSCRIBE_BATCH) {
    throw new RangeError(
      `unsubscribe takes 1 to ${UNSUBSCRIBE_BATCH} resource ids, got ${resourceIds.length}`,
    );
  }
  const operation = "CancelResourcesSubscription";
  const named = resourceIds.join(", ");
  const result = await client.call({
    service: "bss",
    operation,
    method: "POST",
    path: ["v2", "orders", "subscriptions", "resources", "unsubscribe"],
    body: { resource_ids: resourceIds, unsubscribe_type: 1 },
    creates: true,
    notDone: "Nothing was unsubscribed",
    ifUnknown: {
      subject: `the unsubscription of ${named}`,
      advice:
        "The resources may have been unsubscribed. Query them before unsubscribing again (BSS resources of the order): " +
        "a resource that is gone, or has an unsubscribe order in progress, must not be unsubscribed twice.",
    },
    // As recalled from Huawei's "API Access Permission (Customer)" table; not re-read on a page here.
    permission: "bss:unsubscribe:update",
  });
  const answer = parseAnswer(client, result, "bss", operation, unsubscribeAnswer);
  return {
    orderIds: answer.order_ids ?? [],
    failures: (answer.fail_resource_infos ?? []).map((f) =>
      defined({ resourceId: f.resource_id, errorCode: f.error_code, errorMsg: f.error_msg }),
    ),
    requestId: result.requestId,
  };
}
