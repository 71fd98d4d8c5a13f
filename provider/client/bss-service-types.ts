// BSS "Querying Cloud Service Types": GET /v2/products/service-types (Huawei's Go SDK v0.1.215
// `services/bss/v2`, ListServiceTypesRequest / ListServiceTypesResponse / ServiceTypes): the
// codes BSS names cloud services by (hws.service.type.dis), which the order kinds' serviceTypeCode
// must be. A read: retried on 5xx and timeouts. Huawei's "API Access Permission (Customer)" table
// does not list it, so no IAM permission is named for it.
import { z } from "zod";
import { defined, integerField, parseAnswer } from "./answers";
import { BSS_READ as READ, type BssClient, type Page } from "./bss-common";

const serviceTypeItem = z.object({
  service_type_name: z.string().nullish(),
  service_type_code: z.string().nullish(),
  abbreviation: z.string().nullish(),
});

// Every field of the model is optional (omitempty).
const listAnswer = z.object({
  total_count: integerField.nullish(),
  service_types: z.array(serviceTypeItem).nullish(),
});

export interface ServiceType {
  /** e.g. hws.service.type.dis; an item without one is left out. */
  code: string;
  name?: string;
  abbreviation?: string;
}

export interface ServiceTypeQuery {
  /** Matched anywhere in the name (BSS: prefix, suffix or middle), 1-128 characters. */
  name?: string;
  /** Default 10, as BSS's. */
  limit?: number;
  offset?: number;
}

/** ListServiceTypes: one page of BSS's cloud service types. */
export async function listServiceTypes(
  client: BssClient,
  query: ServiceTypeQuery = {},
): Promise<Page<ServiceType>> {
  const operation = "ListServiceTypes";
  const result = await client.call({
    ...READ,
    service: "bss",
    operation,
    method: "GET",
    path: ["v2", "products", "service-types"],
    query: { service_type_name: query.name, limit: query.limit ?? 10, offset: query.offset ?? 0 },
  });
  const answer = parseAnswer(client, result, "bss", operation, listAnswer);
  const items = (answer.service_types ?? []).flatMap((s) =>
    s.service_type_code
      ? [defined({ code: s.service_type_code, name: s.service_type_name, abbreviation: s.abbreviation })]
      : [],
  );
  return { items, totalCount: answer.total_count ?? items.length, requestId: result.requestId };
}
