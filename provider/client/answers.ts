// Answers are checked against what the page promises before anything reads them: a 2xx answer
// that lacks an expected field, or holds one of another type, is an UnexpectedAnswerError naming
// the call, the fields and the request id, never a silent `undefined` further on.
import { z } from "zod";
import type { CallResult } from "./call-request";
import { UnexpectedAnswerError, type CallMetadata, type ServiceName } from "./errors";
import type { Redactor } from "./redaction";

/** What the answer checks need of a client (HuaweiCloudClient has it). */
export interface AnswerContext {
  readonly redactor: Redactor;
}

/** A time as Huawei's answers give it (UTC `yyyy-MM-ddTHH:mm:ssZ`, or any ISO 8601 form): a Date. */
export const timeField = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { error: "must be a time (yyyy-MM-ddTHH:mm:ssZ)" })
  .transform((v) => new Date(v));

/** An integer status or code: kept as a number even when no page lists it. */
export const integerField = z.number().int();

/**
 * An optional field of an answer. Huawei's answers are Go structs of pointers (the SDK's models):
 * a field without a value may come as null as well as absent, and both read as absent. Unknown
 * fields are dropped by z.object itself (zod 4 strips them), so a page that grows a field breaks
 * nothing. Input schemas (what programs declare) stay strict.
 */
export function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** An optional time: null and "" (an unset time, as some BSS answers give it) read as absent. */
export const optionalTime = z.preprocess(
  (v) => (v === null || v === "" ? undefined : v),
  timeField.optional(),
);

export function metadataOf(result: CallResult, service: ServiceName, operation: string): CallMetadata {
  return {
    service,
    operation,
    httpStatus: result.status,
    requestId: result.requestId,
    attempts: result.attempts,
  };
}

/** Parses `result.body` with `schema`, or throws an UnexpectedAnswerError listing every problem. */
export function parseAnswer<S extends z.ZodType>(
  ctx: AnswerContext,
  result: CallResult,
  service: ServiceName,
  operation: string,
  schema: S,
): z.output<S> {
  const parsed = schema.safeParse(result.body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "the body"}: ${i.message}`)
    .join("; ");
  throw new UnexpectedAnswerError(
    metadataOf(result, service, operation),
    `the answer is not what the page promises (${problems}); nothing in it was used. ` +
      "Run again; if it persists, report the request id to Huawei support",
    ctx.redactor,
  );
}

/** An answer that parsed but contradicts the request (say, details of another order). */
export function contradiction(
  ctx: AnswerContext,
  result: CallResult,
  service: ServiceName,
  operation: string,
  detail: string,
): UnexpectedAnswerError {
  return new UnexpectedAnswerError(
    metadataOf(result, service, operation),
    `${detail}; nothing in the answer was used. Run again; if it persists, report the request id to Huawei support`,
    ctx.redactor,
  );
}

/** `value` without its undefined (and null) fields, so optional properties stay absent. */
export function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined | null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as {
    [K in keyof T]: Exclude<T[K], undefined | null>;
  };
}
