// The emulator's real answers to every call billing code reads, recorded once, and replayed
// through a client over a fake transport with Huawei's liberties taken: optional fields set to
// null or left out, unknown fields added, or (to prove the checks) a required field removed.
import { DEMO_ACCOUNT, startEmulator, type RunningEmulator } from "../../emulator";
import {
  bss,
  bssPrices,
  ClientRuntime,
  HuaweiCloudClient,
  metastudioResources,
  resolveSettings,
  type CallRequest,
  type CallResult,
  type WireRequest,
} from "../../provider/client";
import { FakeClock, METASTUDIO_PATH, metastudioOrderBody, send } from "../emulator/helpers";
import { FakeTransport } from "./fake-transport";

const d = DEMO_ACCOUNT;

/** The operations replayed, and the fields each answer must carry (paths, `*` for any index). */
export const REQUIRED: Record<string, readonly string[]> = {
  ShowCustomerOrderDetails: ["order_info", "order_info.order_id", "order_info.status"],
  ListCustomerOrders: ["total_count", "order_infos.*.order_id", "order_infos.*.status"],
  ListPayPerUseCustomerResources: ["total_count", "data.*.resource_id", "data.*.status"],
  ListTenantResources: ["count", "resources.*.resource_id"],
  ListRateOnPeriodDetail: [
    "official_website_rating_result",
    "official_website_rating_result.official_website_amount",
    "optional_discount_rating_results.*.amount",
  ],
  CancelResourcesSubscription: [],
};

/** Lists whose emptiness means something (no resources yet): kept as lists, their items mutated. */
const LISTS = ["order_infos", "order_line_items", "data", "resources", "optional_discount_rating_results"];

export const DIS_PRODUCT: bssPrices.PeriodProduct = {
  id: "1",
  cloudServiceType: "hws.service.type.dis",
  resourceType: "hws.resource.type.dis",
  resourceSpec: "dis.general.partition.duration.pkg",
  region: d.region,
  periodType: 2,
  periodNum: 3,
  subscriptionNum: 1,
};

export interface Recorded {
  orderId: string;
  /** Answer bodies by operation. */
  bodies: Map<string, unknown>;
  /** The paid, completed order's main resources. */
  resourceIds: string[];
  createdAt: Date;
  /** What the emulator received (BSS's headers). */
  bssHeaders: Record<string, string>[];
}

/** Places a paid two-item MetaStudio order in a fresh emulator and records every answer about it. */
export async function recordAnswers(): Promise<Recorded> {
  const clock = new FakeClock();
  const emu: RunningEmulator = await startEmulator({ clock: clock.now, billingDelayMs: 1000 });
  try {
    const { cloudServiceType, resourceType, resourceSpec } = DIS_PRODUCT;
    emu.setPricing({
      products: [{ cloudServiceType, resourceType, resourceSpec, monthly: 10, yearly: 100 }],
      discounts: [{ discountId: "biz-1", discountName: "Business discount", percentOff: 20 }],
    });
    const placed = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": emu.issueToken() },
      json: metastudioOrderBody({ is_auto_pay: 1 }, { is_auto_pay: 1, period_type: 3, subscription_num: 2 }),
    });
    const orderId = (placed.json() as { order_id: string }).order_id;
    const createdAt = new Date(clock.ms);
    clock.advance(2000);
    const client = new HuaweiCloudClient(
      resolveSettings({
        explicit: {
          region: d.region,
          projectId: d.projectId,
          accessKey: d.accessKey,
          secretKey: d.secretKey,
          authUrl: emu.url,
          endpoints: { dis: emu.url, metastudio: emu.url, bss: emu.url },
        },
      }),
      { now: () => new Date(clock.ms), sleep: async () => undefined },
    );
    const bodies = new Map<string, unknown>();
    const recorder = {
      redactor: client.redactor,
      projectId: () => client.projectId(),
      async call(request: CallRequest): Promise<CallResult> {
        const result = await client.call(request);
        bodies.set(request.operation, result.body);
        return result;
      },
    };
    await bss.orderDetails(recorder, orderId);
    const window = { createdFrom: new Date(clock.ms - 3600_000), createdTo: new Date(clock.ms + 3600_000) };
    await bss.listAllOrders(recorder, { ...window, orderType: 1 });
    const resources = await bss.allOrderResources(recorder, { orderId });
    await metastudioResources.tenantResources(recorder, { orderId });
    await bssPrices.periodPrice(recorder, d.projectId, [DIS_PRODUCT]);
    const resourceIds = resources.filter((r) => r.isMainResource).map((r) => r.resourceId);
    await bss.unsubscribeResources(recorder, resourceIds.slice(0, 1));
    const bssHeaders = emu
      .requests()
      .filter((r) => r.service === "bss")
      .map((r) => r.headers);
    return { orderId, bodies, resourceIds, createdAt, bssHeaders };
  } finally {
    await emu.stop();
  }
}

/** How one answer is changed: what becomes of each optional field, what unknown field each object gets. */
export interface Mutation {
  /** By the field's path (indices included): kept, set to null, or left out. */
  field: (path: string) => "keep" | "null" | "drop";
  /** By the object's path: an unknown field to add, or undefined. */
  extra: (path: string) => unknown;
}

/** A copy of `body` with `m` applied; required fields and the lists above are never nulled or dropped. */
export function mutate(operation: string, body: unknown, m: Mutation): unknown {
  const required = new Set(REQUIRED[operation] ?? []);
  const walk = (v: unknown, path: string, pattern: string): unknown => {
    if (Array.isArray(v)) {
      return v.map((item, i) => walk(item, `${path}.${i}`, pattern ? `${pattern}.*` : "*"));
    }
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v)) {
      const at = pattern ? `${pattern}.${key}` : key;
      const fixed = required.has(at) || LISTS.includes(key);
      const how = fixed ? "keep" : m.field(`${path}.${key}`);
      if (how === "null") out[key] = null;
      else if (how === "keep") out[key] = walk(value, `${path}.${key}`, at);
    }
    const added = m.extra(path);
    if (added !== undefined) out["x_unknown"] = added;
    return out;
  };
  return walk(structuredClone(body), "", "");
}

/** Every required path present in `body`, with a concrete index where the path has `*`. */
export function requiredPaths(operation: string, body: unknown): string[][] {
  const found: string[][] = [];
  for (const pattern of REQUIRED[operation] ?? []) {
    const expand = (v: unknown, rest: string[], at: string[]): void => {
      const [head, ...tail] = rest;
      if (head === undefined) return void found.push(at);
      if (head === "*") {
        if (Array.isArray(v)) v.forEach((item, i) => expand(item, tail, [...at, String(i)]));
      } else if (v !== null && typeof v === "object" && head in v) {
        expand((v as Record<string, unknown>)[head], tail, [...at, head]);
      }
    };
    expand(body, pattern.split("."), []);
  }
  return found;
}

/** A copy of `body` without the field at `path`. */
export function without(body: unknown, path: readonly string[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let v: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) v = v[key] as Record<string, unknown>;
  Reflect.deleteProperty(v, path.at(-1) as string);
  return copy;
}

const OPERATIONS: [RegExp, string][] = [
  [/^\/v2\/orders\/customer-orders\/details\//, "ShowCustomerOrderDetails"],
  [/^\/v2\/orders\/customer-orders$/, "ListCustomerOrders"],
  [/^\/v2\/orders\/suscriptions\/resources\/query$/, "ListPayPerUseCustomerResources"],
  [/^\/v2\/orders\/subscriptions\/resources\/unsubscribe$/, "CancelResourcesSubscription"],
  [/^\/v2\/bills\/ratings\/period-resources\/subscribe-rate$/, "ListRateOnPeriodDetail"],
  [/^\/v1\/[^/]+\/tenants\/resources$/, "ListTenantResources"],
  [/^\/v3\/orders\/customer-orders\/pay$/, "PayOrders"],
];

export function operationOf(request: WireRequest): string {
  const path = new URL(request.url).pathname;
  const found = OPERATIONS.find(([re]) => re.test(path));
  if (!found) throw new Error(`no recorded answer for ${path}`);
  return found[1];
}

/**
 * A client (AK/SK, ids configured: no IAM request) whose transport answers each call with
 * `answer(operation)`: a body (200), or a whole step (an error status).
 */
export function replayClient(answer: (operation: string) => { status: number; body: unknown }) {
  const transport = new FakeTransport((request) => {
    const a = answer(operationOf(request));
    return { respond: a.status, body: a.body };
  });
  const endpoint = "https://emulated.invalid";
  const client = new HuaweiCloudClient(
    resolveSettings({
      explicit: {
        region: d.region,
        projectId: d.projectId,
        domainId: d.domainId,
        accessKey: d.accessKey,
        secretKey: d.secretKey,
        authUrl: endpoint,
        endpoints: { dis: endpoint, metastudio: endpoint, bss: endpoint },
      },
    }),
    { runtime: new ClientRuntime({ limiter: null, transport }), sleep: async () => undefined },
  );
  return { client, transport };
}
