// Submits one DIS cloud service package order (a monthly partition-duration package).
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder } from "pulumi-huaweicloud-orders";

const config = new pulumi.Config();
const projectId = new pulumi.Config("huaweicloud").require("projectId");

const order = new DisPackageOrder("partition-hours", {
  // The order id issued for this package; one id, one order.
  orderId: config.require("orderId"),
  cloudServices: {
    periodType: 2, // monthly
    periodNum: config.getNumber("months") ?? 1,
    cloudServiceForm: { projectId, orderId: config.require("orderId") },
    productInfos: { productId: config.get("productId") ?? "00301-261175-0--0" },
    regionId: new pulumi.Config("huaweicloud").require("region"),
    subscriptionNum: 1,
  },
  tenantId: projectId,
});

export const orderId = order.orderId;
export const requestId = order.requestId;
export const submittedAt = order.submittedAt;
