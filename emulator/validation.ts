// Strict request-body checks shared by DIS and MetaStudio: types are exact (an integer field given
// "1" or 1.5 is wrong), unknown fields are errors, and every violation is reported with the field
// path it concerns (`cloudServices.periodNum`, `cloud_services[0].period_type`), all at once.
import { z } from "zod";

export interface Violation {
  path: (string | number)[];
  message: string;
}

type Issue = z.core.$ZodRawIssue;

const isMissing = (issue: Issue) => issue.input === undefined;

/** An integer; with bounds, "must be from min to max". */
export function integer(min?: number, max?: number) {
  const typeError = (issue: Issue) => (isMissing(issue) ? "is required" : "must be an integer");
  let schema = z.number({ error: typeError }).int({ error: typeError });
  const range =
    min !== undefined && max !== undefined
      ? `must be from ${min} to ${max}`
      : `must be at least ${min ?? ""}`;
  if (min !== undefined) schema = schema.min(min, { error: range });
  if (max !== undefined) schema = schema.max(max, { error: range });
  return schema;
}

export function oneOf(values: readonly number[], meaning: string) {
  return integer().refine((v) => values.includes(v), { error: `must be ${meaning}` });
}

/** 0, 1, true or false: a "Boolean" that the page's example sends as 0. */
export function flag() {
  return z.union([z.literal(0), z.literal(1), z.boolean()], {
    error: (issue) => (isMissing(issue) ? "is required" : "must be 0, 1, true or false"),
  });
}

export function text(options: { nonEmpty?: boolean; pattern?: RegExp; patternMessage?: string } = {}) {
  let schema = z.string({ error: (issue) => (isMissing(issue) ? "is required" : "must be a string") });
  if (options.nonEmpty) schema = schema.min(1, { error: "must not be empty" });
  if (options.pattern)
    schema = schema.regex(options.pattern, { error: options.patternMessage ?? "is malformed" });
  return schema;
}

export function object<T extends z.core.$ZodLooseShape>(shape: T, arrayHint = "") {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return "unknown field";
      if (isMissing(issue)) return "is required";
      return Array.isArray(issue.input)
        ? `must be a JSON object, not an array${arrayHint}`
        : "must be a JSON object";
    },
  });
}

/** Turns zod's issues into violations; an unknown-field issue becomes one violation per field. */
export function violationsOf(error: z.ZodError, hints: Record<string, string> = {}): Violation[] {
  return error.issues.flatMap((issue): Violation[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: hints[key] ? `unknown field (${hints[key]})` : "unknown field",
      }));
    }
    return [{ path, message: issue.message }];
  });
}

/** `cloud_services[0].period_num`; the body itself is "body". */
export function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return "body";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${formatPath(v.path)}: ${v.message}`).join("; ");
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
