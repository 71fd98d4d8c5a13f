// IAM "Obtaining a User Token Through Password Authentication": POST /v3/auth/tokens with
// auth.identity.methods ["password"], auth.identity.password.user {name, password, domain {name|id}}
// and auth.scope.project {id|name}. Answers 201 with the token in X-Subject-Token and its details
// in the body. Wrong credentials: 401 in IAM's Keystone-style shape
// {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}.
import * as crypto from "node:crypto";
import { z } from "zod";
import type { Account, Accounts, ProjectSpec } from "./accounts";
import { iamError, type Reply } from "./errors";
import { sha256Hex } from "./signature";
import type { State } from "./state";
import { isJson, type Call } from "./wire";

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
        domain: z.unknown().optional(),
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

/** Issues a project-scoped token without the HTTP round trip (tests and the admin API use it). */
export function issueToken(
  account: Account,
  project: ProjectSpec,
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
    projectId: project.id,
    projectName: project.name,
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
  if (!wanted || (wanted.id === undefined && wanted.name === undefined)) {
    return iamError(
      400,
      "The emulator issues project-scoped tokens only: give auth.scope.project {id} or {name}.",
    );
  }

  const account = ctx.accounts.findUser(user.domain, user.name);
  if (!account || account.password !== user.password) {
    return iamError(401, "The username or password is wrong.");
  }
  const project = account.projects.find(
    (p) =>
      (wanted.id === undefined || p.id === wanted.id) &&
      (wanted.name === undefined || p.name === wanted.name),
  );
  if (!project) return iamError(401, "The user has no access to the requested project.");

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
        project: { id: project.id, name: project.name, domain },
        user: { id: account.userId, name: account.userName, domain, password_expires_at: "" },
        roles: [],
        catalog: [],
      },
    },
  };
}
