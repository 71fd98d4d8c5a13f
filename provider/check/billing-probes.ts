// The reads the orders depend on, one row each: BSS's service type codes, one order of the
// account, the price of a sample order of each kind, and MetaStudio's tenant resources. Every call
// is a read (the price inquiry changes nothing); no order, payment or unsubscription is sent.
import { bss, bssPrices, metastudioResources, type HuaweiCloudClient } from "../client";
import { listServiceTypes, type ServiceType } from "../client/bss-service-types";
import { formatMoney } from "../billing/price-quote";
import { ORDER_KINDS, type OrderKind, type OrderKindName } from "../orders";
import { describeItem, itemsOf, priceProducts } from "../orders/order-items";
import { PROJECT_FIX } from "./fixes";
import { probeRow, type Row } from "./rows";

/**
 * The sample each kind is priced with: the smallest order of README "Using the resources", one
 * month of one unit (DIS: the partition-hours package; MetaStudio: an avatar livestreaming channel).
 * The DIS order id is never sent: only the inquiry is.
 */
export const SAMPLE_ORDERS: Readonly<Record<OrderKindName, unknown>> = {
  DisPackageOrder: { orderId: "CHECKONLY", cloudServices: { periodType: 2, periodNum: 1 } },
  MetaStudioSubscription: {
    cloudServices: [
      {
        periodType: 2,
        periodNum: 1,
        subscriptionNum: 1,
        resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      },
    ],
  },
};

const KIND_NAMES = Object.keys(ORDER_KINDS) as OrderKindName[];

export const BILLING_PROBE_NAMES: readonly string[] = [
  "service type codes",
  "list one order",
  ...KIND_NAMES.map((k) => `price ${k}`),
  "MetaStudio tenant resources",
];

// The permissions Huawei's "API Access Permission (Customer)" table names for these BSS APIs; it
// lists none for the service types, which "all customer accounts can access".
const BSS_VIEW_ORDERS = "bss:order:view";
const BSS_VIEW_PRICES = "bss:discount:view";
const METASTUDIO_READ =
  "MetaStudio permissions (the system policy MetaStudio FullAccess, or a custom policy with MetaStudio's read actions)";

export async function billingProbes(client: HuaweiCloudClient): Promise<Row[]> {
  const { settings, redactor } = client;
  const bssCtx = (permission: string) => ({ settings, service: "bss" as const, permission });
  const rows: Row[] = [];
  rows.push(
    await probeRow(
      "service type codes",
      bssCtx(
        "the BSS API access the account's IAM policies give (the permission table lists none for this API)",
      ),
      redactor,
      () => serviceTypes(client),
    ),
  );
  rows.push(
    await probeRow("list one order", bssCtx(BSS_VIEW_ORDERS), redactor, async () => {
      const page = await bss.listOrders(client, {}, { limit: 1 });
      const newest = page.items[0];
      if (!newest) return "BSS lists no order of this account yet";
      return (
        `BSS lists ${page.totalCount} order${page.totalCount === 1 ? "" : "s"}; the newest: ${newest.orderId}, ` +
        `status ${bss.describeOrderStatus(newest.status)}`
      );
    }),
  );
  for (const name of KIND_NAMES) {
    rows.push(
      await probeRow(`price ${name}`, bssCtx(BSS_VIEW_PRICES), redactor, () => samplePrice(client, name)),
    );
  }
  rows.push(
    await probeRow(
      "MetaStudio tenant resources",
      { settings, service: "metastudio", permission: METASTUDIO_READ },
      redactor,
      async () => {
        const projectId = await client.projectId();
        const { count } = await metastudioResources.tenantResources(client, {}, { limit: 1 });
        return `MetaStudio lists ${count} purchased resource${count === 1 ? "" : "s"} in project ${projectId}`;
      },
    ),
  );
  return rows;
}

/** Every service type BSS lists (at most 2,000), and whether each kind's code is one of them. */
async function serviceTypes(client: HuaweiCloudClient): Promise<string> {
  const all: ServiceType[] = [];
  for (let pages = 0; pages < 20; pages++) {
    const page = await listServiceTypes(client, { limit: 100, offset: all.length });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.totalCount) break;
  }
  const codes = new Set(all.map((s) => s.code.toLowerCase()));
  const kinds = Object.values(ORDER_KINDS) as OrderKind[];
  const missing = kinds.filter((k) => !codes.has(k.serviceTypeCode.toLowerCase()));
  if (missing.length > 0) {
    const near = (k: OrderKind) =>
      all
        .filter((s) => s.code.toLowerCase().includes(k.service) || s.name?.toLowerCase().includes(k.service))
        .map((s) => s.code);
    throw new Error(
      `BSS lists ${all.length} service types, not ${missing
        .map((k) => `${k.serviceTypeCode} (${k.name}; alike: ${near(k).join(", ") || "none"})`)
        .join(", ")}: the orders of that kind cannot be found in BSS by their service type; report it`,
    );
  }
  return `BSS lists ${all.length} service types, ${kinds.map((k) => k.serviceTypeCode).join(" and ")} among them`;
}

/** BSS's period price inquiry for the kind's sample order. */
async function samplePrice(client: HuaweiCloudClient, name: OrderKindName): Promise<string> {
  const kind: OrderKind = ORDER_KINDS[name];
  const order: unknown = kind.inputs.parse(SAMPLE_ORDERS[name]);
  const mapped = priceProducts(kind, order, client.settings.region);
  if ("unavailable" in mapped) throw new Error(mapped.unavailable);
  let projectId: string;
  try {
    projectId = await client.projectId();
  } catch {
    throw new Error(`the price inquiry needs a project id; ${PROJECT_FIX}`);
  }
  const products = mapped.products.map((p, i) => ({ id: String(i + 1), ...p }));
  const price = await bssPrices.periodPrice(client, projectId, products);
  const best = price.bestOffer;
  const offer =
    best && best.amount < price.officialAmount
      ? `, ${formatMoney(best.amount, price.currency)} with "${best.name ?? best.discountId ?? "an offer"}"`
      : "";
  const items = itemsOf(kind, order).map(describeItem).join("; ");
  return `${items}: ${formatMoney(price.officialAmount, price.currency)} official${offer}`;
}
