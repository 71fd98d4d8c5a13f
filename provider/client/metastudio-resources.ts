// MetaStudio "Querying Tenant Resources": GET /v1/{project_id}/tenants/resources (Huawei's Go SDK
// v0.1.207 `services/metastudio/v1`, ListTenantResourcesRequest / ResourceItemInfo): what a
// MetaStudio order bought, as MetaStudio sees it (Huawei's Terraform reads its instance back so).
// A read in the project's scope, retried on 5xx and timeouts.
import { z } from "zod";
import { defined, integerField, optionalField, optionalTime, parseAnswer } from "./answers";
import type { BssClient } from "./bss-common";

/** What this needs of a client: HuaweiCloudClient (the project comes from the settings or the token). */
export interface ProjectClient extends BssClient {
  projectId(): Promise<string>;
}

// Optional fields may be null (answers.ts); unknown ones are dropped.
const resourceItem = z.object({
  resource_id: z.string().min(1),
  order_id: optionalField(z.string()),
  resource_expire_time: optionalTime,
  resource_type: optionalField(z.string()),
  business_type: optionalField(z.string()),
  charging_mode: optionalField(z.string()),
  resource_source: optionalField(z.string()),
  amount: optionalField(z.number()),
  usage: optionalField(z.number()),
  unit: optionalField(z.string()),
  /** 0 normal, 1 frozen. */
  status: optionalField(integerField),
});

const answer = z.object({
  resources: optionalField(z.array(resourceItem)),
  count: z.number(),
});

export interface TenantResource {
  resourceId: string;
  orderId?: string;
  expiresAt?: Date;
  resourceType?: string;
  businessType?: string;
  /** PERIODIC, ONE_TIME or ON_DEMAND. */
  chargingMode?: string;
  resourceSource?: string;
  amount?: number;
  usage?: number;
  unit?: string;
  /** 0 normal, 1 frozen (other values are passed through). */
  status?: number;
}

export interface TenantResourceFilter {
  /** Default PURCHASED: what the tenant bought (SP_ALLOCATED, ADMIN_ALLOCATED are given to it). */
  resourceSource?: "PURCHASED" | "SP_ALLOCATED" | "ADMIN_ALLOCATED";
  orderId?: string;
  resourceId?: string;
  chargingMode?: "PERIODIC" | "ONE_TIME" | "ON_DEMAND";
}

/**
 * Every tenant resource matching `filter`, page by page (100 per request); with `firstPage`, only
 * the first `limit` (what a look at whether the call is allowed needs).
 */
export async function tenantResources(
  client: ProjectClient,
  filter: TenantResourceFilter = {},
  firstPage?: { limit: number },
): Promise<{ resources: TenantResource[]; count: number; requestId: string | undefined }> {
  const operation = "ListTenantResources";
  const projectId = await client.projectId();
  const resources: TenantResource[] = [];
  for (;;) {
    const result = await client.call({
      service: "metastudio",
      operation,
      method: "GET",
      path: ["v1", projectId, "tenants", "resources"],
      query: {
        resource_source: filter.resourceSource ?? "PURCHASED",
        order_id: filter.orderId,
        resource_id: filter.resourceId,
        charging_mode: filter.chargingMode,
        limit: firstPage?.limit ?? 100,
        offset: resources.length,
      },
      creates: false,
      notDone: "Nothing was changed",
    });
    const page = parseAnswer(client, result, "metastudio", operation, answer);
    const items = page.resources ?? [];
    for (const r of items) {
      resources.push(
        defined({
          resourceId: r.resource_id,
          orderId: r.order_id,
          expiresAt: r.resource_expire_time,
          resourceType: r.resource_type,
          businessType: r.business_type,
          chargingMode: r.charging_mode,
          resourceSource: r.resource_source,
          amount: r.amount,
          usage: r.usage,
          unit: r.unit,
          status: r.status,
        }),
      );
    }
    if (firstPage || items.length === 0 || resources.length >= page.count) {
      return { resources, count: page.count, requestId: result.requestId };
    }
  }
}
