// Huawei Cloud's SDK-HMAC-SHA256 request signing (API Gateway "AK/SK authentication"), as a pure
// function: request in, headers out. It reproduces Huawei's official Node SDK signer byte for byte
// (proven in tests/client/signer.test.ts), so the client must send exactly the body string and
// headers it signed.
import { createHash, createHmac } from "node:crypto";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

export interface SignableRequest {
  method: string;
  /** Absolute URL: scheme, host[:port] and the path exactly as it goes on the wire; no query. */
  url: string;
  /** Query parameters; a repeated key carries an array. */
  query?: Readonly<Record<string, string | readonly string[]>>;
  /** Headers to sign and send (Content-Type, X-Project-Id, X-Security-Token, ...). */
  headers: Readonly<Record<string, string>>;
  /** The exact body text that will be sent ("" for none). */
  body: string;
}

export interface SigningKey {
  accessKey: string;
  secretKey: string;
}

/** Formats a time the way X-Sdk-Date wants it: YYYYMMDDTHHMMSSZ in UTC. */
export function sdkDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/**
 * Returns every header to send: the request's own, `host`, `X-Sdk-Date` (unless given) and
 * `Authorization`. Every header handed in is signed, as Huawei's signer does.
 */
export function signRequest(request: SignableRequest, key: SigningKey, now: Date): Record<string, string> {
  const url = new URL(request.url);
  const headers: Record<string, string> = { ...request.headers };
  const dateHeader = Object.keys(headers).find((h) => h.toLowerCase() === "x-sdk-date");
  const date = (dateHeader && headers[dateHeader]) || sdkDate(now);
  if (!dateHeader) headers["X-Sdk-Date"] = date;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "host")) headers["host"] = url.host;

  const names = Object.keys(headers).sort(byLowerCase);
  const signedHeaders = names.map((n) => n.toLowerCase()).join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(rawPath(request.url)),
    canonicalQuery(request.query ?? {}),
    names.map((n) => `${n.toLowerCase()}:${headers[n]}\n`).join(""),
    signedHeaders,
    sha256Hex(request.body),
  ].join("\n");
  const stringToSign = [SIGNING_ALGORITHM, date, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", key.secretKey).update(stringToSign).digest("hex");
  headers["Authorization"] =
    `${SIGNING_ALGORITHM} Access=${key.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

function byLowerCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The path as written in the URL, not re-encoded by a URL parser (non-ASCII stays as given). */
function rawPath(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1];
  return path ? path : "/";
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Each path segment percent-encoded (RFC 3986 unreserved kept), always ending in "/". */
function canonicalUri(path: string): string {
  const encoded = path.split("/").map(encodeRfc3986).join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** Keys sorted, a repeated key's values sorted, keys and values percent-encoded. */
function canonicalQuery(query: Readonly<Record<string, string | readonly string[]>>): string {
  const pairs: string[] = [];
  const entries = Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    const values = typeof value === "string" ? [value] : [...value].sort();
    for (const v of values) pairs.push(`${encodeRfc3986(key)}=${encodeRfc3986(v)}`);
  }
  return pairs.join("&");
}

/** Percent-encodes UTF-8 bytes of everything but A-Z a-z 0-9 - . _ ~ (uppercase hex). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
