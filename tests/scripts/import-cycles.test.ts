// The lint's import-cycle check (scripts/check-import-cycles.ts). Why it exists: the emulator once
// had modules that imported each other (auth -> wire -> errors -> auth, billing <-> state, faults
// <-> state), harmless only because one side of each was a type-only import, which TypeScript
// erases. The day someone needs a value across such a back edge, Node hands one module the other
// half-loaded and a constant reads `undefined` at run time, far from the import that caused it.
// So the check counts type-only imports too, and these tests prove it: a tiny tree with a cycle is
// reported (as a chain of files, and by the exit status the lint step reads), one without passes.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { findImportCycles, importGraph } from "../../scripts/check-import-cycles";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");
const tsNode = require.resolve("ts-node/dist/bin.js");

/** The check as the lint step runs it, on `dir`: its exit code and what it printed. */
async function runCheck(dir: string): Promise<{ code: number; output: string }> {
  const script = path.join(repoRoot, "scripts", "check-import-cycles.ts");
  try {
    const { stdout, stderr } = await run(process.execPath, [tsNode, "--transpile-only", script, dir], {
      cwd: repoRoot,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the lint's import-cycle check", function () {
  let tmp: string;
  /** Writes a tiny project (tsconfig.json and the given files) into a fresh folder. */
  async function project(name: string, files: Record<string, string>): Promise<string> {
    const dir = path.join(tmp, name);
    const tsconfig = {
      compilerOptions: { module: "node20", moduleResolution: "node16", strict: true, types: [] },
      include: ["**/*.ts"],
    };
    for (const [file, text] of Object.entries({ "tsconfig.json": JSON.stringify(tsconfig), ...files })) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), text);
    }
    return dir;
  }

  // shared.ts is a leaf both sides import; lib/ is reached as a folder (its index.ts).
  const leaf = {
    "shared.ts": "export interface Call { id: string }\nexport const LIMIT = 3;\n",
    "lib/index.ts": 'export { wire } from "./wire";\n',
    "lib/wire.ts": 'import type { Call } from "../shared";\nexport const wire = (c: Call) => c.id;\n',
  };

  before(async function () {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "phco-cycles-"));
  });
  after(async function () {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it("reports a cycle closed by a type-only import, as a chain of files, and exits 1", async function () {
    const dir = await project("cycle", {
      ...leaf,
      // auth -> wire (a value) -> errors -> auth (type only): the emulator's old shape.
      "auth.ts":
        'import { wire } from "./lib";\nexport type AuthFailure = { kind: string };\nexport { wire };\n',
      "lib/wire.ts": 'import type { Reply } from "../errors";\nexport const wire = (r: Reply) => r.status;\n',
      "errors.ts":
        'import type { AuthFailure } from "./auth";\nexport type Reply = { status: number; f?: AuthFailure };\n',
      // A second, separate cycle, through `export ... from`.
      "a.ts": 'export * from "./b";\nexport const A = 1;\n',
      "b.ts": 'import { A } from "./a";\nexport const B = A + 1;\n',
      "main.ts":
        'import { LIMIT } from "./shared";\nimport { wire } from "./auth";\nexport const x = [LIMIT, wire];\n',
    });
    const cycles = findImportCycles(importGraph(dir));
    assert.deepEqual(cycles, [
      ["a.ts", "b.ts", "a.ts"],
      ["auth.ts", "lib/index.ts", "lib/wire.ts", "errors.ts", "auth.ts"],
    ]);
    const { code, output } = await runCheck(dir);
    assert.equal(code, 1, output);
    assert.match(output, /2 import cycle/);
    assert.ok(output.includes("auth.ts -> lib/index.ts -> lib/wire.ts -> errors.ts -> auth.ts"), output);
    assert.ok(output.includes("a.ts -> b.ts -> a.ts"), output);
  });

  it("reports a file that imports itself", async function () {
    const dir = await project("self", {
      "self.ts": 'import type { T } from "./self";\nexport type T = string;\n',
    });
    assert.deepEqual(findImportCycles(importGraph(dir)), [["self.ts", "self.ts"]]);
  });

  it("passes a tree whose imports form a DAG (shared things in a leaf both sides import), exit 0", async function () {
    const dir = await project("dag", {
      ...leaf,
      "auth.ts":
        'import type { Call } from "./shared";\nimport { wire } from "./lib";\nexport const auth = (c: Call) => wire(c);\n',
      "errors.ts":
        'import type { Call } from "./shared";\nimport { auth } from "./auth";\nexport const e = (c: Call) => auth(c);\n',
      "main.ts":
        'import { e } from "./errors";\nimport { LIMIT } from "./shared";\nexport const x = [e, LIMIT];\n',
    });
    const graph = importGraph(dir);
    // The edges are seen (so an empty answer is not a blind check)...
    assert.deepEqual(graph.get("errors.ts"), ["auth.ts", "shared.ts"]);
    assert.deepEqual(graph.get("auth.ts"), ["lib/index.ts", "shared.ts"]);
    // ...and none closes a loop.
    assert.deepEqual(findImportCycles(graph), []);
    const { code, output } = await runCheck(dir);
    assert.equal(code, 0, output);
    assert.equal(output, "");
  });
});
