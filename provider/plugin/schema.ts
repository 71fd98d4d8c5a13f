// The provider plugin's Pulumi package schema, derived from the same zod schemas the Node resources
// use: each order kind's inputs, the shared resource inputs, the recorded outputs, and the settings
// tables. SDKs for other languages are generated from it (scripts/gen-sdks.sh); a snapshot is
// committed as provider/plugin/schema.snapshot.json (`npm run schema` writes it; not schema.json,
// which ts-node would load for "./schema" before this file).
import { z } from "zod";
import {
  OWN_NAMESPACE,
  SECRET_SETTINGS,
  SETTING_DESCRIPTIONS,
  SETTING_KEYS,
  SETTING_NAMES,
  type SettingName,
} from "../client/setting-keys";
import { recordedOutputs } from "../contract/recorded-outputs";
import { resourceInputs } from "../contract/resource-inputs";
import { CONNECTION_KEY } from "../contract/resource-keys";
import {
  RUN_SETTING_NAMES,
  runSettingDescription,
  SERVICE_TYPE_CODES_DESCRIPTION,
  SERVICE_TYPE_CODES_KEY,
  type RunSettingName,
} from "../contract/run-settings";
import { ORDER_KINDS } from "../orders";

export const PACKAGE_NAME = OWN_NAMESPACE;

/** The version in the committed snapshot (schema.snapshot.json): fixed, so it never changes with a release. */
export const SNAPSHOT_VERSION = "0.0.0-dev";

/** The type token of an order resource or a named object type. */
export const token = (name: string): string => `${PACKAGE_NAME}:index:${name}`;

/** A Pulumi type reference (primitive, array, map or named type), as the schema spells it. */
export interface TypeSpec {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
}

export interface PropertySpec extends TypeSpec {
  description: string;
  secret?: boolean;
}

export interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface ResourceSpec {
  description: string;
  properties: Record<string, PropertySpec>;
  required: string[];
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectTypeSpec>;
  language: Record<"nodejs" | "go" | "python", Record<string, unknown>>;
}

/** The part of JSON Schema that zod's toJSONSchema writes for these schemas. */
interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  enum?: (string | number)[];
  const?: string | number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** A converted type, and whether JSON Schema allowed null (a nullable output is never required). */
interface Converted {
  type: TypeSpec;
  nullable: boolean;
  /** The allowed values, where the zod schema lists them (told in the description). */
  oneOf?: (string | number)[];
}

/** Converts JSON Schema to Pulumi types, collecting named object types (zod `.meta({ id })`). */
class Converter {
  readonly types: Record<string, ObjectTypeSpec> = {};
  private readonly seen = new Map<string, string>();

  /** The properties of an object schema, and which are required. */
  object(schema: z.ZodType, io: "input" | "output", where: string) {
    const js = z.toJSONSchema(schema, { io, unrepresentable: "throw" }) as JsonSchema;
    for (const [name, def] of Object.entries(js.$defs ?? {})) this.define(name, def);
    return this.properties(js, where);
  }

  private properties(js: JsonSchema, where: string) {
    const properties: Record<string, PropertySpec> = {};
    const nullable = new Set<string>();
    for (const [key, prop] of Object.entries(js.properties ?? {})) {
      const c = this.convert(prop, `${where}.${key}`);
      if (c.nullable) nullable.add(key);
      properties[key] = { ...c.type, description: describe(prop.description, c.oneOf) };
    }
    const required = (js.required ?? []).filter((k) => !nullable.has(k));
    return { properties, required, description: js.description ?? "" };
  }

  private define(name: string, def: JsonSchema) {
    const { properties, required, description } = this.properties(def, name);
    const spec: ObjectTypeSpec = {
      type: "object",
      description,
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
    // The same named schema met in two conversions (input and output) must come out the same.
    const text = JSON.stringify(spec);
    const before = this.seen.get(name);
    if (before !== undefined && before !== text) {
      throw new Error(`type ${name} converts differently as an input and as an output`);
    }
    this.seen.set(name, text);
    this.types[token(name)] = spec;
  }

  private convert(js: JsonSchema, where: string): Converted {
    if (js.$ref !== undefined) {
      const name = js.$ref.replace(/^#\/\$defs\//, "");
      return { type: { $ref: `#/types/${token(name)}` }, nullable: false };
    }
    if (js.anyOf !== undefined) return this.union(js.anyOf, where);
    if (js.enum !== undefined) return { type: primitive(js.enum), nullable: false, oneOf: js.enum };
    switch (js.type) {
      case "string":
      case "integer":
      case "number":
      case "boolean":
        return { type: { type: js.type }, nullable: false };
      case "array":
        if (js.items === undefined) break;
        return { type: { type: "array", items: this.convert(js.items, `${where}[]`).type }, nullable: false };
      case "object":
        if (js.properties !== undefined) break;
        if (typeof js.additionalProperties === "object") {
          const values = this.convert(js.additionalProperties, `${where}{}`).type;
          return { type: { type: "object", additionalProperties: values }, nullable: false };
        }
    }
    throw new Error(
      `${where}: no Pulumi type for ${JSON.stringify(js)} (an object needs a name: .meta({ id }) on its zod schema)`,
    );
  }

  /** A nullable type, or a union of constants (2 | 3): Pulumi types have neither. */
  private union(options: JsonSchema[], where: string): Converted {
    const nonNull = options.filter((o) => o.type !== "null");
    const nullable = nonNull.length < options.length;
    const consts = nonNull.map((o) => o.const);
    if (consts.every((c) => c !== undefined)) {
      const values = consts as (string | number)[];
      return { type: primitive(values), nullable, oneOf: values };
    }
    if (nonNull.length === 1 && nonNull[0] !== undefined) {
      return { ...this.convert(nonNull[0], where), nullable };
    }
    throw new Error(`${where}: a union Pulumi types cannot express: ${JSON.stringify(options)}`);
  }
}

function primitive(values: readonly (string | number)[]): TypeSpec {
  if (values.every((v) => typeof v === "string")) return { type: "string" };
  return { type: values.every((v) => Number.isInteger(v)) ? "integer" : "number" };
}

/** The schema's description, with its allowed values where the zod schema lists them. */
function describe(description: string | undefined, oneOf: (string | number)[] | undefined): string {
  const text = description ?? "";
  if (oneOf === undefined) return text;
  return `${text}${text === "" ? "" : " "}One of: ${oneOf.map((v) => JSON.stringify(v)).join(", ")}.`;
}

/** The keys of the settings as the plugin's config and the `connection` input name them. */
function clientSettingProperties(): Record<string, PropertySpec> {
  const numeric: Partial<Record<SettingName, "integer" | "number">> = {
    maxRetries: "integer",
    maxRetryWaitSeconds: "number",
    connectTimeoutSeconds: "number",
    responseTimeoutSeconds: "number",
  };
  const out: Record<string, PropertySpec> = {};
  const endpoints: string[] = [];
  for (const name of SETTING_NAMES) {
    const key = SETTING_KEYS[name].connection;
    if (key.startsWith("endpoints.")) {
      endpoints.push(`${key.slice("endpoints.".length)}: ${SETTING_DESCRIPTIONS[name]}`);
      continue;
    }
    out[key] = {
      type: numeric[name] ?? "string",
      description: SETTING_DESCRIPTIONS[name],
      ...(SECRET_SETTINGS.has(name) ? { secret: true } : {}),
    };
  }
  out["endpoints"] = {
    type: "object",
    additionalProperties: { type: "string" },
    description: `Endpoints by service, as Huawei's provider's \`endpoints\` map. ${endpoints.join(" ")}`,
  };
  return out;
}

/** The package's settings, each under its key within the package's own config namespace. */
function configVariables(): Record<string, PropertySpec> {
  const runTypes: Record<RunSettingName, "boolean" | "integer" | "number"> = {
    previewPrice: "boolean",
    requirePreviewPrice: "boolean",
    maxNewOrders: "integer",
    orderPollIntervalSeconds: "number",
    orderReconcileSeconds: "number",
    duplicateOrderWindowMinutes: "integer",
  };
  const out = clientSettingProperties();
  for (const name of RUN_SETTING_NAMES) {
    out[name] = { type: runTypes[name], description: runSettingDescription(name) };
  }
  out[SERVICE_TYPE_CODES_KEY.slice(`${PACKAGE_NAME}:`.length)] = {
    type: "object",
    additionalProperties: { type: "string" },
    description: SERVICE_TYPE_CODES_DESCRIPTION,
  };
  return out;
}

/** The top-level fields an order's recorded fields always have (defaults filled in). */
function requiredOutputs(schema: z.ZodType): string[] {
  return (z.toJSONSchema(schema, { io: "output" }) as JsonSchema).required ?? [];
}

function orderResource(kind: (typeof ORDER_KINDS)[keyof typeof ORDER_KINDS], c: Converter): ResourceSpec {
  const order = c.object(kind.inputs, "input", kind.name);
  const shared = c.object(resourceInputs.omit({ [CONNECTION_KEY]: true }), "input", kind.name);
  const recorded = c.object(recordedOutputs, "output", kind.name);
  const connection: PropertySpec = {
    $ref: `#/types/${token("Connection")}`,
    description: resourceInputs.shape[CONNECTION_KEY].description ?? "",
    secret: true,
  };
  return {
    description: order.description,
    // Every order field as recorded, and what the resource records besides.
    properties: { ...order.properties, ...recorded.properties },
    required: [...new Set([...requiredOutputs(kind.inputs), ...recorded.required])],
    inputProperties: { ...order.properties, ...shared.properties, [CONNECTION_KEY]: connection },
    requiredInputs: [...order.required, ...shared.required],
  };
}

/** The package schema at `version` (the plugin reports its own; the snapshot uses a fixed one). */
export function packageSchema(version: string): PackageSchema {
  const converter = new Converter();
  const resources: Record<string, ResourceSpec> = {};
  for (const kind of Object.values(ORDER_KINDS)) {
    resources[token(kind.name)] = orderResource(kind, converter);
  }
  const variables = configVariables();
  return {
    name: PACKAGE_NAME,
    displayName: "Huawei Cloud orders",
    version,
    description:
      "Paid Huawei Cloud orders (DIS package orders, MetaStudio subscriptions) placed exactly once " +
      "and followed through Huawei's billing service.",
    keywords: ["pulumi", "huaweicloud", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    config: { variables },
    provider: {
      description:
        "The huaweicloud-orders provider: its settings, each also read from the stack's configuration " +
        "and the environment.",
      inputProperties: variables,
    },
    resources,
    types: {
      ...converter.types,
      [token("Connection")]: {
        type: "object",
        description: "Per-resource connection settings and credentials (the keys of the package's settings).",
        properties: clientSettingProperties(),
      },
    },
    language: LANGUAGES,
  };
}

// Where the generated SDKs are published; the organisation is a placeholder until they are.
const LANGUAGES: PackageSchema["language"] = {
  nodejs: {
    packageName: "@huaweicloud-orders/pulumi",
    packageDescription: "Generated Node.js SDK of the huaweicloud-orders provider plugin.",
    dependencies: { "@pulumi/pulumi": "^3.139.0" },
    respectSchemaVersion: true,
  },
  go: {
    importBasePath: "github.com/huaweicloud-orders/pulumi-huaweicloud-orders/sdk/go/huaweicloudorders",
    generateResourceContainerTypes: false,
    respectSchemaVersion: true,
  },
  python: {
    packageName: "pulumi_huaweicloud_orders",
    requires: { pulumi: ">=3.139.0,<4.0.0" },
    pyproject: { enabled: true },
    respectSchemaVersion: true,
  },
};
