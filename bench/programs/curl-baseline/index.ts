// Baseline (b): what a user might write instead. One @pulumi/command local.Command per order,
// running curl with the same bodies; the token comes from the environment, not the state.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
const post = (name: string, path: string, body: unknown) =>
  new command.local.Command(name, {
    create:
      `curl -sSf -X POST "$BENCH_URL${path}" -H "Content-Type: application/json" ` +
      `-H "X-Auth-Token: $BENCH_TOKEN" -d '${JSON.stringify(body)}'`,
  });

for (let i = 0; i < n; i++) {
  post(`dis-${i}`, `/v2/orders/BENCH${i}`, {
    cloudServices: {
      chargingMode: 0,
      paymentMode: 0,
      periodType: 2,
      periodNum: 1,
      cloudServiceForm: { cloudservicetype: "hws.service.type.dis", projectid: projectId },
      isAutoRenew: 0,
      isTrial: 0,
      cloudServiceType: "hws.service.type.dis",
      productInfos: {
        productId: "00301-261175-0--0",
        resourceSpecCode: "dis.general.partition.duration.pkg",
        resourceType: "hws.service.type.dis",
      },
    },
    purchaseMode: 1,
    tenantId: projectId,
  });
  post(`metastudio-${i}`, `/v1/${projectId}/mss/public/orders`, {
    cloud_services: [
      {
        is_auto_pay: 0,
        period_type: 2,
        period_num: 1,
        is_auto_renew: 0,
        subscription_num: 1,
        resource_spec_code: "bench.spec",
      },
    ],
  });
}
