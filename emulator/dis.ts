// DIS "Submitting a Cloud Service Package Order": POST /v2/orders/{order_id}, 200 with no body.
// The wire decisions (emulator/README.md explains each):
// - cloudServices, cloudServiceForm and productInfos are single JSON objects, as the page's example
//   request sends them; its tables say "Array of ... objects", but arrays are rejected.
// - The example's fields that no table lists are accepted with the example's types, spelled as the
//   example spells them (avalibleZoneId, cloudServiceEndpoint, regionId, subscriptionNum, discountId).
// - isAutoRenew/isTrial: the table says Boolean with default 0 and the example sends 0, so 0, 1,
//   true and false are all accepted.
// - cloudServiceForm's cloud service type: the table spells it cloudservicetype, the example
//   cloudServiceType; either is accepted, not both.
// Errors: {"error_code": "DIS.4200", "error_msg": "Invalid request. <every violation>"} (DIS's
// error-code page); authentication failures come from the API gateway (APIGW.0301 / APIGW.0307).
import { authenticate, type AuthContext } from "./auth";
import { DIS_EMPTY_REQUEST, disInvalid, gatewayAuthError, serviceError } from "./errors";
import {
  describeViolations,
  flag,
  formatPath,
  integer,
  isPlainObject,
  object,
  oneOf,
  text,
  type Violation,
  violationsOf,
} from "./validation";
import type { Call, Handled, OrderRecord } from "./types";
import { isJson, recordedRequest } from "./wire";

/** The page: "The value can contain 1 to 32,768 characters." */
export const MAX_TOKEN_LENGTH = 32_768;

const lettersAndDigits = () =>
  text({ pattern: /^[A-Za-z0-9]{1,64}$/, patternMessage: "must be 1 to 64 letters and digits" });

const singleObject = " (the page's example request sends a single object)";

const cloudServiceForm = object(
  {
    cloudservicetype: text().optional(),
    cloudServiceType: text().optional(),
    projectid: lettersAndDigits().optional(),
    orderid: lettersAndDigits().optional(),
  },
  singleObject,
);

const productInfos = object(
  {
    productId: text().optional(),
    resourceSpecCode: text().optional(),
    resourceType: text().optional(),
    cloudServiceType: text().optional(),
  },
  singleObject,
);

const cloudServices = object(
  {
    chargingMode: integer().optional(),
    paymentMode: integer().optional(),
    periodType: oneOf([2, 3], "2 (monthly) or 3 (yearly)").optional(),
    // Its range depends on periodType; checked below, with both fields in view.
    periodNum: integer().optional(),
    cloudServiceForm: cloudServiceForm.optional(),
    isAutoRenew: flag().optional(),
    isTrial: flag().optional(),
    cloudServiceType: text().optional(),
    productInfos: productInfos.optional(),
    avalibleZoneId: text().optional(),
    cloudServiceEndpoint: text().optional(),
    regionId: text().optional(),
    subscriptionNum: integer(1).optional(),
  },
  singleObject,
);

export const disOrderBody = object({
  cloudServices: cloudServices.optional(),
  purchaseMode: integer().optional(),
  tenantId: text().optional(),
  discountId: text().optional(),
});

const hints: Record<string, string> = {
  availableZoneId: "the page spells it avalibleZoneId",
};

/** The checks that need two fields at once. */
function crossFieldViolations(body: unknown): Violation[] {
  if (!isPlainObject(body) || !isPlainObject(body["cloudServices"])) return [];
  const cs = body["cloudServices"];
  const out: Violation[] = [];
  const periodType = cs["periodType"] ?? 2;
  const periodNum = cs["periodNum"];
  if (typeof periodNum === "number" && Number.isInteger(periodNum)) {
    const max = periodType === 2 ? 9 : periodType === 3 ? 3 : undefined;
    if (max !== undefined && (periodNum < 1 || periodNum > max)) {
      const unit = periodType === 2 ? "2 (monthly)" : "3 (yearly)";
      out.push({
        path: ["cloudServices", "periodNum"],
        message: `must be from 1 to ${max} when periodType is ${unit}`,
      });
    } else if (max === undefined && periodNum < 1) {
      out.push({ path: ["cloudServices", "periodNum"], message: "must be at least 1" });
    }
  }
  const form = cs["cloudServiceForm"];
  if (isPlainObject(form) && "cloudservicetype" in form && "cloudServiceType" in form) {
    out.push({
      path: ["cloudServices", "cloudServiceForm"],
      message: "give cloudservicetype (the table's spelling) or cloudServiceType (the example's), not both",
    });
  }
  return out;
}

/** Every violation of the page's rules in `body` and the path's order id; empty when valid. */
export function validateDisOrder(orderId: string, body: unknown): Violation[] {
  const out: Violation[] = [];
  if (!/^[A-Za-z0-9]{1,64}$/.test(orderId)) {
    out.push({ path: ["order_id"], message: "must be 1 to 64 letters and digits" });
  }
  const parsed = disOrderBody.safeParse(body);
  if (!parsed.success) out.push(...violationsOf(parsed.error, hints));
  out.push(...crossFieldViolations(body));
  return out;
}

export function submitDisOrder(
  call: Call,
  ctx: AuthContext,
  record: (order: OrderRecord) => void,
  submitted: (orderId: string) => boolean,
): Handled {
  const token = call.headers["x-auth-token"];
  if (typeof token === "string" && token.length > MAX_TOKEN_LENGTH) {
    return { reply: disInvalid(`X-Auth-Token: must be 1 to 32,768 characters, got ${token.length}`) };
  }
  const auth = authenticate(call, ctx);
  if (!auth.ok) return { reply: gatewayAuthError(auth.failure, call.requestId), note: auth.failure.detail };

  if (call.body.length === 0) return { reply: serviceError(400, DIS_EMPTY_REQUEST, "Empty request.") };
  if (!isJson(call.headers["content-type"])) {
    return { reply: disInvalid("Content-Type: must be application/json") };
  }
  let body: unknown;
  try {
    body = JSON.parse(call.body.toString("utf8"));
  } catch {
    return { reply: disInvalid(`${formatPath([])}: is not valid JSON`) };
  }
  const orderId = call.params["order_id"] ?? "";
  const violations = validateDisOrder(orderId, body);
  if (violations.length > 0) return { reply: disInvalid(describeViolations(violations)) };
  // Assumption (the page says nothing): an order id names one order, submitted once. A second
  // submission is refused in the page's error style, and nothing is recorded.
  if (submitted(orderId)) {
    return {
      reply: disInvalid(`order_id: order ${orderId} has already been submitted`),
      note: "order id already submitted",
    };
  }

  const order: OrderRecord = {
    service: "dis",
    orderId,
    projectId: auth.principal.projectId,
    receivedAt: new Date(call.receivedAt).toISOString(),
    requestId: call.requestId,
    auth: auth.principal.kind,
    request: recordedRequest(call, body),
  };
  record(order);
  return { reply: { status: 200 }, order };
}
