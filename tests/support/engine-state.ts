// What a finished engine run left in a test stack's file backend, read from its files: the
// state's resources (typed), the stack's outputs and the run's summary. The Automation API asks
// the CLI for the last two after every `up` (`stack output` twice, `stack history`), and for the
// summary after every refresh and destroy: each call starts the CLI and derives the passphrase's
// key again, about a second per `up` in all. The files are what those commands read. And a
// preview without the Automation API's engine-event stream, its change summary read from the
// CLI's own summary lines.
import type {
  LocalWorkspace,
  OpMap,
  OutputMap,
  PreviewOptions,
  PreviewResult,
  Stack,
  UpdateSummary,
} from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";

/** One resource of the stack's state, as the engine recorded it. */
export interface StateResource {
  urn: string;
  type: string;
  /** The last part of its URN: the name the program gave it. */
  name: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: OrderOutputs;
  initErrors?: string[];
}

/** The outputs the tests read by name (null where the provider recorded none); any other is there too. */
export interface OrderOutputs {
  [key: string]: unknown;
  orderId?: string;
  orderStage?: string | null;
  orderStatus?: number | null;
  onDestroy?: string;
  subscriptionStatus?: string | null;
  purchasedResources?: { resourceId: string; status: number; expiresAt: string }[] | null;
  unknownOutcome?: { sentAt: string } | null;
}

export interface StackState {
  /** Every resource, the stack and the default providers included. */
  resources: StateResource[];
  /** This package's order resources only (dynamic `huaweicloud:` types and the plugin's), in state order. */
  orders: StateResource[];
  /** The types of the pending operations the engine keeps (e.g. "creating"). */
  pendingOperations: string[];
  /** The resource named `name`; fails the test when the state holds none. */
  resource(name: string): StateResource;
}

/** Pulumi's marker of a secret value; on disk it holds the ciphertext. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface RawResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}
interface RawDeployment {
  resources?: RawResource[];
  pending_operations?: { type: string }[];
}

/** The folder of one project's files under `backend`'s `kind` ("stacks" or "history"). */
async function projectDir(backend: string, kind: "stacks" | "history"): Promise<string> {
  const root = path.join(backend, ".pulumi", kind);
  const [project, ...more] = await fs.readdir(root);
  assert.ok(project !== undefined && more.length === 0, `one project in ${root}`);
  return path.join(root, project);
}

/** The stack's checkpoint as the backend holds it (secret values encrypted). */
export async function readDeployment(backend: string, stackName: string): Promise<RawDeployment> {
  const file = path.join(await projectDir(backend, "stacks"), `${stackName}.json`);
  const checkpoint = JSON.parse(await fs.readFile(file, "utf8")) as {
    checkpoint?: { latest?: RawDeployment };
  };
  return checkpoint.checkpoint?.latest ?? {};
}

/** The state's resources, typed. Secret values stay as the backend holds them: encrypted. */
export function stackState(deployment: RawDeployment): StackState {
  const resources: StateResource[] = (deployment.resources ?? []).map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.urn.split("::").pop() ?? "",
    ...(r.id === undefined ? {} : { id: r.id }),
    inputs: r.inputs ?? {},
    outputs: r.outputs ?? {},
    ...(r.initErrors === undefined ? {} : { initErrors: r.initErrors }),
  }));
  return {
    resources,
    orders: resources.filter(
      (r) =>
        r.type.startsWith("pulumi-nodejs:dynamic/huaweicloud:") ||
        r.type.startsWith("huaweicloud-orders:index:"),
    ),
    pendingOperations: (deployment.pending_operations ?? []).map((op) => op.type),
    resource(name) {
      const found = resources.find((r) => r.name === name);
      assert.ok(found, `${name} is in the stack's state`);
      return found;
    },
  };
}

/**
 * The stack's outputs from its state; when one of them is a secret, from the CLI (which
 * decrypts it) through `fromCli`.
 */
async function outputs(
  backend: string,
  stackName: string,
  fromCli: () => Promise<OutputMap>,
): Promise<OutputMap> {
  const deployment = await readDeployment(backend, stackName);
  const root = deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
  const values = root?.outputs ?? {};
  if (JSON.stringify(values).includes(SECRET_SIG)) return fromCli();
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, secret: false }]));
}

/** The newest entry of the stack's history: the summary of the run that just ended. */
async function lastSummary(backend: string, stackName: string): Promise<UpdateSummary | undefined> {
  const dir = path.join(await projectDir(backend, "history"), stackName);
  const stamp = (f: string) => BigInt(/-(\d+)\.history\.json$/.exec(f)?.[1] ?? "0");
  const newest = (await fs.readdir(dir))
    .filter((f) => f.endsWith(".history.json"))
    .sort((a, b) => (stamp(a) < stamp(b) ? -1 : stamp(a) > stamp(b) ? 1 : 0))
    .at(-1);
  if (newest === undefined) return undefined;
  const raw = JSON.parse(await fs.readFile(path.join(dir, newest), "utf8")) as Omit<
    UpdateSummary,
    "startTime" | "endTime" | "config"
  > & { startTime: number; endTime: number; config: Record<string, unknown> };
  return {
    ...raw,
    startTime: new Date(raw.startTime * 1000),
    endTime: new Date(raw.endTime * 1000),
    // Secret values are not decrypted here (no test reads a run's config from its summary).
    config: Object.fromEntries(
      Object.entries(raw.config).map(([k, v]) =>
        typeof v === "object" && v !== null && "secure" in v
          ? [k, { value: "[secret]", secret: true }]
          : [k, { value: typeof v === "string" ? v : JSON.stringify(v), secret: false }],
      ),
    ),
  };
}

/** Makes `stack`'s runs read their outputs and summary from the backend's files (see above). */
export function readRunsFromFiles(stack: Stack, backend: string): void {
  const fromCli = stack.outputs.bind(stack);
  stack.outputs = () => outputs(backend, stack.name, fromCli);
  stack.info = () => lastSummary(backend, stack.name);
}

/** PreviewOptions the direct preview below passes on; with any other, the Automation API previews. */
const DIRECT_PREVIEW_OPTIONS = new Set(["policyPacks", "policyPackConfigs", "onOutput"]);

/**
 * `pulumi preview` as the Automation API runs it, less the engine events it streams to this
 * process to learn the change summary (a third of a CPU second a preview): the summary comes from
 * the CLI's "Resources:" lines instead.
 */
export async function preview(stack: Stack, opts: PreviewOptions = {}): Promise<PreviewResult> {
  if (Object.keys(opts).some((k) => !DIRECT_PREVIEW_OPTIONS.has(k))) return stack.preview(opts);
  const workspace = stack.workspace as LocalWorkspace;
  const args = ["preview", "--exec-kind", "auto.local"];
  for (const pack of opts.policyPacks ?? []) args.push("--policy-pack", pack);
  for (const config of opts.policyPackConfigs ?? []) args.push("--policy-pack-config", config);
  args.push("--stack", stack.name);
  const env = { PULUMI_DEBUG_COMMANDS: "true", ...workspace.envVars };
  // PulumiCommand's run (what Stack.preview calls, left out of its published types): the same
  // environment, `--non-interactive`, and a CommandError with the output when the CLI fails.
  const cli = workspace.pulumiCommand as unknown as {
    run(
      args: string[],
      cwd: string,
      env: Record<string, string>,
      onOutput?: (out: string) => void,
    ): Promise<{ stdout: string; stderr: string }>;
  };
  const result = await cli.run(args, workspace.workDir, env, opts.onOutput);
  return { stdout: result.stdout, stderr: result.stderr, changeSummary: changeSummary(result.stdout) };
}

const SUMMARY_OPS = ["create", "update", "delete", "replace", "read", "import", "refresh", "discard"];

/** The change summary of a preview's output ("+ 1 to create", "+-1 to replace", "2 unchanged"). */
export function changeSummary(stdout: string): OpMap {
  const at = stdout.lastIndexOf("\nResources:\n");
  assert.ok(at >= 0, `the preview printed no "Resources:" summary:\n${stdout}`);
  const summary: Record<string, number> = {};
  for (const line of stdout.slice(at + "\nResources:\n".length).split("\n")) {
    if (line.trim() === "") break;
    const change = /^\s*\S*?\s*(\d+) to (\S+)$/.exec(line);
    const same = /(\d+) unchanged$/.exec(line);
    if (change?.[1] && change[2]) {
      assert.ok(SUMMARY_OPS.includes(change[2]), `an operation this reader does not know: ${line}`);
      summary[change[2]] = Number(change[1]);
    } else if (same?.[1]) summary["same"] = Number(same[1]);
  }
  return summary as OpMap;
}
