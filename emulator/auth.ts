// Who is calling a DIS or MetaStudio API. Both accept an IAM token (`X-Auth-Token`) or an AK/SK
// signature (`Authorization: SDK-HMAC-SHA256 ...` with `X-Sdk-Date`, `X-Project-Id` and, for a
// temporary AK, `X-Security-Token`); the token wins when a request carries both. The outcome is
// neutral here: each service turns a failure into its own error body.
import type { Accounts } from "./accounts";
import { MAX_CLOCK_SKEW_MS, parseAuthorization, parseSdkDate, sha256Hex, verifySignature } from "./signature";
import type { State } from "./state";
import type { Call } from "./wire";

export interface Principal {
  kind: "token" | "aksk";
  /** The project the credential acts in: the token's scope, or X-Project-Id. */
  projectId: string;
}

export type AuthFailure =
  /** No credential, an unknown or malformed one, a bad signature: 401. */
  | { kind: "unauthenticated"; detail: string }
  /** A token that expired (IAM: "The token must be updated"): 401. */
  | { kind: "expired"; detail: string }
  /** A valid credential for another project than the one addressed: 403. */
  | { kind: "forbidden"; detail: string };

export type AuthResult = { ok: true; principal: Principal } | { ok: false; failure: AuthFailure };

export interface AuthContext {
  accounts: Accounts;
  state: State;
  now: number;
}

const header = (call: Call, name: string): string | undefined => {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const fail = (kind: AuthFailure["kind"], detail: string): AuthResult => ({
  ok: false,
  failure: { kind, detail },
});

/**
 * Authenticates `call`. With `projectId` (MetaStudio's path), the credential must act in exactly
 * that project.
 */
export function authenticate(call: Call, ctx: AuthContext, projectId?: string): AuthResult {
  const token = header(call, "x-auth-token");
  if (token !== undefined && token !== "") return byToken(token, ctx, projectId);
  const authorization = header(call, "authorization");
  if (authorization !== undefined && authorization !== "")
    return bySignature(call, authorization, ctx, projectId);
  return fail(
    "unauthenticated",
    "the request carries neither X-Auth-Token nor an AK/SK Authorization header",
  );
}

function byToken(token: string, ctx: AuthContext, projectId: string | undefined): AuthResult {
  const record = ctx.state.findToken(sha256Hex(token));
  if (!record) return fail("unauthenticated", "the token was not issued by this IAM (decrypt token fail)");
  if (record.expiresAt <= ctx.now) return fail("expired", "the token has expired");
  if (projectId !== undefined && record.projectId !== projectId) {
    return fail("forbidden", `the token is scoped to project ${record.projectId}, not ${projectId}`);
  }
  return { ok: true, principal: { kind: "token", projectId: record.projectId } };
}

function bySignature(
  call: Call,
  authorization: string,
  ctx: AuthContext,
  projectId: string | undefined,
): AuthResult {
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
  const xProjectId = header(call, "x-project-id");
  if (xProjectId === undefined || xProjectId === "") {
    return fail("unauthenticated", "AK/SK authentication needs X-Project-Id");
  }
  if (projectId !== undefined && xProjectId !== projectId) {
    return fail("forbidden", `X-Project-Id ${xProjectId} is not the project in the path, ${projectId}`);
  }
  if (!match.account.projects.some((p) => p.id === xProjectId)) {
    return fail("forbidden", `project ${xProjectId} does not belong to the account of this AK`);
  }
  return { ok: true, principal: { kind: "aksk", projectId: xProjectId } };
}
