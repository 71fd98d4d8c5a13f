import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import packageJson from "../../package.json";
import { assertSupportedSdk, installedSdk, satisfies, sdkVersionProblem } from "../../sdk/pulumi-version";

describe("the program's @pulumi/pulumi against the peer range", function () {
  const range = packageJson.peerDependencies["@pulumi/pulumi"];

  it("the peer range holds the repository's own pin and its lowest tested version", function () {
    assert.ok(satisfies(packageJson.devDependencies["@pulumi/pulumi"], range));
    assert.ok(satisfies("3.139.0", range));
    assert.ok(!satisfies("3.138.0", range));
    assert.ok(!satisfies("4.0.0", range));
  });

  it("compares versions by number, a prerelease as its release", function () {
    assert.ok(satisfies("3.1000.0", ">=3.139.0 <4.0.0"));
    assert.ok(satisfies("3.277.0-alpha.1", ">=3.139.0 <4.0.0"));
    assert.ok(!satisfies("2.99.99", ">=3.139.0 <4.0.0"));
    assert.ok(satisfies("3.139.0", "3.139.0"));
    assert.ok(satisfies("3.139.1", ">3.139.0 <=3.139.1"));
    assert.ok(!satisfies("not-a-version", ">=3.139.0"));
    assert.throws(() => satisfies("3.139.0", "^3.139.0"), /unsupported version range/);
  });

  it("names both versions, where the SDK was found, and the fix; nothing when in range", function () {
    const dir = "/program/node_modules/@pulumi/pulumi";
    const below = sdkVersionProblem({ version: "3.100.0", dir }, ">=3.139.0 <4.0.0", "0.1.0");
    assert.equal(
      below,
      "pulumi-huaweicloud-orders 0.1.0 needs @pulumi/pulumi >=3.139.0 <4.0.0, but the program loads " +
        `@pulumi/pulumi 3.100.0 (${dir}); install a version in that range in the program: ` +
        'npm install "@pulumi/pulumi@>=3.139.0 <4.0.0"',
    );
    assert.match(
      sdkVersionProblem(undefined, range, "0.1.0") ?? "",
      /the program has no @pulumi\/pulumi installed/,
    );
    assert.equal(sdkVersionProblem({ version: "3.276.0", dir }, range, "0.1.0"), undefined);
  });

  describe("when the sdk loads", function () {
    let program: string;
    before(async function () {
      program = await fs.mkdtemp(path.join(os.tmpdir(), "phco-sdk-version-"));
    });
    after(async function () {
      await fs.rm(program, { recursive: true, force: true });
    });

    async function programWithSdk(version: string): Promise<string> {
      const sdk = path.join(program, "node_modules", "@pulumi", "pulumi");
      await fs.mkdir(sdk, { recursive: true });
      await fs.writeFile(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version }));
      const from = path.join(program, "node_modules", "pulumi-huaweicloud-orders", "dist", "sdk");
      await fs.mkdir(from, { recursive: true });
      return from;
    }

    it("an SDK outside the range stops the program with one error Pulumi prints without a stack", async function () {
      const from = await programWithSdk("3.100.0");
      assert.deepEqual(installedSdk(from), {
        version: "3.100.0",
        dir: path.join(program, "node_modules", "@pulumi", "pulumi"),
      });
      assert.throws(
        () => assertSupportedSdk(from),
        (err: Error & { __pulumiRunError?: boolean }) => {
          assert.match(
            err.message,
            /needs @pulumi\/pulumi >=3\.139\.0 <4\.0\.0, but the program loads @pulumi\/pulumi 3\.100\.0/,
          );
          assert.equal(err.__pulumiRunError, true);
          return true;
        },
      );
    });

    it("an SDK in the range passes", async function () {
      const from = await programWithSdk("3.139.0");
      assert.doesNotThrow(() => assertSupportedSdk(from));
    });
  });
});
