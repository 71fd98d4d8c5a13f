// Resolves the client's settings from, in this order: explicit settings (a resource's `connection`
// input), the stack's configuration in the `huaweicloud:` namespace (secrets decrypted by the
// engine), then the environment variables Huawei's Terraform provider reads; and checks them all
// without the network, for preview. README "Configuration" documents it.
import { checkEndpoint, checkRegion, defaultEndpoint, type Endpoints } from "./endpoints";
import {
  ENVIRONMENT_VARIABLES,
  type ClientSettings,
  type Credentials,
  type SettingLayer,
  type SettingName,
  type SettingNeeds,
  type SettingProblem,
  type SettingSources,
} from "./setting-types";

export * from "./setting-types";
import { SERVICE_NAMES, SERVICES } from "./services";

interface Given {
  key: SettingName;
  layer: SettingLayer;
  label: string;
  value: string;
}

interface Layer {
  layer: SettingLayer;
  label: (name: SettingName) => string;
  get: (name: SettingName) => string | undefined;
}

function isSettingName(key: string): key is SettingName {
  return Object.hasOwn(ENVIRONMENT_VARIABLES, key);
}

function layers(sources: SettingSources): Layer[] {
  const clean = (v: unknown): string | undefined =>
    (typeof v !== "string" && typeof v !== "number") || String(v).trim() === ""
      ? undefined
      : String(v).trim();
  const explicit = sources.explicit as Readonly<Record<string, unknown>> | undefined;
  return [
    { layer: "connection", label: (n) => `connection.${n}`, get: (n) => clean(explicit?.[n]) },
    { layer: "config", label: (n) => `huaweicloud:${n}`, get: (n) => clean(sources.config?.(n)) },
    {
      layer: "environment",
      label: (n) => ENVIRONMENT_VARIABLES[n],
      get: (n) => clean(sources.env?.[ENVIRONMENT_VARIABLES[n]]),
    },
  ];
}

/**
 * Every problem with the settings that can be found without the network: unknown or mistyped
 * connection keys, a malformed region, project id, endpoint or number, half a credential, and,
 * as `needs` says, a missing region, credential or project id. Pure: preview calls it.
 */
export function checkSettings(sources: SettingSources, needs: SettingNeeds = {}): SettingProblem[] {
  return evaluate(sources, needs, true).problems;
}

/** The settings a client runs with; throws an Error naming every problem checkSettings finds. */
export function resolveSettings(sources: SettingSources): ClientSettings {
  // A missing project id is found when the request is built: IAM may scope a password token to one.
  const { problems, settings } = evaluate(sources, { credentials: true }, false);
  if (problems.length > 0 || !settings) throw new Error(problems.map((p) => p.reason).join("; "));
  return settings;
}

function evaluate(
  sources: SettingSources,
  needs: SettingNeeds,
  checkProject: boolean,
): { problems: SettingProblem[]; settings: ClientSettings | undefined } {
  const problems: SettingProblem[] = connectionKeyProblems(sources);
  const ls = layers(sources);
  const first = (key: SettingName): Given | undefined => {
    for (const l of ls) {
      const value = l.get(key);
      if (value !== undefined) return { key, layer: l.layer, label: l.label(key), value };
    }
    return undefined;
  };
  /** The checked value of a given setting; a problem (and undefined) if the check throws. */
  const checked = <T>(given: Given | undefined, check: (g: Given) => T): T | undefined => {
    if (!given) return undefined;
    try {
      return check(given);
    } catch (err) {
      problems.push({ key: given.key, layer: given.layer, reason: (err as Error).message });
      return undefined;
    }
  };
  const needsCredentials = needs.credentials ?? true;

  // Checked even when every endpoint is overridden: it is sent to IAM and recorded with each order.
  const givenRegion = first("region");
  const region = checked(givenRegion, (g) => checkRegion(g.value, g.label));
  if (!givenRegion && needsCredentials) {
    problems.push({
      key: "region",
      layer: undefined,
      reason:
        "no Huawei Cloud region is set: set huaweicloud:region (pulumi config set huaweicloud:region cn-north-4), " +
        "HW_REGION_NAME or the connection input's region",
    });
  }
  const endpoints = resolveEndpoints(
    region,
    (service) => checked(first(SERVICES[service].setting), (g) => checkEndpoint(g.value, g.label)),
    (service) => first(SERVICES[service].setting) !== undefined,
  );
  const number = (key: SettingName, fallback: number, min: number, max: number) =>
    checked(first(key), (g) => count(g, min, max)) ?? fallback;
  const maxRetries = number("maxRetries", 4, 0, 20);
  const maxRetryWaitSeconds = number("maxRetryWaitSeconds", 120, 0, 3600);
  const connectTimeoutSeconds = number("connectTimeoutSeconds", 10, 1, 600);
  const responseTimeoutSeconds = number("responseTimeoutSeconds", 60, 1, 3600);
  const projectId = checked(first("projectId"), (g) => checkProjectId(g.value, g.label));
  const domainId = checked(first("domainId"), (g) => checkAccountId(g.value, g.label));
  const credentials = resolveCredentials(ls, problems, needsCredentials);
  if (checkProject && needsCredentials && !first("projectId") && credentials) {
    problems.push(...missingProject(credentials, needs));
  }
  const complete = SERVICE_NAMES.every((service) => endpoints[service] !== undefined);
  if (problems.length > 0 || !region || !credentials || !complete) {
    return { problems, settings: undefined };
  }
  return {
    problems,
    settings: {
      region,
      ...(projectId ? { projectId } : {}),
      ...(domainId ? { domainId } : {}),
      credentials,
      endpoints: endpoints as Endpoints,
      retry: { maxAttempts: maxRetries + 1, maxWaitMs: maxRetryWaitSeconds * 1000 },
      timeouts: { connectMs: connectTimeoutSeconds * 1000, responseMs: responseTimeoutSeconds * 1000 },
    },
  };
}

/** Keys of a connection input that are no setting, or values no setting can take. */
function connectionKeyProblems(sources: SettingSources): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const [key, v] of Object.entries(sources.explicit ?? {})) {
    if (!isSettingName(key)) {
      problems.push({
        key,
        layer: "connection",
        reason: `connection.${key} is not a setting; the settings are ${Object.keys(ENVIRONMENT_VARIABLES).join(", ")}`,
      });
    } else if (v !== undefined && v !== null && typeof v !== "string" && typeof v !== "number") {
      problems.push({ key, layer: "connection", reason: `connection.${key} must be a string or a number` });
    }
  }
  return problems;
}

/** Each service's endpoint: as given (checked), or the region's default (a global service's own host). */
function resolveEndpoints(
  region: string | undefined,
  given: (service: (typeof SERVICE_NAMES)[number]) => string | undefined,
  isGiven: (service: (typeof SERVICE_NAMES)[number]) => boolean,
): Record<keyof Endpoints, string | undefined> {
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => {
      if (!isGiven(service)) {
        const global = SERVICES[service].globalHost !== undefined;
        return [
          service,
          region === undefined && !global ? undefined : defaultEndpoint(service, region ?? ""),
        ];
      }
      const url = given(service);
      // IAM's endpoint is often given with its API version; the client adds /v3 itself.
      return [service, service === "iam" ? url?.replace(/\/v3$/, "") : url];
    }),
  ) as Record<keyof Endpoints, string | undefined>;
}

/** A token or AK/SK without a project id, where the path or the signature needs one. */
function missingProject(credentials: Credentials, needs: SettingNeeds): SettingProblem[] {
  if (credentials.kind === "password" || !(needs.projectInPath || credentials.kind === "aksk")) return [];
  return [
    {
      key: "projectId",
      layer: undefined,
      reason:
        `no Huawei Cloud project id is set, and ${credentials.kind === "aksk" ? "AK/SK signing" : "this request"} needs one: ` +
        "set huaweicloud:projectId, HW_PROJECT_ID or the connection input's projectId " +
        "(IAM console > My Credentials > API Credentials lists the project id of each region)",
    },
  ];
}

/**
 * The first layer that holds a complete credential wins; within a layer a ready token comes first,
 * then AK/SK, then user name and password. A half-given credential is a problem, not skipped.
 */
function resolveCredentials(
  ls: Layer[],
  problems: SettingProblem[],
  needed: boolean,
): Credentials | undefined {
  const credentials = firstCredentials(ls, problems, needed);
  // A ready token has one scope; BSS (global) needs a domain-scoped one beside the project-scoped one.
  const domainToken = ls
    .map((l) => ({ layer: l.layer, label: l.label("domainAuthToken"), value: l.get("domainAuthToken") }))
    .find((x) => x.value);
  if (domainToken?.value === undefined || credentials === undefined) return credentials;
  if (credentials.kind !== "token") {
    problems.push({
      key: "domainAuthToken",
      layer: domainToken.layer,
      reason:
        `${domainToken.label} is set, but the credentials in use are ${credentials.kind === "aksk" ? "AK/SK" : "a user name and password"}, ` +
        "which reach the billing service by themselves: remove it, or give the project-scoped token beside it (authToken)",
    });
    return undefined;
  }
  return { ...credentials, domainToken: domainToken.value };
}

function firstCredentials(ls: Layer[], problems: SettingProblem[], needed: boolean): Credentials | undefined {
  for (const l of ls) {
    const token = l.get("authToken");
    if (token) return { kind: "token", token };
    const accessKey = l.get("accessKey");
    const secretKey = l.get("secretKey");
    if (accessKey || secretKey) {
      if (!accessKey || !secretKey) {
        const missing = accessKey ? "secretKey" : "accessKey";
        const given = accessKey ? "accessKey" : "secretKey";
        problems.push({
          key: missing,
          layer: l.layer,
          reason: `${l.label(given)} is set but ${l.label(missing)} is not: AK/SK needs both`,
        });
        return undefined;
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
        problems.push({
          key: missing[0] ?? "password",
          layer: l.layer,
          reason: `IAM password authentication needs userName, password and domainName; missing: ${missing
            .map((n) => l.label(n))
            .join(", ")}`,
        });
        return undefined;
      }
      return { kind: "password", userName, password, domainName };
    }
  }
  if (needed) {
    problems.push({
      key: "credentials",
      layer: undefined,
      reason:
        "no Huawei Cloud credentials found. Set one of: huaweicloud:authToken (or HW_AUTH_TOKEN); " +
        "huaweicloud:accessKey and huaweicloud:secretKey (or HW_ACCESS_KEY and HW_SECRET_KEY); " +
        "huaweicloud:userName, huaweicloud:password and huaweicloud:domainName (or HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME); " +
        "or the same keys in the resource's connection input. Store secrets with `pulumi config set --secret`.",
    });
  }
  return undefined;
}

function count(given: Given, min: number, max: number): number {
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

/** Account (domain) ids are 32 hex digits; letters and digits (1 to 64) are accepted. */
function checkAccountId(raw: string, setting: string): string {
  if (!PROJECT_ID_PATTERN.test(raw)) {
    throw new Error(
      `${setting} is not a Huawei Cloud account (domain) id (1 to 64 letters and digits): ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return raw;
}
