import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { NO_LONGER_READ, SETTING_KEYS, SETTING_NAMES, SHARED_NAMESPACE } from "../../provider/client";
import { oldRunSettingKey, RUN_SETTING_NAMES } from "../../provider/contract/run-settings";

// Huawei's own Pulumi provider owns `huaweicloud:` and refuses keys it does not define. Its
// configuration schema is checked in (tests/fixtures/bridged-provider/, with its version and
// where it came from); every `huaweicloud:` key this package reads, documents, or sets in an
// example stack, the main job or the benchmark must be one of its keys, with its meaning.
const repoRoot = path.resolve(__dirname, "..", "..");

interface ConfigKey {
  type: string;
  env?: string[];
  /** The Terraform spelling (`access_key`), which the bridge accepts too. */
  terraformName: string;
}
interface Schema {
  provider: { module: string; version: string; source: string; terraformProvider: { version: string } };
  config: Record<string, ConfigKey>;
  endpointsServiceNames: string[];
  endpointsServiceNamesAddedByTerraformV1_97_1: string[];
}

const schema = JSON.parse(
  fs.readFileSync(path.join(repoRoot, "tests/fixtures/bridged-provider/huaweicloud-config.json"), "utf8"),
) as Schema;
const services = new Set([
  ...schema.endpointsServiceNames,
  ...schema.endpointsServiceNamesAddedByTerraformV1_97_1,
]);

/** Why a `huaweicloud:` key (`region`, `endpoints.dis`) is not the bridged provider's; undefined if it is. */
function notHuaweis(key: string): string | undefined {
  const [given = "", service] = key.split(".");
  const name = Object.keys(schema.config).find(
    (k) => k === given || schema.config[k]?.terraformName === given,
  );
  if (name === undefined) return `huaweicloud:${given} is not a key of Huawei's provider`;
  if (service === undefined) return undefined;
  if (schema.config[name]?.type !== "object") return `huaweicloud:${name} is not a map in Huawei's provider`;
  return services.has(service)
    ? undefined
    : `${service} is not a service name of Huawei's provider's endpoints`;
}

/** The earlier `huaweicloud:` names: read by 0.2.0, documented only in the upgrade section of docs/configuration.md. */
const OLD_NAMES = new Set([
  ...SETTING_NAMES.flatMap((n) => SETTING_KEYS[n].old?.config ?? []),
  ...RUN_SETTING_NAMES.map(oldRunSettingKey),
]);
const UPGRADE_SECTION = /\n## Upgrading from 0\.1\.0: the earlier keys\n[\s\S]*?(?=\n## |$)/;

/** Every `huaweicloud:<key>` a text names, as config keys, YAML keys, `huaweicloud.get("key")` reads. */
function keysIn(text: string): string[] {
  const keys: string[] = [];
  // Not `pulumi-nodejs:dynamic/huaweicloud:Kind` (a type token) nor `huaweicloud-orders:`.
  for (const m of text.matchAll(/(?<![\w/.-])huaweicloud:([A-Za-z_]\w*(?:\.[\w-]+)?)/g))
    keys.push(m[1] ?? "");
  for (const m of text.matchAll(/\bhuaweicloud\.(?:get|require)\w*(?:<[^>]*>)?\("(\w+)"/g))
    keys.push(m[1] ?? "");
  // A YAML map under `huaweicloud:endpoints:`: its entries, one per indented line (not a secret's `secure:`).
  for (const m of text.matchAll(/^( *)huaweicloud:(\w+): *\n((?:\1 +[\w-]+:.*\n)+)/gm)) {
    for (const entry of (m[3] ?? "").matchAll(/^ +([\w-]+):/gm)) {
      if (entry[1] !== "secure") keys.push(`${m[2]}.${entry[1]}`);
    }
  }
  return keys;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => pattern.test(f) && !f.includes("node_modules"))
    .map((f) => path.join(dir, f));
}

describe("beside Huawei's bridged provider: the `huaweicloud:` keys", function () {
  it("the checked-in schema says which provider and version it is, and where it came from", function () {
    assert.equal(schema.provider.module, "github.com/huaweicloud/pulumi-huaweicloud/provider");
    assert.equal(schema.provider.version, "v0.0.11");
    assert.equal(schema.provider.terraformProvider.version, "v1.73.3");
    assert.match(schema.provider.source, /tag v0\.0\.11/);
    assert.ok(Object.keys(schema.config).length >= 30, "the provider's config keys");
  });

  it("every key the package reads in huaweicloud: is Huawei's, with its environment variable", function () {
    const read = SETTING_NAMES.filter((n) => SETTING_KEYS[n].config.startsWith(`${SHARED_NAMESPACE}:`));
    assert.deepEqual(read.sort(), [
      "accessKey",
      "authUrl",
      "bssEndpoint",
      "cloud",
      "disEndpoint",
      "domainId",
      "domainName",
      "iamEndpoint",
      "metastudioEndpoint",
      "password",
      "projectId",
      "projectName",
      "region",
      "secretKey",
      "securityToken",
      "token",
      "userName",
    ]);
    for (const name of read) {
      const { config, env } = SETTING_KEYS[name];
      const key = config.slice(`${SHARED_NAMESPACE}:`.length);
      assert.equal(notHuaweis(key), undefined, config);
      const huaweis = schema.config[key.split(".")[0] ?? ""];
      // The same variable, with the same meaning: or, for an endpoint, none of Huawei's.
      if (env?.startsWith("HW_")) assert.ok(huaweis?.env?.includes(env), `${env} is Huawei's for ${config}`);
      else assert.equal(huaweis?.type, "object", `${config} is an entry of a map`);
      if (huaweis?.type !== "object") assert.equal(huaweis?.type, "string", config);
    }
    // Keys of Huawei's that this package read before with another meaning: named only to warn.
    for (const { key } of NO_LONGER_READ.filter((k) => k.kind === "config")) {
      assert.equal(notHuaweis(key.slice(`${SHARED_NAMESPACE}:`.length)), undefined, key);
    }
  });

  it("every HW_* variable the package reads is one Huawei's Terraform provider reads for the same key", function () {
    const huaweiVariables = new Set(Object.values(schema.config).flatMap((k) => k.env ?? []));
    for (const name of SETTING_NAMES) {
      const { env, config } = SETTING_KEYS[name];
      if (env === undefined) continue;
      if (env.startsWith("HW_")) assert.ok(config.startsWith(`${SHARED_NAMESPACE}:`), `${env} is Huawei's`);
      else assert.match(env, /^HUAWEICLOUD_ORDERS_/, `${env}: this package's own prefix`);
      assert.ok(env.startsWith("HW_") === huaweiVariables.has(env), env);
    }
  });

  it("the docs, the examples' stacks, the main job and the benchmark name only Huawei's keys in huaweicloud:", function () {
    const files = [
      "README.md",
      "CONTRIBUTING.md",
      ...filesUnder("docs", /\.md$/),
      "Pulumi.yaml",
      "index.ts",
      "emulator/README.md",
      "tests/support/emulator-harness.ts",
      ...filesUnder("examples", /\.(md|ya?ml|ts)$/),
      ...filesUnder("scripts", /\.(sh|ts)$/),
      ...filesUnder("bench", /\.(ts|js|md)$/),
      ...filesUnder("provider", /\.ts$/),
      ...filesUnder("sdk", /\.ts$/),
    ];
    const stacks = files.filter((f) => /Pulumi\.emulator\.yaml$/.test(f));
    assert.equal(stacks.length, 3, "the examples' emulator stacks");
    let seen = 0;
    const wrong: string[] = [];
    for (const file of files) {
      let text = fs.readFileSync(path.join(repoRoot, file), "utf8");
      if (file === "docs/configuration.md") {
        const upgrade = UPGRADE_SECTION.exec(text)?.[0] ?? "";
        assert.ok(upgrade.includes("huaweicloud:authToken"), "the upgrade section names the old keys");
        for (const key of keysIn(upgrade)) {
          if (notHuaweis(key) !== undefined && !OLD_NAMES.has(`huaweicloud:${key}`))
            wrong.push(`${file}: ${key}`);
        }
        text = text.replace(UPGRADE_SECTION, "");
      }
      for (const key of keysIn(text)) {
        seen++;
        const why = notHuaweis(key);
        if (why !== undefined) wrong.push(`${file}: ${why}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(seen > 50, `the scan found the keys (${seen})`);
  });

  it("the scan sees what it must refuse", function () {
    assert.deepEqual(
      keysIn("  huaweicloud:authToken: x\n  huaweicloud:endpoints:\n    dis: u\n    nope: v\n"),
      ["authToken", "endpoints", "endpoints.dis", "endpoints.nope"],
    );
    assert.deepEqual(
      keysIn('const huaweicloud = new pulumi.Config("huaweicloud"); huaweicloud.get("disEndpoint")'),
      ["disEndpoint"],
    );
    assert.deepEqual(
      keysIn("pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder huaweicloud-orders:maxNewOrders"),
      [],
    );
    assert.match(notHuaweis("authToken") ?? "", /not a key of Huawei's provider/);
    assert.match(notHuaweis("endpoints.nope") ?? "", /not a service name/);
    assert.equal(notHuaweis("endpoints.metastudio"), undefined, "metastudio: Terraform provider v1.97.1");
  });
});
