// N DisPackageOrder and N MetaStudioSubscription; connection settings come from the environment
// (HW_* and HUAWEICLOUD_ORDERS_*).
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder, MetaStudioSubscription } from "pulumi-huaweicloud-orders";

const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
for (let i = 0; i < n; i++) {
  new DisPackageOrder(`dis-${i}`, {
    orderId: `BENCH${i}`,
    cloudServices: { cloudServiceForm: { projectId }, productInfos: { productId: "00301-261175-0--0" } },
    tenantId: projectId,
  });
  new MetaStudioSubscription(`metastudio-${i}`, {
    cloudServices: [
      {
        periodType: 2,
        periodNum: 1,
        subscriptionNum: 1,
        resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      },
    ],
  });
}
