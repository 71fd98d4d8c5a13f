// Baseline (a): the least a dynamic resource can do. A provider that posts the same bodies as
// the real resources with Node's fetch, and nothing else: no validation, no retries, no secrets.
import * as pulumi from "@pulumi/pulumi";

interface Post {
  path: string;
  body: unknown;
}

const poster: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Post) {
    const res = await fetch(`${process.env["BENCH_URL"]}${inputs.path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Auth-Token": process.env["BENCH_TOKEN"] ?? "" },
      body: JSON.stringify(inputs.body),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const text = await res.text();
    const id: string = text
      ? (JSON.parse(text) as { order_id: string }).order_id
      : (inputs.path.split("/").pop() ?? "");
    return { id, outs: { ...inputs, orderId: id } };
  },
};

class PostOrder extends pulumi.dynamic.Resource {
  constructor(name: string, props: Post) {
    super(poster, name, props);
  }
}

const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
for (let i = 0; i < n; i++) {
  new PostOrder(`dis-${i}`, { path: `/v2/orders/BENCH${i}`, body: disBody(projectId) });
  new PostOrder(`metastudio-${i}`, { path: `/v1/${projectId}/mss/public/orders`, body: metastudioBody() });
}

function disBody(projectId: string) {
  return {
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
  };
}

function metastudioBody() {
  return {
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
  };
}
