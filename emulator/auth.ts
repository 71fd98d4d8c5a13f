// Who is calling. Regional services (DIS, MetaStudio) accept a project-scoped IAM token
// (`X-Auth-Token`) or an AK/SK signature (`Authorization: SDK-HMAC-SHA256 ...` with `X-Sdk-Date`,
// `X-Project-Id` and, for a temporary AK, `X-Security-Token`); the token wins when a request carries
// both. Global services (BSS) take a domain-scoped ("global") token, or an AK/SK signature with
// `X-Domain-Id` instead of `X-Project-Id` (Huawei's SDKs sign global services so: GlobalCredentials).
// The outcome is neutral here: each service turns a failure into its own error body.
import type { Account, Accounts } from "./accounts";
import { MAX_CLOCK_SKEW_MS, parseAuthorization, parseSdkDate, sha256Hex, verifySignature } from "./signature";
import type { State } from "./state";
import type { AuthFailure, Call } from "./types";

export interface Principal {
  kind: "token" | "aksk";
  /** The project the credential acts in: the token's scope, or X-Project-Id. */
  projectId: string;
  account: Account;
}

/** A caller of a global service (BSS), or of IAM's own account queries. */
export interface AccountPrincipal {
  kind: "token" | "aksk";
  account: Account;
}

export type AuthResult<P = Principal> = { ok: true; principal: P } | { ok: false; failure: AuthFailure };

export interface AuthContext {
  accounts: Accounts;
  state: State;
  now: number;
}

const header = (call: Call, name: string): string | undefined => {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const fail = (kind: AuthFailure["kind"], detail: string): { ok: false; failure: AuthFailure } => ({
  ok: false,
  failure: { kind, detail },
});

/** A verified credential, before any scope is checked. */
type Identified =
  | { kind: "token"; account: Account; tokenProjectId: string | undefined }
  | { kind: "aksk"; account: Account };

function identify(call: Call, ctx: AuthContext): AuthResult<Identified> {
  const token = header(call, "x-auth-token");
  if (token !== undefined && token !== "") return byToken(token, ctx);
  const authorization = header(call, "authorization");
  if (authorization !== undefined && authorization !== "") return bySignature(call, authorization, ctx);
  return fail(
    "unauthenticated",
    "the request carries neither X-Auth-Token nor an AK/SK Authorization header",
  );
}

/**
 * Authenticates a call to a regional service. With `projectId` (MetaStudio's path), the credential
 * must act in exactly that project.
 */
export function authenticate(call: Call, ctx: AuthContext, projectId?: string): AuthResult {
  const who = identify(call, ctx);
  if (!who.ok) return who;
  const { account } = who.principal;
  if (who.principal.kind === "token") {
    const scoped = who.principal.tokenProjectId;
    if (scoped === undefined) {
      return fail(
        "forbidden",
        "the token is scoped to the account (domain); this regional API needs a project-scoped token",
      );
    }
    if (projectId !== undefined && scoped !== projectId) {
      return fail("forbidden", `the token is scoped to project ${scoped}, not ${projectId}`);
    }
    return { ok: true, principal: { kind: "token", projectId: scoped, account } };
  }
  const xProjectId = header(call, "x-project-id");
  if (xProjectId === undefined || xProjectId === "") {
    return fail("unauthenticated", "AK/SK authentication needs X-Project-Id");
  }
  if (projectId !== undefined && xProjectId !== projectId) {
    return fail("forbidden", `X-Project-Id ${xProjectId} is not the project in the path, ${projectId}`);
  }
  if (!account.projects.some((p) => p.id === xProjectId)) {
    return fail("forbidden", `project ${xProjectId} does not belong to the account of this AK`);
  }
  return { ok: true, principal: { kind: "aksk", projectId: xProjectId, account } };
}

/**
 * Authenticates a call to a global service (BSS): a domain-scoped token, or AK/SK with the
 * account's X-Domain-Id. Huawei's pages say a global service needs a global token; whether the
 * real BSS refuses a project-scoped one is not written down: the emulator refuses it (403), so a
 * client is proven to send what the pages ask for (emulator/README.md, "Billing").
 */
export function authenticateDomain(call: Call, ctx: AuthContext): AuthResult<AccountPrincipal> {
  const who = identify(call, ctx);
  if (!who.ok) return who;
  const { account } = who.principal;
  if (who.principal.kind === "token") {
    if (who.principal.tokenProjectId !== undefined) {
      return fail(
        "forbidden",
        `the token is scoped to project ${who.principal.tokenProjectId}; BSS is a global service and needs a domain-scoped token`,
      );
    }
    return { ok: true, principal: { kind: "token", account } };
  }
  const xDomainId = header(call, "x-domain-id");
  if (xDomainId === undefined || xDomainId === "") {
    return fail("unauthenticated", "AK/SK authentication of a global service needs X-Domain-Id");
  }
  if (xDomainId !== account.domainId) {
    return fail("forbidden", `X-Domain-Id ${xDomainId} is not the account of this AK`);
  }
  return { ok: true, principal: { kind: "aksk", account } };
}

/** Any valid credential of an account, whatever its scope (IAM's GET /v3/auth/domains). */
export function authenticateAccount(call: Call, ctx: AuthContext): AuthResult<AccountPrincipal> {
  const who = identify(call, ctx);
  if (!who.ok) return who;
  return { ok: true, principal: { kind: who.principal.kind, account: who.principal.account } };
}

function byToken(token: string, ctx: AuthContext): AuthResult<Identified> {
  const record = ctx.state.findToken(sha256Hex(token));
  if (!record) return fail("unauthenticated", "the token was not issued by this IAM (decrypt token fail)");
  if (record.expiresAt <= ctx.now) return fail("expired", "the token has expired");
  const account = ctx.accounts.byDomainName(record.domainName);
  if (!account) return fail("unauthenticated", "the token's account no longer exists");
  return { ok: true, principal: { kind: "token", account, tokenProjectId: record.projectId } };
}

function bySignature(call: Call, authorization: string, ctx: AuthContext): AuthResult<Identified> {
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === "string") return fail("unauthenticated", parsed);
  const sdkDate = header(call, "x-sdk-date");
  if (sdkDate === undefined) return fail("unauthenticated", "X-Sdk-Date is missing");
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return fail("unauthenticated", "X-Sdk-Date is not YYYYMMDDTHHMMSSZ");
  if (Math.abs(ctx.now - signedAt) > MAX_CLOCK_SKEW_MS) {
    return fail("unauthenticated", "X-Sdk-Date is more than 15 minutes away from the server's clock");
  }
  const match = ctx.accounts.findKey(parsed.accessKey);
  if (!match) return fail("unauthenticated", "the AK does not exist");
  if (match.key.securityToken !== undefined) {
    const securityToken = header(call, "x-security-token");
    if (securityToken === undefined) return fail("unauthenticated", "a temporary AK needs X-Security-Token");
    if (securityToken !== match.key.securityToken)
      return fail("unauthenticated", "the security token is wrong");
  }
  const verified = verifySignature(
    {
      method: call.method,
      rawPath: call.rawPath,
      rawQuery: call.rawQuery,
      headers: call.headers,
      body: call.body,
    },
    parsed,
    sdkDate,
    match.key.secretKey,
  );
  if (!verified.ok) return fail("unauthenticated", verified.reason);
  return { ok: true, principal: { kind: "aksk", account: match.account } };
}
