import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { parseCliOptions } from "../../emulator/cli";
import { send } from "./helpers";

const repoRoot = path.resolve(__dirname, "..", "..");
const tsNode = require.resolve("ts-node/dist/bin.js");

/** Starts `npm run emulator`'s command (ts-node --transpile-only emulator/cli.ts) with `args`. */
function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [tsNode, "--transpile-only", "emulator/cli.ts", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves with the URL the CLI prints, or rejects if it exits first. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  assert.ok(child.stdout);
  const lines = readline.createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the emulator exited with ${String(code)} before listening`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const m = /^Huawei Cloud emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m?.[1]) return m[1];
    }
    throw new Error("stdout closed before the listening line");
  })();
  return Promise.race([listening, exited]);
}

describe("the emulator CLI (npm run emulator)", function () {
  describe("options", function () {
    it("defaults to 127.0.0.1:8080, log level info, no data file and no faults", function () {
      assert.deepEqual(parseCliOptions([]), {
        port: 8080,
        host: "127.0.0.1",
        logLevel: "info",
        faults: [],
        accounts: [],
      });
    });

    it("takes the data file, log level and token lifetime", function () {
      const options = parseCliOptions([
        "--port",
        "0",
        "--data",
        "/tmp/x.json",
        "--log-level",
        "debug",
        "--token-ttl",
        "60",
      ]);
      assert.equal(options.port, 0);
      assert.equal(options.dataFile, "/tmp/x.json");
      assert.equal(options.logLevel, "debug");
      assert.equal(options.tokenTtlSeconds, 60);
    });

    it("turns fault options into start-up faults for the chosen service", function () {
      const options = parseCliOptions([
        "--fault-service",
        "dis",
        "--throttle-next",
        "2",
        "--retry-after",
        "3",
        "--throttle-rate",
        "1.5",
        "--throttle-burst",
        "4",
        "--error-next",
        "1",
        "--error-status",
        "503",
        "--latency-ms",
        "250",
        "--drop-next",
        "1",
      ]);
      assert.deepEqual(options.faults, [
        { kind: "throttle", count: 2, service: "dis", retryAfterSeconds: 3 },
        { kind: "rate-limit", perSecond: 1.5, service: "dis", burst: 4 },
        { kind: "error", count: 1, status: 503, service: "dis" },
        { kind: "latency", ms: 250, service: "dis" },
        { kind: "drop", count: 1, service: "dis" },
      ]);
    });

    it("reads extra accounts from a JSON file", async function () {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "emulator-accounts-"));
      try {
        const file = path.join(dir, "accounts.json");
        const account = {
          domainName: "file-account",
          userName: "file-user",
          password: "file-password",
          projects: [{ id: "2".repeat(32), name: "cn-north-4" }],
        };
        await fs.writeFile(file, JSON.stringify([account]));
        assert.deepEqual(parseCliOptions(["--accounts", file]).accounts, [account]);
        await fs.writeFile(file, JSON.stringify({ domainName: "not-an-array" }));
        assert.throws(() => parseCliOptions(["--accounts", file]), /must hold a JSON array of accounts/);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    const invalid: [string, string[]][] = [
      ["an unknown option", ["--verbose"]],
      ["a port that is not a number", ["--port", "http"]],
      ["a port over 65535", ["--port", "70000"]],
      ["an unknown log level", ["--log-level", "loud"]],
      ["an unknown fault service", ["--fault-service", "obs", "--throttle-next", "1"]],
      ["a 5xx status it does not emulate", ["--error-next", "1", "--error-status", "501"]],
      ["a throttle rate of 0", ["--throttle-rate", "0"]],
      ["dropping IAM requests", ["--fault-service", "iam", "--drop-next", "1"]],
    ];
    for (const [name, args] of invalid) {
      it(`refuses ${name}`, function () {
        assert.throws(() => parseCliOptions(args));
      });
    }
  });

  describe("the process", function () {
    let dir: string;
    let child: ChildProcess | undefined;
    beforeEach(async function () {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "emulator-cli-"));
    });
    afterEach(async function () {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
      child = undefined;
      await fs.rm(dir, { recursive: true, force: true });
    });

    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      it(`prints its URL, serves, and exits 0 on ${signal}`, async function () {
        const dataFile = path.join(dir, "emulator.json");
        child = spawnCli(["--port", "0", "--data", dataFile, "--log-level", "silent"]);
        const url = await listeningUrl(child);
        assert.equal((await send(url, { method: "GET", path: "/__emulator/health" })).status, 200);
        const exit = once(child, "exit");
        child.kill(signal);
        const [code] = (await exit) as [number | null];
        assert.equal(code, 0);
      });
    }

    it("applies fault options given at start-up", async function () {
      child = spawnCli([
        "--port",
        "0",
        "--log-level",
        "silent",
        "--throttle-next",
        "1",
        "--fault-service",
        "iam",
      ]);
      const url = await listeningUrl(child);
      const answer = await send(url, { path: "/v3/auth/tokens", json: {} });
      assert.equal(answer.status, 429);
    });

    it("exits 2 with its usage on a bad option", async function () {
      child = spawnCli(["--log-level", "loud"]);
      let stderr = "";
      child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 2);
      assert.match(stderr, /--log-level must be one of silent, info, debug/);
      assert.match(stderr, /Usage: npm run emulator/);
    });
  });
});
