// The package's provider entry, `pulumi-huaweicloud-orders/provider` (README "Install"): what the
// engine's dynamic-provider process loads, by package name, for each resource.
export { orderProvider, OrderProvider } from "./dynamic/order-provider";
export { ORDER_KINDS, type OrderKindName } from "./orders";
