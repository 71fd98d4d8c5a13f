// N new DisPackageOrders, each a product the emulator's default price table knows; connection
// settings come from the environment (HW_* and HUAWEICLOUD_ORDERS_*).
import * as pulumi from "@pulumi/pulumi";
import { DisPackageOrder } from "pulumi-huaweicloud-orders";

const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) {
  new DisPackageOrder(`dis-${i}`, { orderId: `PRICE${i}`, cloudServices: { periodNum: 1 + (i % 9) } });
}
