// Where each service lives (provider/client/services.ts says which host pattern each follows):
// "<service>.<region>.myhuaweicloud.com" for regional services, e.g. iam.cn-north-4.myhuaweicloud.com,
// one host for a global service (bss.myhuaweicloud.com). Any endpoint can be overridden (the local
// emulator, the international site, a corporate gateway).
import { SERVICES, type ServiceName } from "./services";

export const DEFAULT_DOMAIN = "myhuaweicloud.com";

export type Endpoints = Readonly<Record<ServiceName, string>>;

export function defaultEndpoint(service: ServiceName, region: string): string {
  const global = SERVICES[service].globalHost;
  return global ? `https://${global}.${DEFAULT_DOMAIN}` : `https://${service}.${region}.${DEFAULT_DOMAIN}`;
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
  if (url.search || url.hash || url.username || url.password) {
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
