// Where each service lives (provider/client/services.ts says which host pattern each follows):
// "<service>.<region>.myhuaweicloud.com" for regional services, e.g. iam.cn-north-4.myhuaweicloud.com,
// one host for a global service (bss.myhuaweicloud.com). Any endpoint can be overridden (the local
// emulator, the international site, a corporate gateway).
import { SERVICES, type ServiceName } from "./services";

export const DEFAULT_DOMAIN = "myhuaweicloud.com";

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

/** Huawei Cloud's endpoint of `service` in `region`, built from a checked region only. */
export function defaultEndpoint(service: ServiceName, region: string): string {
  const global = SERVICES[service].globalHost;
  return global
    ? `https://${global}.${DEFAULT_DOMAIN}`
    : `https://${service}.${checkRegion(region, "the region")}.${DEFAULT_DOMAIN}`;
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

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
