// What every order resource derives from its one zod schema: validation with property paths
// (check), the wire body (field renames, booleans sent as 0/1), and which fields replace.
import { z } from "zod";

export interface WireMeta {
  /** The field's name on the wire, where it differs from the input's (a page's spelling). */
  wire?: string;
  /** The page types it as an integer 0/1 but it means a yes/no: the input is a boolean. */
  booleanAsInteger?: true;
  /** A path parameter: part of the URL, not of the body. */
  inPath?: true;
}

/** Wire metadata, keyed by the field's schema (attach it to the outermost schema in the shape). */
export const wireMeta = z.registry<WireMeta>();

export function onWire<T extends z.ZodType>(schema: T, meta: WireMeta): T {
  wireMeta.add(schema, meta);
  return schema;
}

/** A value Pulumi has not computed yet (preview), as dynamic providers receive it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/** Maps parsed inputs to the request body the page documents. */
export function toWire(schema: z.ZodType, value: unknown): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject && value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const meta = wireMeta.get(field);
      if (meta?.inPath) continue;
      out[meta?.wire ?? key] = meta?.booleanAsInteger ? (v ? 1 : 0) : toWire(field, v);
    }
    return out;
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((v) => toWire(s.element as z.ZodType, v));
  }
  return value;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export type CheckResult<T> = { ok: true; value: T } | { ok: false; failures: CheckFailure[] };

/**
 * Validates inputs against the schema. A value still unknown in a preview is not judged (it is
 * checked again when known, before anything is sent); every other failure names its property path.
 */
export function checkInputs<S extends z.ZodType>(schema: S, inputs: unknown): CheckResult<z.output<S>> {
  const parsed = schema.safeParse(inputs);
  if (parsed.success) return { ok: true, value: parsed.data };
  const failures = parsed.error.issues
    .flatMap((issue) => expandIssue(issue))
    .filter((f) => !isUnknownAt(inputs, f.path))
    .map((f) => ({ property: propertyPath(f.path), reason: f.message }));
  if (failures.length === 0) return { ok: true, value: inputs as z.output<S> };
  return { ok: false, failures };
}

/** A path in Pulumi's property-path syntax: cloudServices[0].periodNum, a["odd key"]. */
export function propertyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(inputs)";
  return path
    .map((key, i) => {
      if (typeof key === "number") return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join("");
}

function expandIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: "is not a field of this resource",
    }));
  }
  return [{ path: issue.path, message: issue.message }];
}

function isUnknownAt(inputs: unknown, path: PropertyKey[]): boolean {
  let v: unknown = inputs;
  for (const key of path) {
    if (v === UNKNOWN) return true;
    if (v === null || typeof v !== "object") return false;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v === UNKNOWN || containsUnknown(v);
}

/** True when `v` is, or holds, a value Pulumi has not computed yet. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** The top-level input fields of an object schema. */
export function fieldNames(schema: z.ZodType): string[] {
  const s = unwrap(schema);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Top-level fields whose values differ (deep), for diff. */
export function changedFields(
  keys: readonly string[],
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) {
  return keys.filter((k) => JSON.stringify(canonical(olds[k])) !== JSON.stringify(canonical(news[k])));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
