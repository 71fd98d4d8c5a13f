// BSS's catalogue of cloud service types (emulator/bss.ts lists every BSS API):
// GET /v2/products/service-types, Go SDK v0.1.215 `services/bss/v2` ListServiceTypesRequest/Response
// and ServiceTypes (service_type_name, service_type_code, abbreviation); Huawei's page "Querying
// Cloud Service Types": limit 1-1000 (default 10), offset 0-1000000000 (default 0), X-Language
// zh_CN (default) or en_US; the SDK adds service_type_name, 1-128 characters, matched anywhere in
// the name. No page lists the catalogue's entries: the emulator's are DIS and MetaStudio under the
// codes its orders carry (emulator/billing-records.ts), and OBS under the code the pages give as
// their example; the names and abbreviations are the emulator's choice.
import { authenticated, type BssContext, invalid } from "./bss";
import { queryInteger, queryValue } from "./bss-orders";
import type { Call, Handled, OrderService } from "./types";
import { parseQuery } from "./wire";

interface Entry {
  /** The name in each language the page names. */
  name: { zh_CN: string; en_US: string };
  abbreviation: string;
  code: (codes: Readonly<Record<OrderService, string>>) => string;
}

const CATALOGUE: readonly Entry[] = [
  {
    name: { zh_CN: "数据接入服务", en_US: "Data Ingestion Service" },
    abbreviation: "DIS",
    code: (codes) => codes.dis,
  },
  {
    name: { zh_CN: "数字内容生产线 MetaStudio", en_US: "MetaStudio" },
    abbreviation: "MetaStudio",
    code: (codes) => codes.metastudio,
  },
  {
    name: { zh_CN: "对象存储服务", en_US: "Object Storage Service" },
    abbreviation: "OBS",
    code: () => "hws.service.type.obs",
  },
];

/** GET /v2/products/service-types?limit&offset&service_type_name: {total_count, service_types}. */
export function listServiceTypes(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, () => {
    const query = parseQuery(call.rawQuery);
    const limit = queryInteger(query, "limit", 1, 1000);
    const offset = queryInteger(query, "offset", 0, 1_000_000_000);
    const name = queryValue(query, "service_type_name");
    for (const v of [limit, offset, name]) if (v instanceof Error) return { reply: invalid(v.message) };
    if (typeof name === "string" && (name.length < 1 || name.length > 128)) {
      return { reply: invalid("service_type_name: must be 1 to 128 characters") };
    }
    const header = call.headers["x-language"];
    const language = Array.isArray(header) ? header[0] : header;
    if (language !== undefined && language !== "zh_CN" && language !== "en_US") {
      return { reply: invalid("X-Language: must be zh_CN or en_US") };
    }
    const lang = language === "en_US" ? "en_US" : "zh_CN";
    const wanted = typeof name === "string" ? name.toLowerCase() : undefined;
    const entries = CATALOGUE.map((e) => ({
      service_type_name: e.name[lang],
      service_type_code: e.code(ctx.serviceTypeCodes),
      abbreviation: e.abbreviation,
    })).filter((e) => wanted === undefined || e.service_type_name.toLowerCase().includes(wanted));
    const start = (offset as number | undefined) ?? 0;
    const page = entries.slice(start, start + ((limit as number | undefined) ?? 10));
    return { reply: { status: 200, body: { total_count: entries.length, service_types: page } } };
  });
}
