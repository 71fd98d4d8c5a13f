// BSS, Huawei Cloud's billing service: the customer-order calls that follow an order to its end,
// one file per concern (orders, their resources, unsubscription), named here as one namespace
// (`bss` in provider/client/index.ts).
export {
  describeOrderStatus,
  describeResourceStatus,
  FROZEN,
  INSUFFICIENT_BALANCE,
  isOrderNotFound,
  ORDER_NOT_FOUND,
  ORDER_STATUS,
  ORDER_STATUSES,
  ORDER_TYPES,
  OrderNotFoundError,
  PERIOD_TYPES,
  RESOURCE_STATUSES,
  type BssClient,
  type Page,
} from "./bss-common";
export * from "./bss-orders";
export * from "./bss-resources";
export * from "./bss-unsubscribe";
export * from "./bss-products";
