// The Huawei Cloud client both resources use. It knows nothing about Pulumi: settings in, calls
// out. A call runs through named stages, each in its own file and testable alone:
// - request (call-request.ts): the URL, query and body, built once and sent unchanged;
// - retry (retry.ts): after a failed attempt, the RetryStrategy says whether to send again;
// - authenticate (authenticate.ts): the IAM token of the call (one refresh after a 401), and the
//   headers of each attempt (a token, or an AK/SK signature made per attempt);
// - pace (pace.ts): the shared rate limiter's turn, taken before signing, and what it learns;
// - transport (transport.ts): one HTTP exchange, injectable through the ClientRuntime;
// - decode (decode.ts): the answer's body and error fields, and the error the call ends with: a
//   HuaweiCloudError or, when a request that changes something may have acted, an
//   OutcomeUnknownError (OrderOutcomeUnknownError for an order).
// What clients of one run share (limiter, token caches, account ids, connections) is their
// ClientRuntime (runtime.ts).
import { Authenticator } from "./authenticate";
import { prepareRequest, type CallRequest, type CallResult, type PreparedRequest } from "./call-request";
import { callError, callResult, decode, describeAttempt, succeeded, type Decoded } from "./decode";
import type { IamToken } from "./iam-token";
import { PaceStage } from "./pace";
import type { AdaptiveRateLimiter } from "./rate-limiter";
import { Redactor } from "./redaction";
import { RetryStage } from "./retry";
import { ClientRuntime } from "./runtime";
import type { ClientSettings } from "./settings";

export type { CallRequest, CallResult } from "./call-request";
export { USER_AGENT } from "./transport";

export interface ClientOptions {
  /**
   * What this client shares with the other clients of its run: the limiter, IAM tokens, account
   * ids and connections. Without one it gets a private runtime that paces nothing.
   */
  runtime?: ClientRuntime;
  /** Waits between attempts; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
  /** Receives one redacted line per attempt. */
  log?: (line: string) => void;
  /**
   * Paces every attempt once the API throttles, instead of the runtime's limiter; clients that
   * share one share the API's rate. Without a limiter, each request only retries on its own.
   */
  limiter?: AdaptiveRateLimiter;
  /**
   * Asked after each wait between attempts, before the next one is sent: false ends the call with
   * the last failure. For a caller whose answer can stop mattering while it waits (a price at
   * `up`, once the update has begun); never for a request that can place an order.
   */
  keepRetrying?: () => boolean;
  /**
   * The most this client's own calls wait out throttling and failures, when less than the
   * settings allow (a price at check must not hold the engine up). Like keepRetrying, it is not
   * applied to the IAM calls that authenticate the client: their token and account id are shared
   * with the run's other clients, and a create must not fail on a token fetched on a price's budget.
   */
  maxRetryWaitMs?: number;
}

export class HuaweiCloudClient {
  readonly redactor = new Redactor();
  readonly runtime: ClientRuntime;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly auth: Authenticator;
  private readonly pace: PaceStage;

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
    this.runtime = options.runtime ?? new ClientRuntime({ limiter: null });
    this.pace = new PaceStage(options.limiter ?? this.runtime.limiter, this.sleep);
    this.auth = new Authenticator({
      settings,
      runtime: this.runtime,
      redactor: this.redactor,
      now: this.now,
      call: (request) => this.send(request, "shared"),
    });
  }

  /** The project every request is scoped to: configured, the one IAM scoped the token to, or the one IAM names (AK/SK). */
  projectId(): Promise<string> {
    return this.auth.projectId();
  }

  /**
   * The account (domain) id global services need with AK/SK: configured, or asked of IAM once per
   * run and AK (GET /v3/auth/domains, as Huawei's SDKs do in GlobalCredentials).
   */
  domainId(): Promise<string> {
    return this.auth.domainId();
  }

  /** The project id if it is known without a request: configured, or that of a token already fetched. */
  knownProjectId(): string | undefined {
    return this.auth.knownProjectId();
  }

  call(request: CallRequest): Promise<CallResult> {
    return this.send(request, "own");
  }

  /** `shared`: a call whose result serves the run's other clients too (authentication's). */
  private async send(request: CallRequest, budget: "own" | "shared"): Promise<CallResult> {
    const prepared = prepareRequest(request, this.settings.endpoints);
    const own = budget === "own";
    const maxWaitMs = Math.min(
      this.settings.retry.maxWaitMs,
      (own ? this.options.maxRetryWaitMs : undefined) ?? Infinity,
    );
    const retry = new RetryStage(
      { ...this.settings.retry, maxWaitMs, ...(this.options.random ? { random: this.options.random } : {}) },
      { sleep: this.sleep, now: this.now, keepRetrying: own ? this.options.keepRetrying : undefined },
    );
    const session = this.auth.session(prepared.scope);
    const sent = { count: 0 };
    for (let attempt = 1; ; attempt++) {
      const decoded = await session.attempt((token) => this.attempt(prepared, token, sent));
      if (succeeded(decoded)) return callResult(decoded, sent.count);
      const verdict = await retry.after(decoded, attempt, request.creates);
      if (verdict === "retry") continue;
      throw callError(prepared, decoded, verdict, sent.count, this.redactor);
    }
  }

  /** Sends `prepared` once, in its turn, authenticated with `token` or a fresh signature. */
  private async attempt(
    prepared: PreparedRequest,
    token: IamToken | undefined,
    sent: { count: number },
  ): Promise<Decoded> {
    const decoded = await this.pace.paced(async () => {
      const headers = await this.auth.headers(prepared, token);
      const sentAt = this.now();
      sent.count++;
      const outcome = await this.runtime.transport.send({
        method: prepared.request.method,
        url: prepared.target,
        headers,
        body: prepared.body,
        timeouts: this.settings.timeouts,
      });
      return decode(outcome, sentAt);
    });
    this.options.log?.(this.redactor.text(describeAttempt(prepared, decoded)));
    return decoded;
  }
}
