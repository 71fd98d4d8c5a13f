#!/usr/bin/env bash
# Moves the Pulumi CLI and the npm SDK together to VERSION: the one rule of CONTRIBUTING.md "Toolchain".
# Usage: scripts/bump-pulumi.sh 3.276.0   (then run scripts/test.sh; setup rebuilds the CLI)
# It edits the three places that must agree and that setup checks: PULUMI_VERSION in
# scripts/env.sh, the @pulumi/pulumi devDependency in package.json (+ lockfile), and the Go
# modules in toolchain/. The peerDependency range users see is not moved: setup refuses a pin
# outside it.
set -euo pipefail
version="${1:?usage: scripts/bump-pulumi.sh VERSION (e.g. 3.276.0)}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
  echo "not a version: $version" >&2
  exit 2
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root/toolchain" && GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3@v$version" \
  "github.com/pulumi/pulumi/sdk/v3@v$version" && go mod tidy)
(cd "$root" && npm install --ignore-scripts --no-audit --no-fund --save-dev --save-exact "@pulumi/pulumi@$version")
sed -i "s/^PULUMI_VERSION=.*/PULUMI_VERSION=$version/" "$root/scripts/env.sh"
echo "Pulumi pinned at $version; run scripts/test.sh (setup builds the new CLI)"
