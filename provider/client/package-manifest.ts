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

/** Read once, when this module loads: the file does not change while the code runs. */
const MANIFEST: Readonly<PackageManifest> = readManifest();

export function packageManifest(): PackageManifest {
  return MANIFEST;
}

function readManifest(): PackageManifest {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    let pkg: { name?: string; version?: string; peerDependencies?: Record<string, string> };
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    } catch {
      continue; // no package.json here: keep looking upwards
    }
    if (pkg.name === PACKAGE_NAME && pkg.version) {
      return Object.freeze({
        version: pkg.version,
        peerDependencies: Object.freeze({ ...(pkg.peerDependencies ?? {}) }),
      });
    }
  }
  throw new Error(`${PACKAGE_NAME}: its package.json was not found above ${__dirname}`);
}
