// IAM "Obtaining a User Token Through Password Authentication": POST /v3/auth/tokens with
// auth.identity.methods ["password"], auth.identity.password.user {name, password, domain {name|id}}
// and auth.scope.project {id|name} (a project-scoped token, for regional services such as DIS and
// MetaStudio) or auth.scope.domain {name|id} (a global token, for global services such as BSS:
// "for a global service, obtain a global token: set auth.scope to domain"). Answers 201 with the
// token in X-Subject-Token and its details in the body. Wrong credentials: 401 in IAM's
// Keystone-style shape {"error": {"code": 401, "message": "The username or password is wrong.",
// "title": "Unauthorized"}}.
// IAM "Querying the List of Domains Accessible to Users": GET /v3/auth/domains, with a token or an
// AK/SK signature, answers {"domains": [{id, name, enabled, description}], "links": {...}}: how
// Huawei's SDKs find the account (domain) id that global services need in X-Domain-Id.
// IAM "Querying the Project List": GET /v3/projects (query domain_id, name, parent_id, enabled,
// is_domain, page, per_page), with a token or an AK/SK signature, answers {"links": {...},
// "projects": [{id, name, domain_id, parent_id, enabled, is_domain, description, links}]} (the
// Go SDK's iam/v3 KeystoneListProjectsResponse): how Huawei's SDKs find a region's project id
// for AK/SK (BasicCredentials: GET /v3/projects?name=<region>, signed without X-Project-Id).
import * as crypto from "node:crypto";
import { z } from "zod";
import type { Account, Accounts, ProjectSpec } from "./accounts";
import { authenticateAccount, type AuthContext } from "./auth";
import { iamError } from "./errors";
import { sha256Hex } from "./signature";
import type { State } from "./state";
import type { AuthFailure, Call, Reply } from "./types";
import { isJson } from "./wire";

/** IAM: "The validity period of a token is 24 hours." */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

// Loose objects: IAM ignores fields it does not use (e.g. a catalog preference), so does the emulator.
const name = z.string().min(1);
const tokenRequest = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      password: z.object({
        user: z.object({
          name,
          password: z.string(),
          domain: z.object({ name: name.optional(), id: name.optional() }),
        }),
      }),
    }),
    scope: z
      .object({
        project: z.object({ id: name.optional(), name: name.optional() }).optional(),
        domain: z.object({ id: name.optional(), name: name.optional() }).optional(),
      })
      .optional(),
  }),
});

export interface IamContext {
  accounts: Accounts;
  state: State;
  now: number;
  tokenTtlSeconds: number;
}

/** Keystone's timestamps: ISO 8601 with microseconds, e.g. 2020-01-04T09:05:22.701000Z. */
function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/**
 * Issues a token without the HTTP round trip (tests and the admin API use it): scoped to
 * `project`, or to the account's domain when `project` is undefined.
 */
export function issueToken(
  account: Account,
  project: ProjectSpec | undefined,
  ctx: Omit<IamContext, "accounts">,
): { token: string; issuedAt: number; expiresAt: number } {
  // Opaque, like IAM's PKI tokens (which start "MII"); only its digest is remembered.
  const token = `MIIemu${crypto.randomBytes(96).toString("base64url")}`;
  const issuedAt = ctx.now;
  const expiresAt = issuedAt + ctx.tokenTtlSeconds * 1000;
  ctx.state.addToken({
    digest: sha256Hex(token),
    issuedAt,
    expiresAt,
    ...(project ? { projectId: project.id, projectName: project.name } : {}),
    domainName: account.domainName,
    userName: account.userName,
  });
  return { token, issuedAt, expiresAt };
}

export function createToken(call: Call, ctx: IamContext): Reply {
  if (!isJson(call.headers["content-type"])) {
    return iamError(400, "Content-Type must be application/json;charset=utf8.");
  }
  let json: unknown;
  try {
    json = JSON.parse(call.body.toString("utf8"));
  } catch {
    return iamError(400, "The request body is not valid JSON.");
  }
  const parsed = tokenRequest.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    return iamError(400, `Invalid request body: ${fields}.`);
  }
  const { identity, scope } = parsed.data.auth;
  if (!identity.methods.includes("password") || identity.methods.length !== 1) {
    return iamError(400, 'The emulator supports auth.identity.methods ["password"] only.');
  }
  const { user } = identity.password;
  if (user.domain.name === undefined && user.domain.id === undefined) {
    return iamError(400, "Invalid request body: auth.identity.password.user.domain needs a name or an id.");
  }
  const wanted = scope?.project;
  const wantedDomain = scope?.domain;
  const given = (s: { id?: string | undefined; name?: string | undefined } | undefined) =>
    s !== undefined && (s.id !== undefined || s.name !== undefined);
  if (given(wanted) === given(wantedDomain)) {
    return iamError(
      400,
      "Give exactly one scope: auth.scope.project {id} or {name}, or auth.scope.domain {id} or {name}.",
    );
  }

  const account = ctx.accounts.findUser(user.domain, user.name);
  if (!account || account.password !== user.password) {
    return iamError(401, "The username or password is wrong.");
  }
  let project: ProjectSpec | undefined;
  if (wanted) {
    project = account.projects.find(
      (p) =>
        (wanted.id === undefined || p.id === wanted.id) &&
        (wanted.name === undefined || p.name === wanted.name),
    );
    if (!project) return iamError(401, "The user has no access to the requested project.");
  } else if (
    (wantedDomain?.id !== undefined && wantedDomain.id !== account.domainId) ||
    (wantedDomain?.name !== undefined && wantedDomain.name !== account.domainName)
  ) {
    return iamError(401, "The user has no access to the requested domain.");
  }

  const { token, issuedAt, expiresAt } = issueToken(account, project, ctx);
  const domain = { id: account.domainId, name: account.domainName };
  return {
    status: 201,
    headers: { "X-Subject-Token": token },
    body: {
      token: {
        expires_at: keystoneTime(expiresAt),
        issued_at: keystoneTime(issuedAt),
        methods: ["password"],
        ...(project ? { project: { id: project.id, name: project.name, domain } } : { domain }),
        user: { id: account.userId, name: account.userName, domain, password_expires_at: "" },
        roles: [],
        catalog: [],
      },
    },
  };
}

/** GET /v3/auth/domains: the caller's own account, whatever the credential's scope. */
export function listAuthDomains(call: Call, ctx: AuthContext): { reply: Reply; note?: string } {
  const auth = authenticateAccount(call, ctx);
  if (!auth.ok) return refused(auth.failure);
  const account = auth.principal.account;
  return {
    reply: {
      status: 200,
      body: {
        domains: [{ id: account.domainId, name: account.domainName, enabled: true, description: "" }],
        links: { self: "/v3/auth/domains", previous: null, next: null },
      },
    },
  };
}

/**
 * GET /v3/projects: the caller's account's projects, filtered by `name` and `domain_id` when given
 * (the page's other filters are accepted and, as every project here is enabled and none a domain
 * or a child project, select the same list or none).
 */
export function listProjects(call: Call, ctx: AuthContext): { reply: Reply; note?: string } {
  const auth = authenticateAccount(call, ctx);
  if (!auth.ok) return refused(auth.failure);
  const account = auth.principal.account;
  const query = new URLSearchParams(call.rawQuery);
  const wanted = (key: string, value: string) => !query.has(key) || query.get(key) === value;
  const projects = account.projects
    .filter(
      (p) =>
        wanted("name", p.name) &&
        wanted("domain_id", account.domainId) &&
        wanted("parent_id", account.domainId) &&
        wanted("enabled", "true") &&
        wanted("is_domain", "false"),
    )
    .map((p) => ({
      id: p.id,
      name: p.name,
      domain_id: account.domainId,
      parent_id: account.domainId,
      enabled: true,
      is_domain: false,
      description: "",
      links: { self: `/v3/projects/${p.id}` },
    }));
  const self = `/v3/projects${call.rawQuery ? `?${call.rawQuery}` : ""}`;
  return { reply: { status: 200, body: { links: { self, previous: null, next: null }, projects } } };
}

/** IAM's answer to a credential it does not accept (401) or one without the right (403). */
function refused(failure: AuthFailure): { reply: Reply; note: string } {
  const status = failure.kind === "forbidden" ? 403 : 401;
  const message = status === 401 ? "The request you have made requires authentication." : "Forbidden.";
  return { reply: iamError(status, message), note: failure.detail };
}
