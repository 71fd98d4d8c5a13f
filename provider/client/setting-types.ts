// What the client's settings are: their names, where each is read, and the settings a client runs
// with. settings.ts resolves and checks them.
import type { Endpoints } from "./endpoints";

/**
 * A resource's `connection` input: the keys of the stack configuration, without their namespace
 * (docs/configuration.md), so one credential block can also be handed to Huawei's provider.
 * A field without a doc comment here is described by the setting's entry in SETTING_DESCRIPTIONS
 * (setting-keys.ts), which the API reference shows (scripts/typedoc-zod-docs.mts).
 * @fieldDescriptions SETTING_DESCRIPTIONS
 */
export interface ClientSettingsInput {
  region?: string;
  projectId?: string;
  /** The project whose id is looked up when none is given (Huawei's provider's; default: the region's name). */
  projectName?: string;
  /** The site's domain (Huawei's provider's; default myhuaweicloud.com, myhuaweicloud.eu in eu-west-1xx). */
  cloud?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  /** A ready IAM token (Huawei's provider's `token`). */
  token?: string;
  domainAuthToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  domainId?: string;
  authUrl?: string;
  /** Endpoints by service, as Huawei's provider's `endpoints`: `iam`, `dis`, `metastudio` and `bss` are read. */
  endpoints?: Readonly<Record<string, string>>;
  maxRetries?: string | number;
  maxRetryWaitSeconds?: string | number;
  connectTimeoutSeconds?: string | number;
  responseTimeoutSeconds?: string | number;
  /** @deprecated Use `token`; still read in 0.2.0, with a warning. */
  authToken?: string;
  /** @deprecated Use `endpoints.dis`; still read in 0.2.0, with a warning. */
  disEndpoint?: string;
  /** @deprecated Use `endpoints.metastudio`; still read in 0.2.0, with a warning. */
  metastudioEndpoint?: string;
  /** @deprecated Use `endpoints.bss`; still read in 0.2.0, with a warning. */
  bssEndpoint?: string;
}

export type Credentials =
  /** `domainToken`: a domain-scoped token for global services (BSS); `token` serves the rest. */
  | { kind: "token"; token: string; domainToken?: string }
  | { kind: "password"; userName: string; password: string; domainName: string }
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string };

export interface ClientSettings {
  region: string;
  projectId?: string;
  /** The project looked up (AK/SK) or scoped to (password tokens) when no project id is given; unset: the region's. */
  projectName?: string;
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
  /** The stack's configuration by full key (`huaweicloud:region`); a map's value is its JSON text. */
  config?: (key: string) => string | undefined;
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
  /** In the connection layer: the key as written there (`endpoints.dis`, or an old name). */
  at?: string;
  /** The layer the faulty value came from; undefined when no layer holds something that is needed. */
  layer: SettingLayer | undefined;
  /** What is wrong, naming the setting as the operator writes it in its layer. */
  reason: string;
}

/** What a request will need beyond well-formed settings. */
export interface SettingNeeds {
  /** A region and complete credentials (default true; false when nothing will be sent). */
  credentials?: boolean;
  /** The request path carries the project id (default false): a ready token then needs one configured. */
  projectInPath?: boolean;
}
