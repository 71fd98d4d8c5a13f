// HTTP plumbing shared by every route: request ids, reading a capped body, redaction of what gets
// recorded, and writing an answer.
import * as crypto from "node:crypto";
import type * as http from "node:http";
import type { Call, RecordedRequest, Reply } from "./types";

/** 32 hex characters, like Huawei's X-Request-Id. */
export function newRequestId(): string {
  return crypto.randomBytes(16).toString("hex");
}

export function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  const q = target.indexOf("?");
  return q < 0
    ? { rawPath: target, rawQuery: "" }
    : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const prior = out[name];
    out[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return out;
}

/** Headers that carry credentials: recorded as "[redacted]", never in the clear. */
export const SECRET_HEADERS = ["x-auth-token", "authorization", "x-security-token", "x-subject-token"];

export function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.includes(name)
      ? "[redacted]"
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return out;
}

/** A copy of a JSON value with every "password" string masked (IAM token requests carry one). */
export function maskPasswords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPasswords);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "password" && typeof v === "string" ? "[redacted]" : maskPasswords(v),
    ]),
  );
}

/** The body as the request log keeps it: parsed JSON with passwords masked, or nothing. */
export function bodyForLog(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return maskPasswords(JSON.parse(body.toString("utf8")));
  } catch {
    return undefined;
  }
}

export function recordedRequest(call: Call, body: unknown): RecordedRequest {
  return {
    method: call.method,
    path: call.rawPath,
    query: parseQuery(call.rawQuery),
    headers: redactHeaders(call.headers),
    ...(body === undefined ? {} : { body }),
  };
}

export type BodyResult = { kind: "ok"; body: Buffer } | { kind: "too-large" } | { kind: "aborted" };

/**
 * Reads the body, but never more than `limit` bytes: a declared Content-Length over the limit is
 * refused before a byte is read, a chunked body as soon as it passes the limit.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("aborted", onAborted);
      req.off("error", onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ kind: "too-large" });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "ok", body: Buffer.concat(chunks) });
    const onAborted = () => finish({ kind: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("aborted", onAborted);
    req.on("error", onAborted);
  });
}

/** `application/json`, with or without parameters (IAM documents `application/json;charset=utf8`). */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

export function writeReply(res: http.ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? undefined : Buffer.from(JSON.stringify(reply.body), "utf8");
  res.writeHead(reply.status, {
    ...reply.headers,
    ...(payload ? { "Content-Type": "application/json;charset=UTF-8" } : {}),
    "Content-Length": String(payload?.length ?? 0),
  });
  res.end(payload);
}

/** The Huawei error code of an answer, for the request log (IAM's error shape has none). */
export function errorCodeOf(reply: Reply): string | undefined {
  const body = reply.body;
  if (typeof body !== "object" || body === null || !("error_code" in body)) return undefined;
  return typeof body.error_code === "string" ? body.error_code : undefined;
}
