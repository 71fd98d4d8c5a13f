// The Huawei Cloud client both resources use. It knows nothing about Pulumi: settings in, calls
// out. One request per attempt, authenticated per attempt (AK/SK signatures carry a timestamp),
// with the body sent exactly as signed; every failure becomes a HuaweiCloudError or, when an
// order may exist, an OrderOutcomeUnknownError.
import * as crypto from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { got, RequestError, TimeoutError, type Got } from "got";
import * as fs from "node:fs";
import * as path from "node:path";
import { HuaweiCloudError, OrderOutcomeUnknownError, type CallMetadata, type ServiceName } from "./errors";
import { IamTokenCache, sharedTokenCache, type IamToken } from "./iam-token";
import { Redactor } from "./redaction";
import { parseRetryAfter, RetryStrategy, type AttemptFailure } from "./retry-policy";
import type { ClientSettings } from "./settings";
import { encodeRfc3986, signRequest } from "./signer";

export const USER_AGENT = `pulumi-huaweicloud-orders/${packageVersion()} (node ${process.versions.node})`;

/** This package's version, from its package.json (found upwards: the code runs from source or dist/). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pulumi-huaweicloud-orders" && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep looking upwards
    }
  }
  return "0.0.0";
}

const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

// Shared by every client in the process, so connections are kept alive across resources.
// proxyEnv makes Node honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
const agents = {
  http: new http.Agent({ keepAlive: true, proxyEnv: process.env }),
  https: new https.Agent({ keepAlive: true, proxyEnv: process.env }),
};

// The connection failed before any byte of the request was written: the server cannot have acted.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const NOT_SENT_TIMEOUT_EVENTS = new Set(["lookup", "connect", "secureConnect"]);

export interface ClientOptions {
  /** Waits between attempts; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
  /** Receives one redacted line per attempt. */
  log?: (line: string) => void;
}

export interface CallRequest {
  service: ServiceName;
  /** The operation as Huawei's page names it, for messages. */
  operation: string;
  method: "GET" | "POST";
  /** Path segments, unencoded: ["v2", "orders", orderId]. */
  path: readonly string[];
  body?: unknown;
  /** True when repeating the request could place a second order. */
  creates: boolean;
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
  private readonly http: Got;
  private readonly tokens: IamTokenCache | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(
    readonly settings: ClientSettings,
    private readonly options: ClientOptions = {},
  ) {
    const c = settings.credentials;
    if (c.kind === "token") this.redactor.add(c.token);
    if (c.kind === "password") this.redactor.add(c.password);
    if (c.kind === "aksk") this.redactor.add(c.secretKey, c.securityToken);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.http = got.extend({
      agent: agents,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: { "user-agent": USER_AGENT },
      timeout: {
        lookup: settings.timeouts.connectMs,
        connect: settings.timeouts.connectMs,
        secureConnect: settings.timeouts.connectMs,
        send: settings.timeouts.responseMs,
        response: settings.timeouts.responseMs,
        request: settings.timeouts.connectMs + settings.timeouts.responseMs,
      },
    });
    if (c.kind === "password") {
      // The password's digest is part of the identity: a token is shared only by clients that could
      // have fetched it themselves.
      const identity = [
        settings.endpoints.iam,
        c.domainName,
        c.userName,
        crypto.createHash("sha256").update(c.password).digest("hex"),
        settings.projectId ?? settings.region,
      ];
      this.tokens = sharedTokenCache(
        JSON.stringify(identity),
        () => new IamTokenCache(() => this.fetchIamToken(), this.now),
      );
    }
  }

  /** The project every request is scoped to: configured, or the one IAM scoped the token to. */
  async projectId(): Promise<string> {
    if (this.settings.projectId) return this.settings.projectId;
    const fromToken = this.tokens ? (await this.tokens.get()).projectId : undefined;
    if (fromToken) return fromToken;
    throw new Error(
      "no Huawei Cloud project id is set: set huaweicloud:projectId or HW_PROJECT_ID " +
        "(IAM console > My Credentials > API Credentials lists the project id of each region)",
    );
  }

  /** The project id if it is known without a request: configured, or that of a token already fetched. */
  knownProjectId(): string | undefined {
    return this.settings.projectId ?? this.tokens?.peek()?.projectId;
  }

  async call(request: CallRequest): Promise<CallResult> {
    const strategy = new RetryStrategy({
      ...this.settings.retry,
      ...optional("random", this.options.random),
    });
    const endpoint = this.settings.endpoints[request.service];
    const url = requestUrl(endpoint, request.path);
    const body = request.body === undefined ? "" : JSON.stringify(request.body);
    let sends = 0;
    let retriedUnauthorized = false;
    for (let attempt = 1; ; attempt++) {
      const token = this.tokens && request.service !== "iam" ? await this.tokens.get() : undefined;
      // The token may have been issued to another client sharing the cache: this one must know it too.
      if (token) this.redactor.add(token.value);
      const headers = await this.authenticate(request, url, body, token);
      const sentAt = this.now();
      sends++;
      const outcome = await this.send(request.method, url, headers, body);
      const meta: CallMetadata = { service: request.service, operation: request.operation, attempts: sends };

      if (outcome.kind === "response") {
        meta.httpStatus = outcome.status;
        meta.requestId = header(outcome.headers, "x-request-id");
        const parsed = parseBody(outcome.text);
        this.log(
          `${request.method} ${url} -> HTTP ${outcome.status} (X-Request-Id ${meta.requestId ?? "none"})`,
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
        Object.assign(meta, huaweiError(parsed, outcome.text));
        if (outcome.status === 401 && token && this.tokens && !retriedUnauthorized) {
          // An IAM token can be revoked or lapse early; a 401 means the server did not act.
          retriedUnauthorized = true;
          this.tokens.invalidate(token);
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
        if (decision.action === "retry") {
          await this.sleep(decision.delayMs);
          continue;
        }
        if (decision.action === "outcome-unknown") {
          throw new OrderOutcomeUnknownError(
            meta,
            sentAt,
            `the server answered HTTP ${outcome.status}`,
            this.redactor,
          );
        }
        throw new HuaweiCloudError(meta, adviceFor(outcome.status, request), this.redactor);
      }

      this.log(`${request.method} ${url} -> ${outcome.failure.cause}`);
      if (outcome.final) throw new HuaweiCloudError(meta, outcome.failure.cause, this.redactor);
      const decision = strategy.decide(outcome.failure, attempt, request.creates);
      if (decision.action === "retry") {
        await this.sleep(decision.delayMs);
        continue;
      }
      if (decision.action === "outcome-unknown") {
        throw new OrderOutcomeUnknownError(meta, sentAt, outcome.failure.cause, this.redactor);
      }
      throw new HuaweiCloudError(
        meta,
        `${outcome.failure.cause}; gave up after ${sends} attempt${sends === 1 ? "" : "s"}. No order was placed: ` +
          `check the endpoint (${endpoint}) and the network, then run again`,
        this.redactor,
      );
    }
  }

  private async authenticate(
    request: CallRequest,
    url: string,
    body: string,
    token: IamToken | undefined,
  ): Promise<Record<string, string>> {
    const headers: Record<string, string> = body ? { "Content-Type": JSON_CONTENT_TYPE } : {};
    if (request.service === "iam") return headers;
    const c = this.settings.credentials;
    if (c.kind === "token") return { ...headers, "X-Auth-Token": c.token };
    if (token) return { ...headers, "X-Auth-Token": token.value };
    if (c.kind !== "aksk") throw new Error("unreachable: password credentials without a token cache");
    headers["X-Project-Id"] = await this.projectId();
    if (c.securityToken) headers["X-Security-Token"] = c.securityToken;
    return signRequest({ method: request.method, url, headers, body }, c, this.now());
  }

  private async send(
    method: CallRequest["method"],
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<Outcome> {
    try {
      const res = await this.http(url, { method, headers, ...(body ? { body } : {}) });
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
      const written = err.timings?.upload !== undefined;
      const notSent =
        NOT_SENT_CODES.has(code) ||
        (err instanceof TimeoutError && NOT_SENT_TIMEOUT_EVENTS.has(err.event)) ||
        (!written && !(err instanceof TimeoutError));
      return {
        kind: "failure",
        failure: notSent ? { kind: "not-sent", cause } : { kind: "no-answer", cause },
        final: false,
      };
    }
  }

  private async fetchIamToken(): Promise<IamToken> {
    const c = this.settings.credentials;
    if (c.kind !== "password")
      throw new Error("unreachable: IAM tokens are fetched for password credentials only");
    const scope = this.settings.projectId ? { id: this.settings.projectId } : { name: this.settings.region };
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
          scope: { project: scope },
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

function adviceFor(status: number, request: CallRequest): string {
  if (status === 401)
    return "the credentials were not accepted; check them (see README, Configuration). No order was placed";
  if (status === 403) {
    return "the credentials are not allowed to do this; grant the IAM user the permission for this API. No order was placed";
  }
  if (status === 429)
    return (
      "still throttled after waiting as long as allowed (huaweicloud:maxRetryWaitSeconds); no order was placed. " +
      "Run again later, or raise huaweicloud:maxRetryWaitSeconds"
    );
  return request.creates
    ? "the request was rejected and no order was placed; correct the inputs named above and run again"
    : "the request was rejected";
}
