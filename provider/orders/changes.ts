// What counts as a change to an order. An order cannot be edited, so a change means buying a new
// one: it must come from the program, never from this package. Compared is what the program
// declared, each side with this release's defaults filled in, so a release that changes or adds
// a default replaces nothing, and writing a value out that equals its default changes nothing.
import type { z } from "zod";
import { changedFields, fieldNames } from "./schema-kit";

type Props = Record<string, unknown>;

/** What a resource's state records of its order. */
export interface RecordedOrder {
  /** What the program declared when the order was placed; absent in state of release 0.1.0. */
  declared?: Props | undefined;
  /** The order's effective parameters (defaults of the release that placed it filled in). */
  effective: Props;
}

/** The top-level order fields a program's new declaration changes. */
export function changedOrderFields(schema: z.ZodType, recorded: RecordedOrder, declared: Props): string[] {
  const keys = fieldNames(schema);
  const now = schema.safeParse(declared);
  if (!now.success) {
    // Values still unknown in a preview: a field holding one may change.
    return changedFields(keys, recorded.declared ?? recorded.effective, declared);
  }
  const before = recorded.declared === undefined ? undefined : schema.safeParse(recorded.declared);
  if (before?.success) return changedFields(keys, before.data as Props, now.data as Props);
  // State without a declaration: its effective values carry the defaults of the release that
  // wrote them, so only what the program declares now can be told apart from a default.
  return keys.filter((k) => declaredDiffers(declared[k], recorded.effective[k]));
}

/** Whether any value set in `declared` differs from `effective` at the same place. */
function declaredDiffers(declared: unknown, effective: unknown): boolean {
  if (declared === undefined) return false;
  if (Array.isArray(declared)) {
    return (
      !Array.isArray(effective) ||
      declared.length !== effective.length ||
      declared.some((d, i) => declaredDiffers(d, effective[i]))
    );
  }
  if (declared !== null && typeof declared === "object") {
    if (effective === null || typeof effective !== "object" || Array.isArray(effective)) return true;
    return Object.entries(declared).some(([k, v]) => declaredDiffers(v, (effective as Props)[k]));
  }
  return declared !== effective;
}
