// Runs a Pulumi program from tests/fixtures through the real engine (Automation API + the CLI that
// scripts/setup.sh installs), each in its own temporary folder and file backend.
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The CLI, asked its version once per test process instead of once per stack. */
let cli: Promise<PulumiCommand> | undefined;
const sharedCli = () => (cli ??= PulumiCommand.get());

/**
 * The passphrase of the project's own local stacks (scripts/local-stacks.sh): the examples'
 * committed `emulator` stacks are encrypted with it. Tests set it for the stacks they create.
 */
export const LOCAL_STACKS_PASSPHRASE = "local-stacks-only";

export interface TempStack {
  stack: Stack;
  dir: string;
  /** What every engine run of this stack adds to the environment: its backend, passphrase and `envVars`. */
  env: Record<string, string>;
  /** Every file the stack's backend wrote (state, its backups and history), as written on disk. */
  backendFiles(): Promise<{ file: string; text: string }[]>;
  /** Destroys nothing: removes the stack's files and the temporary folder. */
  dispose(): Promise<void>;
}

export interface ProgramOptions {
  /** Added to the environment of every engine run (and so of the language host and the providers). */
  envVars?: Record<string, string>;
  /** Copy only these files of the program folder (e.g. the quickstart's, from the repository root). */
  files?: string[];
  /**
   * Run the program's JavaScript: its TypeScript is transpiled once here, as ts-node would on
   * every run (transpile only), so no engine run loads the TypeScript compiler (half a CPU second).
   */
  transpile?: boolean;
}

/**
 * Copies a program folder of the repository (tests/fixtures/<name>, examples/pipeline, ...) into a
 * fresh temporary folder and creates a stack for it there; a `Pulumi.<stackName>.yaml` in it comes
 * along, passed through `editConfig` first. The copy sees the repository's node_modules through a
 * symlink, so the program, the language host and the dynamic-provider process all load the same
 * @pulumi/pulumi.
 */
export async function stackFromProgram(
  programDir: string,
  stackName: string,
  editConfig: (yaml: string) => string = (yaml) => yaml,
  { envVars = {}, files, transpile = false }: ProgramOptions = {},
): Promise<TempStack> {
  if (!process.env["PULUMI_HOME"]?.startsWith(repoRoot)) {
    throw new Error("run the tests through scripts/test.sh, which sets up the engine's environment");
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `phco-${path.basename(programDir)}-`));
  try {
    const source = path.join(repoRoot, programDir);
    if (files) {
      await fs.mkdir(path.join(dir, "program"));
      for (const file of files) await fs.copyFile(path.join(source, file), path.join(dir, "program", file));
    } else {
      await fs.cp(source, path.join(dir, "program"), {
        recursive: true,
        filter: (from) => !/(^|\/)(node_modules|order-manifest\.json)$/.test(from),
      });
    }
    if (transpile) await transpileProgram(path.join(dir, "program"));
    const stackConfig = path.join(dir, "program", `Pulumi.${stackName}.yaml`);
    const yaml = await fs.readFile(stackConfig, "utf8").catch(() => undefined);
    if (yaml !== undefined) await fs.writeFile(stackConfig, editConfig(yaml));
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(dir, "program", "node_modules"));
    await fs.mkdir(path.join(dir, "state"));
    // Set here, never inherited: the caller's shell may hold a backend or passphrase of its own.
    // metadata=skip: tests kill engines, and a kill while the file backend rewrites a stack's
    // `.attrs` sidecar (written in place, unlike the checkpoint) leaves the stack unreadable
    // ("failed to load checkpoint: EOF"); see docs/recovery.md "The engine interrupted while creating".
    const env = {
      ...envVars,
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}?metadata=skip`,
      PULUMI_CONFIG_PASSPHRASE: LOCAL_STACKS_PASSPHRASE,
    };
    const stack = await LocalWorkspace.createStack(
      { stackName, workDir: path.join(dir, "program") },
      { envVars: env, pulumiCommand: await sharedCli() },
    );
    const backendFiles = async () => {
      const state = path.join(dir, "state");
      const files = await fs.readdir(state, { recursive: true, withFileTypes: true });
      return Promise.all(
        files
          .filter((f) => f.isFile())
          .map(async (f) => {
            const file = path.join(f.parentPath, f.name);
            return { file: path.relative(state, file), text: await fs.readFile(file, "utf8") };
          }),
      );
    };
    return { stack, dir, env, backendFiles, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The JavaScript of each TypeScript file, by its source (one transpile per file and process). */
const transpiled = new Map<string, string>();

/** Writes index.js beside index.ts and points Pulumi.yaml at it, TypeScript off. */
async function transpileProgram(program: string): Promise<void> {
  const source = await fs.readFile(path.join(program, "index.ts"), "utf8");
  let js = transpiled.get(source);
  if (js === undefined) {
    // Loaded here only: most test files never transpile.
    const ts = await import("typescript");
    js = ts.transpileModule(source, {
      fileName: "index.ts",
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    transpiled.set(source, js);
  }
  await fs.writeFile(path.join(program, "index.js"), js);
  const project = path.join(program, "Pulumi.yaml");
  const yaml = await fs.readFile(project, "utf8");
  const edited = yaml
    .replace(/^(\s+typescript:) true$/m, "$1 false")
    .replace(/^main: index\.ts$/m, "main: index.js");
  if (!/typescript: false/.test(edited) || !/^main: index\.js$/m.test(edited)) {
    throw new Error(`${project}: expected "typescript: true" and "main: index.ts" to switch to JavaScript`);
  }
  await fs.writeFile(project, edited);
}

export interface RunningUp {
  /** The CLI's process id. */
  pid: number;
  /** What the CLI printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<void>;
}

/** `pulumi up` of the stack as a CLI process of its own, for tests that kill it mid-run. */
export function spawnUp(temp: TempStack): RunningUp {
  let text = "";
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "test"], {
    cwd: path.join(temp.dir, "program"),
    env: { ...process.env, ...temp.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d: Buffer) => void (text += d.toString()));
  child.stderr.on("data", (d: Buffer) => void (text += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { pid: child.pid ?? 0, output: () => text, exited };
}
