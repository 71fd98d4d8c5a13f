// What the client's settings are: their names, where each is read, and the settings a client runs
// with. settings.ts resolves and checks them.
import type { Endpoints } from "./endpoints";

/** Every setting, named as in the `huaweicloud:` config namespace. */
export interface ClientSettingsInput {
  region?: string;
  projectId?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  authToken?: string;
  domainAuthToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  domainId?: string;
  authUrl?: string;
  disEndpoint?: string;
  metastudioEndpoint?: string;
  bssEndpoint?: string;
  maxRetries?: string | number;
  maxRetryWaitSeconds?: string | number;
  connectTimeoutSeconds?: string | number;
  responseTimeoutSeconds?: string | number;
}

export type SettingName = keyof ClientSettingsInput;

/** The environment variable for each setting (Huawei Terraform provider names where one exists). */
export const ENVIRONMENT_VARIABLES: Readonly<Record<SettingName, string>> = {
  region: "HW_REGION_NAME",
  projectId: "HW_PROJECT_ID",
  accessKey: "HW_ACCESS_KEY",
  secretKey: "HW_SECRET_KEY",
  securityToken: "HW_SECURITY_TOKEN",
  authToken: "HW_AUTH_TOKEN",
  domainAuthToken: "HW_DOMAIN_AUTH_TOKEN",
  userName: "HW_USER_NAME",
  password: "HW_USER_PASSWORD",
  domainName: "HW_DOMAIN_NAME",
  domainId: "HW_DOMAIN_ID",
  authUrl: "HW_AUTH_URL",
  disEndpoint: "HW_DIS_ENDPOINT",
  metastudioEndpoint: "HW_METASTUDIO_ENDPOINT",
  bssEndpoint: "HW_BSS_ENDPOINT",
  maxRetries: "HW_MAX_RETRIES",
  maxRetryWaitSeconds: "HW_MAX_RETRY_WAIT_SECONDS",
  connectTimeoutSeconds: "HW_CONNECT_TIMEOUT_SECONDS",
  responseTimeoutSeconds: "HW_RESPONSE_TIMEOUT_SECONDS",
};

/** Settings whose values are credentials: stored as secrets, never printed. */
export const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set([
  "secretKey",
  "securityToken",
  "authToken",
  "domainAuthToken",
  "password",
]);

export type Credentials =
  /** `domainToken`: a domain-scoped token for global services (BSS); `token` serves the rest. */
  | { kind: "token"; token: string; domainToken?: string }
  | { kind: "password"; userName: string; password: string; domainName: string }
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string };

export interface ClientSettings {
  region: string;
  projectId?: string;
  /** The account (domain) id global services (BSS) need with AK/SK; else asked of IAM once. */
  domainId?: string;
  credentials: Credentials;
  endpoints: Endpoints;
  retry: { maxAttempts: number; maxWaitMs: number };
  timeouts: { connectMs: number; responseMs: number };
}

export interface SettingSources {
  /** The resource's `connection` input: keys are checked too, since a program can pass anything. */
  explicit?: ClientSettingsInput | Readonly<Record<string, unknown>>;
  /** Reads `huaweicloud:<name>` from the stack's configuration. */
  config?: (name: SettingName) => string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where a setting was read: the resource's connection input, the stack's config, the environment. */
export type SettingLayer = "connection" | "config" | "environment";

export const SETTING_LAYERS: Readonly<Record<SettingLayer, string>> = {
  connection: "the resource's connection input",
  config: "the stack's configuration",
  environment: "the environment",
};

/** One thing wrong with the settings, found without the network. */
export interface SettingProblem {
  /** The setting (`region`), or the unknown key a connection input carries. */
  key: string;
  /** The layer the faulty value came from; undefined when no layer holds something that is needed. */
  layer: SettingLayer | undefined;
  /** What is wrong, naming the setting as the operator writes it in its layer. */
  reason: string;
}

/** What a request will need beyond well-formed settings. */
export interface SettingNeeds {
  /** A region and complete credentials (default true; false when nothing will be sent). */
  credentials?: boolean;
  /** The request path carries the project id (default false); AK/SK signing always needs one. */
  projectInPath?: boolean;
}
