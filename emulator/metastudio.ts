// MetaStudio "Subscribing to a MetaStudio Product": POST /v1/{project_id}/mss/public/orders,
// 200 with {"order_id": "..."}. Token or AK/SK; the credential must act in the path's project.
// Errors as the page's examples: 400 MSS.00000003, 401 MSS.00000001 "Unauthorized",
// 403 MSS.00000005 "Forbidden", 500 MSS.00000004.
// One judgment beyond the page: cloud_services is required and must list at least one order (the
// table marks it optional, but an order of nothing is no order).
import { z } from "zod";
import { authenticate, type AuthContext } from "./auth";
import { type BillingResource, bssTime, LINE_PERIOD, newOrderId, RESOURCE_STATUS } from "./billing-records";
import { MSS_FORBIDDEN, MSS_UNAUTHORIZED, mssInvalid, serviceError } from "./errors";
import type { AuthFailure, Call, Handled, OrderRecord } from "./types";
import { describeViolations, integer, object, oneOf, text, violationsOf, type Violation } from "./validation";
import { isJson, parseQuery, recordedRequest } from "./wire";

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

/** MetaStudio's answers to a failed authentication: 401 MSS.00000001, 403 MSS.00000005. */
function authFailure(failure: AuthFailure): Handled {
  const reply =
    failure.kind === "forbidden"
      ? serviceError(403, MSS_FORBIDDEN, "Forbidden")
      : serviceError(401, MSS_UNAUTHORIZED, "Unauthorized");
  return { reply, note: failure.detail };
}

/** A MetaStudio request's JSON body, or the page's 400 MSS.00000003 for a missing or malformed one. */
function jsonBody(call: Call): { ok: true; body: unknown } | { ok: false; refused: Handled } {
  if (!isJson(call.headers["content-type"]))
    return { ok: false, refused: { reply: mssInvalid("Content-Type: must be application/json") } };
  try {
    return { ok: true, body: JSON.parse(call.body.toString("utf8")) };
  } catch {
    const detail = call.body.length === 0 ? "body: is empty" : "body: is not valid JSON";
    return { ok: false, refused: { reply: mssInvalid(detail) } };
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
  if (!auth.ok) return authFailure(auth.failure);

  const json = jsonBody(call);
  if (!json.ok) return json.refused;
  const body = json.body;
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

/** The Go SDK's one agreement type (SpecialAgreementSignReq.agreement_type: "AUTO_PAY: 自动支付协议"). */
export const AUTO_PAY_AGREEMENT = "AUTO_PAY";

/** The agreement's version, which no page gives: the emulator's own. */
export const AGREEMENT_VERSION = "1.0";

const specialAgreementSignReq = object({
  agreement_type: text({ nonEmpty: true }).refine((v) => v === AUTO_PAY_AGREEMENT, {
    error: `must be ${AUTO_PAY_AGREEMENT}`,
  }),
  to_sign: z.boolean({
    error: (issue) => (issue.input === undefined ? "is required" : "must be true or false"),
  }),
});

/** What signing needs of the model: the account's agreement, and the clock. */
export interface AgreementContext {
  signed(domainId: string): number | undefined;
  sign(domainId: string, toSign: boolean): void;
}

/**
 * MetaStudio "Signing a Special Agreement": POST /v1/{project_id}/tenants/special-agreements/signed
 * with {agreement_type: "AUTO_PAY", to_sign} (Go SDK SignSpecialAgreementRequest /
 * SpecialAgreementSignReq) -> 200 {agreement_type, current_version, signed_version, signed_time}
 * (SignSpecialAgreementResponse). The agreement is the account's (the page is silent on whether it
 * is the account's or the project's; emulator/README.md); a cancelled one answers without
 * signed_version and signed_time.
 */
export function signSpecialAgreement(call: Call, ctx: AuthContext, agreements: AgreementContext): Handled {
  const projectId = call.params["project_id"] ?? "";
  const auth = authenticate(call, ctx, projectId);
  if (!auth.ok) return authFailure(auth.failure);
  const json = jsonBody(call);
  if (!json.ok) return json.refused;
  const parsed = specialAgreementSignReq.safeParse(json.body);
  if (!parsed.success) return { reply: mssInvalid(describeViolations(violationsOf(parsed.error))) };
  const domainId = auth.principal.account.domainId;
  agreements.sign(domainId, parsed.data.to_sign);
  const signedAt = agreements.signed(domainId);
  return {
    reply: {
      status: 200,
      body: {
        agreement_type: AUTO_PAY_AGREEMENT,
        current_version: AGREEMENT_VERSION,
        ...(signedAt === undefined
          ? {}
          : { signed_version: AGREEMENT_VERSION, signed_time: bssTime(signedAt) }),
      },
    },
  };
}

const RESOURCE_SOURCES = ["PURCHASED", "SP_ALLOCATED", "ADMIN_ALLOCATED"];
const CHARGING_MODES = ["PERIODIC", "ONE_TIME", "ON_DEMAND"];

/**
 * MetaStudio "Querying Tenant Resources": GET /v1/{project_id}/tenants/resources (Go SDK
 * ListTenantResourcesRequest / ResourceItemInfo) -> {resources, count}. Answered from BSS's state:
 * the resources of completed MetaStudio orders in that project are PURCHASED (the emulator has no
 * SP- or admin-allocated ones); unsubscribed ones are gone; status 0 normal, 1 frozen.
 */
export function listTenantResources(
  call: Call,
  ctx: AuthContext,
  resources: (domainId: string) => BillingResource[],
): Handled {
  const projectId = call.params["project_id"] ?? "";
  const auth = authenticate(call, ctx, projectId);
  if (!auth.ok) return authFailure(auth.failure);
  const query = parseQuery(call.rawQuery);
  const one = (name: string): string | undefined => {
    const v = query[name];
    return Array.isArray(v) ? v.join(",") : v === "" ? undefined : v;
  };
  const problems: string[] = [];
  const sources = one("resource_source")?.split(",");
  if (!sources) problems.push("resource_source: is required");
  else if (sources.some((s) => !RESOURCE_SOURCES.includes(s))) {
    problems.push(`resource_source: must be one or more of ${RESOURCE_SOURCES.join(", ")}`);
  }
  const chargingMode = one("charging_mode");
  if (chargingMode !== undefined && !CHARGING_MODES.includes(chargingMode)) {
    problems.push(`charging_mode: must be ${CHARGING_MODES.join(", ")}`);
  }
  const number = (name: string, min: number, max: number): number | undefined => {
    const v = one(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${name}: must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return Number(v);
  };
  const limit = number("limit", 1, 1000) ?? 10;
  const offset = number("offset", 0, 1_000_000) ?? 0;
  if (problems.length > 0) return { reply: mssInvalid(problems.join("; ")) };

  const resourceId = one("resource_id");
  const orderId = one("order_id");
  const matching = resources(auth.principal.account.domainId).filter((r) => {
    const mode = r.periodType === LINE_PERIOD.oneOff ? "ONE_TIME" : "PERIODIC";
    return (
      r.service === "metastudio" &&
      r.projectId === projectId &&
      sources?.includes("PURCHASED") === true &&
      (resourceId === undefined || r.resourceId === resourceId) &&
      (orderId === undefined || r.orderId === orderId) &&
      (chargingMode === undefined || chargingMode === mode)
    );
  });
  return {
    reply: {
      status: 200,
      body: {
        resources: matching.slice(offset, offset + limit).map((r) => ({
          resource_id: r.resourceId,
          order_id: r.orderId,
          resource_expire_time: bssTime(r.expiresAt),
          resource_type: r.resourceSpecCode,
          is_sub_resource: false,
          charging_mode: r.periodType === LINE_PERIOD.oneOff ? "ONE_TIME" : "PERIODIC",
          resource_source: "PURCHASED",
          amount: r.subscriptionNum,
          usage: 0,
          status: r.status === RESOURCE_STATUS.frozen ? 1 : 0,
        })),
        count: matching.length,
      },
    },
  };
}
