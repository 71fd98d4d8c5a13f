// The decode stage: what one attempt's answer says (its body, Huawei's error fields, the request
// id, whether the API throttled it), and how a call that ends without success is told: a
// HuaweiCloudError with advice for the status, or, when a request that changes something may have
// acted, an OutcomeUnknownError (OrderOutcomeUnknownError for an order). Pure functions.
import type * as http from "node:http";
import { header, notDone, type CallResult, type PreparedRequest } from "./call-request";
import { HuaweiCloudError, OrderOutcomeUnknownError, OutcomeUnknownError, type CallMetadata } from "./errors";
import type { Redactor } from "./redaction";
import { classify, type AttemptFailure } from "./retry-policy";
import { SERVICES } from "./services";
import { SETTING_KEYS } from "./setting-keys";
import type { TransportOutcome } from "./transport";

export type HuaweiErrorFields = Pick<CallMetadata, "errorCode" | "errorMsg">;

/** One attempt, decoded. sentAt: when it was sent (after its wait and its signature). */
export type Decoded =
  | {
      kind: "answer";
      status: number;
      /** The parsed JSON body; undefined when empty or not JSON. */
      body: unknown;
      headers: http.IncomingHttpHeaders;
      requestId: string | undefined;
      /** Huawei's error fields, when the body carries them (present on any status). */
      error: HuaweiErrorFields;
      /** HTTP 429 or an API Gateway throttling code. */
      throttled: boolean;
      sentAt: Date;
    }
  | {
      kind: "failure";
      failure: AttemptFailure & { kind: "not-sent" | "no-answer" };
      final: boolean;
      sentAt: Date;
    };

export function decode(outcome: TransportOutcome, sentAt: Date): Decoded {
  if (outcome.kind === "failure") return { ...outcome, sentAt };
  const body = parseBody(outcome.text);
  const error = huaweiError(body, outcome.text);
  return {
    kind: "answer",
    status: outcome.status,
    body,
    headers: outcome.headers,
    requestId: header(outcome.headers, "x-request-id"),
    error,
    throttled: classify({ kind: "http", status: outcome.status, errorCode: error.errorCode }) === "throttled",
    sentAt,
  };
}

export function succeeded(d: Decoded): d is Decoded & { kind: "answer" } {
  return d.kind === "answer" && d.status >= 200 && d.status < 300;
}

/** A successful attempt as the caller sees it; attempts: how many times the request was sent. */
export function callResult(d: Decoded & { kind: "answer" }, attempts: number): CallResult {
  return {
    status: d.status,
    body: d.body,
    headers: d.headers,
    requestId: d.requestId,
    attempts,
    sentAt: d.sentAt,
  };
}

/** The log line of one attempt (redacted by the client). */
export function describeAttempt(prepared: PreparedRequest, d: Decoded): string {
  const sent = `${prepared.request.method} ${prepared.target}`;
  return d.kind === "answer"
    ? `${sent} -> HTTP ${d.status} (X-Request-Id ${d.requestId ?? "none"})`
    : `${sent} -> ${d.failure.cause}`;
}

/** What an error of the call says about it, after `attempts` sends ending with `d`. */
export function callMetadata(prepared: PreparedRequest, d: Decoded, attempts: number): CallMetadata {
  const meta: CallMetadata = {
    service: prepared.request.service,
    operation: prepared.request.operation,
    attempts,
  };
  if (d.kind === "answer") {
    meta.httpStatus = d.status;
    meta.requestId = d.requestId;
    Object.assign(meta, d.error);
  }
  return meta;
}

/**
 * The error a call ends with when its last attempt `d` failed: "fail" when the server certainly
 * did not act (or the request changes nothing), "outcome-unknown" when it may have.
 */
export function callError(
  prepared: PreparedRequest,
  d: Decoded,
  verdict: "fail" | "outcome-unknown",
  attempts: number,
  redactor: Redactor,
): HuaweiCloudError {
  const meta = callMetadata(prepared, d, attempts);
  const { request } = prepared;
  if (verdict === "outcome-unknown") {
    const cause = d.kind === "answer" ? `the server answered HTTP ${d.status}` : d.failure.cause;
    return request.ifUnknown
      ? new OutcomeUnknownError(meta, d.sentAt, cause, request.ifUnknown, redactor)
      : new OrderOutcomeUnknownError(meta, d.sentAt, cause, redactor);
  }
  if (d.kind === "answer") {
    const advice = crossSite(d, prepared) ?? adviceFor(d.status, prepared);
    return new HuaweiCloudError(meta, advice, redactor);
  }
  if (d.final) return new HuaweiCloudError(meta, d.failure.cause, redactor);
  return new HuaweiCloudError(
    meta,
    `${d.failure.cause}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}. ${notDone(request)}: ` +
      `check the endpoint (${prepared.endpoint}) and the network, then run again`,
    redactor,
  );
}

export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Huawei's error bodies: {error_code, error_msg} (services, API Gateway) or IAM's {error: {code, message}}. */
export function huaweiError(body: unknown, text: string): HuaweiErrorFields {
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
        // null as well as absent: Huawei's answers carry null for fields without a value.
        errorCode: b.error.code === undefined || b.error.code === null ? undefined : String(b.error.code),
        errorMsg: typeof b.error.message === "string" ? b.error.message : undefined,
      };
    }
  }
  return text ? { errorMsg: text.slice(0, 300) } : {};
}

/**
 * BSS's answer to an account of the other site: 403 with CBC.0150 ("Access denied. The customer
 * does not belong to the website you are now at.") or CBC.0156, as Huawei's Terraform provider
 * reads them (config.go, SetWebsiteType) to move an international account to bss-intl.
 */
const CROSS_SITE_CODES: ReadonlySet<string> = new Set(["CBC.0150", "CBC.0156"]);

function crossSite(
  d: Decoded & { kind: "answer" },
  { request, endpoint }: PreparedRequest,
): string | undefined {
  if (request.service !== "bss" || d.status !== 403 || !CROSS_SITE_CODES.has(d.error.errorCode ?? "")) {
    return undefined;
  }
  const key = SETTING_KEYS.bssEndpoint.config;
  return (
    `the account does not belong to the site of ${endpoint}. ${notDone(request)}. ` +
    `An account of the international site sets ${key} to https://bss-intl.myhuaweicloud.com; ` +
    `one of the Chinese mainland site, https://bss.myhuaweicloud.com (the default)`
  );
}

function adviceFor(status: number, { request, scope }: PreparedRequest): string {
  // A global service takes a domain-scoped token, and the international site has its own host.
  const globalHint =
    scope === "domain"
      ? ` ${SERVICES[request.service].title} is a global service: with ready tokens, give a domain-scoped one as ` +
        `${SETTING_KEYS.domainAuthToken.config} (${SETTING_KEYS.domainAuthToken.env}) beside the project-scoped ${SETTING_KEYS.token.config}; ` +
        `an account of the international site sets ${SETTING_KEYS[SERVICES[request.service].setting].config} ` +
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
      `still throttled after waiting as long as allowed (${SETTING_KEYS.maxRetryWaitSeconds.config}); ${lowerFirst(notDone(request))}. ` +
      `Run again later, or raise ${SETTING_KEYS.maxRetryWaitSeconds.config}`
    );
  return request.creates
    ? `the request was rejected and ${lowerFirst(notDone(request))}; correct the inputs named above and run again`
    : "the request was rejected";
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
