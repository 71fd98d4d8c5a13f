// Where each client setting is written: its stack configuration key, its environment variable,
// its key in a resource's `connection` input, and the names the previous release read (still read
// this release, with a warning). Huawei's own Pulumi provider, bridged from its Terraform
// provider, owns the `huaweicloud:` namespace and refuses keys it does not define, so this package
// reads there only keys that provider defines, with its meaning
// (tests/fixtures/bridged-provider/huaweicloud-config.json); its own settings live in
// `huaweicloud-orders:`, and its own environment variables start with HUAWEICLOUD_ORDERS_.
// docs/configuration.md is this table.

/** Huawei's provider's namespace: one credential block serves both packages. */
export const SHARED_NAMESPACE = "huaweicloud";
/** This package's own namespace: every setting Huawei's provider does not define. */
export const OWN_NAMESPACE = "huaweicloud-orders";

export type SettingName =
  | "region"
  | "projectId"
  | "projectName"
  | "cloud"
  | "accessKey"
  | "secretKey"
  | "securityToken"
  | "token"
  | "domainAuthToken"
  | "userName"
  | "password"
  | "domainName"
  | "domainId"
  | "authUrl"
  | "iamEndpoint"
  | "disEndpoint"
  | "metastudioEndpoint"
  | "bssEndpoint"
  | "maxRetries"
  | "maxRetryWaitSeconds"
  | "connectTimeoutSeconds"
  | "responseTimeoutSeconds";

export interface SettingKeys {
  /** The stack configuration key, in full; `huaweicloud:endpoints.dis` is an entry of that map. */
  config: string;
  /** The environment variable; Huawei's Terraform provider's name where it defines one. */
  env: string | undefined;
  /** The key in a resource's `connection` input; `endpoints.dis` is an entry of that map. */
  connection: string;
  /** The names the previous release read: still read this release, with a warning. */
  old?: { config?: string; env?: string; connection?: string };
}

const shared = (name: string, env: string): SettingKeys => ({
  config: `${SHARED_NAMESPACE}:${name}`,
  env,
  connection: name,
});
const own = (name: string, old?: SettingKeys["old"]): SettingKeys => ({
  config: `${OWN_NAMESPACE}:${name}`,
  env: `HUAWEICLOUD_ORDERS_${name.replace(/([A-Z])/g, "_$1").toUpperCase()}`,
  connection: name,
  ...(old ? { old } : {}),
});
/** A service's entry of Huawei's provider's `endpoints` map, with the flat names read before. */
const endpoint = (service: string): SettingKeys => ({
  config: `${SHARED_NAMESPACE}:endpoints.${service}`,
  env: service === "iam" ? undefined : `HUAWEICLOUD_ORDERS_${service.toUpperCase()}_ENDPOINT`,
  connection: `endpoints.${service}`,
  ...(service === "iam"
    ? {}
    : {
        old: {
          config: `${SHARED_NAMESPACE}:${service}Endpoint`,
          env: `HW_${service.toUpperCase()}_ENDPOINT`,
          connection: `${service}Endpoint`,
        },
      }),
});
/** Moved to this package's namespace and variable; the connection key is unchanged. */
const moved = (name: string, oldEnv: string) =>
  own(name, { config: `${SHARED_NAMESPACE}:${name}`, env: oldEnv });

export const SETTING_KEYS: Readonly<Record<SettingName, SettingKeys>> = {
  region: shared("region", "HW_REGION_NAME"),
  projectId: shared("projectId", "HW_PROJECT_ID"),
  // Huawei's Terraform provider: "If omitted, the HW_PROJECT_NAME environment variable or region is used."
  projectName: shared("projectName", "HW_PROJECT_NAME"),
  // Huawei's Terraform provider: "If omitted, the HW_CLOUD environment variable is used."
  cloud: shared("cloud", "HW_CLOUD"),
  accessKey: shared("accessKey", "HW_ACCESS_KEY"),
  secretKey: shared("secretKey", "HW_SECRET_KEY"),
  securityToken: shared("securityToken", "HW_SECURITY_TOKEN"),
  token: {
    ...shared("token", "HW_AUTH_TOKEN"),
    old: { config: `${SHARED_NAMESPACE}:authToken`, connection: "authToken" },
  },
  domainAuthToken: moved("domainAuthToken", "HW_DOMAIN_AUTH_TOKEN"),
  userName: shared("userName", "HW_USER_NAME"),
  password: shared("password", "HW_USER_PASSWORD"),
  domainName: shared("domainName", "HW_DOMAIN_NAME"),
  domainId: shared("domainId", "HW_DOMAIN_ID"),
  authUrl: shared("authUrl", "HW_AUTH_URL"),
  iamEndpoint: endpoint("iam"),
  disEndpoint: endpoint("dis"),
  metastudioEndpoint: endpoint("metastudio"),
  bssEndpoint: endpoint("bss"),
  // Huawei's `maxRetries` (HW_MAX_RETRIES) counts HTTP retries its own way: this count has its own name.
  maxRetries: own("maxRetries"),
  maxRetryWaitSeconds: moved("maxRetryWaitSeconds", "HW_MAX_RETRY_WAIT_SECONDS"),
  connectTimeoutSeconds: moved("connectTimeoutSeconds", "HW_CONNECT_TIMEOUT_SECONDS"),
  responseTimeoutSeconds: moved("responseTimeoutSeconds", "HW_RESPONSE_TIMEOUT_SECONDS"),
};

export const SETTING_NAMES = Object.keys(SETTING_KEYS) as SettingName[];

/** What each setting means (docs/configuration.md), for the plugin's schema and its SDKs' docs. */
export const SETTING_DESCRIPTIONS: Readonly<Record<SettingName, string>> = {
  region: "Region, e.g. cn-north-4 (required).",
  projectId:
    "The project id; unset: with AK/SK looked up by projectName once per run, a password's token gets IAM's; " +
    "a ready token needs it for MetaStudio.",
  projectName:
    "The project whose id AK/SK looks up, or a password's token is scoped to, without projectId " +
    "(default: the region's name).",
  cloud:
    "The site's domain in the default endpoints (default myhuaweicloud.com; myhuaweicloud.eu for eu-west-1xx).",
  accessKey: "AK of an AK/SK pair.",
  secretKey: "SK of an AK/SK pair.",
  securityToken: "Security token of temporary AK/SK, sent as X-Security-Token.",
  token: "A ready IAM token, sent as X-Auth-Token.",
  domainAuthToken: "With token: a ready domain-scoped token for the billing service (BSS), which is global.",
  userName: "IAM user name, for password authentication.",
  password: "IAM user password.",
  domainName: "Account (domain) name of that IAM user.",
  domainId: "Account (domain) id, sent as X-Domain-Id with AK/SK to BSS (default: asked of IAM once).",
  authUrl: "IAM endpoint (default https://iam.<region>.<cloud>; a trailing /v3 is accepted).",
  iamEndpoint: "IAM endpoint when authUrl is not set (only IAM's auth API is called).",
  disEndpoint: "DIS endpoint (default https://dis.<region>.<cloud>).",
  metastudioEndpoint: "MetaStudio endpoint (default https://metastudio.<region>.<cloud>).",
  bssEndpoint: "BSS endpoint, global (default https://bss.<cloud>).",
  maxRetries:
    "Retries after a connection that failed before sending (default 4, so 5 attempts); throttling is not counted.",
  maxRetryWaitSeconds:
    "The most time spent waiting between retries, in all, in seconds (default 120); the only bound on " +
    "retries after throttling.",
  connectTimeoutSeconds: "DNS + TCP + TLS time limit, in seconds (default 10).",
  responseTimeoutSeconds: "Time limit for the answer once the request is sent, in seconds (default 60).",
};

/**
 * Keys of Huawei's provider this package read under another meaning before, and no longer reads:
 * set alone (without this package's own key), a run warns once that they are not read.
 */
export const NO_LONGER_READ: readonly { key: string; kind: "config" | "env"; instead: SettingName }[] = [
  { key: `${SHARED_NAMESPACE}:maxRetries`, kind: "config", instead: "maxRetries" },
  { key: "HW_MAX_RETRIES", kind: "env", instead: "maxRetries" },
];

/** The settings whose values are credentials: stored as secrets, never printed. */
export const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set([
  "secretKey",
  "securityToken",
  "token",
  "domainAuthToken",
  "password",
]);

/** Whether Huawei's provider defines the setting's stack configuration key (one block for both). */
export function isShared(name: SettingName): boolean {
  return SETTING_KEYS[name].config.startsWith(`${SHARED_NAMESPACE}:`);
}

/** The top-level keys a resource's connection input may hold (`endpoints` is a map). */
export const CONNECTION_KEYS: ReadonlySet<string> = new Set(
  SETTING_NAMES.flatMap((n) => [SETTING_KEYS[n].connection, SETTING_KEYS[n].old?.connection]).flatMap((k) =>
    k === undefined ? [] : [k.split(".")[0] as string],
  ),
);

/** The value at a dotted path of a record (`endpoints.dis`). */
export function atPath(record: Readonly<Record<string, unknown>> | undefined, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * A stack configuration getter that also answers the entries of a map key: the engine hands a
 * map (`huaweicloud:endpoints`) to a dynamic provider as its JSON text, so `huaweicloud:endpoints.dis`
 * is read from it. A map key that is not a JSON object answers nothing (stackConfigProblems names it).
 */
export function configPathReader(get: (key: string) => string | undefined): (key: string) => unknown {
  const maps = new Map<string, Readonly<Record<string, unknown>> | undefined>();
  return (key) => {
    const dot = key.indexOf(".");
    if (dot < 0) return get(key);
    const mapKey = key.slice(0, dot);
    if (!maps.has(mapKey)) maps.set(mapKey, parseMap(get(mapKey)));
    return atPath(maps.get(mapKey), key.slice(dot + 1));
  };
}

/** A map config value's entries, or undefined if the text is not a JSON object. */
export function parseMap(text: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
