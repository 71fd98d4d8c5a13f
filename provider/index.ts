/**
 * The package's provider entry, `pulumi-huaweicloud-orders/provider` (docs/installation.md): what
 * the engine's dynamic-provider process loads, by package name, for each resource. Programs need
 * none of it but {@link isLoopback}.
 * @module pulumi-huaweicloud-orders/provider
 */
export { orderProvider } from "./phases/registry";
export { OrderProvider } from "./phases/order-provider";
export { RunContext } from "./run/run-context";
export { ORDER_KINDS, type OrderKindName } from "./orders";
// For programs that must tell the local emulator from Huawei Cloud (the quickstart does).
export { isLoopback } from "./client";
