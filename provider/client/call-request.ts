// The request stage: what a caller asks for (CallRequest), and the request as it goes on the wire,
// built once per call and sent unchanged by every attempt: the URL with each path segment
// percent-encoded, the query without its undefined parameters, and the body as the exact JSON text
// that is signed and sent.
import type * as http from "node:http";
import type { ServiceName } from "./errors";
import { SERVICES, type AuthScope } from "./services";
import type { Endpoints } from "./endpoints";
import { encodeRfc3986 } from "./signer";

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

/** A call's request, ready to send: every attempt sends (and signs) exactly this. */
export interface PreparedRequest {
  readonly request: CallRequest;
  readonly endpoint: string;
  /** The endpoint and the encoded path, without the query: what AK/SK signs as the URL. */
  readonly url: string;
  /** The URL with its query string: where the request goes. */
  readonly target: string;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON text of the body, "" for none. */
  readonly body: string;
  readonly scope: AuthScope | "account";
}

export function prepareRequest(request: CallRequest, endpoints: Endpoints): PreparedRequest {
  const endpoint = endpoints[request.service];
  const query = Object.fromEntries(
    Object.entries(request.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)
    .join("&");
  const url = requestUrl(endpoint, request.path);
  return {
    request,
    endpoint,
    url,
    target: search ? `${url}?${search}` : url,
    query,
    body: request.body === undefined ? "" : JSON.stringify(request.body),
    scope: request.scope ?? SERVICES[request.service].scope,
  };
}

/**
 * The endpoint (checked by the settings) and the path segments, each percent-encoded; an empty,
 * "." or ".." segment is refused, since URL parsing would drop or fold it into another path.
 */
export function requestUrl(endpoint: string, segments: readonly string[]): string {
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new Error(`refusing to build a request path with the segment ${JSON.stringify(segment)}`);
    }
  }
  return `${endpoint}/${segments.map(encodeRfc3986).join("/")}`;
}

/** What certainly did not happen when `request` was refused. */
export function notDone(request: CallRequest): string {
  return request.notDone ?? "No order was placed";
}

/** A header's first value. */
export function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
