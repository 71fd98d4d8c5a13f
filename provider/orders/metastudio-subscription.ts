// MetaStudio "Subscribing to a MetaStudio Product": POST /v1/{project_id}/mss/public/orders,
// 200 with {"order_id": ...}. This file is the whole MetaStudio mapping: inputs (one zod schema),
// wire names (the page's snake_case) and the request.
import { z } from "zod";
import type { OrderKind } from "./order-kind";
import { onWire } from "./schema-kit";

const INT32_MAX = 2147483647;

const count = (what: string) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(INT32_MAX, `${what} must be at most ${INT32_MAX}`);

const publicCloudServiceOrder = z
  .strictObject({
    isAutoPay: onWire(
      z
        .boolean()
        .default(false)
        .describe(
          "Whether the order is paid automatically from the account (discounts and coupons chosen " +
            "automatically; if payment fails an unpaid order is left to pay by hand). Default: false. " +
            "Sent as `is_auto_pay` 0/1.",
        ),
      { wire: "is_auto_pay", booleanAsInteger: true },
    ),
    periodType: onWire(
      z
        .union([z.literal(2), z.literal(3), z.literal(6)], {
          error: "periodType must be 2 (monthly), 3 (yearly) or 6 (one-off)",
        })
        .describe(
          "Subscription period type: 2 monthly, 3 yearly, 6 one-off. Required. Sent as `period_type`.",
        ),
      { wire: "period_type" },
    ),
    periodNum: onWire(
      count("periodNum").describe(
        "Number of subscription periods, 1–2147483647. Required. Sent as `period_num`.",
      ),
      { wire: "period_num" },
    ),
    isAutoRenew: onWire(
      z
        .boolean()
        .default(false)
        .describe(
          "Whether the subscription renews automatically. Default: false. Sent as `is_auto_renew` 0/1.",
        ),
      { wire: "is_auto_renew", booleanAsInteger: true },
    ),
    subscriptionNum: onWire(
      count("subscriptionNum").describe(
        "Subscription quantity, 1–2147483647. Required. Sent as `subscription_num`.",
      ),
      { wire: "subscription_num" },
    ),
    resourceSpecCode: onWire(
      z
        .string()
        .min(1, "resourceSpecCode must not be empty")
        .describe('Resource specification code of the product (see MetaStudio "Resource Type"). Required.'),
      { wire: "resource_spec_code" },
    ),
  })
  .meta({ id: "MetaStudioProduct", description: "One MetaStudio product to subscribe to." });

/** MetaStudioSubscription's inputs: every field the MetaStudio page documents. */
export const metaStudioSubscriptionInputs = z
  .strictObject({
    cloudServices: onWire(
      z
        .array(publicCloudServiceOrder)
        .min(1, "cloudServices needs at least one product")
        .describe("The products to subscribe to, at least one. Sent as `cloud_services`."),
      { wire: "cloud_services" },
    ),
  })
  .describe(
    'A MetaStudio product subscription (MetaStudio "Subscribing to a MetaStudio Product"), placed once and ' +
      "followed through Huawei's billing service (BSS).",
  );

export type MetaStudioSubscriptionInputs = z.input<typeof metaStudioSubscriptionInputs>;

const PERIODS = { 2: "month", 3: "year", 6: "one-off" } as const;

export const metaStudioSubscription: OrderKind<typeof metaStudioSubscriptionInputs> = {
  name: "MetaStudioSubscription",
  service: "metastudio",
  operation: "CreateOrder",
  projectInPath: true,
  inputs: metaStudioSubscriptionInputs,
  path: (_inputs, projectId) => ["v1", projectId, "mss", "public", "orders"],
  orderId: {
    in: "answer",
    read: (body) => {
      const id = (body as { order_id?: unknown } | undefined)?.order_id;
      return typeof id === "string" && id !== "" ? id : undefined;
    },
  },
  // The built-in code follows Huawei's pattern (hws.service.type.<service>); no page names
  // MetaStudio's, so BSS's service type list is asked (provider/billing/service-types.ts).
  serviceTypeCode: "hws.service.type.metastudio",
  serviceTypeNames: ["MetaStudio"],
  // Each item is one product. The codes MetaStudio's "Resource Types" page lists (its "Resource
  // Type Code" column: hws.resource.type.metastudio.modeling.avatarlive.channel, ...) are what an
  // item's resourceSpecCode carries, so the item's code is both its resource type and its spec in
  // the price inquiry, under the looked-up service type code (priceInquiry overrides either).
  items: (inputs) =>
    inputs.cloudServices.map((item, i) => ({
      path: `cloudServices[${i}]`,
      periodType: item.periodType,
      period: PERIODS[item.periodType],
      periodNum: item.periodNum,
      subscriptionNum: item.subscriptionNum,
      resourceSpecCode: item.resourceSpecCode,
      isAutoRenew: item.isAutoRenew,
      isAutoPay: item.isAutoPay,
      product: {
        resourceType: item.resourceSpecCode,
        resourceSpec: item.resourceSpecCode,
      },
      declared: item,
    })),
  // One order holds every item: a replacement buys all of them again, unchanged ones included.
  itemList: "cloudServices",
  // Huawei pays the order itself only when every item asks it (emulator/README.md, Billing).
  payment: "items",
  // Huawei's Terraform signs it before every MetaStudio order (MetaStudio "Signing a Special
  // Agreement"); here only when the resource opts in.
  autoPayAgreement: { agreementType: "AUTO_PAY", title: "MetaStudio's AUTO_PAY agreement" },
  payHint:
    "Pay it in the Huawei Cloud console (Billing Center > Orders > My Orders > Pay); isAutoPay is part of " +
    "the order, so setting it now would buy a new one.",
  unsubscribeHint:
    "A yearly/monthly subscription can be unsubscribed in the Huawei Cloud console (Billing Center > Orders > " +
    "Unsubscriptions) or with the BSS API POST /v2/orders/subscriptions/resources/unsubscribe; " +
    "a one-off purchase cannot be returned.",
};
