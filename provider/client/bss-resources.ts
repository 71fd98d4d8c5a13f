// BSS's view of what an order bought: its resources (ListPayPerUseCustomerResources), from Huawei's
// Go SDK v0.1.207 `services/bss/v2` (read, not copied). A query that changes nothing, retried like
// a read.
import { z } from "zod";
import { defined, integerField, optionalField, optionalTime, parseAnswer } from "./answers";
import { BSS_READ as READ, type BssClient, type Page } from "./bss-common";

// Optional fields may be null (answers.ts); unknown ones are dropped.
const resourceItem = z.object({
  resource_id: z.string().min(1),
  resource_type_code: optionalField(z.string()),
  resource_spec_code: optionalField(z.string()),
  service_type_code: optionalField(z.string()),
  region_code: optionalField(z.string()),
  project_id: optionalField(z.string()),
  is_main_resource: optionalField(integerField),
  status: integerField,
  effective_time: optionalTime,
  expire_time: optionalTime,
  expire_policy: optionalField(integerField),
});

const resourcesAnswer = z.object({
  data: optionalField(z.array(resourceItem)),
  total_count: integerField,
});

export interface OrderResource {
  resourceId: string;
  /** Kept as a number even when no page lists it: see describeResourceStatus. */
  status: number;
  isMainResource: boolean;
  resourceTypeCode?: string;
  resourceSpecCode?: string;
  serviceTypeCode?: string;
  regionCode?: string;
  projectId?: string;
  effectiveAt?: Date;
  expiresAt?: Date;
  /** 0 grace period, 1 to pay-per-use, 2 deleted, 3 auto-renewed, 4 frozen, 5 deleted after retention. */
  expirePolicy?: number;
}

export interface ResourceFilter {
  orderId?: string;
  /** At most 50. */
  resourceIds?: readonly string[];
  onlyMainResources?: boolean;
  statuses?: readonly number[];
}

/** ListPayPerUseCustomerResources: POST /v2/orders/suscriptions/resources/query (sic), one page. */
export async function orderResources(
  client: BssClient,
  filter: ResourceFilter,
  page: { limit?: number; offset?: number } = {},
): Promise<Page<OrderResource>> {
  const operation = "ListPayPerUseCustomerResources";
  if ((filter.resourceIds?.length ?? 0) > 50)
    throw new RangeError("BSS queries at most 50 resource ids at once");
  const result = await client.call({
    ...READ,
    service: "bss",
    operation,
    // The query is a POST that changes nothing: retried like a read.
    method: "POST",
    path: ["v2", "orders", "suscriptions", "resources", "query"],
    body: defined({
      order_id: filter.orderId,
      resource_ids: filter.resourceIds,
      only_main_resource:
        filter.onlyMainResources === undefined ? undefined : filter.onlyMainResources ? 1 : 0,
      status_list: filter.statuses,
      limit: page.limit ?? 500,
      offset: page.offset ?? 0,
    }),
    // Huawei's permission table lists this query with the order reads.
    permission: "bss:order:view",
  });
  const answer = parseAnswer(client, result, "bss", operation, resourcesAnswer);
  return {
    items: (answer.data ?? []).map((r) =>
      defined({
        resourceId: r.resource_id,
        status: r.status,
        isMainResource: r.is_main_resource === undefined ? true : r.is_main_resource === 1,
        resourceTypeCode: r.resource_type_code,
        resourceSpecCode: r.resource_spec_code,
        serviceTypeCode: r.service_type_code,
        regionCode: r.region_code,
        projectId: r.project_id,
        effectiveAt: r.effective_time,
        expiresAt: r.expire_time,
        expirePolicy: r.expire_policy,
      }),
    ),
    totalCount: answer.total_count,
    requestId: result.requestId,
  };
}

/** Every resource matching `filter`, page by page. */
export async function allOrderResources(client: BssClient, filter: ResourceFilter): Promise<OrderResource[]> {
  const all: OrderResource[] = [];
  for (;;) {
    const page = await orderResources(client, filter, { limit: 500, offset: all.length });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.totalCount) return all;
  }
}
