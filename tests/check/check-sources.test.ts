// The check's command line, where it reads its settings (a stack's configuration through a fake
// Pulumi CLI), and its table: no network, no emulator.
import * as assert from "node:assert/strict";
import { parseCheckArgs } from "../../provider/check/args";
import { checkSources, type PulumiRunner } from "../../provider/check/sources";
import { renderTable, wrap } from "../../provider/check/table";

describe("the check command's arguments, settings sources and table", function () {
  it("takes `check` with --json, --stack and --cwd, and refuses anything else", function () {
    assert.deepEqual(parseCheckArgs(["check", "--json", "--stack", "prod"]), {
      help: false,
      check: { json: true, stack: "prod", cwd: undefined },
    });
    assert.deepEqual(parseCheckArgs(["--help"]), { help: true });
    assert.throws(() => parseCheckArgs([]), /no command given/);
    assert.throws(() => parseCheckArgs(["buy"]), /unknown command "buy"/);
    assert.throws(() => parseCheckArgs(["check", "--show-secrets"]), /Unknown option/);
  });

  it("reads a stack's configuration without its secrets, which come from their environment variables", async function () {
    const asked: string[][] = [];
    const pulumi: PulumiRunner = async (args) => {
      asked.push(args);
      return JSON.stringify({
        "huaweicloud:region": { value: "cn-north-4", secret: false },
        "huaweicloud:accessKey": { value: "AKFROMCONFIG", secret: false },
        "huaweicloud:secretKey": { secret: true },
        "huaweicloud:password": { secret: true },
      });
    };
    const env = { HW_SECRET_KEY: "sk-from-the-environment" };
    const src = await checkSources(env, "prod", "/project", pulumi);
    assert.deepEqual(asked, [["config", "--json", "--stack", "prod"]]);
    const config = src.sources.config;
    assert.ok(config);
    assert.equal(config("huaweicloud:region"), "cn-north-4");
    assert.equal(config("huaweicloud:secretKey"), "sk-from-the-environment");
    assert.equal(config("huaweicloud:password"), undefined);
    assert.deepEqual(src.notes, [
      'huaweicloud:password is a secret of stack "prod", which the check does not decrypt: set HW_USER_PASSWORD in the check\'s environment',
    ]);
    assert.deepEqual(src.secrets, ["sk-from-the-environment"]);
    assert.match(src.readFrom, /stack "prod", then the environment/);
  });

  it("says when the Pulumi CLI is missing", async function () {
    const missing: PulumiRunner = () =>
      Promise.reject(Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }));
    await assert.rejects(
      checkSources({}, "prod", undefined, missing),
      /stack "prod": the Pulumi CLI is not on PATH/,
    );
  });

  it("wraps long cells at word boundaries, row by row", function () {
    assert.deepEqual(wrap("grant the IAM user bss:order:view", 12), [
      "grant the",
      "IAM user",
      "bss:order:view",
    ]);
    const table = renderTable([
      {
        probe: "list one order",
        result: "failed",
        detail: "BSS refused",
        fix: "grant the IAM user bss:order:view",
      },
    ]);
    assert.match(table, /^list one order +failed +BSS refused +grant the IAM user bss:order:view$/m);
    assert.match(table, /0 ok, 1 failed, 0 skipped: fix the failed rows/);
  });
});
