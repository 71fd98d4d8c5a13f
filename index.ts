// The quickstart: one order of each kind. `scripts/main-job.sh` previews and deploys it against
// the local Huawei Cloud emulator; with real credentials and no endpoint overrides it orders for
// real (see docs/configuration.md).
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder, MetaStudioSubscription } from "pulumi-huaweicloud-orders";
import { isLoopback } from "pulumi-huaweicloud-orders/provider";

const huaweicloud = new pulumi.Config("huaweicloud");
const config = new pulumi.Config();
const projectId = huaweicloud.get("projectId") ?? process.env["HW_PROJECT_ID"];

// The DIS page's example order id: fine for the local emulator, never to be posted to Huawei Cloud
// (or any endpoint that is not loopback), where it is someone else's order or none at all.
const PAGE_EXAMPLE_ORDER_ID = "CS2511071586MU";
const orderToSubmit = config.get("disOrderId") ?? PAGE_EXAMPLE_ORDER_ID;
// Where the DIS order goes, as the package reads it (docs/configuration.md): Huawei's provider's
// `endpoints` map, else this package's variable.
const disEndpoint =
  huaweicloud.getObject<Record<string, string>>("endpoints")?.["dis"] ??
  process.env["HUAWEICLOUD_ORDERS_DIS_ENDPOINT"];
const toEmulator =
  disEndpoint !== undefined && URL.canParse(disEndpoint) && isLoopback(new URL(disEndpoint).hostname);
if (orderToSubmit === PAGE_EXAMPLE_ORDER_ID && !toEmulator) {
  throw new pulumi.RunError(
    `the quickstart's DIS order id ${PAGE_EXAMPLE_ORDER_ID} is the API page's example, for the local emulator ` +
      `only, and the DIS endpoint is ${disEndpoint ?? "Huawei Cloud's"}: set the order id to submit with ` +
      "`pulumi config set disOrderId <order id>`",
  );
}

const disOrder = new DisPackageOrder("quickstart-dis", {
  orderId: orderToSubmit,
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
