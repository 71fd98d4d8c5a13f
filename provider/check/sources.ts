// Where the check reads its settings: the environment, and with --stack the stack's configuration
// as the Pulumi CLI shows it without secrets (`pulumi config --json --stack NAME`). A setting the
// stack keeps as a secret is taken from its environment variable instead: the check never
// decrypts a secret, so none can reach its output or its process's memory from the stack.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { SECRET_SETTINGS, SETTING_KEYS, SETTING_NAMES, type SettingSources } from "../client";
import { withSharedSettingsInOwnNamespace } from "../run/stack-config";

/** Runs the Pulumi CLI with `args` in `cwd`; resolves with its stdout. Injectable for tests. */
export type PulumiRunner = (args: string[], cwd: string | undefined) => Promise<string>;

const runPulumi: PulumiRunner = async (args, cwd) => {
  const { stdout } = await promisify(execFile)("pulumi", args, {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return stdout;
};

export interface CheckSources {
  sources: SettingSources;
  /** Where the settings were read, for the settings row. */
  readFrom: string;
  /** What the operator must do for the stack's settings to be read in full (secrets, no CLI). */
  notes: string[];
  /** Every secret value the sources hold: the output is scrubbed of them. */
  secrets: string[];
}

/** The stack configuration entry `pulumi config --json` prints: no value for a secret. */
interface ConfigEntry {
  value?: unknown;
  secret?: boolean;
}

export async function checkSources(
  env: Readonly<Record<string, string | undefined>>,
  stack: string | undefined,
  cwd: string | undefined,
  run: PulumiRunner = runPulumi,
): Promise<CheckSources> {
  const secrets = [...SECRET_SETTINGS].flatMap((name) => {
    const keys = SETTING_KEYS[name];
    return [keys.env, keys.old?.env].flatMap((variable) => {
      const value = variable === undefined ? undefined : env[variable];
      return value ? [value] : [];
    });
  });
  if (stack === undefined) return { sources: { env }, readFrom: "the environment", notes: [], secrets };
  let entries: Record<string, ConfigEntry>;
  try {
    entries = JSON.parse(await run(["config", "--json", "--stack", stack], cwd)) as Record<
      string,
      ConfigEntry
    >;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const why =
      e.code === "ENOENT"
        ? "the Pulumi CLI is not on PATH"
        : (e.stderr ?? e.message).trim().split("\n").slice(-1)[0];
    throw new Error(`could not read the configuration of stack "${stack}": ${why}`);
  }
  const notes: string[] = [];
  const config = (key: string): string | undefined => {
    const entry = entries[key];
    if (entry === undefined) return undefined;
    if (entry.secret) return secretFromEnv(key, env, stack, notes);
    return typeof entry.value === "string" ? entry.value : undefined;
  };
  // A plugin's stack gives Huawei's provider's settings in this package's namespace too.
  const stackConfig = withSharedSettingsInOwnNamespace({ get: config, keys: Object.keys(entries) });
  return {
    sources: { config: (key) => stackConfig.get(key), env },
    readFrom: `the configuration of stack "${stack}", then the environment`,
    notes,
    secrets,
  };
}

/** A secret of the stack, taken from its environment variable; a note when that is not set. */
function secretFromEnv(
  key: string,
  env: Readonly<Record<string, string | undefined>>,
  stack: string,
  notes: string[],
): string | undefined {
  const name = SETTING_NAMES.find((n) => [SETTING_KEYS[n].config, SETTING_KEYS[n].old?.config].includes(key));
  const variable = name === undefined ? undefined : SETTING_KEYS[name].env;
  const value = variable === undefined ? undefined : env[variable];
  if (value === undefined) {
    const note =
      `${key} is a secret of stack "${stack}", which the check does not decrypt: ` +
      (variable ? `set ${variable} in the check's environment` : "give it in the environment");
    if (!notes.includes(note)) notes.push(note);
  }
  return value;
}
