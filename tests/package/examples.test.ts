import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import repoPackage from "../../package.json";

// Each example stands alone: copied out of the repository, with the package's dependency changed
// to a tarball or git URL (its README), `npm install` gives it everything it loads. The engine
// tests run the examples with the repository's node_modules linked in, so this is where a missing
// or stray dependency shows.
const repoRoot = path.resolve(__dirname, "..", "..");
const examplesDir = path.join(repoRoot, "examples");
const examples = fs
  .readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

interface PackageFile {
  name?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const read = (example: string, file: string) =>
  fs.readFileSync(path.join(examplesDir, example, file), "utf8");
const packageOf = (example: string) => JSON.parse(read(example, "package.json")) as PackageFile;

/** The example's own source files (its node_modules, if someone installed it there, left out). */
function sources(example: string): string[] {
  return fs
    .readdirSync(path.join(examplesDir, example), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|js)$/.test(f) && !f.split(path.sep).includes("node_modules"));
}

/** Every module a source file imports or requires (static, dynamic, type-only, re-exports). */
function specifiers(file: string, text: string): string[] {
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal(node.moduleReference.expression);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      literal(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      literal(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return found;
}

/** The npm package a bare specifier loads: `@scope/name` or `name`. */
const packageName = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

const repoPins: Record<string, string> = { ...repoPackage.dependencies, ...repoPackage.devDependencies };

describe("the examples stand alone", function () {
  it("there are the three examples", function () {
    assert.deepEqual(examples.sort(), ["dis-package-order", "metastudio-subscription", "pipeline"]);
  });

  for (const example of examples) {
    describe(example, function () {
      it("has a private package.json named as its Pulumi project, depending on the package by file:../..", function () {
        const pkg = packageOf(example);
        const project = /^name:\s*(\S+)\s*$/m.exec(read(example, "Pulumi.yaml"))?.[1];
        assert.equal(pkg.name, project);
        assert.equal(pkg.private, true, "never published by accident");
        assert.equal(pkg.dependencies?.[repoPackage.name], "file:../..");
      });

      it("declares in dependencies exactly the packages its code imports, and imports nothing outside its folder", function () {
        const imported = new Set<string>();
        for (const file of sources(example)) {
          for (const spec of specifiers(file, read(example, file))) {
            if (isBuiltin(spec)) continue;
            if (spec.startsWith(".")) {
              const target = path.resolve(examplesDir, example, path.dirname(file), spec);
              assert.ok(target.startsWith(path.join(examplesDir, example) + path.sep), `${file}: ${spec}`);
              continue;
            }
            imported.add(packageName(spec));
          }
        }
        assert.ok(imported.has(repoPackage.name), "it uses the package");
        assert.deepEqual(Object.keys(packageOf(example).dependencies ?? {}).sort(), [...imported].sort());
      });

      it("pins what else it installs at the repository's own versions (scripts/bump-pulumi.sh moves @pulumi/pulumi)", function () {
        const pkg = packageOf(example);
        const pins = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
          ([name]) => name !== repoPackage.name,
        );
        for (const [name, version] of pins) assert.equal(version, repoPins[name], name);
        // ts-node type-checks a TypeScript program by default: the compiler and Node's types are the program's.
        assert.ok(pkg.devDependencies?.["typescript"] && pkg.devDependencies["@types/node"]);
      });

      it("its README runs it from its own folder and says what a preview sends", function () {
        const readme = read(example, "README.md");
        assert.doesNotMatch(readme, /scripts\//, "no script of the repository");
        assert.doesNotMatch(readme, /sends nothing(?! to )/, "a preview sends BSS requests");
        assert.match(readme, /price inquir/);
        assert.match(readme, /file:\.\.\/\.\./, "says how to change the package's dependency when copied");
      });
    });
  }
});
