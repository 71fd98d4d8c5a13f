// BSS's catalogue of cloud service types: the codes BSS's orders carry in service_type_code
// (ListServiceTypes, GET /v2/products/service-types; Go SDK v0.1.215 `services/bss/v2`
// ListServiceTypesRequest/Response, ServiceTypes; Huawei's page "Querying Cloud Service Types":
// limit 1-1000, default 10). The answer is read leniently: a null or missing field, or one the
// model does not name, is no error; an entry without a code is skipped.
import { z } from "zod";
import { parseAnswer } from "./answers";
import { BSS_READ as READ, type BssClient, type Page } from "./bss-common";

const serviceTypeEntry = z.object({
  service_type_name: z.string().nullish(),
  service_type_code: z.string().nullish(),
  abbreviation: z.string().nullish(),
});

const listAnswer = z.object({
  total_count: z.number().int().nullish(),
  service_types: z.array(serviceTypeEntry.nullable()).nullish(),
});

export interface ServiceType {
  code: string;
  name?: string;
  abbreviation?: string;
}

/** The page's largest page size: one request lists the whole catalogue. */
export const SERVICE_TYPES_PAGE = 1000;

/** ListServiceTypes: one page of BSS's cloud service types. */
export async function listServiceTypes(
  client: BssClient,
  page: { limit?: number; offset?: number } = {},
): Promise<Page<ServiceType> & { received: number }> {
  const operation = "ListServiceTypes";
  const result = await client.call({
    ...READ,
    service: "bss",
    operation,
    method: "GET",
    path: ["v2", "products", "service-types"],
    query: { limit: page.limit ?? SERVICE_TYPES_PAGE, offset: page.offset ?? 0 },
  });
  const answer = parseAnswer(client, result, "bss", operation, listAnswer);
  const entries = answer.service_types ?? [];
  const items: ServiceType[] = [];
  for (const e of entries) {
    const code = e?.service_type_code?.trim();
    if (!e || !code) continue;
    items.push({
      code,
      ...(e.service_type_name ? { name: e.service_type_name } : {}),
      ...(e.abbreviation ? { abbreviation: e.abbreviation } : {}),
    });
  }
  return {
    items,
    totalCount: answer.total_count ?? entries.length,
    requestId: result.requestId,
    // Entries without a code are skipped: the next page starts after what BSS sent.
    received: entries.length,
  };
}

/** Every service type BSS lists, page by page (one page unless the catalogue outgrows 1000). */
export async function allServiceTypes(client: BssClient, maxPages = 10): Promise<ServiceType[]> {
  const all: ServiceType[] = [];
  for (let offset = 0, pages = 0; pages < maxPages; pages++) {
    const page = await listServiceTypes(client, { offset });
    all.push(...page.items);
    offset += page.received;
    if (page.received === 0 || offset >= page.totalCount) break;
  }
  return all;
}
