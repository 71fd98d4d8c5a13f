// The local Huawei Cloud emulator (IAM tokens, DIS package orders, MetaStudio subscriptions) for
// tests and demos; see emulator/README.md.
export { startEmulator, DEFAULT_MAX_BODY_BYTES, type EmulatorOptions, type RunningEmulator } from "./server";
export { DEMO_ACCOUNT, type AccountSpec, type AccessKeySpec, type ProjectSpec } from "./accounts";
export type { ActiveFault, ErrorStatus, FaultSpec, FaultTarget, OrderFaultTarget } from "./faults";
export type { LogLevel } from "./log";
export type { FaultKind, OrderRecord, OrderService, RecordedRequest, RequestLogEntry } from "./types";
export type { PriceTable, PriceTableSpec } from "./pricing";
