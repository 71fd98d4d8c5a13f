// BSS, the billing service (a global service: one endpoint for every region, no project in the
// paths). The customer APIs the project uses, with the request and answer fields of Huawei's Go SDK
// v0.1.207 `services/bss/v2/model` (read, not copied):
//   GET  /v2/orders/customer-orders/details/{order_id}   ShowCustomerOrderDetails  (bss-orders.ts)
//   GET  /v2/orders/customer-orders                       ListCustomerOrders        (bss-orders.ts)
//   POST /v3/orders/customer-orders/pay                   PayOrders (204)           (bss-orders.ts)
//   POST /v2/orders/suscriptions/resources/query          ListPayPerUseCustomerResources (sic) (bss-resources.ts)
//   POST /v2/orders/subscriptions/resources/unsubscribe   CancelResourcesSubscription (bss-resources.ts)
//   POST /v2/bills/ratings/period-resources/subscribe-rate ListRateOnPeriodDetail   (bss-rating.ts)
//   GET  /v2/products/service-types                       ListServiceTypes          (bss-products.ts)
// This module holds what they share. Authentication: a domain-scoped token, or AK/SK with
// X-Domain-Id (emulator/auth.ts). Errors: {"error_code": "CBC.xxxx", "error_msg": "..."}; the
// gateway's for authentication.
import { type AccountPrincipal, authenticateDomain, type AuthContext } from "./auth";
import type { Billing } from "./billing";
import { type BillingOrder, bssTime } from "./billing-records";
import { BSS_INVALID_PARAMETER, gatewayAuthError, serviceError } from "./errors";
import type { PriceTable } from "./pricing";
import type { Call, Handled, OrderService, Reply } from "./types";
import { isJson } from "./wire";

export interface BssContext extends AuthContext {
  billing: Billing;
  /** The price table the period price inquiry answers from. */
  pricing: PriceTable;
  /** The service type code each order service's orders carry (and the catalogue lists). */
  serviceTypeCodes: Readonly<Record<OrderService, string>>;
  /** Whether this payment is refused (the payment-refused fault), for an order of that service. */
  paymentRefused(order: BillingOrder): boolean;
  /** Whether this unsubscribe request is answered as older tables did (the unsubscribe-legacy fault). */
  unsubscribeLegacy(): boolean;
}

const BSS_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseBssTime(value: string): number | undefined {
  if (!BSS_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || bssTime(ms) !== value ? undefined : ms;
}

export const invalid = (detail: string): Reply =>
  serviceError(400, BSS_INVALID_PARAMETER, `Invalid parameter: ${detail}`);

/** Authentication first (a failure is the gateway's answer), then the handler. */
export function authenticated(
  call: Call,
  ctx: BssContext,
  handle: (principal: AccountPrincipal) => Handled,
): Handled {
  const auth = authenticateDomain(call, ctx);
  if (!auth.ok) return { reply: gatewayAuthError(auth.failure, call.requestId), note: auth.failure.detail };
  return handle(auth.principal);
}

export function jsonBody(call: Call): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  if (!isJson(call.headers["content-type"])) {
    return { ok: false, reply: invalid("Content-Type: must be application/json") };
  }
  try {
    return { ok: true, value: JSON.parse(call.body.toString("utf8")) };
  } catch {
    return {
      ok: false,
      reply: invalid(call.body.length === 0 ? "body: is empty" : "body: is not valid JSON"),
    };
  }
}
