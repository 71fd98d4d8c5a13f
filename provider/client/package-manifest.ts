// This package's own package.json (its version for the User-Agent, its peer range for the sdk's
// check), found upwards from the running file: the code runs from source (ts-node), from dist/ in
// the repository, or from an installed package's dist/.
import * as fs from "node:fs";
import * as path from "node:path";

export const PACKAGE_NAME = "pulumi-huaweicloud-orders";

export interface PackageManifest {
  version: string;
  peerDependencies: Record<string, string>;
}

let cached: PackageManifest | undefined;

export function packageManifest(): PackageManifest {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    let pkg: { name?: string; version?: string; peerDependencies?: Record<string, string> };
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    } catch {
      continue; // no package.json here: keep looking upwards
    }
    if (pkg.name === PACKAGE_NAME && pkg.version) {
      cached = { version: pkg.version, peerDependencies: pkg.peerDependencies ?? {} };
      return cached;
    }
  }
  throw new Error(`${PACKAGE_NAME}: its package.json was not found above ${__dirname}`);
}
