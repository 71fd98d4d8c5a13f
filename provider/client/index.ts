// The Huawei Cloud client: endpoints, credentials, signing, retries and errors. No Pulumi here.
export {
  HuaweiCloudClient,
  USER_AGENT,
  type CallRequest,
  type CallResult,
  type ClientOptions,
} from "./client";
export { ClientRuntime, type ClientRuntimeOptions } from "./runtime";
export { GotTransport, type Transport, type TransportOutcome, type WireRequest } from "./transport";
export { checkEndpoint, defaultEndpoint, isLoopback, type Endpoints } from "./endpoints";
export {
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  OutcomeUnknownError,
  UnexpectedAnswerError,
  type CallMetadata,
  type ServiceName,
} from "./errors";
export { SERVICES, type AuthScope } from "./services";
export { AdaptiveRateLimiter, statedRateLimit, type Answer, type LimiterState } from "./rate-limiter";
export * as bss from "./bss";
export * as bssPrices from "./bss-prices";
export * as metastudioResources from "./metastudio-resources";
export * as metastudioAgreements from "./metastudio-agreements";
export { Redactor, SECRET_HEADERS } from "./redaction";
export {
  OWN_NAMESPACE,
  SECRET_SETTINGS,
  SETTING_KEYS,
  SETTING_LAYERS,
  SETTING_NAMES,
  SHARED_NAMESPACE,
  NO_LONGER_READ,
  checkSettings,
  isShared,
  oldNamesInUse,
  resolveSettings,
  type ClientSettings,
  type ClientSettingsInput,
  type Credentials,
  type SettingLayer,
  type SettingName,
  type SettingNeeds,
  type SettingProblem,
  type SettingSources,
} from "./settings";
export { signRequest, sdkDate, type SignableRequest, type SigningKey } from "./signer";
