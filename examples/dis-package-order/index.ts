// Submits one DIS cloud service package order (a monthly partition-duration package).
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder } from "pulumi-huaweicloud-orders";

const config = new pulumi.Config();
// Optional order fields, from the stack's huaweicloud: settings or the HW_* environment a pipeline
// gives; the order itself needs neither (with a ready token, the request needs no project id).
const huaweicloud = new pulumi.Config("huaweicloud");
const projectId = huaweicloud.get("projectId") ?? process.env["HW_PROJECT_ID"];
const regionId = huaweicloud.get("region") ?? process.env["HW_REGION_NAME"];

const order = new DisPackageOrder("partition-hours", {
  // The order id issued for this package; one id, one order.
  orderId: config.require("orderId"),
  cloudServices: {
    periodType: 2, // monthly
    periodNum: config.getNumber("months") ?? 1,
    cloudServiceForm: { projectId, orderId: config.require("orderId") },
    productInfos: { productId: config.get("productId") ?? "00301-261175-0--0" },
    regionId,
    subscriptionNum: 1,
  },
  tenantId: projectId,
});

export const orderId = order.orderId;
export const requestId = order.requestId;
export const submittedAt = order.submittedAt;
