// What to fix when a probe fails: the permission the refused API needs, or the setting to change,
// from the HTTP status and Huawei's error code. Permissions are those of Huawei's "API Access
// Permission (Customer)" table (BSS) and MetaStudio's "Creating a User and Assigning MetaStudio
// Permissions" page.
import {
  HuaweiCloudError,
  SETTING_KEYS,
  SERVICES,
  UnexpectedAnswerError,
  type ClientSettings,
  type ServiceName,
  type SettingName,
} from "../client";

/** "huaweicloud:projectId (HW_PROJECT_ID)". */
export function settingLabel(name: SettingName): string {
  const k = SETTING_KEYS[name];
  return k.env ? `${k.config} (${k.env})` : k.config;
}

/** The setting that names a service's endpoint. */
export function endpointSetting(service: ServiceName): string {
  return service === "iam"
    ? `${settingLabel("authUrl")} or ${SETTING_KEYS.iamEndpoint.config}`
    : settingLabel(SERVICES[service].setting);
}

const CREDENTIAL_SETTINGS: Record<ClientSettings["credentials"]["kind"], SettingName[]> = {
  token: ["token"],
  aksk: ["accessKey", "secretKey"],
  password: ["userName", "password", "domainName"],
};

export const PROJECT_FIX =
  `set ${settingLabel("projectId")} to the project id of the region ` +
  "(IAM console > My Credentials > API Credentials)";

export interface FixContext {
  settings: ClientSettings;
  service: ServiceName;
  /** The IAM permission the API needs, as the page names it. */
  permission: string;
}

/** The fix for a probe's failure. */
export function fixFor(err: unknown, ctx: FixContext): string {
  if (!(err instanceof HuaweiCloudError)) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes(SETTING_KEYS.domainId.config)) {
      return `correct ${settingLabel("domainId")}, or leave it out: IAM names the account`;
    }
    return /project id/.test(message) ? PROJECT_FIX : "see the detail";
  }
  if (err instanceof UnexpectedAnswerError) {
    return "the answer is not what Huawei's page promises: report it with its X-Request-Id";
  }
  const status = err.metadata.httpStatus;
  const code = err.metadata.errorCode ?? "";
  if (status === undefined) {
    return `no answer from ${ctx.settings.endpoints[ctx.service]}: check ${endpointSetting(ctx.service)}, DNS, proxy and firewall`;
  }
  if (status < 300) return "see the detail";
  if (status === 401) return credentialsFix(ctx);
  if (status === 403) return permissionFix(ctx);
  if ((status === 404 || status === 405) && code.startsWith("APIGW.")) {
    return `the endpoint ${ctx.settings.endpoints[ctx.service]} does not serve this API: check ${endpointSetting(ctx.service)}`;
  }
  if (status === 429) return "throttled: run the check again later";
  if (status >= 500)
    return "the service failed: run the check again later; if it persists, report the X-Request-Id";
  return "the request was refused: see the detail";
}

function credentialsFix(ctx: FixContext): string {
  const c = ctx.settings.credentials;
  const names = CREDENTIAL_SETTINGS[c.kind].map(settingLabel).join(", ");
  const bssToken =
    c.kind === "token" && SERVICES[ctx.service].scope === "domain"
      ? `; BSS is global: give a domain-scoped token as ${settingLabel("domainAuthToken")}`
      : "";
  const lapse = c.kind === "token" ? " (an IAM token lapses after 24 hours)" : "";
  return `the credentials were not accepted: check ${names}${lapse}${bssToken}`;
}

function permissionFix(ctx: FixContext): string {
  const c = ctx.settings.credentials;
  const scope =
    SERVICES[ctx.service].scope === "domain"
      ? c.kind === "token"
        ? `; BSS is global: ${settingLabel("domainAuthToken")} must be a domain-scoped token`
        : ""
      : ` in the project of ${ctx.settings.region}`;
  return `grant the IAM user ${ctx.permission}${scope}`;
}
