// The quickstart: one order of each kind. `scripts/main-job.sh` previews and deploys it against
// the local Huawei Cloud emulator; with real credentials and no endpoint overrides it orders for
// real (see README "Configuration").
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder, MetaStudioSubscription } from "pulumi-huaweicloud-orders";

const huaweicloud = new pulumi.Config("huaweicloud");
const config = new pulumi.Config();
const projectId = huaweicloud.get("projectId") ?? process.env["HW_PROJECT_ID"];

const disOrder = new DisPackageOrder("quickstart-dis", {
  orderId: config.get("disOrderId") ?? "CS2511071586MU",
  cloudServices: {
    periodType: 2,
    periodNum: 1,
    cloudServiceForm: { projectId },
    productInfos: { productId: "00301-261175-0--0" },
    subscriptionNum: 1,
  },
  tenantId: projectId,
});

const subscription = new MetaStudioSubscription("quickstart-metastudio", {
  cloudServices: [
    {
      periodType: 2,
      periodNum: 1,
      subscriptionNum: 1,
      resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
    },
  ],
});

export const disOrderId = disOrder.orderId;
export const disRequestId = disOrder.requestId;
export const metastudioOrderId = subscription.orderId;
export const metastudioRequestId = subscription.requestId;
