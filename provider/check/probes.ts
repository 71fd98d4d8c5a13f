// The check's probes, in order, each one row: the settings, each service's endpoint, the
// authentication, then the reads of billing-probes.ts. A probe that cannot run because an earlier
// one failed is skipped, naming that one. Nothing here orders, pays or unsubscribes.
import * as dns from "node:dns/promises";
import { isIP } from "node:net";
import { checkSettings, HuaweiCloudClient, Redactor, resolveSettings, type ClientSettings } from "../client";
import { fetchDomainId, fetchIamToken } from "../client/iam-calls";
import { SERVICE_NAMES } from "../client/services";
import { BILLING_PROBE_NAMES, billingProbes } from "./billing-probes";
import { endpointSetting, settingLabel } from "./fixes";
import { probeRow, skipped, type Row } from "./rows";
import type { CheckSources } from "./sources";

export interface ProbeOptions {
  /** Resolves a host name; injectable for tests. */
  lookup?: (host: string) => Promise<string>;
  /** The most time spent waiting between retries of one call (default 10 s, as at preview). */
  maxRetryWaitMs?: number;
}

const CREDENTIAL_KINDS = {
  token: "a ready IAM token",
  aksk: "AK/SK",
  password: "IAM user name and password",
};

export async function runProbes(src: CheckSources, options: ProbeOptions = {}): Promise<Row[]> {
  const redactor = new Redactor().add(...src.secrets);
  const problems = checkSettings(src.sources, { credentials: true, projectInPath: true });
  let settings: ClientSettings | undefined;
  let unusable = "";
  try {
    settings = resolveSettings(src.sources);
  } catch (err) {
    unusable = (err as Error).message;
  }
  const fix = [...src.notes, ...problems.map((p) => p.reason)].join("; ");
  const settingsRow: Row = settings
    ? {
        probe: "settings",
        result: problems.length > 0 ? "failed" : "ok",
        detail:
          `region ${settings.region}, project ${projectOf(settings)}, ` +
          `${CREDENTIAL_KINDS[settings.credentials.kind]}; read from ${src.readFrom}`,
        fix: redactor.text(fix),
      }
    : { probe: "settings", result: "failed", detail: redactor.text(unusable), fix: redactor.text(fix) };
  if (!settings) {
    return [settingsRow, ...PROBE_NAMES.map((name) => skipped(name, "the settings are incomplete"))];
  }
  const rows = [settingsRow, ...(await endpointRows(settings, options))];
  const client = new HuaweiCloudClient({
    ...settings,
    retry: {
      ...settings.retry,
      maxWaitMs: Math.min(settings.retry.maxWaitMs, options.maxRetryWaitMs ?? 10_000),
    },
  });
  client.redactor.add(...src.secrets);
  try {
    const auth = await authenticationRow(client);
    rows.push(auth);
    if (auth.result !== "ok") {
      return [...rows, ...BILLING_PROBE_NAMES.map((name) => skipped(name, "authentication failed"))];
    }
    rows.push(...(await billingProbes(client)));
    return rows;
  } finally {
    client.runtime.close();
  }
}

/** Each service's URL, and whether its host name resolves. */
async function endpointRows(settings: ClientSettings, options: ProbeOptions): Promise<Row[]> {
  const lookup = options.lookup ?? (async (host: string) => (await dns.lookup(host)).address);
  return Promise.all(
    SERVICE_NAMES.map(async (service): Promise<Row> => {
      const url = settings.endpoints[service];
      const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
      try {
        const address = isIP(host) ? host : await lookup(host);
        return { probe: `endpoint ${service}`, result: "ok", detail: `${url} (${address})`, fix: "" };
      } catch (err) {
        return {
          probe: `endpoint ${service}`,
          result: "failed",
          detail: `${url}: ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
          fix: `check ${endpointSetting(service)}, DNS and proxy`,
        };
      }
    }),
  );
}

/**
 * IAM's answer to the credentials: a token for a user name and password (IAM "Obtaining a User
 * Token Through Password Authentication"), the account an AK/SK or a token belongs to
 * (GET /v3/auth/domains, as Huawei's SDKs ask it).
 */
function authenticationRow(client: HuaweiCloudClient): Promise<Row> {
  const { settings } = client;
  const call = client.call.bind(client);
  return probeRow(
    "authentication",
    { settings, service: "iam", permission: "(none: IAM's own authentication API)" },
    client.redactor,
    async () => {
      const c = settings.credentials;
      if (c.kind === "password") {
        const token = await fetchIamToken(call, settings, client.redactor, "project");
        return `IAM issued a token to ${c.userName} of ${c.domainName}, for project ${token.projectId ?? "(unnamed)"}`;
      }
      // AK/SK's account is asked through the client, which keeps it for the BSS calls that follow.
      const domainId =
        c.kind === "aksk" && !settings.domainId
          ? await client.domainId()
          : await fetchDomainId(call, client.redactor);
      const what = c.kind === "aksk" ? `the AK ${c.accessKey}` : "the token";
      const configured =
        settings.domainId && settings.domainId !== domainId
          ? `; but ${settingLabel("domainId")} says ${settings.domainId}`
          : "";
      if (configured) throw new Error(`IAM names account ${domainId} for ${what}${configured}`);
      return `IAM accepts ${what}: account (domain) ${domainId}`;
    },
  );
}

const PROBE_NAMES = [...SERVICE_NAMES.map((s) => `endpoint ${s}`), "authentication", ...BILLING_PROBE_NAMES];

/** The project as the settings give it, or how the client will find it. */
function projectOf(settings: ClientSettings): string {
  if (settings.projectId) return settings.projectId;
  const name = settings.projectName ?? settings.region;
  if (settings.credentials.kind === "aksk") return `(not set: looked up by the name ${name} at IAM)`;
  if (settings.credentials.kind === "password") return `(not set: the one IAM scopes the token to, ${name})`;
  return "(not set)";
}
