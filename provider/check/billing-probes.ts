// The reads the orders depend on, one row each: BSS's service type codes, one order of the
// account, the price of a sample order of each kind, and MetaStudio's tenant resources. Every call
// is a read (the price inquiry changes nothing); no order, payment or unsubscription is sent.
import { bss, bssPrices, metastudioResources, type HuaweiCloudClient } from "../client";
import { codeFromCatalogue } from "../billing/service-types";
import { SERVICE_TYPE_CODES_KEY } from "../contract/run-settings";
import { formatMoney } from "../billing/price-quote";
import { ORDER_KINDS, type OrderKind, type OrderKindName } from "../orders";
import { describeItem, itemsOf, priceProducts } from "../orders/order-items";
import { PROJECT_FIX } from "./fixes";
import { probeRow, type Row } from "./rows";

/**
 * The sample each kind is priced with: the smallest order of docs/resources.md, one
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

/** BSS's service type catalogue, and the code each kind's orders carry as the provider reads it. */
async function serviceTypes(client: HuaweiCloudClient): Promise<string> {
  const all = await bss.allServiceTypes(client);
  const kinds = Object.values(ORDER_KINDS) as OrderKind[];
  const found = kinds.map((k) => ({
    kind: k,
    code: codeFromCatalogue(
      k,
      all,
      kinds.filter((o) => o !== k).map((o) => o.serviceTypeCode),
    ),
  }));
  const unresolved = found.flatMap(({ kind, code }) => ("why" in code ? [{ kind, why: code.why }] : []));
  if (unresolved.length > 0) {
    throw new Error(
      `BSS lists ${all.length} service types; ${unresolved
        .map(({ kind, why }) => `${kind.name}: ${why}`)
        .join("; ")}. Its orders would be looked for under the built-in code, then among every service's: ` +
        `set ${unresolved.map(({ kind }) => `${SERVICE_TYPE_CODES_KEY}.${kind.service}`).join(", ")} ` +
        "to the code BSS shows on its orders",
    );
  }
  return `BSS lists ${all.length} service types; ${found
    .map(({ kind, code }) => `${kind.name}: ${"code" in code ? code.code : ""}`)
    .join(", ")}`;
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
