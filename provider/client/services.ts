// The services the client calls: a service is its host, the setting that overrides it, and the
// scope of credential it takes. Huawei's published host pattern for regional services is
// "<service>.<region>.myhuaweicloud.com" ("Regions and Endpoints"; DIS "Endpoints": "dis.{region_id}.
// {domain}"); BSS is global, one host for every region (Huawei's Go SDK v0.1.207
// `services/bss/v2/region`: https://bss.myhuaweicloud.com; the international site's
// `services/bssintl`: https://bss-intl.myhuaweicloud.com).

/**
 * How a service wants to be called:
 * - "project": a project-scoped IAM token, or AK/SK signed with X-Project-Id (regional services);
 * - "domain": a domain-scoped ("global") IAM token, or AK/SK signed with X-Domain-Id (global
 *   services: Huawei's pages, "for a global service, obtain a global token"; the SDKs' GlobalCredentials);
 * - "none": IAM's token API itself, which takes the password in the body.
 */
import type { SettingName } from "./setting-keys";

export type AuthScope = "none" | "project" | "domain";

const NONE = {};

export const SERVICES = {
  iam: { title: "IAM", scope: "none", setting: "iamEndpoint", globalHost: undefined, headers: NONE },
  dis: { title: "DIS", scope: "project", setting: "disEndpoint", globalHost: undefined, headers: NONE },
  metastudio: {
    title: "MetaStudio",
    scope: "project",
    setting: "metastudioEndpoint",
    globalHost: undefined,
    headers: NONE,
  },
  // BSS answers in Chinese unless asked otherwise: X-Language (the SDK's request models, e.g.
  // ShowCustomerOrderDetailsRequest: zh_CN default, en_US English; some pages spell it en_us and
  // ignore case), so that an operator can read error_msg.
  bss: {
    title: "BSS",
    scope: "domain",
    setting: "bssEndpoint",
    globalHost: "bss",
    headers: { "X-Language": "en_US" },
  },
} as const satisfies Record<
  string,
  {
    title: string;
    scope: AuthScope;
    /** The setting that overrides the endpoint (IAM's: `authUrl` first, setting-keys.ts). */
    setting: SettingName;
    /** For a global service: its host name under the domain, the same for every region. */
    globalHost: string | undefined;
    /** Headers every request to the service carries (signed with the others). */
    headers: Readonly<Record<string, string>>;
  }
>;

export type ServiceName = keyof typeof SERVICES;

export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
