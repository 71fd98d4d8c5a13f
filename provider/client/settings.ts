// Resolves the client's settings from, in this order: explicit provider settings, the stack's
// configuration in the `huaweicloud:` namespace (secrets decrypted by the engine), then the
// environment variables Huawei's Terraform provider reads. README "Configuration" documents it.
import { checkEndpoint, checkRegion, defaultEndpoint, type Endpoints } from "./endpoints";

/** Every setting, named as in the `huaweicloud:` config namespace. */
export interface ClientSettingsInput {
  region?: string;
  projectId?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  authToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  authUrl?: string;
  disEndpoint?: string;
  metastudioEndpoint?: string;
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
  userName: "HW_USER_NAME",
  password: "HW_USER_PASSWORD",
  domainName: "HW_DOMAIN_NAME",
  authUrl: "HW_AUTH_URL",
  disEndpoint: "HW_DIS_ENDPOINT",
  metastudioEndpoint: "HW_METASTUDIO_ENDPOINT",
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
  "password",
]);

export type Credentials =
  | { kind: "token"; token: string }
  | { kind: "password"; userName: string; password: string; domainName: string }
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string };

export interface ClientSettings {
  region: string;
  projectId?: string;
  credentials: Credentials;
  endpoints: Endpoints;
  retry: { maxAttempts: number; maxWaitMs: number };
  timeouts: { connectMs: number; responseMs: number };
}

export interface SettingSources {
  explicit?: ClientSettingsInput;
  /** Reads `huaweicloud:<name>` from the stack's configuration. */
  config?: (name: SettingName) => string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

interface Layer {
  label: (name: SettingName) => string;
  get: (name: SettingName) => string | undefined;
}

function layers(sources: SettingSources): Layer[] {
  const clean = (v: unknown): string | undefined =>
    v === undefined || v === null || String(v).trim() === "" ? undefined : String(v).trim();
  return [
    { label: (n) => `connection.${n}`, get: (n) => clean(sources.explicit?.[n]) },
    { label: (n) => `huaweicloud:${n}`, get: (n) => clean(sources.config?.(n)) },
    { label: (n) => ENVIRONMENT_VARIABLES[n], get: (n) => clean(sources.env?.[ENVIRONMENT_VARIABLES[n]]) },
  ];
}

export function resolveSettings(sources: SettingSources): ClientSettings {
  const ls = layers(sources);
  const first = (name: SettingName): { value: string; label: string } | undefined => {
    for (const l of ls) {
      const value = l.get(name);
      if (value !== undefined) return { value, label: l.label(name) };
    }
    return undefined;
  };
  const givenRegion = first("region");
  if (!givenRegion) {
    throw new Error(
      "no Huawei Cloud region is set: set huaweicloud:region (pulumi config set huaweicloud:region cn-north-4) or HW_REGION_NAME",
    );
  }
  // Checked even when every endpoint is overridden: it is sent to IAM and recorded with each order.
  const region = checkRegion(givenRegion.value, givenRegion.label);
  const endpoint = (service: "dis" | "metastudio", name: SettingName) => {
    const given = first(name);
    return given ? checkEndpoint(given.value, given.label) : defaultEndpoint(service, region);
  };
  const auth = first("authUrl");
  const iam = auth
    ? checkEndpoint(auth.value, auth.label).replace(/\/v3$/, "")
    : defaultEndpoint("iam", region);

  const maxRetries = count(first("maxRetries"), 4, 0, 20);
  const givenProject = first("projectId");
  const projectId = givenProject && checkProjectId(givenProject.value, givenProject.label);
  return {
    region,
    ...(projectId ? { projectId } : {}),
    credentials: resolveCredentials(ls),
    endpoints: {
      iam,
      dis: endpoint("dis", "disEndpoint"),
      metastudio: endpoint("metastudio", "metastudioEndpoint"),
    },
    retry: {
      maxAttempts: maxRetries + 1,
      maxWaitMs: count(first("maxRetryWaitSeconds"), 120, 0, 3600) * 1000,
    },
    timeouts: {
      connectMs: count(first("connectTimeoutSeconds"), 10, 1, 600) * 1000,
      responseMs: count(first("responseTimeoutSeconds"), 60, 1, 3600) * 1000,
    },
  };
}

/**
 * The first layer that holds a complete credential wins; within a layer a ready token comes first,
 * then AK/SK, then user name and password. A half-given credential is an error, not skipped.
 */
function resolveCredentials(ls: Layer[]): Credentials {
  for (const l of ls) {
    const token = l.get("authToken");
    if (token) return { kind: "token", token };
    const accessKey = l.get("accessKey");
    const secretKey = l.get("secretKey");
    if (accessKey || secretKey) {
      if (!accessKey || !secretKey) {
        const missing = accessKey ? "secretKey" : "accessKey";
        const given = accessKey ? "accessKey" : "secretKey";
        throw new Error(`${l.label(given)} is set but ${l.label(missing)} is not: AK/SK needs both`);
      }
      const securityToken = l.get("securityToken");
      return { kind: "aksk", accessKey, secretKey, ...(securityToken ? { securityToken } : {}) };
    }
    const userName = l.get("userName");
    const password = l.get("password");
    if (userName || password) {
      const domainName = l.get("domainName") ?? ls.map((x) => x.get("domainName")).find(Boolean);
      if (!userName || !password || !domainName) {
        const missing = (["userName", "password", "domainName"] as const).filter(
          (n) => !{ userName, password, domainName }[n],
        );
        throw new Error(
          `IAM password authentication needs userName, password and domainName; missing: ${missing
            .map((n) => `${l.label(n)}`)
            .join(", ")}`,
        );
      }
      return { kind: "password", userName, password, domainName };
    }
  }
  throw new Error(
    "no Huawei Cloud credentials found. Set one of: huaweicloud:authToken (or HW_AUTH_TOKEN); " +
      "huaweicloud:accessKey and huaweicloud:secretKey (or HW_ACCESS_KEY and HW_SECRET_KEY); " +
      "huaweicloud:userName, huaweicloud:password and huaweicloud:domainName (or HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME). " +
      "Store secrets with `pulumi config set --secret`.",
  );
}

function count(
  given: { value: string; label: string } | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (!given) return fallback;
  const n = Number(given.value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${given.label} must be a whole number from ${min} to ${max}, got "${given.value}"`);
  }
  return n;
}

/** Huawei Cloud project ids are 32 hex digits; letters and digits (1 to 64, as the DIS page allows) are accepted. */
const PROJECT_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

function checkProjectId(raw: string, setting: string): string {
  if (!PROJECT_ID_PATTERN.test(raw)) {
    throw new Error(
      `${setting} is not a Huawei Cloud project id (1 to 64 letters and digits): ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return raw;
}
