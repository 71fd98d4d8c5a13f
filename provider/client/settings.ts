// Resolves the client's settings from, in this order: explicit settings (a resource's `connection`
// input), the stack's configuration (the keys Huawei's provider shares in `huaweicloud:`, this
// package's own in `huaweicloud-orders:`; secrets decrypted by the engine), then the environment
// (Huawei's Terraform provider's HW_* variables, this package's HUAWEICLOUD_ORDERS_*); and checks
// them all without the network, for preview. setting-keys.ts names every key; README
// "Configuration" documents them.
import { checkCloud, checkEndpoint, checkRegion, defaultEndpoint, type Endpoints } from "./endpoints";
import { SETTING_KEYS, type SettingName } from "./setting-keys";
import { conflicts, labelIn, layers, read, typeProblems, type Given, type Layer } from "./setting-layers";
import type {
  ClientSettings,
  Credentials,
  SettingNeeds,
  SettingProblem,
  SettingSources,
} from "./setting-types";
import { SERVICE_NAMES, SERVICES } from "./services";

export * from "./setting-types";
export * from "./setting-keys";
export { oldNamesInUse } from "./setting-layers";

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
  const ls = layers(sources);
  const problems = [...ls.flatMap((l) => l.shapeProblems()), ...typeProblems(ls), ...conflicts(ls)];
  /** The first layer's value of the first of `keys` it holds. */
  const first = (...keys: SettingName[]): Given | undefined => {
    for (const l of ls) {
      for (const key of keys) {
        const given = read(l, key);
        if (given) return given;
      }
    }
    return undefined;
  };
  /** The checked value of a given setting; a problem (and undefined) if the check throws. */
  const checked = <T>(given: Given | undefined, check: (g: Given) => T): T | undefined => {
    if (!given) return undefined;
    try {
      return check(given);
    } catch (err) {
      problems.push({ key: given.key, layer: given.layer, at: given.at, reason: (err as Error).message });
      return undefined;
    }
  };
  const needsCredentials = needs.credentials ?? true;

  // Checked even when every endpoint is overridden: it is sent to IAM and recorded with each order.
  const givenRegion = first("region");
  const region = checked(givenRegion, (g) => checkRegion(g.value, g.label));
  if (!givenRegion && needsCredentials) problems.push(noRegion());
  // IAM: only its auth API is called, so Huawei's provider's authUrl comes before endpoints.iam.
  const givenEndpoint = (service: (typeof SERVICE_NAMES)[number]) =>
    service === "iam" ? first("authUrl", "iamEndpoint") : first(SERVICES[service].setting);
  // Huawei's provider's `cloud`: the site every default endpoint is under (endpoints.ts).
  const cloud = checked(first("cloud"), (g) => checkCloud(g.value, g.label));
  const endpoints = resolveEndpoints(
    region,
    cloud,
    (service) => checked(givenEndpoint(service), (g) => checkEndpoint(g.value, g.label)),
    (service) => givenEndpoint(service) !== undefined,
  );
  const number = (key: SettingName, fallback: number, min: number, max: number) =>
    checked(first(key), (g) => count(g, min, max)) ?? fallback;
  const maxRetries = number("maxRetries", 4, 0, 20);
  const maxRetryWaitSeconds = number("maxRetryWaitSeconds", 120, 0, 3600);
  const connectTimeoutSeconds = number("connectTimeoutSeconds", 10, 1, 600);
  const responseTimeoutSeconds = number("responseTimeoutSeconds", 60, 1, 3600);
  const projectId = checked(first("projectId"), (g) => checkProjectId(g.value, g.label));
  const projectName = checked(first("projectName"), (g) => checkProjectName(g.value, g.label));
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
      ...(projectName ? { projectName } : {}),
      ...(domainId ? { domainId } : {}),
      credentials,
      endpoints: endpoints as Endpoints,
      retry: { maxAttempts: maxRetries + 1, maxWaitMs: maxRetryWaitSeconds * 1000 },
      timeouts: { connectMs: connectTimeoutSeconds * 1000, responseMs: responseTimeoutSeconds * 1000 },
    },
  };
}

/** Each service's endpoint: as given (checked), or the region's default (a global service's own host). */
function resolveEndpoints(
  region: string | undefined,
  cloud: string | undefined,
  given: (service: (typeof SERVICE_NAMES)[number]) => string | undefined,
  isGiven: (service: (typeof SERVICE_NAMES)[number]) => boolean,
): Record<keyof Endpoints, string | undefined> {
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => {
      if (!isGiven(service)) {
        const global = SERVICES[service].globalHost !== undefined;
        return [
          service,
          region === undefined && !global ? undefined : defaultEndpoint(service, region ?? "", cloud),
        ];
      }
      const url = given(service);
      // IAM's endpoint is often given with its API version; the client adds /v3 itself.
      return [service, service === "iam" ? url?.replace(/\/v3$/, "") : url];
    }),
  ) as Record<keyof Endpoints, string | undefined>;
}

function noRegion(): SettingProblem {
  const { config, env } = SETTING_KEYS.region;
  return {
    key: "region",
    layer: undefined,
    reason: `no Huawei Cloud region is set: set ${config} (pulumi config set ${config} cn-north-4), ${env} or the connection input's region`,
  };
}

/**
 * A ready token without a project id, where the path needs one. AK/SK looks the id up by the
 * project's name (IAM GET /v3/projects?name=, as Huawei's SDKs do); a password token is scoped by it.
 */
function missingProject(credentials: Credentials, needs: SettingNeeds): SettingProblem[] {
  if (credentials.kind !== "token" || !needs.projectInPath) return [];
  return [
    {
      key: "projectId",
      layer: undefined,
      reason:
        "no Huawei Cloud project id is set, and this request needs one: " +
        `set ${SETTING_KEYS.projectId.config}, ${SETTING_KEYS.projectId.env} or the connection input's projectId ` +
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
  const domainToken = ls.map((l) => read(l, "domainAuthToken")).find((g) => g !== undefined);
  if (domainToken === undefined || credentials === undefined) return credentials;
  if (credentials.kind !== "token") {
    problems.push({
      key: "domainAuthToken",
      layer: domainToken.layer,
      at: domainToken.at,
      reason:
        `${domainToken.label} is set, but the credentials in use are ${credentials.kind === "aksk" ? "AK/SK" : "a user name and password"}, ` +
        "which reach the billing service by themselves: remove it, or give the project-scoped token beside it (token)",
    });
    return undefined;
  }
  return { ...credentials, domainToken: domainToken.value };
}

function firstCredentials(ls: Layer[], problems: SettingProblem[], needed: boolean): Credentials | undefined {
  for (const l of ls) {
    const get = (name: SettingName) => read(l, name)?.value;
    const label = (name: SettingName) => read(l, name)?.label ?? labelIn(l, name);
    const token = get("token");
    if (token) return { kind: "token", token };
    const accessKey = get("accessKey");
    const secretKey = get("secretKey");
    if (accessKey || secretKey) {
      if (!accessKey || !secretKey) {
        const missing = accessKey ? "secretKey" : "accessKey";
        const given = accessKey ? "accessKey" : "secretKey";
        problems.push({
          key: missing,
          layer: l.layer,
          reason: `${label(given)} is set but ${label(missing)} is not: AK/SK needs both`,
        });
        return undefined;
      }
      const securityToken = get("securityToken");
      return { kind: "aksk", accessKey, secretKey, ...(securityToken ? { securityToken } : {}) };
    }
    const userName = get("userName");
    const password = get("password");
    if (userName || password) {
      const domainName = get("domainName") ?? ls.map((x) => read(x, "domainName")?.value).find(Boolean);
      if (!userName || !password || !domainName) {
        const missing = (["userName", "password", "domainName"] as const).filter(
          (n) => !{ userName, password, domainName }[n],
        );
        problems.push({
          key: missing[0] ?? "password",
          layer: l.layer,
          reason: `IAM password authentication needs userName, password and domainName; missing: ${missing
            .map((n) => label(n))
            .join(", ")}`,
        });
        return undefined;
      }
      return { kind: "password", userName, password, domainName };
    }
  }
  if (needed) problems.push(noCredentials());
  return undefined;
}

function noCredentials(): SettingProblem {
  const k = SETTING_KEYS;
  return {
    key: "credentials",
    layer: undefined,
    reason:
      `no Huawei Cloud credentials found. Set one of: ${k.token.config} (or ${k.token.env}); ` +
      `${k.accessKey.config} and ${k.secretKey.config} (or ${k.accessKey.env} and ${k.secretKey.env}); ` +
      `${k.userName.config}, ${k.password.config} and ${k.domainName.config} (or ${k.userName.env}, ${k.password.env}, ${k.domainName.env}); ` +
      "or the same keys in the resource's connection input. Store secrets with `pulumi config set --secret`.",
  };
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

/**
 * IAM project names: a region's name (cn-north-4) or a subproject's (cn-north-4_dev); any
 * printable text up to 64 characters is accepted, since it is only sent as a query parameter.
 */
function checkProjectName(raw: string, setting: string): string {
  const control = [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (raw.length > 64 || control) {
    throw new Error(
      `${setting} is not an IAM project name (up to 64 printable characters, e.g. cn-north-4): ${JSON.stringify(raw.slice(0, 80))}`,
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
