// The settings of a whole engine run (the stack's configuration), as one table: each with its key,
// its default and the one message that names it when malformed. Read once, at configure; a
// malformed one fails the preview of every order resource, naming the setting.
import { z } from "zod";
import { OWN_NAMESPACE, SHARED_NAMESPACE } from "../client/setting-keys";

/** The configuration namespace of these settings: this package's own (Huawei's provider defines none). */
export const RUN_SETTINGS_NAMESPACE = OWN_NAMESPACE;

/** A week: BSS lists a year at most, and a longer look is a listing of every order in it. */
export const MAX_DUPLICATE_WINDOW_MINUTES = 7 * 24 * 60;

/** Whole numbers only: configuration values are text, and "1e3" or "2.0" are not what was meant. */
const text = z.string().trim();
const number = text.transform(Number).pipe(z.number().finite());

/**
 * Each setting: its schema over the configured text (absent or empty: the default) and the
 * message naming it. Defaults are the values documented in docs/configuration.md.
 */
const SETTINGS = {
  /** Ask BSS the price of each new order at preview. */
  previewPrice: {
    description: "Ask BSS the price of each new order at preview (default true).",
    schema: z.enum(["true", "false"]).transform((v) => v === "true"),
    fallback: true,
    problem: (raw: string) => `must be true or false, got "${raw}"`,
  },
  /** A new order whose price cannot be had fails the preview. */
  requirePreviewPrice: {
    description:
      "A new order whose price cannot be had fails the preview instead of a warning (default false).",
    schema: z.enum(["true", "false"]).transform((v) => v === "true"),
    fallback: false,
    problem: (raw: string) => `must be true or false, got "${raw}"`,
  },
  /** A per-update budget of new paid orders. Unset: no limit. */
  maxNewOrders: {
    description: "The most new paid orders one update may place (unset: no limit).",
    schema: text.regex(/^\d+$/).transform(Number).optional(),
    fallback: undefined as number | undefined,
    problem: (raw: string) => `must be a whole number from 0, got "${raw}"`,
  },
  /** Seconds between two reads of an order being followed; Terraform polls every 10 s. */
  orderPollIntervalSeconds: {
    description:
      "How often create reads an order it follows, and destroy an unsubscription, in seconds (default 10).",
    schema: number.pipe(z.number().positive()),
    fallback: 10,
    problem: (raw: string) => `must be a number of seconds above 0, got "${raw}"`,
  },
  /**
   * How long after an order request of unknown outcome BSS must show no such order before it
   * counts as not placed. Five minutes: a placed order is usually found at the first look, so the
   * wait is paid only when it was not placed, and then it is small against buying twice.
   */
  orderReconcileSeconds: {
    description:
      "How long after an order request with an unknown outcome BSS must show no such order before it " +
      "counts as not placed, in seconds (default 300).",
    schema: number.pipe(z.number().min(0)),
    fallback: 300,
    problem: (raw: string) => `must be a number of seconds, 0 or more, got "${raw}"`,
  },
  /**
   * An hour: a killed CI run is usually retried within minutes, and an hour keeps a team's
   * deliberate second identical order (another stack, the next release) from being stopped often.
   */
  duplicateOrderWindowMinutes: {
    description:
      "The window BSS is searched in, in minutes, when an interrupted create has no start time or the " +
      `stack's checkpoint is unreadable (default 60; 0: no search; at most ${MAX_DUPLICATE_WINDOW_MINUTES}).`,
    schema: number.pipe(z.number().int().min(0).max(MAX_DUPLICATE_WINDOW_MINUTES)),
    fallback: 60,
    problem: (raw: string) =>
      `must be a whole number of minutes from 0 (no check) to ${MAX_DUPLICATE_WINDOW_MINUTES}, got "${raw}"`,
  },
} as const;

export type RunSettingName = keyof typeof SETTINGS;
export type RunSettings = { [K in RunSettingName]: (typeof SETTINGS)[K]["fallback"] };

/** The run's settings, or the first problem of each malformed one, in the order of the table. */
export type ParsedRunSettings = { settings: RunSettings; problems: string[] };

export const RUN_SETTING_NAMES = Object.keys(SETTINGS) as RunSettingName[];

/** What a run setting means, for the plugin's schema and its SDKs' docs. */
export function runSettingDescription(name: RunSettingName): string {
  return SETTINGS[name].description;
}

/** The key a setting is configured under. */
export function runSettingKey(name: RunSettingName): string {
  return `${RUN_SETTINGS_NAMESPACE}:${name}`;
}

/** The key the previous release read it under: still read this release, with a warning. */
export function oldRunSettingKey(name: RunSettingName): string {
  return `${SHARED_NAMESPACE}:${name}`;
}

/**
 * Reads every run setting through `get` (the stack's configuration), under its key, else under
 * its old key; defaults where unset. A problem names the key the value was written under.
 */
export function parseRunSettings(get: (key: string) => string | undefined): ParsedRunSettings {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  const written = (key: string) => {
    const raw = get(key);
    return raw === undefined || raw.trim() === "" ? undefined : raw;
  };
  for (const [name, setting] of Object.entries(SETTINGS) as [
    RunSettingName,
    (typeof SETTINGS)[RunSettingName],
  ][]) {
    const key = [runSettingKey(name), oldRunSettingKey(name)].find((k) => written(k) !== undefined);
    const raw = key === undefined ? undefined : written(key);
    if (key === undefined || raw === undefined) {
      settings[name] = setting.fallback;
      continue;
    }
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (parsed.success) settings[name] = parsed.data;
    else {
      settings[name] = setting.fallback;
      problems.push(`${key} ${setting.problem(name.endsWith("Price") ? raw.trim() : raw)}`);
    }
  }
  const parsed = settings as RunSettings;
  if (parsed.requirePreviewPrice && !parsed.previewPrice) {
    problems.push(
      `${runSettingKey("requirePreviewPrice")} is true but ${runSettingKey("previewPrice")} is false: a price that is ` +
        "never asked for can never be had. Set one of them the other way",
    );
  }
  return { settings: parsed, problems };
}

/** The settings of a run whose configuration sets none. */
export const DEFAULT_RUN_SETTINGS: RunSettings = parseRunSettings(() => undefined).settings;

// ---- service type codes: a map, read on its own (no previous release had it, so no old key) ----

/**
 * `huaweicloud-orders:serviceTypeCodes`: the BSS cloud service type code of each order service's
 * orders, keyed like `huaweicloud:endpoints` (dis, metastudio). A configured code wins over BSS's
 * service type list and the built-in code (provider/billing/service-types.ts).
 */
export const SERVICE_TYPE_CODES_KEY = `${RUN_SETTINGS_NAMESPACE}:serviceTypeCodes`;

export const SERVICE_TYPE_CODES_DESCRIPTION =
  "Map of service (dis, metastudio) to the BSS cloud service type code of its orders " +
  "(default: looked up in BSS's service type list, else the built-in code).";

/** The services whose orders the package places: the keys of the map. */
export const ORDER_SERVICES = ["dis", "metastudio"] as const;

/** Huawei's pages give service type codes up to 64 characters (hws.service.type.obs). */
const serviceTypeCode = z
  .string()
  .trim()
  .regex(
    /^\S{1,64}$/,
    "must be a code of 1 to 64 characters without spaces, e.g. hws.service.type.metastudio",
  );

const serviceTypeCodes = z.partialRecord(z.enum(ORDER_SERVICES), serviceTypeCode);

/** The configured codes (the engine hands the map as its JSON text), or the problem naming the key. */
export function parseServiceTypeCodes(raw: string | undefined): {
  codes: Readonly<Record<string, string>>;
  problems: string[];
} {
  if (raw === undefined || raw.trim() === "") return { codes: {}, problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const parsed = serviceTypeCodes.safeParse(value);
  if (parsed.success) {
    return {
      codes: Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
      problems: [],
    };
  }
  const why = parsed.error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
  return {
    codes: {},
    problems: [
      `${SERVICE_TYPE_CODES_KEY} must be a map of ${ORDER_SERVICES.join(", ")} to service type codes ` +
        `(pulumi config set --path '${SERVICE_TYPE_CODES_KEY}.metastudio' <code>): ${why}`,
    ],
  };
}
