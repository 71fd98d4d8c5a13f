import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { TEST_RUN_MARKER } from "../support/processes";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");
const pulumiBin = path.join(repoRoot, ".tools", "pulumi", "bin", "pulumi");

// The project's scripts never redirect a user's pipeline: sourcing scripts/env.sh keeps the
// backend, the passphrase and the passphrase file the caller chose (and a `pulumi login`), and
// the main job keeps to its own backend. Each shell runs with a clean environment and a Pulumi
// home of its own in a temporary folder, never the machine's ~/.pulumi.
describe("scripts never redirect a user's pipeline", function () {
  let tmp: string;
  let userHome: string;
  /** The environment a user's shell has before sourcing anything of this project. */
  let userEnv: Record<string, string>;
  before(async function () {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "phco-scripts-"));
    userHome = path.join(tmp, "pulumi-home");
    await fs.mkdir(path.join(tmp, "project"));
    await fs.writeFile(path.join(tmp, "project", "Pulumi.yaml"), "name: users-project\nruntime: nodejs\n");
    await fs.writeFile(path.join(tmp, "passphrase"), "the-users-own-passphrase\n");
    userEnv = {
      PATH: `${path.dirname(pulumiBin)}:/usr/bin:/bin`,
      HOME: tmp,
      PULUMI_HOME: userHome,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // So that the run's teardown finds anything these shells leave running.
      [TEST_RUN_MARKER]: process.env[TEST_RUN_MARKER] ?? "",
    };
  });
  after(async function () {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  async function shell(script: string, env: Record<string, string> = {}): Promise<string> {
    // --norc: bash takes Node's socket-pair stdio for a remote shell and would read bashrc.
    const { stdout, stderr } = await run(
      "bash",
      ["--norc", "--noprofile", "-euo", "pipefail", "-c", script],
      {
        cwd: path.join(tmp, "project"),
        env: { ...userEnv, ...env },
      },
    );
    return stdout + stderr;
  }

  const show =
    'for v in PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE PULUMI_CONFIG_PASSPHRASE_FILE; do echo "$v=${!v-unset}"; done';

  it("sourcing env.sh changes no backend, passphrase or passphrase file, set or not", async function () {
    const chosen = {
      PULUMI_BACKEND_URL: `file://${tmp}/users-backend`,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(tmp, "passphrase"),
    };
    const sourced = `. "${repoRoot}/scripts/env.sh"; ${show}`;
    assert.equal(
      await shell(sourced, chosen),
      `PULUMI_BACKEND_URL=${chosen.PULUMI_BACKEND_URL}\nPULUMI_CONFIG_PASSPHRASE=unset\n` +
        `PULUMI_CONFIG_PASSPHRASE_FILE=${chosen.PULUMI_CONFIG_PASSPHRASE_FILE}\n`,
    );
    assert.equal(
      await shell(sourced, { PULUMI_CONFIG_PASSPHRASE: "" }),
      "PULUMI_BACKEND_URL=unset\nPULUMI_CONFIG_PASSPHRASE=\nPULUMI_CONFIG_PASSPHRASE_FILE=unset\n",
    );
    assert.equal(
      await shell(sourced),
      "PULUMI_BACKEND_URL=unset\nPULUMI_CONFIG_PASSPHRASE=unset\nPULUMI_CONFIG_PASSPHRASE_FILE=unset\n",
    );
  });

  it("a pulumi login before or after sourcing env.sh stays in effect, and secrets use the user's passphrase file", async function () {
    const mine = `file://${tmp}/logged-in-before`;
    const other = `file://${tmp}/logged-in-after`;
    const passphraseFile = { PULUMI_CONFIG_PASSPHRASE_FILE: path.join(tmp, "passphrase") };
    await fs.mkdir(path.join(tmp, "logged-in-before"));
    await fs.mkdir(path.join(tmp, "logged-in-after"));
    const out = await shell(
      `pulumi login "${mine}" >/dev/null
       . "${repoRoot}/scripts/env.sh"
       pulumi whoami -v | grep "Backend URL"
       pulumi stack init dev >/dev/null 2>&1
       pulumi config set --secret apiKey s3cr3t-value
       pulumi config get apiKey
       pulumi login "${other}" >/dev/null
       pulumi whoami -v | grep "Backend URL"`,
      passphraseFile,
    );
    assert.equal(out, `Backend URL: ${mine}\ns3cr3t-value\nBackend URL: ${other}\n`);
    await fs.access(path.join(tmp, "logged-in-before", ".pulumi", "stacks", "users-project", "dev.json"));
    // The login is kept where the user's Pulumi keeps it, not in the project's plugin cache.
    assert.match(await fs.readFile(path.join(userHome, "credentials.json"), "utf8"), /logged-in-after/);
    // The secret was encrypted with the user's passphrase, not the project's public one.
    await assert.rejects(
      shell(`pulumi login "${mine}" >/dev/null; pulumi config get apiKey --stack dev`, {
        PULUMI_CONFIG_PASSPHRASE: "local-stacks-only",
      }),
      /incorrect passphrase/,
    );
  });

  it("local-stacks.sh, for the project's own stacks only, replaces the shell's choices and says so", async function () {
    const out = await shell(`. "${repoRoot}/scripts/local-stacks.sh"; ${show}`, {
      PULUMI_BACKEND_URL: `file://${tmp}/users-backend`,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(tmp, "passphrase"),
    });
    assert.match(out, /this shell's Pulumi backend and passphrase are replaced by the project's local ones/);
    assert.match(out, new RegExp(`PULUMI_BACKEND_URL=file://${repoRoot}/\\.pulumi-state\\?metadata=skip\\n`));
    assert.match(out, /PULUMI_CONFIG_PASSPHRASE=local-stacks-only\nPULUMI_CONFIG_PASSPHRASE_FILE=unset\n/);
  });

  it("the main job keeps to its own backend: a user's stack of the same name survives it", async function () {
    // The user's own backend already holds a `quickstart` stack of the quickstart's project.
    const users = path.join(tmp, "users-backend");
    await fs.mkdir(users);
    await fs.mkdir(path.join(tmp, "quickstart"));
    await fs.copyFile(path.join(repoRoot, "Pulumi.yaml"), path.join(tmp, "quickstart", "Pulumi.yaml"));
    const chosen = {
      PULUMI_BACKEND_URL: `file://${users}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(tmp, "passphrase"),
    };
    await run(pulumiBin, ["stack", "init", "quickstart", "--non-interactive"], {
      cwd: path.join(tmp, "quickstart"),
      env: { ...userEnv, ...chosen },
    });
    const stackFile = path.join(
      users,
      ".pulumi",
      "stacks",
      "huaweicloud-orders-quickstart",
      "quickstart.json",
    );
    const before = await fs.readFile(stackFile, "utf8");
    // The main job as the user would start it from that shell (the toolchain's variables aside).
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(PULUMI_|HW_)/.test(k)),
    ) as Record<string, string>;
    const { stdout, stderr } = await run("bash", [path.join(repoRoot, "scripts", "main-job.sh")], {
      cwd: tmp,
      // Shorter billing delays than the job's own: this test is about where its stack lives.
      env: { ...inherited, ...chosen, MAIN_JOB_BILLING_DELAY_MS: "200", MAIN_JOB_POLL_SECONDS: "0.1" },
      maxBuffer: 16 * 1024 * 1024,
    });
    assert.match(
      stderr,
      /this shell's Pulumi backend and passphrase are replaced by the project's local ones/,
    );
    // The whole lifecycle ran in the project's backend, step by step, as the emulator counted it:
    // the preview priced both orders, up placed both and paid the DIS one (MetaStudio's pays
    // itself), refresh only read, destroy unsubscribed both until BSS listed nothing.
    const steps = [
      ...stdout.matchAll(
        /^emulator received: (\d+) orders?, (\d+) payments?, (\d+) unsubscriptions?;.*BSS lists (\d+) purchased resources?$/gm,
      ),
    ];
    assert.deepEqual(
      steps.map((m) => m.slice(1).map(Number)),
      [
        [0, 0, 0, 0],
        [2, 1, 0, 2],
        [0, 0, 0, 2],
        [0, 0, 2, 0],
      ],
      stdout,
    );
    assert.match(steps[0]?.[0] ?? "", /; 2 price inquiries, /);
    assert.equal(await fs.readFile(stackFile, "utf8"), before, "the user's stack was changed");
    const { stdout: list } = await run(pulumiBin, ["stack", "ls", "--json"], {
      cwd: path.join(tmp, "quickstart"),
      env: { ...userEnv, ...chosen },
    });
    assert.deepEqual(
      (JSON.parse(list) as { name: string }[]).map((s) => s.name),
      ["quickstart"],
    );
  });
});
