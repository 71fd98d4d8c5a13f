#!/usr/bin/env bash
# `npm publish --dry-run`, as the release runs it (docs/releasing.md), then a check of what it
# would publish: every file package.json points at, README, LICENSE and CHANGELOG, and a
# CHANGELOG section for the version. --offline: without it npm asks the registry who is logged in,
# and with no network it retries for over a minute before going on; nothing here needs a login.
# --ignore-scripts: `prepare` deletes and rebuilds dist/, which engine tests load meanwhile;
# setup.sh built it, and tests/package/outside-repo.test.ts packs with `prepare` in a copy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
json="$(npm publish --dry-run --offline --ignore-scripts --json --loglevel error)"
node - "$json" <<'JS'
const fs = require("node:fs");
const pkg = require("./package.json");
const [result] = Object.values(JSON.parse(process.argv[2]));
const files = new Set(result.files.map((f) => f.path));
const entry = (v) => (typeof v === "string" ? [v] : Object.values(v ?? {}).flatMap(entry));
const wanted = [pkg.main, pkg.types, ...entry(pkg.exports), ...entry(pkg.bin)]
  .map((f) => f.replace(/^\.\//, ""))
  .concat("README.md", "LICENSE", "CHANGELOG.md");
const missing = [...new Set(wanted)].filter((f) => !files.has(f));
const problems = missing.map((f) => `${f} would not be published (package.json "files", or dist/ not built)`);
if (result.version !== pkg.version) problems.push(`npm would publish ${result.version}, package.json says ${pkg.version}`);
const heading = `## [${pkg.version}] - `;
if (!fs.readFileSync("CHANGELOG.md", "utf8").split("\n").some((l) => l.startsWith(heading))) {
  problems.push(`CHANGELOG.md has no "${heading}<date>" section for the version in package.json`);
}
if (problems.length > 0) {
  console.error(`npm publish --dry-run: ${problems.join("; ")}`);
  process.exit(1);
}
console.log(`npm publish --dry-run: ${result.id}, ${result.entryCount} files, ${result.size} bytes`);
JS
