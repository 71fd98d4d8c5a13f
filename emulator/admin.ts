// The admin API under /__emulator/: no authentication, never faulted, never in the request log
// (so counting requests through it does not change the count). Bodies are JSON whatever the
// Content-Type says, so a bare `curl -d '{...}'` works.
import { z } from "zod";
import { accountSpecSchema, DEMO_ACCOUNT } from "./accounts";
import { bssTime } from "./billing-records";
import type { Core } from "./core";
import { faultSpecSchema } from "./faults";
import { priceTableSchema } from "./pricing";
import type { OrderService, Reply } from "./types";

export const ADMIN_PREFIX = "/__emulator";

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const problem = (status: number, message: string): Reply => ({ status, body: { error: message } });

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

export interface AdminRoute {
  method: string;
  path: string;
  handle(query: URLSearchParams, body: Buffer): Reply;
}

export function adminRoutes(core: Core): AdminRoute[] {
  return [
    ...recordRoutes(core),
    ...faultRoutes(core),
    ...billingRoutes(core),
    ...serviceTypeRoutes(core),
    ...agreementRoutes(core),
  ];
}

/** MetaStudio's AUTO_PAY agreement of each account: shown, and signed or cancelled "in the console". */
function agreementRoutes(core: Core): AdminRoute[] {
  const list = () =>
    ok({
      agreements: core.accounts.agreements().map((a) => ({
        domainName: a.domainName,
        domainId: a.domainId,
        agreementType: "AUTO_PAY",
        signed: a.autoPaySignedAt !== undefined,
        ...(a.autoPaySignedAt === undefined ? {} : { signedTime: bssTime(a.autoPaySignedAt) }),
      })),
    });
  return [
    { method: "GET", path: "/agreements", handle: list },
    {
      method: "POST",
      path: "/agreements",
      handle: (_query, body) => {
        const json = parseJson(body);
        const parsed = z
          .strictObject({
            domainName: z.string().min(1).default(DEMO_ACCOUNT.domainName),
            agreementType: z.literal("AUTO_PAY").default("AUTO_PAY"),
            signed: z.boolean(),
          })
          .safeParse(json.ok ? json.value : undefined);
        if (!parsed.success) return problem(400, describe(parsed.error));
        const { domainName, signed } = parsed.data;
        if (!core.setAutoPayAgreement(domainName, signed)) return problem(404, `no account ${domainName}`);
        return list();
      },
    },
  ];
}

/** Health, what was recorded, reset, tokens and accounts. */
function recordRoutes(core: Core): AdminRoute[] {
  return [
    { method: "GET", path: "/health", handle: () => ok({ status: "ok" }) },
    {
      method: "GET",
      path: "/orders",
      handle: (query) => {
        const service = query.get("service");
        if (service !== null && service !== "dis" && service !== "metastudio") {
          return problem(400, "service must be dis or metastudio");
        }
        return ok({ orders: core.state.listOrders((service ?? undefined) as OrderService | undefined) });
      },
    },
    { method: "GET", path: "/requests", handle: () => ok({ requests: core.state.listRequests() }) },
    {
      method: "POST",
      path: "/reset",
      handle: () => {
        core.reset();
        return ok({ reset: true, faults: core.faults.list() });
      },
    },
    { method: "POST", path: "/tokens/expire", handle: () => ok({ expired: core.expireTokens() }) },
    {
      method: "POST",
      path: "/accounts",
      handle: (_query, body) => {
        const json = parseJson(body);
        if (!json.ok) return problem(400, "the body must be an account, in JSON");
        const parsed = accountSpecSchema.safeParse(json.value);
        if (!parsed.success) return problem(400, describe(parsed.error));
        try {
          const account = core.accounts.add(parsed.data);
          return ok(
            { domainName: account.domainName, domainId: account.domainId, userId: account.userId },
            201,
          );
        } catch (err) {
          return problem(409, err instanceof Error ? err.message : String(err));
        }
      },
    },
  ];
}

function faultRoutes(core: Core): AdminRoute[] {
  return [
    { method: "GET", path: "/faults", handle: () => ok({ faults: core.faults.list() }) },
    {
      method: "POST",
      path: "/faults",
      handle: (_query, body) => {
        const json = parseJson(body);
        if (!json.ok) return problem(400, "the body must be a fault or an array of faults, in JSON");
        const parsed = z
          .array(faultSpecSchema)
          .safeParse(Array.isArray(json.value) ? json.value : [json.value]);
        if (!parsed.success) return problem(400, describe(parsed.error));
        const added = core.injectFaults(parsed.data);
        return ok({ added, faults: core.faults.list() });
      },
    },
    {
      method: "DELETE",
      path: "/faults",
      handle: () => {
        core.faults.clear();
        return ok({ faults: [] });
      },
    },
  ];
}

/** The service type codes BSS's orders carry and its catalogue lists. */
function serviceTypeRoutes(core: Core): AdminRoute[] {
  return [
    {
      method: "GET",
      path: "/service-types",
      handle: () => ok({ serviceTypeCodes: core.billing.serviceTypeCodes }),
    },
    {
      method: "POST",
      path: "/service-types",
      handle: (_query, body) => {
        const json = parseJson(body);
        const code = z.string().regex(/^\S{1,64}$/);
        const parsed = z
          .strictObject({ dis: code.optional(), metastudio: code.optional() })
          .safeParse(json.ok ? json.value : undefined);
        if (!parsed.success) return problem(400, describe(parsed.error));
        for (const [service, value] of Object.entries(parsed.data) as [OrderService, string | undefined][]) {
          if (value !== undefined) core.setServiceTypeCode(service, value);
        }
        return ok({ serviceTypeCodes: core.billing.serviceTypeCodes });
      },
    },
  ];
}

/** BSS's orders and resources, its processing delay and the price inquiry's table. */
function billingRoutes(core: Core): AdminRoute[] {
  return [
    {
      method: "GET",
      path: "/billing",
      handle: () =>
        ok({
          processingDelayMs: core.billing.processingDelayMs,
          orders: core.billing.orders(undefined, true),
          resources: core.billing.allResources(),
        }),
    },
    {
      method: "POST",
      path: "/billing/settings",
      handle: (_query, body) => {
        const json = parseJson(body);
        const parsed = z
          .strictObject({
            processingDelayMs: z
              .number()
              .int()
              .min(0)
              .max(24 * 3600 * 1000),
          })
          .safeParse(json.ok ? json.value : undefined);
        if (!parsed.success) return problem(400, describe(parsed.error));
        core.setBillingDelay(parsed.data.processingDelayMs);
        return ok({ processingDelayMs: core.billing.processingDelayMs });
      },
    },
    { method: "GET", path: "/pricing", handle: () => ok({ pricing: core.state.pricing }) },
    {
      method: "POST",
      path: "/pricing",
      handle: (_query, body) => {
        const json = parseJson(body);
        const parsed = priceTableSchema.safeParse(json.ok ? json.value : undefined);
        if (!parsed.success) return problem(400, describe(parsed.error));
        return ok({ pricing: core.setPricing(parsed.data) });
      },
    },
    {
      method: "POST",
      path: "/billing/resources",
      handle: (_query, body) => {
        const json = parseJson(body);
        const parsed = z
          .strictObject({
            resourceId: z.string().min(1),
            change: z.enum(["expire", "freeze", "unsubscribe"]),
          })
          .safeParse(json.ok ? json.value : undefined);
        if (!parsed.success) return problem(400, describe(parsed.error));
        const { resourceId, change } = parsed.data;
        if (!core.changeResource(resourceId, change)) return problem(404, `no live resource ${resourceId}`);
        return ok({ resource: core.billing.allResources().find((r) => r.resourceId === resourceId) });
      },
    },
  ];
}

/** Answers an admin request; `subPath` is the part after /__emulator. */
export function handleAdmin(
  routes: AdminRoute[],
  method: string,
  subPath: string,
  rawQuery: string,
  body: Buffer,
): Reply {
  const matching = routes.filter((r) => r.path === subPath);
  if (matching.length === 0) return problem(404, `no admin endpoint ${ADMIN_PREFIX}${subPath}`);
  const route = matching.find((r) => r.method === method);
  if (!route) {
    const allow = matching.map((r) => r.method).join(", ");
    return { ...problem(405, `${ADMIN_PREFIX}${subPath} accepts ${allow}`), headers: { Allow: allow } };
  }
  return route.handle(new URLSearchParams(rawQuery), body);
}
