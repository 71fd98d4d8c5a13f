// BSS "Querying Cloud Service Types": GET /v2/products/service-types?service_type_name&limit&offset
// (Huawei's Go SDK v0.1.215 `services/bss/v2`, ListServiceTypesRequest / ListServiceTypesResponse /
// ServiceTypes, read, not copied): `{total_count, service_types: [{service_type_name,
// service_type_code, abbreviation}]}`. The catalogue holds the two services the project orders
// from; `hws.service.type.metastudio` is the emulator's choice (README "Billing (BSS)").
import { authenticated, type BssContext, invalid } from "./bss";
import type { Call, Handled } from "./types";
import { parseQuery } from "./wire";

const CATALOGUE = [
  {
    service_type_name: "Data Ingestion Service",
    service_type_code: "hws.service.type.dis",
    abbreviation: "DIS",
  },
  {
    service_type_name: "MetaStudio",
    service_type_code: "hws.service.type.metastudio",
    abbreviation: "MetaStudio",
  },
];

/** A whole number from `min` to `max` given once, its default when absent, or an Error. */
function whole(
  raw: string | string[] | undefined,
  name: string,
  fallback: number,
  max: number,
): number | Error {
  if (raw === undefined) return fallback;
  if (Array.isArray(raw) || !/^\d+$/.test(raw) || Number(raw) > max) {
    return new Error(`${name}: must be an integer from 0 to ${max}`);
  }
  return Number(raw);
}

export function listServiceTypes(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, () => {
    const query = parseQuery(call.rawQuery);
    const limit = whole(query["limit"], "limit", 10, 1000);
    const offset = whole(query["offset"], "offset", 0, 1_000_000);
    if (limit instanceof Error) return { reply: invalid(limit.message) };
    if (offset instanceof Error) return { reply: invalid(offset.message) };
    const name = query["service_type_name"];
    if (Array.isArray(name) || (name !== undefined && (name.length < 1 || name.length > 128))) {
      return { reply: invalid("service_type_name: must be given once, 1 to 128 characters") };
    }
    const matching = CATALOGUE.filter(
      (s) => name === undefined || s.service_type_name.toLowerCase().includes(name.toLowerCase()),
    );
    return {
      reply: {
        status: 200,
        body: { total_count: matching.length, service_types: matching.slice(offset, offset + limit) },
      },
    };
  });
}
