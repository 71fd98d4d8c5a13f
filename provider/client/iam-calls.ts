// The IAM requests authentication itself needs, made through the client's own call: a token for
// user-name/password credentials, the account (domain) id global services need with AK/SK, and
// the project id regional services need with AK/SK when none is configured.
import { z } from "zod";
import { optionalField, parseAnswer } from "./answers";
import { header, type CallRequest, type CallResult } from "./call-request";
import { HuaweiCloudError } from "./errors";
import type { IamToken } from "./iam-token";
import type { Redactor } from "./redaction";
import { SETTING_KEYS } from "./setting-keys";
import type { ClientSettings } from "./settings";

export type Call = (request: CallRequest) => Promise<CallResult>;

// IAM's answers, as far as they are read: any field may be null or absent (the errors below say
// what is missing); unknown fields are dropped.
const tokenAnswer = z.object({
  token: optionalField(
    z.object({
      expires_at: optionalField(z.string()),
      project: optionalField(z.object({ id: optionalField(z.string()) })),
    }),
  ),
});
const domainsAnswer = z.object({
  domains: optionalField(z.array(z.object({ id: optionalField(z.string()) }))),
});

/** A project-scoped token for regional services, or a domain-scoped one for global services. */
export async function fetchIamToken(
  call: Call,
  settings: ClientSettings,
  redactor: Redactor,
  tokenScope: "project" | "domain",
): Promise<IamToken> {
  const c = settings.credentials;
  if (c.kind !== "password")
    throw new Error("unreachable: IAM tokens are fetched for password credentials only");
  // Huawei's Terraform provider scopes to project_name, else to the project named after the region.
  const project = settings.projectId
    ? { id: settings.projectId }
    : { name: settings.projectName ?? settings.region };
  const scope = tokenScope === "project" ? { project } : { domain: { name: c.domainName } };
  const result = await call({
    service: "iam",
    operation: "KeystoneCreateUserTokenByPassword",
    method: "POST",
    path: ["v3", "auth", "tokens"],
    creates: false,
    body: {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: c.userName, password: c.password, domain: { name: c.domainName } } },
        },
        scope,
      },
    },
  });
  const value = header(result.headers, "x-subject-token");
  const token = tokenAnswer.safeParse(result.body).data?.token;
  const expiresAt = token?.expires_at ? new Date(token.expires_at) : undefined;
  if (!value || !expiresAt || Number.isNaN(expiresAt.getTime())) {
    throw new HuaweiCloudError(
      {
        service: "iam",
        operation: "KeystoneCreateUserTokenByPassword",
        httpStatus: result.status,
        requestId: result.requestId,
        attempts: result.attempts,
      },
      "the answer carried no X-Subject-Token or no token.expires_at",
      redactor,
    );
  }
  redactor.add(value);
  return { value, expiresAt, projectId: token?.project?.id };
}

/** The account id IAM names for the AK (GET /v3/auth/domains, as Huawei's SDKs do in GlobalCredentials). */
export async function fetchDomainId(call: Call, redactor: Redactor): Promise<string> {
  const result = await call({
    service: "iam",
    operation: "KeystoneListAuthDomains",
    method: "GET",
    path: ["v3", "auth", "domains"],
    scope: "account",
    creates: false,
    notDone: "Nothing was changed",
  });
  const id = domainsAnswer.safeParse(result.body).data?.domains?.[0]?.id;
  if (id === undefined || id === "") {
    throw new HuaweiCloudError(
      {
        service: "iam",
        operation: "KeystoneListAuthDomains",
        httpStatus: result.status,
        requestId: result.requestId,
        attempts: result.attempts,
      },
      "IAM named no account (domain) for this AK, so the billing service cannot be called with it. " +
        `Set ${SETTING_KEYS.domainId.config} (or ${SETTING_KEYS.domainId.env}) to the account id ` +
        "(IAM console > My Credentials > API Credentials), or grant the IAM user iam:users:getUser",
      redactor,
    );
  }
  return id;
}

/**
 * IAM "Querying the Project List" (GET /v3/projects), as Huawei's Go SDK's iam/v3
 * KeystoneListProjectsResponse: `projects` of ProjectResult {id, name, domain_id, ...}; only the
 * fields read are required.
 */
const listProjectsAnswer = z.object({
  projects: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});

/**
 * The id of the project named `name` (by default the region's), as Huawei's SDKs find it for AK/SK
 * without a project id (BasicCredentials: GET /v3/projects?name=<region>, signed with neither
 * X-Project-Id nor X-Domain-Id). None or several found: an error naming the setting to set.
 */
export async function fetchProjectId(
  call: Call,
  redactor: Redactor,
  name: string,
  setting: "projectName" | "region",
): Promise<string> {
  const operation = "KeystoneListProjects";
  const result = await call({
    service: "iam",
    operation,
    method: "GET",
    path: ["v3", "projects"],
    query: { name },
    scope: "account",
    creates: false,
    notDone: "Nothing was changed",
  });
  const { projects } = parseAnswer({ redactor }, result, "iam", operation, listProjectsAnswer);
  if (projects.length === 1 && projects[0]) return projects[0].id;
  const { projectId } = SETTING_KEYS;
  const found =
    projects.length === 0
      ? `IAM knows no project named "${name}" for this AK`
      : `IAM names ${projects.length} projects "${name}" (${projects.map((p) => p.id).join(", ")})`;
  throw new HuaweiCloudError(
    {
      service: "iam",
      operation,
      httpStatus: result.status,
      requestId: result.requestId,
      attempts: result.attempts,
    },
    `${found}, so the project id cannot be told from ${SETTING_KEYS[setting].config}. ` +
      `Set ${projectId.config} (or ${projectId.env}) to the project id ` +
      "(IAM console > My Credentials > API Credentials lists the project id of each region)",
    redactor,
  );
}
