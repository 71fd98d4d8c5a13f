// A stack-config driven program, as a CI pipeline runs it: the orders to place come from the
// stack's configuration (one Pulumi.<stack>.yaml per environment), and a local command writes a
// manifest of the placed orders for the pipeline's later steps.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import {
  DisPackageOrder,
  MetaStudioSubscription,
  type DisPackageOrderArgs,
  type MetaStudioSubscriptionArgs,
} from "pulumi-huaweicloud-orders";

const config = new pulumi.Config();
const disOrders = config.getObject<Record<string, DisPackageOrderArgs>>("disOrders") ?? {};
const subscriptions =
  config.getObject<Record<string, MetaStudioSubscriptionArgs>>("metastudioSubscriptions") ?? {};

// Paid orders are protected: `pulumi destroy`, or an order dropped from the config, fails instead
// of abandoning the order. Set `protectOrders: false` and run `up` first to remove orders on purpose.
const protect = config.getBoolean("protectOrders") ?? true;
// A renamed order keeps its order instead of buying a new one: map its new name to its old names.
const formerNames = config.getObject<Record<string, string[]>>("formerNames") ?? {};
const options = (name: string): pulumi.CustomResourceOptions => ({
  protect,
  aliases: (formerNames[name] ?? []).map((former) => ({ name: former })),
});

const placed = [
  ...Object.entries(disOrders).map(([name, args]) => {
    const order = new DisPackageOrder(name, args, options(name));
    return { name, kind: "DisPackageOrder", orderId: order.orderId, requestId: order.requestId };
  }),
  ...Object.entries(subscriptions).map(([name, args]) => {
    const order = new MetaStudioSubscription(name, args, options(name));
    return { name, kind: "MetaStudioSubscription", orderId: order.orderId, requestId: order.requestId };
  }),
];

const manifest = pulumi.jsonStringify({ stack: pulumi.getStack(), orders: placed });
const manifestFile = config.get("manifestFile") ?? "order-manifest.json";

// Rewritten whenever the set of orders changes; removed on destroy.
const writeManifest = new command.local.Command("order-manifest", {
  create: `printf '%s\\n' "$MANIFEST" > "$MANIFEST_FILE"`,
  delete: `rm -f "$MANIFEST_FILE"`,
  environment: { MANIFEST: manifest, MANIFEST_FILE: manifestFile },
  triggers: [manifest],
});

export const orders = placed;
export const manifestPath = writeManifest.id.apply(() => manifestFile);
