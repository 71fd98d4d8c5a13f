// The orders of bench/programs/ours, declared through the provider plugin's types (registered by
// type token, as a generated SDK does); the engine finds the plugin on PATH. Connection settings
// come from the environment (HW_* and HUAWEICLOUD_ORDERS_*).
import * as pulumi from "@pulumi/pulumi";

class PluginOrder extends pulumi.CustomResource {
  constructor(kind: string, name: string, args: Record<string, unknown>) {
    super(`huaweicloud-orders:index:${kind}`, name, args);
  }
}

const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
for (let i = 0; i < n; i++) {
  new PluginOrder("DisPackageOrder", `dis-${i}`, {
    orderId: `BENCH${i}`,
    cloudServices: { cloudServiceForm: { projectId }, productInfos: { productId: "00301-261175-0--0" } },
    tenantId: projectId,
  });
  new PluginOrder("MetaStudioSubscription", `metastudio-${i}`, {
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
