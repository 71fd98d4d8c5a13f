// The three layers a setting is read from, in this order: a resource's `connection` input, the
// stack's configuration, the environment; each setting under its name, else under the previous
// release's name (setting-keys.ts). What is wrong with a layer's shape, and old names in use.
import {
  atPath,
  CONNECTION_KEYS,
  configPathReader,
  parseMap,
  SETTING_KEYS,
  SETTING_NAMES,
  SHARED_NAMESPACE,
  type SettingKeys,
  type SettingName,
} from "./setting-keys";
import type { SettingLayer, SettingProblem, SettingSources } from "./setting-types";

export interface Given {
  key: SettingName;
  layer: SettingLayer;
  /** The key as written in its layer (`endpoints.dis`, `huaweicloud:token`, `HW_AUTH_TOKEN`). */
  at: string;
  label: string;
  value: string;
}

/** Where a setting can be written in a layer: under its name, then under its old name. */
interface Place {
  at: string;
  label: string;
  raw: unknown;
  old: boolean;
}

export interface Layer {
  layer: SettingLayer;
  places: (name: SettingName) => Place[];
  /** Problems of the layer's shape: unknown connection keys, a map key that is no map. */
  shapeProblems: () => SettingProblem[];
}

type Where = Partial<Pick<SettingKeys, "config" | "env" | "connection">>;

export function layers(sources: SettingSources): Layer[] {
  const explicit = sources.explicit as Readonly<Record<string, unknown>> | undefined;
  const config = sources.config ? configPathReader(sources.config) : undefined;
  const layer = (
    name: SettingLayer,
    where: (k: Where) => string | undefined,
    label: (at: string) => string,
    read: (at: string) => unknown,
    shapeProblems: () => SettingProblem[],
  ): Layer => ({
    layer: name,
    places: (setting) => {
      const keys = SETTING_KEYS[setting];
      return [where(keys), where(keys.old ?? {})].flatMap((at, i) =>
        at === undefined ? [] : [{ at, label: label(at), raw: read(at), old: i === 1 }],
      );
    },
    shapeProblems,
  });
  return [
    layer(
      "connection",
      (k) => k.connection,
      (at) => `connection.${at}`,
      (at) => atPath(explicit, at),
      () => connectionKeyProblems(explicit),
    ),
    layer(
      "config",
      (k) => k.config,
      (at) => at,
      (at) => config?.(at),
      () => configShapeProblems(sources.config),
    ),
    layer(
      "environment",
      (k) => k.env,
      (at) => at,
      (at) => sources.env?.[at],
      () => [],
    ),
  ];
}

export function clean(v: unknown): string | undefined {
  return (typeof v !== "string" && typeof v !== "number") || String(v).trim() === ""
    ? undefined
    : String(v).trim();
}

/** The setting's value in a layer: under its name, else under its old name. */
export function read(l: Layer, key: SettingName): Given | undefined {
  for (const p of l.places(key)) {
    const value = clean(p.raw);
    if (value !== undefined) return { key, layer: l.layer, at: p.at, label: p.label, value };
  }
  return undefined;
}

/** How the setting is written in a layer, by its current name. */
export function labelIn(l: Layer, key: SettingName): string {
  return l.places(key)[0]?.label ?? key;
}

/**
 * Each old name in use, in every layer given, with the name that replaces it: a run warns once
 * for each (docs/configuration.md, upgrading). Pure.
 */
export function oldNamesInUse(sources: SettingSources): { old: string; now: string; layer: SettingLayer }[] {
  return layers(sources).flatMap((l) =>
    SETTING_NAMES.flatMap((name) => {
      const [now, old] = l.places(name);
      return now && old?.old && clean(old.raw) !== undefined
        ? [{ old: old.label, now: now.label, layer: l.layer }]
        : [];
    }),
  );
}

/** A setting given under both its name and its old name, to different values: which one was meant? */
export function conflicts(ls: Layer[]): SettingProblem[] {
  return ls.flatMap((l) =>
    SETTING_NAMES.flatMap((key) => {
      const [now, old] = l.places(key);
      const [a, b] = [clean(now?.raw), clean(old?.raw)];
      if (!now || !old?.old || a === undefined || b === undefined || a === b) return [];
      return [
        {
          key,
          layer: l.layer,
          at: old.at,
          reason:
            `${old.label} (the previous release's name) and ${now.label} are both set, to different values: ` +
            `keep ${now.label} and remove ${old.label}`,
        },
      ];
    }),
  );
}

/** Values of a type no setting takes (an object where a URL belongs), in any layer. */
export function typeProblems(ls: Layer[]): SettingProblem[] {
  return ls.flatMap((l) =>
    SETTING_NAMES.flatMap((key) =>
      l
        .places(key)
        .flatMap((p) =>
          p.raw === undefined || p.raw === null || typeof p.raw === "string" || typeof p.raw === "number"
            ? []
            : [{ key, layer: l.layer, at: p.at, reason: `${p.label} must be a string or a number` }],
        ),
    ),
  );
}

/** Keys of a connection input that are no setting, and an `endpoints` that is no map. */
function connectionKeyProblems(explicit: Readonly<Record<string, unknown>> | undefined): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const [key, v] of Object.entries(explicit ?? {})) {
    if (!CONNECTION_KEYS.has(key)) {
      problems.push({
        key,
        layer: "connection",
        at: key,
        reason: `connection.${key} is not a setting; the settings are ${[...CONNECTION_KEYS].join(", ")}`,
      });
    } else if (key === "endpoints" && v !== undefined && v !== null && !isMap(v)) {
      problems.push({
        key,
        layer: "connection",
        at: key,
        reason: "connection.endpoints must be a map of service name to URL, as Huawei's provider's endpoints",
      });
    }
  }
  return problems;
}

/** `huaweicloud:endpoints` must be a map (Huawei's provider refuses anything else, too). */
function configShapeProblems(get: ((key: string) => string | undefined) | undefined): SettingProblem[] {
  const key = `${SHARED_NAMESPACE}:endpoints`;
  const text = get?.(key);
  if (text === undefined || text.trim() === "" || parseMap(text) !== undefined) return [];
  return [
    {
      key: "endpoints",
      layer: "config",
      reason:
        `${key} must be a map of service name to URL, as Huawei's provider reads it ` +
        `(pulumi config set --path '${key}.dis' https://dis.cn-north-4.myhuaweicloud.com)`,
    },
  ];
}

function isMap(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
