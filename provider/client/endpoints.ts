// Where each service lives (provider/client/services.ts says which host pattern each follows):
// "<service>.<region>.<cloud>" for regional services, e.g. iam.cn-north-4.myhuaweicloud.com, one
// host for a global service (bss.myhuaweicloud.com). The cloud (site domain) is Huawei's
// provider's `cloud` when set, else myhuaweicloud.eu for the Europe site's regions and
// myhuaweicloud.com for the rest. Any endpoint can be overridden (the local emulator, the
// international site's BSS, a corporate gateway).
import { SERVICES, type ServiceName } from "./services";

export const DEFAULT_DOMAIN = "myhuaweicloud.com";
/** The Europe site's domain: Huawei's Go SDK's region tables put eu-west-101 there (iam.eu-west-101.myhuaweicloud.eu). */
export const EUROPE_DOMAIN = "myhuaweicloud.eu";
/**
 * Regions of the Europe site: Huawei's Terraform provider (provider.go, getCloudDomain) takes
 * myhuaweicloud.eu for every region starting "eu-west-1" (eu-west-101); eu-west-0 is on the main site.
 */
const EUROPE_REGION_PREFIX = "eu-west-1";
/**
 * The global services' hosts on the Europe site, from the Go SDK's tables (bssintl/v2/region:
 * eu-west-101 is https://bss.myhuaweicloud.eu). Huawei's Terraform provider builds
 * bss.eu-west-101.myhuaweicloud.eu there instead; the SDK's table names the host, so it is taken.
 */
const EUROPE_GLOBAL_HOSTS: Readonly<Record<string, string>> = { bss: `bss.${EUROPE_DOMAIN}` };

export type Endpoints = Readonly<Record<ServiceName, string>>;

/**
 * The shape of Huawei Cloud region ids (cn-north-4, ap-southeast-1, eu-west-101, na-mexico-1):
 * lower-case letters, then groups of lower-case letters and digits joined by "-". It is one DNS
 * label, so a region can never carry a host, port, user info, path or fragment into a URL.
 */
const REGION_PATTERN = /^[a-z]+(?:-[a-z0-9]+)+$/;
const MAX_REGION_LENGTH = 63; // one DNS label

/** Checks a region id and returns it; the error names `setting` and shows the value. */
export function checkRegion(raw: string, setting: string): string {
  if (raw.length > MAX_REGION_LENGTH || !REGION_PATTERN.test(raw)) {
    throw new Error(
      `${setting} is not a Huawei Cloud region id (lower-case letters and digits in groups joined by "-", ` +
        `e.g. cn-north-4 or ap-southeast-1): ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return raw;
}

/** The site domain of `region`: `cloud` when given, else the Europe site's or the main one. */
export function cloudOf(region: string | undefined, cloud?: string): string {
  if (cloud !== undefined) return cloud;
  return region?.startsWith(EUROPE_REGION_PREFIX) ? EUROPE_DOMAIN : DEFAULT_DOMAIN;
}

/**
 * Huawei Cloud's endpoint of `service` in `region` on the site `cloud` (default: the region's),
 * built from a checked region and cloud only. The international site's BSS host
 * (bss-intl.myhuaweicloud.com) cannot be told from the region: it is given as endpoints.bss.
 */
export function defaultEndpoint(service: ServiceName, region: string, cloud?: string): string {
  const domain = cloudOf(region, cloud);
  const global = SERVICES[service].globalHost;
  if (global === undefined) return `https://${service}.${checkRegion(region, "the region")}.${domain}`;
  return domain === EUROPE_DOMAIN && EUROPE_GLOBAL_HOSTS[service]
    ? `https://${EUROPE_GLOBAL_HOSTS[service]}`
    : `https://${global}.${domain}`;
}

/** A site domain: DNS labels of lower-case letters, digits and "-", at least two (myhuaweicloud.com). */
const CLOUD_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Checks Huawei's provider's `cloud` (a domain such as myhuaweicloud.com) and returns it. */
export function checkCloud(raw: string, setting: string): string {
  const cloud = raw.toLowerCase();
  if (cloud.length > 253 || !CLOUD_PATTERN.test(cloud)) {
    throw new Error(
      `${setting} is not a domain name such as myhuaweicloud.com or myhuaweicloud.eu ` +
        `(no scheme, port or path): ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return cloud;
}

/**
 * Checks an endpoint and returns it as "scheme://host[:port][/base]" without a trailing slash.
 * TLS is required except on loopback, where the emulator speaks plain HTTP.
 */
export function checkEndpoint(raw: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${setting} is not a URL: "${raw}"`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new Error(
      `${setting} must use https:// (plain http:// is accepted only for loopback addresses): "${raw}"`,
    );
  }
  // An empty query or fragment ("...?" or "...#") leaves url.search and url.hash empty: look at the text.
  if (/[?#]/.test(raw) || url.username || url.password) {
    throw new Error(
      `${setting} must not carry a query, fragment or user info: "${url.origin}${url.pathname}"`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Whether a host name is this machine (localhost, ::1, 127.x.x.x): plain http is allowed only there. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
