// MetaStudio "Subscribing to a MetaStudio Product": POST /v1/{project_id}/mss/public/orders,
// 200 with {"order_id": "..."}. Token or AK/SK; the credential must act in the path's project.
// Errors as the page's examples: 400 MSS.00000003, 401 MSS.00000001 "Unauthorized",
// 403 MSS.00000005 "Forbidden", 500 MSS.00000004.
// One judgment beyond the page: cloud_services is required and must list at least one order (the
// table marks it optional, but an order of nothing is no order).
import * as crypto from "node:crypto";
import { z } from "zod";
import { authenticate, type AuthContext } from "./auth";
import { MSS_FORBIDDEN, MSS_UNAUTHORIZED, mssInvalid, serviceError } from "./errors";
import type { OrderRecord } from "./state";
import { describeViolations, integer, object, oneOf, text, violationsOf, type Violation } from "./validation";
import { isJson, recordedRequest, type Call, type Handled } from "./wire";

const INT32_MAX = 2_147_483_647;

const publicCloudServiceOrder = object({
  is_auto_pay: integer(0, 1).optional(),
  period_type: oneOf([2, 3, 6], "2 (monthly), 3 (yearly) or 6 (one-off)"),
  period_num: integer(1, INT32_MAX),
  is_auto_renew: integer(0, 10).optional(),
  subscription_num: integer(1, INT32_MAX),
  resource_spec_code: text({ nonEmpty: true }),
});

export const metastudioOrderBody = object({
  cloud_services: z
    .array(publicCloudServiceOrder, {
      error: (issue) => (issue.input === undefined ? "is required" : "must be an array"),
    })
    .min(1, { error: "must list at least one cloud service" }),
});

export function validateMetastudioOrder(body: unknown): Violation[] {
  const parsed = metastudioOrderBody.safeParse(body);
  return parsed.success ? [] : violationsOf(parsed.error);
}

/** A new order id in the style of Huawei's (CS + yymmdd + digits and letters), unique here. */
function newOrderId(now: number, taken: (id: string) => boolean): string {
  const day = new Date(now).toISOString().slice(2, 10).replaceAll("-", "");
  for (;;) {
    const id = `CS${day}${crypto.randomBytes(6).toString("hex").toUpperCase()}`;
    if (!taken(id)) return id;
  }
}

export function subscribeMetastudio(
  call: Call,
  ctx: AuthContext,
  record: (order: OrderRecord) => void,
  taken: (orderId: string) => boolean,
): Handled {
  const projectId = call.params["project_id"] ?? "";
  const auth = authenticate(call, ctx, projectId);
  if (!auth.ok) {
    const reply =
      auth.failure.kind === "forbidden"
        ? serviceError(403, MSS_FORBIDDEN, "Forbidden")
        : serviceError(401, MSS_UNAUTHORIZED, "Unauthorized");
    return { reply, note: auth.failure.detail };
  }

  if (!isJson(call.headers["content-type"]))
    return { reply: mssInvalid("Content-Type: must be application/json") };
  let body: unknown;
  try {
    body = JSON.parse(call.body.toString("utf8"));
  } catch {
    return { reply: mssInvalid(call.body.length === 0 ? "body: is empty" : "body: is not valid JSON") };
  }
  const violations = validateMetastudioOrder(body);
  if (violations.length > 0) return { reply: mssInvalid(describeViolations(violations)) };

  const order: OrderRecord = {
    service: "metastudio",
    orderId: newOrderId(call.receivedAt, taken),
    projectId,
    receivedAt: new Date(call.receivedAt).toISOString(),
    requestId: call.requestId,
    auth: auth.principal.kind,
    request: recordedRequest(call, body),
  };
  record(order);
  return { reply: { status: 200, body: { order_id: order.orderId } }, order };
}
