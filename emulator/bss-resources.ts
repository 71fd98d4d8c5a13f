// BSS's yearly/monthly resources: the resources query and unsubscription (emulator/bss.ts lists
// every BSS API). Resources are emulator/billing.ts's; these handlers show and change them.
import { z } from "zod";
import { authenticated, type BssContext, invalid, jsonBody, parseBssTime } from "./bss";
import { type BillingResource, bssTime } from "./billing-records";
import { BSS_UNSUBSCRIBE_NO_RENEWAL, serviceError } from "./errors";
import type { Call, Handled } from "./types";
import { describeViolations, integer, object, oneOf, text, violationsOf } from "./validation";

const resourcesQueryBody = object({
  resource_ids: z
    .array(text({ nonEmpty: true }))
    .max(50, { error: "must list at most 50 ids" })
    .optional(),
  order_id: text().optional(),
  only_main_resource: integer(0, 1).optional(),
  status_list: z.array(oneOf([2, 3, 4, 5], "2, 3, 4 or 5")).optional(),
  offset: integer(0, 1_000_000).optional(),
  limit: integer(1, 500).optional(),
  expire_time_begin: text().optional(),
  expire_time_end: text().optional(),
  service_type_code: text({ nonEmpty: true }).optional(),
  customer_id: text().optional(),
});

function resourceItem(r: BillingResource): Record<string, unknown> {
  return {
    id: `${r.orderId}-${r.lineId}`,
    resource_id: r.resourceId,
    resource_name: r.resourceSpecCode,
    region_code: r.regionCode,
    service_type_code: r.serviceTypeCode,
    resource_type_code: r.resourceTypeCode,
    resource_spec_code: r.resourceSpecCode,
    project_id: r.projectId,
    is_main_resource: 1,
    status: r.status,
    effective_time: bssTime(r.effectiveAt),
    expire_time: bssTime(r.expiresAt),
    expire_policy: 0,
    update_time: bssTime(r.effectiveAt),
  };
}

/** POST /v2/orders/suscriptions/resources/query (the path's spelling): {data, total_count}. */
export function queryResources(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = resourcesQueryBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const q = parsed.data;
    const expireBegin = q.expire_time_begin ? parseBssTime(q.expire_time_begin) : undefined;
    const expireEnd = q.expire_time_end ? parseBssTime(q.expire_time_end) : undefined;
    if (
      (q.expire_time_begin && expireBegin === undefined) ||
      (q.expire_time_end && expireEnd === undefined)
    ) {
      return { reply: invalid("expire_time_begin, expire_time_end: must be UTC yyyy-MM-ddTHH:mm:ssZ") };
    }
    const ids = q.resource_ids?.length ? new Set(q.resource_ids) : undefined;
    const statuses = q.status_list?.length ? new Set(q.status_list) : undefined;
    const matching = ctx.billing
      .resources(principal.account.domainId)
      .filter(
        (r) =>
          (ids === undefined || ids.has(r.resourceId)) &&
          (!q.order_id || r.orderId.toUpperCase() === q.order_id.toUpperCase()) &&
          (statuses === undefined || statuses.has(r.status)) &&
          (expireBegin === undefined || r.expiresAt >= expireBegin) &&
          (expireEnd === undefined || r.expiresAt <= expireEnd) &&
          (q.service_type_code === undefined ||
            r.serviceTypeCode.toLowerCase() === q.service_type_code.toLowerCase()),
      );
    const offset = q.offset ?? 0;
    return {
      reply: {
        status: 200,
        body: {
          data: matching.slice(offset, offset + (q.limit ?? 10)).map(resourceItem),
          total_count: matching.length,
        },
      },
    };
  });
}

const unsubscribeBody = object({
  resource_ids: z
    .array(text({ nonEmpty: true }), {
      error: (i) => (i.input === undefined ? "is required" : "must be an array"),
    })
    .min(1, { error: "must list at least one id" })
    .max(10, { error: "must list at most 10 ids" }),
  unsubscribe_type: oneOf([1, 2], "1 (the resources and their renewals) or 2 (only the renewals)"),
  unsubscribe_reason_type: integer(1, 5).optional(),
  unsubscribe_reason: text().optional(),
});

/**
 * POST /v2/orders/subscriptions/resources/unsubscribe: 200 {order_ids}, or, as the current page
 * answers, 400 with one code for the whole request when any resource cannot go (the first such
 * resource's; nothing is unsubscribed). Type 1 removes the resources after the processing delay;
 * the emulator renews nothing, so type 2 (only the renewed periods) is refused with CBC.99003128.
 * The unsubscribe-legacy fault answers as older tables did: 200 {order_ids, fail_resource_infos}.
 */
export function unsubscribeResources(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = unsubscribeBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const ids = parsed.data.resource_ids;
    if (parsed.data.unsubscribe_type === 2) {
      return {
        reply: serviceError(
          400,
          BSS_UNSUBSCRIBE_NO_RENEWAL,
          "The resource has no renewed period to unsubscribe from.",
        ),
      };
    }
    const legacy = ctx.unsubscribeLegacy();
    const outcome = ctx.billing.unsubscribe(principal.account.domainId, ids, { legacy });
    const [refusal] = outcome.failures;
    if (!legacy && refusal) {
      return { reply: serviceError(400, refusal.code, refusal.message) };
    }
    const failures = outcome.failures.map((f) => ({
      error_code: f.code,
      error_msg: f.message,
      resource_id: f.resourceId,
    }));
    return {
      reply: {
        status: 200,
        body: {
          order_ids: outcome.orderId ? [outcome.orderId] : [],
          ...(failures.length > 0 ? { fail_resource_infos: failures } : {}),
        },
      },
      ...(legacy ? { faults: ["unsubscribe-legacy" as const] } : {}),
    };
  });
}
