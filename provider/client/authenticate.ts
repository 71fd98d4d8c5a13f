// The authenticate stage: the headers that prove who is asking, for each attempt (an AK/SK
// signature carries the time, so it is made per attempt, over exactly the body sent). Ready tokens
// are sent as given; user-name/password credentials take an IAM token from the run's cache,
// fetched again once per call when a service answers 401; AK/SK signs with X-Project-Id or
// X-Domain-Id, each asked of IAM once per run and AK when it is not configured (the project id by
// the project's name, default the region's, as Huawei's SDKs do). How each service is
// authenticated comes from services.ts.
import * as crypto from "node:crypto";
import type { PreparedRequest } from "./call-request";
import type { Decoded } from "./decode";
import { fetchDomainId, fetchIamToken, fetchProjectId, type Call } from "./iam-calls";
import { IamTokenCache, type IamToken } from "./iam-token";
import type { Redactor } from "./redaction";
import { SERVICES } from "./services";
import type { ClientRuntime } from "./runtime";
import { SETTING_KEYS } from "./setting-keys";
import type { ClientSettings } from "./settings";
import { signRequest } from "./signer";

const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

export interface AuthenticatorOptions {
  settings: ClientSettings;
  runtime: ClientRuntime;
  redactor: Redactor;
  now: () => Date;
  /** The client's own call, for the IAM requests authentication needs. */
  call: Call;
}

export class Authenticator {
  /** Password credentials only: a project-scoped and a domain-scoped token cache. */
  private readonly tokens: Readonly<Record<"project" | "domain", IamTokenCache>> | undefined;
  private readonly settings: ClientSettings;
  /** The project id IAM named for the project's name (AK/SK without a configured one). */
  private lookedUpProjectId: string | undefined;

  constructor(private readonly options: AuthenticatorOptions) {
    const settings = (this.settings = options.settings);
    const c = settings.credentials;
    if (c.kind === "password") {
      // The password's digest is part of the identity: a token is shared only by clients that could
      // have fetched it themselves.
      const cache = (scope: "project" | "domain") => {
        const identity = [
          settings.endpoints.iam,
          c.domainName,
          c.userName,
          crypto.createHash("sha256").update(c.password).digest("hex"),
          scope === "project" ? (settings.projectId ?? settings.projectName ?? settings.region) : "(domain)",
        ];
        return options.runtime.tokenCache(
          JSON.stringify(identity),
          () =>
            new IamTokenCache(
              () => fetchIamToken(options.call, settings, options.redactor, scope),
              options.now,
            ),
        );
      };
      this.tokens = { project: cache("project"), domain: cache("domain") };
    }
  }

  /**
   * The project every request is scoped to: configured, the one IAM scoped the token to, or, with
   * AK/SK, the one IAM names for the project's name (asked once per run, AK and name).
   */
  async projectId(): Promise<string> {
    if (this.settings.projectId) return this.settings.projectId;
    const fromToken = this.tokens ? (await this.tokens.project.get()).projectId : undefined;
    if (fromToken) return fromToken;
    const c = this.settings.credentials;
    if (c.kind === "aksk") {
      const { projectName, region } = this.settings;
      const name = projectName ?? region;
      const key = JSON.stringify([this.settings.endpoints.iam, c.accessKey, name]);
      const { call, redactor } = this.options;
      const id = await this.options.runtime.projectId(key, () =>
        fetchProjectId(call, redactor, name, projectName === undefined ? "region" : "projectName"),
      );
      this.lookedUpProjectId = id;
      return id;
    }
    throw new Error(
      `no Huawei Cloud project id is set: set ${SETTING_KEYS.projectId.config} or ${SETTING_KEYS.projectId.env} ` +
        "(IAM console > My Credentials > API Credentials lists the project id of each region)",
    );
  }

  /** The account (domain) id global services need with AK/SK: configured, or asked of IAM once per run and AK. */
  async domainId(): Promise<string> {
    if (this.settings.domainId) return this.settings.domainId;
    const c = this.settings.credentials;
    if (c.kind !== "aksk") throw new Error("unreachable: the domain id is needed with AK/SK only");
    const key = JSON.stringify([this.settings.endpoints.iam, c.accessKey]);
    return this.options.runtime.domainId(key, () => fetchDomainId(this.options.call, this.options.redactor));
  }

  /** The project id if it is known without a request: configured, or that of a token or lookup already made. */
  knownProjectId(): string | undefined {
    return this.settings.projectId ?? this.tokens?.project.peek()?.projectId ?? this.lookedUpProjectId;
  }

  /** The token handling of one call of `scope`: an IAM token only for password credentials. */
  session(scope: PreparedRequest["scope"]): TokenSession {
    const cache = this.tokens && (scope === "project" || scope === "domain") ? this.tokens[scope] : undefined;
    return new TokenSession(cache, this.options.redactor);
  }

  /** Every header that authenticates `prepared`, signed now with AK/SK; `token` from the call's session. */
  async headers(prepared: PreparedRequest, token: IamToken | undefined): Promise<Record<string, string>> {
    const { scope, body } = prepared;
    const headers: Record<string, string> = {
      ...(body ? { "Content-Type": JSON_CONTENT_TYPE } : {}),
      ...SERVICES[prepared.request.service].headers,
    };
    if (scope === "none") return headers;
    const c = this.settings.credentials;
    // Ready tokens are sent as given: each must have the scope its services need (README, Configuration).
    if (c.kind === "token") {
      return { ...headers, "X-Auth-Token": scope === "domain" && c.domainToken ? c.domainToken : c.token };
    }
    if (token) return { ...headers, "X-Auth-Token": token.value };
    if (c.kind !== "aksk") throw new Error(`unreachable: password credentials without a token for ${scope}`);
    if (scope === "project") headers["X-Project-Id"] = await this.projectId();
    if (scope === "domain") headers["X-Domain-Id"] = await this.domainId();
    if (c.securityToken) headers["X-Security-Token"] = c.securityToken;
    const { method } = prepared.request;
    return signRequest(
      { method, url: prepared.url, query: prepared.query, headers, body },
      c,
      this.options.now(),
    );
  }
}

/**
 * One call's IAM token: taken from the cache before each attempt, and, when a service answers 401
 * to it, dropped and fetched again once in the call (a token can be revoked or lapse early; a 401
 * means the server did not act).
 */
export class TokenSession {
  private refreshed = false;

  constructor(
    private readonly cache: IamTokenCache | undefined,
    private readonly redactor: Redactor,
  ) {}

  /** Sends with the current token (`send`), and once more with a new one after a first 401. */
  async attempt(send: (token: IamToken | undefined) => Promise<Decoded>): Promise<Decoded> {
    for (;;) {
      const token = this.cache ? await this.cache.get() : undefined;
      // The token may have been issued to another client sharing the cache: this one must know it too.
      if (token) this.redactor.add(token.value);
      const decoded = await send(token);
      if (decoded.kind === "answer" && decoded.status === 401 && token && this.cache && !this.refreshed) {
        this.refreshed = true;
        this.cache.invalidate(token);
        continue;
      }
      return decoded;
    }
  }
}
