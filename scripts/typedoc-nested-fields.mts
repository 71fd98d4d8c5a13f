// A typedoc plugin (typedoc.json loads it after typedoc-plugin-markdown): each page of a resource
// class or its arguments ends with a table of the fields of the objects inside its properties
// (`cloudServices[].periodType`). The markdown theme writes an object type that sits inside a type
// argument (`Input<{...}>`, `Output<{...}[]>`) as one line of code, without its fields' texts,
// although typedoc read them (scripts/typedoc-zod-docs.mts gives them their zod descriptions).
import {
  PageEvent,
  ReflectionKind,
  type Application,
  type DeclarationReflection,
  type SomeType,
} from "typedoc";

interface Row {
  path: string;
  type: string;
  text: string;
}

/** The object types a type holds, with the path suffix that reaches their fields (`[]` for arrays). */
function objectsIn(
  type: SomeType | undefined,
  suffix = "",
): { fields: DeclarationReflection[]; suffix: string }[] {
  if (type === undefined) return [];
  switch (type.type) {
    case "reflection":
      return type.declaration.children?.length ? [{ fields: type.declaration.children, suffix }] : [];
    case "reference":
      return (type.typeArguments ?? []).flatMap((t) => objectsIn(t, suffix));
    case "array":
      return objectsIn(type.elementType, `${suffix}[]`);
    case "union":
    case "intersection":
      return type.types.flatMap((t) => objectsIn(t, suffix));
    case "optional":
    case "rest":
      return objectsIn(type.elementType, suffix);
    default:
      return [];
  }
}

/** A field's summary, or what its `@deprecated` tag says (a deprecated key has only that). */
function commentText(field: DeclarationReflection): string {
  const text = (parts: readonly { text: string }[] = []) => parts.map((part) => part.text).join("");
  const summary = text(field.comment?.summary);
  if (summary !== "") return summary;
  const deprecated = field.comment?.getTag("@deprecated");
  return deprecated ? `Deprecated: ${text(deprecated.content)}` : "";
}

/** One row per field of every object a property holds, depth first, each named by its path. */
function rows(property: DeclarationReflection, path: string): Row[] {
  return objectsIn(property.type).flatMap(({ fields, suffix }) =>
    fields.flatMap((field) => {
      const fieldPath = `${path}${suffix}.${field.name}`;
      const nested = objectsIn(field.type).length > 0;
      const text = commentText(field);
      const type = nested ? "object" : (field.type?.toString() ?? "");
      return [{ path: fieldPath, type, text }, ...rows(field, fieldPath)];
    }),
  );
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The section a page ends with, or "" when none of its properties holds an object. */
export function nestedFieldsSection(reflection: DeclarationReflection): string {
  const all = (reflection.children ?? []).flatMap((p) => rows(p, p.name));
  if (all.length === 0) return "";
  const lines = [
    "## Fields of nested objects",
    "",
    "The fields of the objects the properties above hold, by path (`[]`: each element of an array).",
    "",
    "| Field | Type | Description |",
    "| ------ | ------ | ------ |",
    ...all.map((r) => `| \`${cell(r.path)}\` | \`${cell(r.type)}\` | ${cell(r.text)} |`),
  ];
  return `\n\n${lines.join("\n")}\n`;
}

export function load(app: Application): void {
  // The markdown theme's pages end with typedoc's own page event.
  app.renderer.on(PageEvent.END, (page) => {
    if (!page.isReflectionEvent()) return;
    const model = page.model;
    if (!model.kindOf(ReflectionKind.Class | ReflectionKind.Interface)) return;
    page.contents = (page.contents ?? "") + nestedFieldsSection(model as DeclarationReflection);
  });
}
