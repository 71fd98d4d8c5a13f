// Writes provider/plugin/schema.snapshot.json, the committed snapshot of the provider plugin's package
// schema (`npm run schema`); tests/plugin/schema.test.ts fails while it differs from the code.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { packageSchema, SNAPSHOT_VERSION } from "../provider/plugin/schema";

async function main(): Promise<void> {
  const file = path.join(__dirname, "..", "provider", "plugin", "schema.snapshot.json");
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(packageSchema(SNAPSHOT_VERSION)), {
    ...options,
    parser: "json",
  });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
