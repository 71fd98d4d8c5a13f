// The emulator's shared vocabulary: what a request is, what a handler decides, what gets recorded,
// and the names of services and faults. Many modules name these and none owns them, so they live
// here, in a module that imports nothing from the emulator: every other module may import it and
// the emulator's imports stay a DAG (scripts/check-import-cycles.ts fails the lint otherwise).
import type * as http from "node:http";

/** The services that take orders. */
export type OrderService = "dis" | "metastudio";
/** The services behind the emulator's one port. */
export type ServiceName = "iam" | "dis" | "metastudio" | "bss";
/** What the request log files a request under; `unknown` for a path no service has. */
export type RequestService = ServiceName | "unknown";

/** Every kind of scheduled fault, as the request log names what shaped an answer. */
export const FAULT_KINDS = [
  "throttle",
  "rate-limit",
  "error",
  "latency",
  "drop",
  "error-after-accept",
  "token-expiry",
  "order-stuck",
  "order-cancelled",
  "resources-late",
  "payment-refused",
  "bss-lag",
  "unsubscribe-legacy",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A request as received, less its secrets. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased names; X-Auth-Token, Authorization, X-Security-Token, X-Subject-Token redacted. */
  headers: Record<string, string>;
  /** The parsed JSON body (IAM passwords masked), or undefined when there was none or it was not JSON. */
  body?: unknown;
}

export interface OrderRecord {
  service: OrderService;
  orderId: string;
  projectId: string;
  /** ISO 8601, when the request arrived. */
  receivedAt: string;
  requestId: string;
  auth: "token" | "aksk";
  request: RecordedRequest;
}

export interface RequestLogEntry {
  requestId: string;
  receivedAt: string;
  service: RequestService;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
  /** The HTTP status answered, or null when the connection was dropped without an answer. */
  status: number | null;
  errorCode?: string;
  /** Why authentication failed, for the reader of the log (MetaStudio's body says only "Unauthorized"). */
  note?: string;
  /** The injected faults that shaped this answer. */
  faults?: FaultKind[];
}

/** An answer the emulator writes: status, extra headers and a JSON body (or none). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; `undefined` means an empty body (DIS's 200 has none). */
  body?: unknown;
}

/** A service request, as the route handlers see it. */
export interface Call {
  requestId: string;
  receivedAt: number;
  method: string;
  /** The path exactly as sent (still percent-encoded): what an AK/SK signature covers. */
  rawPath: string;
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Route parameters, percent-decoded. */
  params: Record<string, string>;
}

/** What a route handler decided. */
export interface Handled {
  reply: Reply;
  /** Set when an order was accepted (and recorded). */
  order?: OrderRecord;
  /** Why authentication failed, for the request log. */
  note?: string;
  /** Faults the handler applied (the billing lifecycle's), for the request log. */
  faults?: FaultKind[];
}

/** Why a credential was refused; each service turns it into its own error body. */
export type AuthFailure =
  /** No credential, an unknown or malformed one, a bad signature: 401. */
  | { kind: "unauthenticated"; detail: string }
  /** A token that expired (IAM: "The token must be updated"): 401. */
  | { kind: "expired"; detail: string }
  /** A valid credential for another project, or of the wrong scope: 403. */
  | { kind: "forbidden"; detail: string };
