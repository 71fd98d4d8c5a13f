// The program's @pulumi/pulumi must be one this package works with (its peer range). npm only warns
// about a peer outside the range, and a wrong SDK fails later in odd ways; this module checks when
// it loads (sdk/index.ts imports it first, before anything loads @pulumi/pulumi) and names both
// versions.
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_NAME, packageManifest } from "../provider/client/package-manifest";

const SDK = "@pulumi/pulumi";

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Whether `version` satisfies `range`, a list of comparators that must all hold (">=3.139.0 <4.0.0",
 * the only form this package's peer range uses). A prerelease counts as its release.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const m = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
      const bound = m?.[2] ? parseVersion(m[2]) : undefined;
      if (!m || !bound) throw new Error(`unsupported version range "${range}"`);
      const c = compare(v, bound);
      switch (m[1]) {
        case ">=":
          return c >= 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        case "<":
          return c < 0;
        default:
          return c === 0;
      }
    });
}

/** The @pulumi/pulumi the sdk would load from `fromDir`: its version and folder, if installed. */
export function installedSdk(fromDir: string): { version: string; dir: string } | undefined {
  let manifest: string;
  try {
    manifest = require.resolve(`${SDK}/package.json`, { paths: [fromDir] });
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
  return { version, dir: path.dirname(manifest) };
}

/** What is wrong with the program's @pulumi/pulumi, in the operator's terms; undefined if nothing. */
export function sdkVersionProblem(
  installed: { version: string; dir: string } | undefined,
  range: string,
  ownVersion: string,
): string | undefined {
  const needs = `${PACKAGE_NAME} ${ownVersion} needs ${SDK} ${range}`;
  const fix = `install a version in that range in the program: npm install "${SDK}@${range}"`;
  if (!installed) return `${needs}, but the program has no ${SDK} installed; ${fix}`;
  if (satisfies(installed.version, range)) return undefined;
  return `${needs}, but the program loads ${SDK} ${installed.version} (${installed.dir}); ${fix}`;
}

/**
 * Throws when the program's @pulumi/pulumi is outside the peer range. The error is marked the way
 * Pulumi marks its own RunError (checked by that property in every 3.x SDK), so the engine prints
 * its message alone instead of an unhandled-exception stack trace.
 */
export function assertSupportedSdk(fromDir: string = __dirname): void {
  const { version, peerDependencies } = packageManifest();
  const range = peerDependencies[SDK];
  if (range === undefined) return;
  const problem = sdkVersionProblem(installedSdk(fromDir), range, version);
  if (problem) throw Object.assign(new Error(problem), { __pulumiRunError: true });
}

assertSupportedSdk();
