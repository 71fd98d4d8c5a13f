// Verification of Huawei's AK/SK signature (SDK-HMAC-SHA256), written from the API Request Signing
// Guide ("AK/SK Signing and Authentication Algorithm"), not from any client's code:
//
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//                      SignedHeaders \n HexEncode(SHA256(body))
//   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexEncode(SHA256(CanonicalRequest))
//   Signature        = HexEncode(HMAC-SHA256(SK, StringToSign))
//   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>
//
// Pure functions, no I/O: the server hands in the request exactly as received (raw path, raw query,
// raw body bytes), so a client that signs one thing and sends another is caught.
import * as crypto from "node:crypto";

export const ALGORITHM = "SDK-HMAC-SHA256";
/** The guide: the gateway rejects an X-Sdk-Date more than 15 minutes from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex` (a space after the algorithm, commas between). */
export function parseAuthorization(value: string): ParsedAuthorization | string {
  const prefix = `${ALGORITHM} `;
  if (!value.startsWith(prefix)) return `the Authorization header does not start with "${ALGORITHM} "`;
  const fields = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return "the Authorization header is not Access=..., SignedHeaders=..., Signature=...";
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKey || !signedHeaders || !signature || fields.size !== 3) {
    return "the Authorization header must hold exactly Access, SignedHeaders and Signature";
  }
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return "the signature is not 64 hex digits";
  return {
    accessKey,
    signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/** `YYYYMMDDTHHMMSSZ`, UTC. Returns epoch milliseconds, or undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20261131 over to December 1st; a real calendar date must survive the round trip.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return ms;
}

/** RFC 3986 percent-encoding: every byte except the unreserved A-Z a-z 0-9 - _ . ~ becomes %XY. */
export function uriEncode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Each path segment URI-encoded (decoded first, so an escaped segment is not escaped twice, as
 * the guide's Go and Python signers do), always ending with "/" (the guide: "the URI must end
 * with a slash when the signature is calculated; a request may omit it").
 */
export function canonicalUri(rawPath: string): string {
  const path = rawPath
    .split("/")
    .map((segment) => uriEncode(decodeOrKeep(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Parameters sorted by name (character code order), repeated names sorted by value, each as
 * encoded-name=encoded-value ("=" kept for an empty value), joined with "&".
 */
export function canonicalQueryString(rawQuery: string): string {
  const params = new Map<string, string[]>();
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeOrKeep(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeOrKeep(part.slice(eq + 1));
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...params.keys()]
    .sort(byCodeUnit)
    .flatMap((name) =>
      (params.get(name) ?? []).sort(byCodeUnit).map((value) => `${uriEncode(name)}=${uriEncode(value)}`),
    )
    .join("&");
}

export interface ReceivedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** As node:http gives them: names lower-cased, repeated headers joined. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function headerValue(headers: ReceivedRequest["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The canonical request, or the name of a signed header the request does not carry. */
export function canonicalRequest(
  request: ReceivedRequest,
  signedHeaders: string[],
): string | { missing: string } {
  const names = [...new Set(signedHeaders)].sort();
  const lines: string[] = [];
  for (const name of names) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return { missing: name };
    lines.push(`${name}:${value.trim()}\n`);
  }
  return [
    request.method.toUpperCase(),
    canonicalUri(request.rawPath),
    canonicalQueryString(request.rawQuery),
    lines.join(""),
    names.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

export function sign(secretKey: string, toSign: string): string {
  return crypto.createHmac("sha256", secretKey).update(toSign, "utf8").digest("hex");
}

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a request's signature with the secret key of its AK. The date window and the AK lookup
 * are the caller's; this answers only "was exactly this request signed with this SK".
 */
export function verifySignature(
  request: ReceivedRequest,
  auth: ParsedAuthorization,
  sdkDate: string,
  secretKey: string,
): VerifyResult {
  if (!auth.signedHeaders.includes("x-sdk-date")) {
    return { ok: false, reason: "x-sdk-date must be one of the signed headers" };
  }
  const canonical = canonicalRequest(request, auth.signedHeaders);
  if (typeof canonical !== "string") {
    return { ok: false, reason: `the signed header ${canonical.missing} is not in the request` };
  }
  const expected = Buffer.from(sign(secretKey, stringToSign(sdkDate, canonical)), "hex");
  const given = Buffer.from(auth.signature, "hex");
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    return { ok: false, reason: "verify aksk signature fail" };
  }
  return { ok: true };
}
