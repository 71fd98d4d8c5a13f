// A typedoc plugin (typedoc.json loads it): the literal members of a union in a fixed order, so
// the committed reference changes only when the API does. TypeScript orders a union by when it
// first created each member type: `"keep" | "unsubscribe"` comes out as `"unsubscribe" | "keep"`
// or the other way round depending on what else the program checks first (typedoc's
// skipErrorChecking alone flips it), which would fail the test command's comparison for a change
// elsewhere. String and number literals come first, in their value's order; other members
// (`string`, `null`, `undefined`, references) keep TypeScript's order, which is stable.
import { Converter, type Application, type Context, type Reflection, type SomeType } from "typedoc";

/** A string or number literal: the members TypeScript creates on demand (null, true and false it has from the start). */
const sortable = (t: SomeType): boolean =>
  t.type === "literal" && (typeof t.value === "string" || typeof t.value === "number");

function compareLiterals(a: SomeType, b: SomeType): number {
  if (a.type !== "literal" || b.type !== "literal") return 0;
  const [x, y] = [a.value, b.value];
  if (typeof x !== typeof y) return typeof x === "string" ? -1 : 1;
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

/** Sorts the literal members of every union inside a type, in place. */
function sortUnions(type: SomeType | undefined): void {
  if (type === undefined) return;
  switch (type.type) {
    case "union": {
      type.types.forEach(sortUnions);
      const literals = type.types.filter(sortable).sort(compareLiterals);
      type.types = [...literals, ...type.types.filter((t) => !sortable(t))];
      return;
    }
    case "intersection":
      return type.types.forEach(sortUnions);
    case "reference":
      return (type.typeArguments ?? []).forEach(sortUnions);
    case "array":
    case "optional":
    case "rest":
      return sortUnions(type.elementType);
    case "tuple":
      return type.elements.forEach(sortUnions);
    case "typeOperator":
      return sortUnions(type.target);
    case "indexedAccess":
      return [type.objectType, type.indexType].forEach(sortUnions);
    case "conditional":
      return [type.checkType, type.extendsType, type.trueType, type.falseType].forEach(sortUnions);
    case "mapped":
      return [type.parameterType, type.templateType, type.nameType].forEach(sortUnions);
    default:
      // Object types are reflections of their own, sorted with the others.
      return;
  }
}

/** The types a reflection holds (its own, a type parameter's default, what a class extends). */
function typesOf(reflection: Reflection): (SomeType | undefined)[] {
  const r = reflection as Reflection & {
    type?: SomeType;
    default?: SomeType;
    extendedTypes?: SomeType[];
    implementedTypes?: SomeType[];
  };
  return [r.type, r.default, ...(r.extendedTypes ?? []), ...(r.implementedTypes ?? [])];
}

export function load(app: Application): void {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context: Context) => {
    for (const reflection of Object.values(context.project.reflections))
      typesOf(reflection).forEach(sortUnions);
  });
}
