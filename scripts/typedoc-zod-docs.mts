// A typedoc plugin (typedoc.json loads it): the fields of the zod schemas are documented by their
// `.describe()` texts. The package's argument and output types are derived from those schemas
// (sdk/order-resource-class.ts), so each field's declaration is a property of a `z.object({...})`
// literal, whose text typedoc cannot see: it is a string handed to `.describe()` (or to
// `.meta({ description })`), not a doc comment. This plugin reads that string from the same
// source, never a copy of it; a text it cannot read is a warning, which fails `npm run
// docs:reference` and the test command.
import { Application, Comment, Converter, ReflectionKind, type Context, type Reflection } from "typedoc";
import ts from "typescript";

/** The zod calls that carry a schema's description: `.describe(text)`, `.meta({ description })`. */
function descriptionArgument(call: ts.CallExpression, name: string): ts.Expression | undefined {
  const [arg] = call.arguments;
  if (name === "describe") return arg;
  if (name !== "meta" || arg === undefined || !ts.isObjectLiteralExpression(arg)) return undefined;
  const description = arg.properties.find(
    (p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "description",
  );
  return description && ts.isPropertyAssignment(description) ? description.initializer : undefined;
}

/** The initializer of the `const` an identifier names, if it is one. */
function constInitializer(id: ts.Identifier, checker: ts.TypeChecker): ts.Expression | undefined {
  const declaration = checker.getSymbolAtLocation(id)?.valueDeclaration;
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

/** A string expression's value: literals, `+`, templates and the constants they name; else undefined. */
function stringValue(expr: ts.Expression, checker: ts.TypeChecker): string | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isParenthesizedExpression(expr)) return stringValue(expr.expression, checker);
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [stringValue(expr.left, checker), stringValue(expr.right, checker)];
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isTemplateExpression(expr)) {
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const value = stringValue(span.expression, checker);
      if (value === undefined) return undefined;
      text += value + span.literal.text;
    }
    return text;
  }
  if (ts.isIdentifier(expr)) {
    const initializer = constInitializer(expr, checker);
    return initializer && stringValue(initializer, checker);
  }
  return undefined;
}

/** A call of a function whose result is its first argument's type: `onWire(schema, meta)`. */
function passesThrough(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const [first] = call.arguments;
  return first !== undefined && checker.getTypeAtLocation(call) === checker.getTypeAtLocation(first);
}

/**
 * The description of the schema an expression builds, as zod records it: the last `.describe()`
 * (or `.meta({ description })`) in its chain of calls, or that of the constant it starts from.
 * Undefined when there is none; null when there is one this plugin cannot read.
 */
function describedBy(schema: ts.Expression, checker: ts.TypeChecker): string | null | undefined {
  let expr = schema;
  for (let depth = 0; depth < 50; depth++) {
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression)) {
      const text = descriptionArgument(expr, expr.expression.name.text);
      if (text !== undefined) return stringValue(text, checker) ?? null;
      expr = expr.expression.expression; // the schema the call is made on
    } else if (ts.isCallExpression(expr) && passesThrough(expr, checker)) {
      expr = expr.arguments[0] as ts.Expression; // a helper that returns the schema it is given (onWire)
    } else if (ts.isIdentifier(expr)) {
      const initializer = constInitializer(expr, checker);
      if (initializer === undefined) return undefined;
      expr = initializer;
    } else if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) {
      expr = expr.expression;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The tag an interface names its fields' descriptions with: `@fieldDescriptions SETTING_DESCRIPTIONS`. */
const FIELD_DESCRIPTIONS_TAG = "@fieldDescriptions";

/** A top-level `const` object literal of the program, by name (`SETTING_DESCRIPTIONS`). */
function constObject(program: ts.Program, name: string): ts.ObjectLiteralExpression | undefined {
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile) continue;
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        let init = d.initializer;
        while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
        if (ts.isIdentifier(d.name) && d.name.text === name && init && ts.isObjectLiteralExpression(init)) {
          return init;
        }
      }
    }
  }
  return undefined;
}

/**
 * An interface field without a doc comment, in an interface whose comment names an object of
 * descriptions by field (`@fieldDescriptions SETTING_DESCRIPTIONS`): that object's text for it.
 */
function interfaceFieldText(field: ts.PropertySignature, context: Context): string | null | undefined {
  const owner = field.parent;
  if (!ts.isInterfaceDeclaration(owner) || !ts.isIdentifier(field.name)) return undefined;
  const tag = ts.getJSDocTags(owner).find((t) => `@${t.tagName.text}` === FIELD_DESCRIPTIONS_TAG);
  const name = typeof tag?.comment === "string" ? tag.comment.trim() : undefined;
  if (name === undefined) return undefined;
  const descriptions = constObject(context.program, name);
  const entry = descriptions?.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      ts.isIdentifier(p.name) &&
      p.name.text === (field.name as ts.Identifier).text,
  );
  return entry ? (stringValue(entry.initializer, context.checker) ?? null) : undefined;
}

export function load(app: Application): void {
  // typedoc warns of a tag it does not know; this one only points this plugin at the descriptions.
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const tags = app.options.getValue("blockTags");
    if (!tags.includes(FIELD_DESCRIPTIONS_TAG))
      app.options.setValue("blockTags", [...tags, FIELD_DESCRIPTIONS_TAG]);
  });
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context: Context, reflection: Reflection) => {
    reflection.comment?.removeTags(FIELD_DESCRIPTIONS_TAG);
    if (reflection.comment || !reflection.kindOf(ReflectionKind.Property)) return;
    const declarations = context.getSymbolFromReflection(reflection)?.declarations ?? [];
    const field = declarations.find((d) => ts.isPropertyAssignment(d) || ts.isPropertySignature(d));
    if (field === undefined) return;
    const text = ts.isPropertyAssignment(field)
      ? describedBy(field.initializer, context.checker)
      : interfaceFieldText(field as ts.PropertySignature, context);
    if (text === null) {
      const at = field.getSourceFile().getLineAndCharacterOfPosition(field.getStart());
      app.logger.warn(
        `${reflection.getFriendlyFullName()}: the description at ${field.getSourceFile().fileName}:${at.line + 1} ` +
          "is not a string this plugin can read (literals, + and templates of constants)",
      );
    } else if (text !== undefined) {
      reflection.comment = new Comment([{ kind: "text", text }]);
    }
  });
}
