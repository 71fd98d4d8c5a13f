// DIS "Submitting a Cloud Service Package Order": POST /v2/orders/{order_id}, 200 with no body.
// This file is the whole DIS mapping: the inputs (one zod schema: types, ranges, defaults, docs),
// their wire names, and the request. Decisions on the page's wrinkles, on purpose:
// - cloudServices, cloudServiceForm and productInfos go on the wire as single objects, as the
//   page's example request sends them; the tables' "Array of ... objects" is not what it sends.
// - The example's extra fields are settable: availableZoneId (sent as the page's `avalibleZoneId`),
//   cloudServiceEndpoint, regionId, subscriptionNum, discountId.
// - isAutoRenew and isTrial are yes/no: booleans here, sent as 0/1 as the example and the
//   documented default (0) show.
// - cloudServiceForm's service type is sent as `cloudservicetype`, the table's spelling (the
//   example writes `cloudServiceType`): the table spells every field of that object in lower case
//   (projectid, orderid), and the value sent is the documented default, so a server that knew only
//   the other spelling would apply the same value.
// - productInfos.resourceType defaults to `hws.resource.type.dis`, the example's value; the table's
//   `hws.service.type.dis` is a cloud service type code (BSS names service types
//   hws.service.type.<service> and resource types hws.resource.type.<type>), the same default as
//   the cloudServiceType fields beside it. Stacks that ordered with the old default see no change.
import { z } from "zod";
import type { OrderKind } from "./order-kind";
import { onWire } from "./schema-kit";

const lettersAndDigits = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`)
    .regex(/^[A-Za-z0-9]*$/, `${what} may contain only letters and digits`);

const integer = (what: string) => z.number().int(`${what} must be a whole number`);

const cloudServiceForm = z
  .strictObject({
    cloudServiceType: onWire(
      z
        .string()
        .min(1)
        .default("hws.service.type.dis")
        .describe("Cloud service type. Default: hws.service.type.dis. Sent as `cloudservicetype`."),
      { wire: "cloudservicetype" },
    ),
    projectId: onWire(
      lettersAndDigits("cloudServiceForm.projectId")
        .optional()
        .describe("Project ID: 1–64 letters and digits. Sent as `projectid`."),
      { wire: "projectid" },
    ),
    orderId: onWire(
      lettersAndDigits("cloudServiceForm.orderId")
        .optional()
        .describe("Order ID: 1–64 letters and digits. Sent as `orderid`."),
      { wire: "orderid" },
    ),
  })
  .meta({ id: "DisCloudServiceForm", description: "A DIS resource package's type information." });

const productInfos = z
  .strictObject({
    productId: z
      .string()
      .min(1)
      .optional()
      .describe("ID of the product to be purchased; each product has a unique ID."),
    resourceSpecCode: z
      .string()
      .min(1)
      .default("dis.general.partition.duration.pkg")
      .describe("Name of the resource package. Default: dis.general.partition.duration.pkg."),
    resourceType: z
      .string()
      .min(1)
      .default("hws.resource.type.dis")
      .describe(
        "Resource type. Default: hws.resource.type.dis (the page's example; its table says " +
          "hws.service.type.dis, a service type code).",
      ),
    cloudServiceType: z
      .string()
      .min(1)
      .optional()
      .describe("Cloud service type (shown in the page's example request only)."),
  })
  .meta({ id: "DisProductInfos", description: "The DIS product to buy." });

/** The longest subscription: 9 months, or 3 years. */
const maxPeriodNum = (periodType: 2 | 3) => (periodType === 3 ? 3 : 9);

const cloudServices = z
  .strictObject({
    chargingMode: integer("chargingMode")
      .min(0, "chargingMode must be 0 or more")
      .default(0)
      .describe("Billing mode; the prepaid mode is the default. Default: 0."),
    paymentMode: integer("paymentMode")
      .min(0, "paymentMode must be 0 or more")
      .default(0)
      .describe("Payment method. Default: 0."),
    periodType: z
      .union([z.literal(2), z.literal(3)], { error: "periodType must be 2 (monthly) or 3 (yearly)" })
      .default(2)
      .describe("Subscription duration type: 2 monthly, 3 yearly. Default: 2."),
    periodNum: integer("periodNum")
      .default(1)
      .describe("Subscription duration: 1–9 months when periodType is 2, 1–3 years when 3. Default: 1."),
    cloudServiceForm: cloudServiceForm
      .default(() => cloudServiceForm.parse({}))
      .describe("Resource package type information: cloud service type, project ID and order ID."),
    isAutoRenew: onWire(
      z
        .boolean()
        .default(false)
        .describe("Whether automatic renewal is enabled. Default: false. Sent as 0/1."),
      { booleanAsInteger: true },
    ),
    isTrial: onWire(
      z
        .boolean()
        .default(false)
        .describe("Whether the subscription is in the trial period. Default: false. Sent as 0/1."),
      { booleanAsInteger: true },
    ),
    cloudServiceType: z
      .string()
      .min(1)
      .default("hws.service.type.dis")
      .describe("Cloud service type. Default: hws.service.type.dis."),
    productInfos: productInfos
      .default(() => productInfos.parse({}))
      .describe("Product information: product ID, resource package name, resource type."),
    availableZoneId: onWire(
      z
        .string()
        .optional()
        .describe("Availability zone (the page's example field, sent with its spelling `avalibleZoneId`)."),
      { wire: "avalibleZoneId" },
    ),
    cloudServiceEndpoint: z
      .string()
      .optional()
      .describe("Cloud service endpoint (the page's example field)."),
    regionId: z.string().min(1).optional().describe("Region ID, e.g. cn-north-4 (the page's example field)."),
    subscriptionNum: integer("subscriptionNum")
      .min(1, "subscriptionNum must be at least 1")
      .optional()
      .describe("Number of subscriptions, at least 1 (the page's example field)."),
  })
  // The range of periodNum depends on periodType. `when` runs this check even while other fields
  // fail, so a preview names every problem at once; it needs only the two fields to be valid.
  .refine((v) => v.periodNum >= 1 && v.periodNum <= maxPeriodNum(v.periodType), {
    path: ["periodNum"],
    when: ({ value }) => {
      // The value as it stands mid-parse: anything a program sent, null included.
      if (typeof value !== "object" || value === null) return false;
      const v = value as { periodType?: unknown; periodNum?: unknown };
      return (v.periodType === 2 || v.periodType === 3) && Number.isInteger(v.periodNum);
    },
    error: (issue) => {
      const v = issue.input as { periodType: 2 | 3; periodNum: number };
      return (
        `periodNum must be from 1 to ${maxPeriodNum(v.periodType)} when periodType is ${v.periodType} ` +
        `(${v.periodType === 3 ? "years" : "months"}), got ${v.periodNum}`
      );
    },
  })
  .meta({ id: "DisCloudServices", description: "A DIS cloud service resource package order's details." });

/** DisPackageOrder's inputs: every field the DIS page documents. */
export const disPackageOrderInputs = z
  .strictObject({
    orderId: onWire(
      lettersAndDigits("orderId").describe(
        "The order to submit (the path's order_id): 1–64 letters and digits. Also the resource id.",
      ),
      { inPath: true },
    ),
    cloudServices: cloudServices
      .default(() => cloudServices.parse({}))
      .describe("Cloud service resource package details."),
    purchaseMode: integer("purchaseMode")
      .min(0, "purchaseMode must be 0 or more")
      .default(1)
      .describe("Purchase mode. Default: 1."),
    tenantId: z
      .string()
      .min(1, "tenantId must not be empty")
      .optional()
      .describe("Tenant ID, the same as the project ID."),
    discountId: z.string().optional().describe("Discount ID (the page's example field)."),
  })
  .describe(
    'A DIS cloud service package order (DIS "Submitting a Cloud Service Package Order"), placed once and ' +
      "followed through Huawei's billing service (BSS).",
  );

export type DisPackageOrderInputs = z.input<typeof disPackageOrderInputs>;

export const disPackageOrder: OrderKind<typeof disPackageOrderInputs> = {
  name: "DisPackageOrder",
  service: "dis",
  operation: "SubmitPackageOrder",
  projectInPath: false,
  inputs: disPackageOrderInputs,
  path: (inputs) => ["v2", "orders", inputs.orderId],
  // The page answers 200 with no body: the order is the one named in the path, and resubmitting it
  // with other parameters is refused, never sent.
  orderId: { in: "request", input: "orderId" },
  // Found in BSS by its id (the page's example names this cloud service type).
  serviceTypeCode: "hws.service.type.dis",
  serviceTypeNames: ["DIS", "Data Ingestion Service"],
  // One package: the order's own service type, resource type and package (spec) code, its period,
  // region and zone; one package unless subscriptionNum says more.
  items: (inputs) => {
    const cs = inputs.cloudServices;
    return [
      {
        path: "cloudServices",
        periodType: cs.periodType,
        period: cs.periodType === 3 ? "year" : "month",
        periodNum: cs.periodNum,
        subscriptionNum: cs.subscriptionNum ?? 1,
        resourceSpecCode: cs.productInfos.resourceSpecCode,
        isAutoRenew: cs.isAutoRenew,
        ...(cs.productInfos.productId === undefined ? {} : { productId: cs.productInfos.productId }),
        product: {
          cloudServiceType: cs.productInfos.cloudServiceType ?? cs.cloudServiceType,
          resourceType: cs.productInfos.resourceType,
          resourceSpec: cs.productInfos.resourceSpecCode,
          ...(cs.regionId ? { region: cs.regionId } : {}),
          ...(cs.availableZoneId ? { availableZone: cs.availableZoneId } : {}),
        },
        declared: cs,
      },
    ];
  },
  // The page has no auto-pay field: every DIS order waits for payment (the input autoPay pays it).
  payment: "autoPay input",
  payHint:
    "Pay it in the Huawei Cloud console (Billing Center > Orders > My Orders > Pay), or set autoPay: true " +
    "to have it paid through BSS.",
  unsubscribeHint:
    "To stop paying for it, unsubscribe it in the Huawei Cloud console (Billing Center > Orders > Unsubscriptions) " +
    "or with the BSS API POST /v2/orders/subscriptions/resources/unsubscribe.",
};
