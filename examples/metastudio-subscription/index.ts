// Subscribes to a monthly MetaStudio product: one monthly item per resource, so the preview shows
// its price (BSS's price inquiry prices monthly and yearly items only).
import * as pulumi from "@pulumi/pulumi";
import { MetaStudioSubscription } from "pulumi-huaweicloud-orders";

const config = new pulumi.Config();

const subscription = new MetaStudioSubscription("avatar-channels", {
  cloudServices: [
    {
      periodType: 2, // monthly
      periodNum: config.getNumber("months") ?? 1,
      subscriptionNum: config.getNumber("channels") ?? 1,
      resourceSpecCode:
        config.get("monthlySpec") ?? "hws.resource.type.metastudio.modeling.avatarlive.channel",
      isAutoPay: true,
    },
  ],
});

export const orderId = subscription.orderId;
export const requestId = subscription.requestId;
