// Subscribes to a monthly MetaStudio product and a one-off package.
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
    {
      periodType: 6, // one-off
      periodNum: 1,
      subscriptionNum: 1,
      resourceSpecCode: config.get("oneOffSpec") ?? "hws.resource.type.metastudio.voice.package",
    },
  ],
});

export const orderId = subscription.orderId;
export const requestId = subscription.requestId;
