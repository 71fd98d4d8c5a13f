import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { z } from "zod";
import { SECRET_SETTINGS, SETTING_KEYS, SETTING_NAMES } from "../../provider/client/setting-keys";
import { recordedOutputs } from "../../provider/contract/recorded-outputs";
import { resourceInputs } from "../../provider/contract/resource-inputs";
import {
  ATTEMPT_MARKER_KEY,
  CONNECTION_KEY,
  DRY_RUN_KEY,
  MISNAMED_RESOURCE_NAME_KEY,
  PREVIEW_PRICE_KEY,
  STACK_KEY,
} from "../../provider/contract/resource-keys";
import { RUN_SETTING_NAMES } from "../../provider/contract/run-settings";
import { ORDER_KINDS } from "../../provider/orders";
import {
  packageSchema,
  SNAPSHOT_VERSION,
  token,
  type PackageSchema,
  type PropertySpec,
} from "../../provider/plugin/schema";

// The plugin's package schema: the committed snapshot matches the code, and the schema says what
// the Node resources take and record, with every secret secret and every property documented.
const root = path.join(__dirname, "..", "..");
const snapshotFile = path.join(root, "provider", "plugin", "schema.snapshot.json");
const schema = packageSchema(SNAPSHOT_VERSION);
const kinds = Object.values(ORDER_KINDS);
const shapeOf = (s: z.ZodType) => (s as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

/** Every property list of the schema, named for messages. */
function propertyLists(s: PackageSchema): [string, Record<string, PropertySpec>][] {
  return [
    ["config.variables", s.config.variables],
    ["provider.inputProperties", s.provider.inputProperties],
    ...Object.entries(s.resources).flatMap(([t, r]): [string, Record<string, PropertySpec>][] => [
      [`${t} properties`, r.properties],
      [`${t} inputProperties`, r.inputProperties],
    ]),
    ...Object.entries(s.types).map(([t, ty]): [string, Record<string, PropertySpec>] => [t, ty.properties]),
  ];
}

describe("plugin package schema", function () {
  it("matches the committed provider/plugin/schema.snapshot.json (regenerate it with `npm run schema`)", function () {
    const snapshot = JSON.parse(readFileSync(snapshotFile, "utf8")) as unknown;
    // A plain JSON round trip, so the diff shows only what the schema says.
    assert.deepStrictEqual(
      JSON.parse(JSON.stringify(schema)),
      snapshot,
      "provider/plugin/schema.snapshot.json is out of date: run `npm run schema` and commit it",
    );
  });

  it("passes the Pulumi CLI's own schema check", async function () {
    const pulumi = path.join(root, ".tools", "pulumi", "bin", "pulumi");
    const { stdout, stderr } = await promisify(execFile)(pulumi, ["schema", "check", snapshotFile]);
    assert.equal(`${stdout}${stderr}`.trim(), "", "pulumi schema check reports nothing");
  });

  it("takes every input and records every output the Node resources have, and nothing hidden", function () {
    const shared = Object.keys(resourceInputs.shape);
    for (const kind of kinds) {
      const resource = schema.resources[token(kind.name)];
      assert.ok(resource, `${kind.name} is a resource of the schema`);
      const fields = Object.keys(shapeOf(kind.inputs));
      assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...fields, ...shared].sort());
      for (const key of [...fields, ...Object.keys(recordedOutputs.shape)]) {
        assert.ok(resource.properties[key], `${kind.name} outputs ${key}`);
      }
      const hidden = [
        DRY_RUN_KEY,
        STACK_KEY,
        ATTEMPT_MARKER_KEY,
        MISNAMED_RESOURCE_NAME_KEY,
        PREVIEW_PRICE_KEY,
      ];
      for (const key of hidden) assert.equal(resource.inputProperties[key], undefined, `${key} is no input`);
      // Required exactly where the zod input requires it; cross-field rules stay in check.
      const required = Object.entries({ ...shapeOf(kind.inputs), ...resourceInputs.shape })
        .filter(([, field]) => !field.safeParse(undefined).success)
        .map(([key]) => key);
      assert.deepEqual([...resource.requiredInputs].sort(), required.sort(), `${kind.name} requiredInputs`);
    }
    assert.deepEqual(Object.keys(schema.resources).sort(), kinds.map((k) => token(k.name)).sort());
  });

  it("marks the connection input and every credential setting secret, and nothing else", function () {
    for (const kind of kinds) {
      assert.equal(schema.resources[token(kind.name)]?.inputProperties[CONNECTION_KEY]?.secret, true);
    }
    const connection = schema.types[token("Connection")]?.properties ?? {};
    for (const [where, props] of [
      ["config.variables", schema.config.variables],
      ["provider.inputProperties", schema.provider.inputProperties],
      ["Connection", connection],
    ] as const) {
      for (const name of SETTING_NAMES) {
        const key = SETTING_KEYS[name].connection.split(".")[0] as string;
        assert.ok(props[key], `${where} has ${key}`);
        if (key === "endpoints") continue;
        assert.equal(props[key].secret === true, SECRET_SETTINGS.has(name), `${where}.${key} secret`);
      }
    }
    for (const name of [...RUN_SETTING_NAMES, "serviceTypeCodes"]) {
      assert.ok(schema.config.variables[name], `config.variables has ${name}`);
      assert.notEqual(schema.config.variables[name].secret, true);
    }
  });

  it("documents every resource, type and property", function () {
    for (const [where, props] of propertyLists(schema)) {
      for (const [key, prop] of Object.entries(props)) {
        assert.ok(prop.description.trim().length > 0, `${where}.${key} has a description`);
      }
    }
    for (const [t, spec] of [...Object.entries(schema.resources), ...Object.entries(schema.types)]) {
      assert.ok(spec.description.trim().length > 0, `${t} has a description`);
    }
  });
});
