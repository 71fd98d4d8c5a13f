#!/usr/bin/env bash
# Writes the Node.js, Go and Python SDKs of the provider plugin from its package schema (the
# committed provider/plugin/schema.snapshot.json, which tests/plugin/schema.test.ts keeps current)
# with Pulumi's own generators at the pinned version: `scripts/gen-sdks.sh [outdir]`, default sdks/.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
out="${1:-$PROJECT_ROOT/sdks}"
sdkgen="$TOOLS_DIR/pulumi/bin/pulumi-sdkgen"
[ -x "$sdkgen" ] || bash "$PROJECT_ROOT/scripts/setup.sh"
"$sdkgen" -schema "$PROJECT_ROOT/provider/plugin/schema.snapshot.json" -out "$out"
