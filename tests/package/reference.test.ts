import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ORDER_KINDS } from "../../provider/orders";
import { recordedOutputs } from "../../provider/contract/recorded-outputs";
import { resourceInputs } from "../../provider/contract/resource-inputs";

const reference = path.join(__dirname, "..", "..", "docs", "reference");

/** Every field of a zod object, nested ones included, with its description (as zod records it). */
function describedFields(schema: z.ZodType, at: string): { path: string; text: string | undefined }[] {
  let s = schema;
  let text = s.description;
  // The description sits on the schema .describe() was called on, which .optional() or
  // .default() may wrap afterwards.
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
    text ??= s.description;
  }
  if (s instanceof z.ZodArray) s = s.element as z.ZodType;
  const own = at === "" ? [] : [{ path: at, text }];
  if (!(s instanceof z.ZodObject)) return own;
  const shape = s.shape as Record<string, z.ZodType>;
  return [...own, ...Object.entries(shape).flatMap(([key, field]) => describedFields(field, `${at}.${key}`))];
}

// The committed API reference (scripts/check-reference.sh: the test command rebuilds it and fails
// while it differs) shows each field's zod description, which typedoc reads through
// scripts/typedoc-zod-docs.mts: here each text is looked up from the schemas themselves.
describe("the API reference in docs/reference", function () {
  const pages = (fs.readdirSync(reference, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".md"))
    .map((f) => fs.readFileSync(path.join(reference, f), "utf8"));
  const text = pages.join("\n");

  const schemas: [string, z.ZodType][] = [
    ...Object.values(ORDER_KINDS).map((k): [string, z.ZodType] => [k.name, k.inputs]),
    ["resource inputs", resourceInputs],
    ["recorded outputs", recordedOutputs],
  ];
  for (const [name, schema] of schemas) {
    it(`shows the description of every field of the ${name}`, function () {
      const fields = describedFields(schema, "");
      assert.ok(fields.length > 3, `${name} has fields`);
      const missing = fields.filter(
        (f) =>
          f.text === undefined || !(text.includes(f.text) || text.includes(f.text.replace(/\|/g, "\\|"))),
      );
      assert.deepEqual(
        missing.map((f) => `${f.path}: ${f.text ?? "(no description)"}`),
        [],
      );
    });
  }

  it("documents both entry points of package.json's exports", function () {
    const index = fs.readFileSync(path.join(reference, "README.md"), "utf8");
    assert.match(index, /\[pulumi-huaweicloud-orders\]\(pulumi-huaweicloud-orders\/README\.md\)/);
    assert.match(
      index,
      /\[pulumi-huaweicloud-orders\/provider\]\(pulumi-huaweicloud-orders\/provider\/README\.md\)/,
    );
    for (const page of ["classes/DisPackageOrder.md", "interfaces/MetaStudioSubscriptionArgs.md"]) {
      assert.ok(fs.existsSync(path.join(reference, "pulumi-huaweicloud-orders", page)), page);
    }
  });
});
