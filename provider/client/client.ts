// The Huawei Cloud client both resources use. It knows nothing about Pulumi: settings in, calls
// out. One request per attempt, authenticated per attempt (AK/SK signatures carry a timestamp),
// with the body sent exactly as signed; every failure becomes a HuaweiCloudError or, when a
// request that changes something may have acted, an OutcomeUnknownError (OrderOutcomeUnknownError
// for an order). How each service is authenticated comes from provider/client/services.ts.
import * as crypto from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { Got } from "got";
import {
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  OutcomeUnknownError,
  type CallMetadata,
  type ServiceName,
} from "./errors";
import { IamTokenCache, sharedTokenCache, type IamToken } from "./iam-token";
import { Redactor } from "./redaction";
import { statedRateLimit, type AdaptiveRateLimiter } from "./rate-limiter";
import {
  classify,
  parseRetryAfter,
  RetryStrategy,
  transportFailureKind,
  type AttemptFailure,
} from "./retry-policy";
import { SERVICES, type AuthScope } from "./services";
import { ENVIRONMENT_VARIABLES, type ClientSettings } from "./settings";
import { encodeRfc3986, signRequest } from "./signer";
import { PACKAGE_NAME, packageManifest } from "./package-manifest";

export const USER_AGENT = `${PACKAGE_NAME}/${packageManifest().version} (node ${process.versions.node})`;

const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

// Shared by every client in the process, so connections are kept alive across resources.
// proxyEnv makes Node honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
const agents = {
  http: new http.Agent({ keepAlive: true, proxyEnv: process.env }),
  https: new https.Agent({ keepAlive: true, proxyEnv: process.env }),
};

type GotModule = typeof import("got");
let gotModule: Promise<GotModule> | undefined;
/** got, loaded at the first request: a process that only deletes (destroy) never pays for it. */
const loadGot = (): Promise<GotModule> => (gotModule ??= import("got"));

/**
 * One got instance per set of timeouts, shared by every client in the process: got.extend
 * validates and merges all its options, which cost more than the request to the emulator when
 * each resource built its own.
 */
const httpInstances = new Map<string, Got>();

function httpFor({ got }: GotModule, timeouts: ClientSettings["timeouts"]): Got {
  const key = `${timeouts.connectMs}/${timeouts.responseMs}`;
  let instance = httpInstances.get(key);
  if (!instance) {
    instance = got.extend({
      agent: agents,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: { "user-agent": USER_AGENT },
      timeout: {
        lookup: timeouts.connectMs,
        connect: timeouts.connectMs,
        secureConnect: timeouts.connectMs,
        send: timeouts.responseMs,
        response: timeouts.responseMs,
        request: timeouts.connectMs + timeouts.responseMs,
      },
    });
    httpInstances.set(key, instance);
  }
  return instance;
}

export interface ClientOptions {
  /** Waits between attempts; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
  /** Receives one redacted line per attempt. */
  log?: (line: string) => void;
  /**
   * Paces every attempt once the API throttles; clients that share one share the API's rate (the
   * provider gives every client of its process `processRateLimiter`). Without one, each request
   * only retries on its own.
   */
  limiter?: AdaptiveRateLimiter;
  /**
   * Asked after each wait between attempts, before the next one is sent: false ends the call with
   * the last failure. For a caller whose answer can stop mattering while it waits (a price at
   * `up`, once the update has begun); never for a request that can place an order.
   */
  keepRetrying?: () => boolean;
}

export interface CallRequest {
  service: ServiceName;
  /** The operation as Huawei's page names it, for messages. */
  operation: string;
  method: "GET" | "POST";
  /** Path segments, unencoded: ["v2", "orders", orderId]. */
  path: readonly string[];
  /** Query parameters; undefined ones are left out. */
  query?: Readonly<Record<string, string | number | undefined>>;
  body?: unknown;
  /**
   * True when repeating the request could act twice (place a second order, pay again): it is then
   * sent again only when the server certainly did not act on it.
   */
  creates: boolean;
  /**
   * The service's credential scope unless told otherwise; "account" signs AK/SK with neither
   * X-Project-Id nor X-Domain-Id (IAM's own account queries).
   */
  scope?: AuthScope | "account";
  /** What certainly did not happen when the call was refused; default "No order was placed". */
  notDone?: string;
  /** For a request that `creates` something other than an order: what may have happened, what to check. */
  ifUnknown?: { subject: string; advice: string };
  /** The IAM permission the API needs (Huawei's "API Access Permission" tables), named on 403. */
  permission?: string;
}

export interface CallResult {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  requestId: string | undefined;
  attempts: number;
  sentAt: Date;
}

type Outcome =
  | { kind: "response"; status: number; text: string; headers: http.IncomingHttpHeaders }
  | { kind: "failure"; failure: AttemptFailure & { kind: "not-sent" | "no-answer" }; final: boolean };

export class HuaweiCloudClient {
  readonly redactor = new Redactor();
  /** Password credentials only: a project-scoped and a domain-scoped token cache. */
  private readonly tokens: Readonly<Record<"project" | "domain", IamTokenCache>> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly limiter: AdaptiveRateLimiter | undefined;

  constructor(
    readonly settings: ClientSettings,
    private readonly options: ClientOptions = {},
  ) {
    const c = settings.credentials;
    if (c.kind === "token") this.redactor.add(c.token, c.domainToken);
    if (c.kind === "password") this.redactor.add(c.password);
    if (c.kind === "aksk") this.redactor.add(c.secretKey, c.securityToken);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.limiter = options.limiter;
    if (c.kind === "password") {
      // The password's digest is part of the identity: a token is shared only by clients that could
      // have fetched it themselves.
      const cache = (scope: "project" | "domain") => {
        const identity = [
          settings.endpoints.iam,
          c.domainName,
          c.userName,
          crypto.createHash("sha256").update(c.password).digest("hex"),
          scope === "project" ? (settings.projectId ?? settings.region) : "(domain)",
        ];
        return sharedTokenCache(
          JSON.stringify(identity),
          () => new IamTokenCache(() => this.fetchIamToken(scope), this.now),
        );
      };
      this.tokens = { project: cache("project"), domain: cache("domain") };
    }
  }

  /** The project every request is scoped to: configured, or the one IAM scoped the token to. */
  async projectId(): Promise<string> {
    if (this.settings.projectId) return this.settings.projectId;
    const fromToken = this.tokens ? (await this.tokens.project.get()).projectId : undefined;
    if (fromToken) return fromToken;
    throw new Error(
      "no Huawei Cloud project id is set: set huaweicloud:projectId or HW_PROJECT_ID " +
        "(IAM console > My Credentials > API Credentials lists the project id of each region)",
    );
  }

  /**
   * The account (domain) id global services need with AK/SK: configured, or asked of IAM once per
   * process and AK (GET /v3/auth/domains, as Huawei's SDKs do in GlobalCredentials).
   */
  async domainId(): Promise<string> {
    if (this.settings.domainId) return this.settings.domainId;
    const c = this.settings.credentials;
    if (c.kind !== "aksk") throw new Error("unreachable: the domain id is needed with AK/SK only");
    const key = JSON.stringify([this.settings.endpoints.iam, c.accessKey]);
    let pending = domainIds.get(key);
    if (!pending) {
      pending = this.fetchDomainId();
      domainIds.set(key, pending);
      pending.catch(() => domainIds.delete(key));
    }
    return pending;
  }

  /** The project id if it is known without a request: configured, or that of a token already fetched. */
  knownProjectId(): string | undefined {
    return this.settings.projectId ?? this.tokens?.project.peek()?.projectId;
  }

  async call(request: CallRequest): Promise<CallResult> {
    const strategy = new RetryStrategy({
      ...this.settings.retry,
      ...optional("random", this.options.random),
    });
    const endpoint = this.settings.endpoints[request.service];
    const query = Object.fromEntries(
      Object.entries(request.query ?? {})
        .filter((e): e is [string, string | number] => e[1] !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const search = Object.entries(query)
      .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)
      .join("&");
    const url = requestUrl(endpoint, request.path);
    const target = search ? `${url}?${search}` : url;
    const body = request.body === undefined ? "" : JSON.stringify(request.body);
    const scope = request.scope ?? SERVICES[request.service].scope;
    const cache = this.tokens && (scope === "project" || scope === "domain") ? this.tokens[scope] : undefined;
    let sends = 0;
    let retriedUnauthorized = false;
    for (let attempt = 1; ; attempt++) {
      const token = cache ? await cache.get() : undefined;
      // The token may have been issued to another client sharing the cache: this one must know it too.
      if (token) this.redactor.add(token.value);
      // Once the API has throttled, every request of the process waits its turn (before signing:
      // an AK/SK signature carries the time).
      const bookedAtMs = this.limiter?.nowMs() ?? 0;
      const turn = this.limiter?.reserve() ?? 0;
      if (turn > 0) await this.sleep(turn);
      const headers = await this.authenticate(scope, request.method, url, query, body, token);
      const sentAt = this.now();
      sends++;
      const outcome = await this.send(request.method, target, headers, body);
      const meta: CallMetadata = { service: request.service, operation: request.operation, attempts: sends };

      if (outcome.kind === "response") {
        meta.httpStatus = outcome.status;
        meta.requestId = header(outcome.headers, "x-request-id");
        const parsed = parseBody(outcome.text);
        const answered = huaweiError(parsed, outcome.text);
        const throttled =
          classify({ kind: "http", status: outcome.status, errorCode: answered.errorCode }) === "throttled";
        this.limiter?.record({
          throttled,
          bookedAtMs,
          statedLimitPerSecond: throttled ? statedRateLimit(answered.errorMsg) : undefined,
        });
        this.log(
          `${request.method} ${target} -> HTTP ${outcome.status} (X-Request-Id ${meta.requestId ?? "none"})`,
        );
        if (outcome.status >= 200 && outcome.status < 300) {
          return {
            status: outcome.status,
            body: parsed,
            headers: outcome.headers,
            requestId: meta.requestId,
            attempts: sends,
            sentAt,
          };
        }
        Object.assign(meta, answered);
        if (outcome.status === 401 && token && cache && !retriedUnauthorized) {
          // An IAM token can be revoked or lapse early; a 401 means the server did not act.
          retriedUnauthorized = true;
          cache.invalidate(token);
          attempt--;
          continue;
        }
        const failure: AttemptFailure = {
          kind: "http",
          status: outcome.status,
          errorCode: meta.errorCode,
          retryAfterMs: parseRetryAfter(header(outcome.headers, "retry-after"), this.now()),
        };
        const decision = strategy.decide(failure, attempt, request.creates);
        if (decision.action === "retry" && (await this.waitToRetry(decision.delayMs))) continue;
        if (decision.action === "outcome-unknown") {
          throw this.outcomeUnknown(request, meta, sentAt, `the server answered HTTP ${outcome.status}`);
        }
        throw new HuaweiCloudError(meta, adviceFor(outcome.status, request, scope), this.redactor);
      }

      this.log(`${request.method} ${target} -> ${outcome.failure.cause}`);
      if (outcome.final) throw new HuaweiCloudError(meta, outcome.failure.cause, this.redactor);
      const decision = strategy.decide(outcome.failure, attempt, request.creates);
      if (decision.action === "retry" && (await this.waitToRetry(decision.delayMs))) continue;
      if (decision.action === "outcome-unknown") {
        throw this.outcomeUnknown(request, meta, sentAt, outcome.failure.cause);
      }
      throw new HuaweiCloudError(
        meta,
        `${outcome.failure.cause}; gave up after ${sends} attempt${sends === 1 ? "" : "s"}. ${notDone(request)}: ` +
          `check the endpoint (${endpoint}) and the network, then run again`,
        this.redactor,
      );
    }
  }

  /** Waits out the delay; false when the caller no longer wants the answer. */
  private async waitToRetry(delayMs: number): Promise<boolean> {
    await this.sleep(delayMs);
    return this.options.keepRetrying?.() ?? true;
  }

  private outcomeUnknown(
    request: CallRequest,
    meta: CallMetadata,
    sentAt: Date,
    cause: string,
  ): OutcomeUnknownError {
    return request.ifUnknown
      ? new OutcomeUnknownError(meta, sentAt, cause, request.ifUnknown, this.redactor)
      : new OrderOutcomeUnknownError(meta, sentAt, cause, this.redactor);
  }

  private async authenticate(
    scope: AuthScope | "account",
    method: CallRequest["method"],
    url: string,
    query: Record<string, string>,
    body: string,
    token: IamToken | undefined,
  ): Promise<Record<string, string>> {
    const headers: Record<string, string> = body ? { "Content-Type": JSON_CONTENT_TYPE } : {};
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
    return signRequest({ method, url, query, headers, body }, c, this.now());
  }

  private async fetchDomainId(): Promise<string> {
    const result = await this.call({
      service: "iam",
      operation: "KeystoneListAuthDomains",
      method: "GET",
      path: ["v3", "auth", "domains"],
      scope: "account",
      creates: false,
      notDone: "Nothing was changed",
    });
    const domains = (result.body as { domains?: { id?: unknown }[] } | undefined)?.domains;
    const id = Array.isArray(domains) ? domains[0]?.id : undefined;
    if (typeof id !== "string" || id === "") {
      throw new HuaweiCloudError(
        {
          service: "iam",
          operation: "KeystoneListAuthDomains",
          httpStatus: result.status,
          requestId: result.requestId,
          attempts: result.attempts,
        },
        "IAM named no account (domain) for this AK, so the billing service cannot be called with it. " +
          `Set huaweicloud:domainId (or ${ENVIRONMENT_VARIABLES.domainId}) to the account id ` +
          "(IAM console > My Credentials > API Credentials), or grant the IAM user iam:users:getUser",
        this.redactor,
      );
    }
    return id;
  }

  private async send(
    method: CallRequest["method"],
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<Outcome> {
    const gotModule = await loadGot();
    const { RequestError, TimeoutError } = gotModule;
    try {
      const http = httpFor(gotModule, this.settings.timeouts);
      const res = await http(url, { method, headers, ...(body ? { body } : {}) });
      return { kind: "response", status: res.statusCode, text: res.body, headers: res.headers };
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      const code = err.code;
      const cause = `${code}: ${err.message}`;
      if (code.startsWith("ERR_TLS") || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        return {
          kind: "failure",
          failure: { kind: "not-sent", cause: `TLS verification failed (${cause})` },
          final: true,
        };
      }
      const kind = transportFailureKind({
        code,
        written: err.timings?.upload !== undefined,
        timeoutEvent: err instanceof TimeoutError ? err.event : undefined,
      });
      return { kind: "failure", failure: { kind, cause }, final: false };
    }
  }

  /** A project-scoped token for regional services, or a domain-scoped one for global services. */
  private async fetchIamToken(tokenScope: "project" | "domain"): Promise<IamToken> {
    const c = this.settings.credentials;
    if (c.kind !== "password")
      throw new Error("unreachable: IAM tokens are fetched for password credentials only");
    const project = this.settings.projectId
      ? { id: this.settings.projectId }
      : { name: this.settings.region };
    const scope = tokenScope === "project" ? { project } : { domain: { name: c.domainName } };
    const result = await this.call({
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
    const token = (result.body as { token?: { expires_at?: string; project?: { id?: string } } } | undefined)
      ?.token;
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
        this.redactor,
      );
    }
    this.redactor.add(value);
    return { value, expiresAt, projectId: token?.project?.id };
  }

  private log(line: string): void {
    this.options.log?.(this.redactor.text(line));
  }
}

/** Per process: the account id IAM named for each AK (AK/SK calls of global services need it). */
const domainIds = new Map<string, Promise<string>>();

function notDone(request: CallRequest): string {
  return request.notDone ?? "No order was placed";
}

/**
 * The endpoint (checked by the settings) and the path segments, each percent-encoded; an empty,
 * "." or ".." segment is refused, since URL parsing would drop or fold it into another path.
 */
function requestUrl(endpoint: string, segments: readonly string[]): string {
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new Error(`refusing to build a request path with the segment ${JSON.stringify(segment)}`);
    }
  }
  return `${endpoint}/${segments.map(encodeRfc3986).join("/")}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Huawei's error bodies: {error_code, error_msg} (services, API Gateway) or IAM's {error: {code, message}}. */
function huaweiError(body: unknown, text: string): Pick<CallMetadata, "errorCode" | "errorMsg"> {
  if (body && typeof body === "object") {
    const b = body as {
      error_code?: unknown;
      error_msg?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    if (typeof b.error_code === "string") {
      return { errorCode: b.error_code, errorMsg: typeof b.error_msg === "string" ? b.error_msg : undefined };
    }
    if (b.error && typeof b.error === "object") {
      return {
        errorCode: b.error.code === undefined ? undefined : String(b.error.code),
        errorMsg: typeof b.error.message === "string" ? b.error.message : undefined,
      };
    }
  }
  return text ? { errorMsg: text.slice(0, 300) } : {};
}

function adviceFor(status: number, request: CallRequest, scope: AuthScope | "account"): string {
  // A global service takes a domain-scoped token, and the international site has its own host.
  const globalHint =
    scope === "domain"
      ? ` ${SERVICES[request.service].title} is a global service: with ready tokens, give a domain-scoped one as ` +
        `huaweicloud:domainAuthToken (${ENVIRONMENT_VARIABLES.domainAuthToken}) beside the project-scoped authToken; ` +
        `an account of the international site sets huaweicloud:${SERVICES[request.service].setting} ` +
        `to its endpoint (https://bss-intl.myhuaweicloud.com).`
      : "";
  if (status === 401)
    return `the credentials were not accepted; check them (see README, Configuration). ${notDone(request)}.${globalHint}`;
  if (status === 403) {
    const permission = request.permission ? ` ${request.permission}` : " for this API";
    return `the credentials are not allowed to do this; grant the IAM user the permission${permission}. ${notDone(request)}.${globalHint}`;
  }
  if (status === 429)
    return (
      `still throttled after waiting as long as allowed (huaweicloud:maxRetryWaitSeconds); ${lowerFirst(notDone(request))}. ` +
      "Run again later, or raise huaweicloud:maxRetryWaitSeconds"
    );
  return request.creates
    ? `the request was rejected and ${lowerFirst(notDone(request))}; correct the inputs named above and run again`
    : "the request was rejected";
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
