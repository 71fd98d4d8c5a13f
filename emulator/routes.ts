// Which path is which API: the route table of the services behind the emulator's one port, each
// route with the handler it calls and the part of the model that handler gets.
import type { BssContext } from "./bss";
import { listCustomerOrders, payOrder, showOrderDetails } from "./bss-orders";
import { listServiceTypes } from "./bss-products";
import { ratePeriodProducts } from "./bss-rating";
import { queryResources, unsubscribeResources } from "./bss-resources";
import type { Core } from "./core";
import { submitDisOrder } from "./dis";
import { createToken, listAuthDomains, listProjects } from "./iam";
import { listTenantResources, signSpecialAgreement, subscribeMetastudio } from "./metastudio";
import type { Call, Handled, OrderRecord, ServiceName } from "./types";
import { decodeSegment } from "./wire";

export interface ServiceRoute {
  service: ServiceName;
  method: "GET" | "POST";
  pattern: RegExp;
  params: string[];
  /** A POST of DIS or MetaStudio that places no order (the agreement): order faults skip it. */
  notAnOrder?: true;
  handle(call: Call): Handled;
}

/** The routes, in the order they are tried; `onOrder` hears of every order accepted, once recorded. */
export function serviceRoutes(core: Core, onOrder: (order: OrderRecord) => void): ServiceRoute[] {
  const record = (order: OrderRecord) => {
    core.state.recordOrder(order);
    onOrder(order);
  };
  /** An accepted order also becomes a BSS customer order (with the lifecycle faults it drew). */
  const billed = (handled: Handled): Handled =>
    handled.order ? { ...handled, faults: core.placeBillingOrder(handled.order) } : handled;
  const bss = (
    method: "GET" | "POST",
    pattern: RegExp,
    handle: (call: Call, ctx: BssContext) => Handled,
    params: string[] = [],
  ): ServiceRoute => ({
    service: "bss",
    method,
    pattern,
    params,
    handle: (call: Call) => handle(call, core.bssContext()),
  });
  const iam = (method: "GET" | "POST", pattern: RegExp, handle: (call: Call) => Handled): ServiceRoute => ({
    service: "iam",
    method,
    pattern,
    params: [],
    handle,
  });
  // BSS first: DIS's /v2/orders/{order_id} would also match /v2/orders/customer-orders (DIS
  // order ids are letters and digits only, so no DIS order is shadowed).
  return [
    bss("GET", /^\/v2\/orders\/customer-orders\/details\/([^/]+)$/, showOrderDetails, ["order_id"]),
    bss("GET", /^\/v2\/orders\/customer-orders$/, listCustomerOrders),
    bss("POST", /^\/v3\/orders\/customer-orders\/pay$/, payOrder),
    bss("POST", /^\/v2\/orders\/suscriptions\/resources\/query$/, queryResources),
    bss("POST", /^\/v2\/orders\/subscriptions\/resources\/unsubscribe$/, unsubscribeResources),
    bss("POST", /^\/v2\/bills\/ratings\/period-resources\/subscribe-rate$/, ratePeriodProducts),
    bss("GET", /^\/v2\/products\/service-types$/, listServiceTypes),
    iam("POST", /^\/v3\/auth\/tokens$/, (call) => ({ reply: createToken(call, core.iamContext()) })),
    iam("GET", /^\/v3\/auth\/domains$/, (call) => listAuthDomains(call, core.authContext())),
    iam("GET", /^\/v3\/projects$/, (call) => listProjects(call, core.authContext())),
    {
      service: "dis",
      method: "POST",
      pattern: /^\/v2\/orders\/([^/]+)$/,
      params: ["order_id"],
      handle: (call) =>
        billed(submitDisOrder(call, core.authContext(), record, (id) => core.state.hasOrderId("dis", id))),
    },
    {
      service: "metastudio",
      method: "POST",
      pattern: /^\/v1\/([^/]+)\/mss\/public\/orders$/,
      params: ["project_id"],
      handle: (call) =>
        billed(
          subscribeMetastudio(call, core.authContext(), record, (id) =>
            core.state.hasOrderId("metastudio", id),
          ),
        ),
    },
    {
      service: "metastudio",
      method: "POST",
      pattern: /^\/v1\/([^/]+)\/tenants\/special-agreements\/signed$/,
      params: ["project_id"],
      notAnOrder: true,
      handle: (call) => signSpecialAgreement(call, core.authContext(), core.agreementContext()),
    },
    {
      service: "metastudio",
      method: "GET",
      pattern: /^\/v1\/([^/]+)\/tenants\/resources$/,
      params: ["project_id"],
      handle: (call) =>
        listTenantResources(call, core.authContext(), (domainId) => core.billing.resources(domainId)),
    },
  ];
}

/** The route a path belongs to, with its parameters percent-decoded. */
export function matchRoute(
  routes: ServiceRoute[],
  rawPath: string,
): { route: ServiceRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(rawPath);
    if (m) {
      return {
        route,
        params: Object.fromEntries(route.params.map((name, i) => [name, decodeSegment(m[i + 1] ?? "")])),
      };
    }
  }
  return undefined;
}
