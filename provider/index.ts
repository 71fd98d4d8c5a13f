// What the engine's dynamic-provider process loads, by package name, at run time.
export {
  orderProvider,
  OrderProvider,
  CONNECTION_KEY,
  RESOURCE_NAME_KEY,
  type OrderOutputs,
} from "./dynamic/order-provider";
export { ORDER_KINDS, type OrderKindName } from "./orders";
// For programs that must tell the local emulator from Huawei Cloud (the quickstart does).
export { isLoopback } from "./client";
