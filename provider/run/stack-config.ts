// The stack's configuration as a whole, reviewed once per run at configure: old names still in
// use (a warning each, naming the new key), an old and a new key both set to different values,
// and keys of this package's namespace it does not know (each fails the preview, naming the
// nearest known key). Huawei's provider owns `huaweicloud:`; its keys are not this package's to
// judge, beyond the few it reads (provider/client/setting-keys.ts).
import type * as pulumi from "@pulumi/pulumi";
import {
  NO_LONGER_READ,
  oldNamesInUse,
  OWN_NAMESPACE,
  SETTING_KEYS,
  SETTING_NAMES,
  SHARED_NAMESPACE,
  type SettingLayer,
} from "../client";
import {
  oldRunSettingKey,
  RUN_SETTING_NAMES,
  runSettingKey,
  SERVICE_TYPE_CODES_KEY,
} from "../contract/run-settings";

export interface StackConfig {
  /** A key's value, by full key (`huaweicloud:region`); a map's value is its JSON text. */
  get(key: string): string | undefined;
  /** Every key of the stack's configuration; undefined when the host does not tell them. */
  keys: readonly string[] | undefined;
}

/**
 * The whole stack configuration of a dynamic provider's configure request. The engine hands a
 * dynamic provider every key of every namespace (pulumi/pulumi pkg/resource/deploy/target.go,
 * GetPackageConfig: "For dynamic providers, we always pass the full configuration", keys kept as
 * `namespace:key`); @pulumi/pulumi's host (cmd/dynamic-provider) keeps them in its Config's
 * `rawConfig` and offers only `get`. That field is read here; tests/config/stack-config.test.ts
 * pins it against the installed @pulumi/pulumi. Without it, the unknown-key check is skipped.
 */
export function stackConfigOf(config: pulumi.dynamic.Config): StackConfig {
  const raw = (config as unknown as { rawConfig?: unknown }).rawConfig;
  const keys = raw !== null && typeof raw === "object" ? Object.keys(raw) : undefined;
  return withSharedSettingsInOwnNamespace({ get: (key) => config.get(key), keys });
}

/** The top-level names of the settings Huawei's provider defines: `region`, `accessKey`, `endpoints` … */
export const SHARED_NAMES: ReadonlySet<string> = new Set(
  Object.values(SETTING_KEYS)
    .map((keys) => keys.config)
    .filter((key) => key.startsWith(`${SHARED_NAMESPACE}:`))
    .map((key) => key.slice(SHARED_NAMESPACE.length + 1).split(".")[0] as string),
);

/**
 * The settings Huawei's provider defines may also be given in this package's namespace under the
 * same names (`huaweicloud-orders:region`): the engine hands a provider plugin only its own
 * namespace (provider/plugin). Read as the shared key, which wins where both are set; listed under
 * the shared key, so the review of this namespace's keys does not call them unknown.
 */
export function withSharedSettingsInOwnNamespace(config: StackConfig): StackConfig {
  const [shared, own] = [`${SHARED_NAMESPACE}:`, `${OWN_NAMESPACE}:`];
  /** `region` of `huaweicloud:region` or `huaweicloud-orders:region`, when it names a shared setting. */
  const sharedName = (key: string, prefix: string) => {
    const name = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
    return name !== undefined && SHARED_NAMES.has(name.split(".")[0] as string) ? name : undefined;
  };
  return {
    get(key) {
      const name = sharedName(key, shared);
      return config.get(key) ?? (name === undefined ? undefined : config.get(own + name));
    },
    keys: config.keys?.map((key) => {
      const name = sharedName(key, own);
      return name === undefined ? key : shared + name;
    }),
  };
}

export interface StackConfigReview {
  /** Each said once per run. */
  warnings: string[];
  /** Each fails every order resource's preview. */
  problems: string[];
}

const WHY =
  "Huawei's provider owns the `huaweicloud:` namespace and refuses keys it does not define (docs/configuration.md)";

/** What is out of date or wrong in the stack's configuration and the environment, as a whole. */
export function reviewStackConfig(
  config: StackConfig,
  env: Readonly<Record<string, string | undefined>>,
): StackConfigReview {
  const set = (v: string | undefined) => v !== undefined && v.trim() !== "";
  const warnings = oldNamesInUse({ config: (k) => config.get(k), env })
    .filter((o) => o.layer !== "connection")
    .map((o) => renamed(o.old, o.now, o.layer));
  const problems: string[] = [];
  for (const name of RUN_SETTING_NAMES) {
    const [now, old] = [runSettingKey(name), oldRunSettingKey(name)];
    const [a, b] = [config.get(now), config.get(old)];
    if (!set(b)) continue;
    warnings.push(renamed(old, now, "config"));
    if (set(a) && a?.trim() !== b?.trim()) {
      problems.push(
        `${old} (the previous release's name) and ${now} are both set, to different values: keep ${now} and remove ${old}`,
      );
    }
  }
  for (const { key, kind, instead } of NO_LONGER_READ) {
    const own = SETTING_KEYS[instead];
    const ownSet = kind === "config" ? set(config.get(own.config)) : set(env[own.env ?? ""]);
    if ((kind === "config" ? set(config.get(key)) : set(env[key])) && !ownSet) {
      warnings.push(
        `${key} is Huawei's provider's setting, with its own meaning, and no longer read by this package: ` +
          `this package's retry count is ${kind === "config" ? own.config : own.env} (default 4); set it to silence this warning`,
      );
    }
  }
  problems.push(...unknownOwnKeys(config.keys ?? []));
  return { warnings, problems };
}

function renamed(old: string, now: string, layer: SettingLayer): string {
  const how = layer === "environment" ? "set the new variable instead" : `rename it; ${WHY}`;
  return `${old} is the previous release's name of ${now}, read in this release only: ${how}`;
}

/** Every key this package reads in its own namespace. */
export const OWN_KEYS: readonly string[] = [
  ...SETTING_NAMES.map((n) => SETTING_KEYS[n].config).filter((k) => k.startsWith(`${OWN_NAMESPACE}:`)),
  ...RUN_SETTING_NAMES.map(runSettingKey),
  SERVICE_TYPE_CODES_KEY,
];

/** Keys of `huaweicloud-orders:` this package does not read: a typo, or a shared key in the wrong place. */
function unknownOwnKeys(keys: readonly string[]): string[] {
  const prefix = `${OWN_NAMESPACE}:`;
  return keys
    .filter((key) => key.startsWith(prefix) && !OWN_KEYS.includes(key))
    .map((key) => {
      const name = key.slice(prefix.length);
      const sharedKey = SETTING_NAMES.map((n) => SETTING_KEYS[n].config).find(
        (k) => k.split(".")[0] === `${SHARED_NAMESPACE}:${name}`,
      );
      if (sharedKey !== undefined) {
        return `${key} is not a setting of this package: ${name} is shared with Huawei's provider, set ${sharedKey.split(".")[0]} instead`;
      }
      return `${key} is not a setting of this package; did you mean ${nearest(key, OWN_KEYS)}? Its settings are ${OWN_KEYS.join(", ")}`;
    });
}

/** The candidate with the fewest single-character edits from `word`, case aside (the first of ties). */
export function nearest(word: string, candidates: readonly string[]): string {
  let best = candidates[0] ?? "";
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
