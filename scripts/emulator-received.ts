// One line on what the emulator received since the previous call, for the main job's steps:
//   node scripts/emulator-received.ts <emulator url> <mark file>
// It reads the emulator's admin API (request log and BSS's resources; emulator/README.md "Admin
// API"), counts the requests logged after the one the mark file names, writes the newest one's id
// there, and prints e.g. "emulator received: 2 orders, 1 payment, 0 unsubscriptions; 2 price
// inquiries, ... (9 requests, all answered 2xx); BSS lists 2 resources". Run by Node's own type
// stripping (no compiler, a few hundred milliseconds): type-only imports, nothing else.
import type { RequestLogEntry } from "../emulator/types";
import type { BillingResource } from "../emulator/billing-records";

/** What a request was, as the summary counts it: the money first, then the reads. */
const KINDS = [
  ["order", "orders", true],
  ["payment", "payments", true],
  ["unsubscription", "unsubscriptions", true],
  ["agreement signing", "agreement signings", false],
  ["price inquiry", "price inquiries", false],
  ["order read", "order reads", false],
  ["order listing", "order listings", false],
  ["resource query", "resource queries", false],
  ["MetaStudio resource read", "MetaStudio resource reads", false],
  ["service type read", "service type reads", false],
  ["IAM token request", "IAM token requests", false],
  ["IAM lookup", "IAM lookups", false],
  ["other request", "other requests", false],
] as const;
type Kind = (typeof KINDS)[number][0];

function kindOf(r: RequestLogEntry): Kind {
  const { method, path } = r;
  switch (r.service) {
    case "iam":
      return method === "POST" && path === "/v3/auth/tokens" ? "IAM token request" : "IAM lookup";
    case "dis":
      return method === "POST" && path.startsWith("/v2/orders/") ? "order" : "other request";
    case "metastudio":
      if (method === "POST" && path.endsWith("/mss/public/orders")) return "order";
      if (path.endsWith("/tenants/special-agreements/signed")) return "agreement signing";
      if (path.endsWith("/tenants/resources")) return "MetaStudio resource read";
      return "other request";
    case "bss":
      return bssKind(method, path);
    default:
      return "other request";
  }
}

function bssKind(method: string, path: string): Kind {
  if (path === "/v2/bills/ratings/period-resources/subscribe-rate") return "price inquiry";
  if (path === "/v3/orders/customer-orders/pay") return "payment";
  if (path === "/v2/orders/subscriptions/resources/unsubscribe") return "unsubscription";
  if (path === "/v2/orders/suscriptions/resources/query") return "resource query";
  if (method === "GET" && path.startsWith("/v2/orders/customer-orders/details/")) return "order read";
  if (method === "GET" && path === "/v2/orders/customer-orders") return "order listing";
  if (path === "/v2/products/service-types") return "service type read";
  return "other request";
}

async function getJson<T>(url: string): Promise<T> {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(`GET ${url}: HTTP ${answer.status}`);
  return (await answer.json()) as T;
}

async function main(url: string, markFile: string): Promise<void> {
  const fs = await import("node:fs/promises");
  const { requests } = await getJson<{ requests: RequestLogEntry[] }>(`${url}/__emulator/requests`);
  const { resources } = await getJson<{ resources: BillingResource[] }>(`${url}/__emulator/billing`);
  const mark = (await fs.readFile(markFile, "utf8").catch(() => "")).trim();
  const seen = requests.findIndex((r) => r.requestId === mark);
  const fresh = requests.slice(seen + 1);
  await fs.writeFile(markFile, requests.at(-1)?.requestId ?? mark);

  const counts = new Map<Kind, number>();
  for (const r of fresh) counts.set(kindOf(r), (counts.get(kindOf(r)) ?? 0) + 1);
  const parts = KINDS.filter(([kind, , always]) => always || counts.has(kind)).map(([kind, plural]) => {
    const n = counts.get(kind) ?? 0;
    return `${n} ${n === 1 ? kind : plural}`;
  });
  const failed = fresh.filter((r) => r.status === null || r.status < 200 || r.status > 299).length;
  const answered = failed === 0 ? "all answered 2xx" : `${failed} answered with an error or not at all`;
  // What BSS's resources query would list now: the emulator's admin view keeps removed ones too.
  const listed = resources.filter((r) => r.removedAt === undefined || r.removedAt > Date.now()).length;
  const money = parts.slice(0, 3).join(", ");
  const reads = parts.slice(3).join(", ");
  console.log(
    `emulator received: ${money}${reads ? `; ${reads}` : ""} (${fresh.length} requests, ${answered}); ` +
      `BSS lists ${listed} purchased resource${listed === 1 ? "" : "s"}`,
  );
}

const [url, markFile] = process.argv.slice(2);
if (!url || !markFile) {
  console.error("usage: node scripts/emulator-received.ts <emulator url> <mark file>");
  process.exit(2);
}
main(url, markFile).catch((e: unknown) => {
  console.error(`emulator-received: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
