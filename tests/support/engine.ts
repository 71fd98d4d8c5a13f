// Runs a Pulumi program from tests/fixtures through the real engine (Automation API + the CLI that
// scripts/setup.sh installs), each in its own temporary folder and file backend.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

export interface TempStack {
  stack: Stack;
  dir: string;
  /** Destroys nothing: removes the stack's files and the temporary folder. */
  dispose(): Promise<void>;
}

/**
 * Copies tests/fixtures/<fixture> into a fresh temporary folder and creates a stack for it there.
 * The copy sees the repository's node_modules through a symlink, so the program, the language host
 * and the dynamic-provider process all load the same @pulumi/pulumi.
 */
export async function stackFromFixture(fixture: string, stackName = "test"): Promise<TempStack> {
  if (!process.env["PULUMI_HOME"]?.startsWith(repoRoot)) {
    throw new Error("run the tests through scripts/test.sh, which sets up the engine's environment");
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `phco-${fixture}-`));
  try {
    await fs.cp(path.join(repoRoot, "tests", "fixtures", fixture), path.join(dir, "program"), {
      recursive: true,
    });
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(dir, "program", "node_modules"));
    await fs.mkdir(path.join(dir, "state"));
    const stack = await LocalWorkspace.createStack(
      { stackName, workDir: path.join(dir, "program") },
      { envVars: { PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}` } },
    );
    return { stack, dir, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}
