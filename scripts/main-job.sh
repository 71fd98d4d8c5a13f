#!/usr/bin/env bash
# The main job, end to end: installs what is missing, then previews and deploys the quickstart
# program (Pulumi.yaml at the repository root) on a local stack and prints its outputs.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$PROJECT_ROOT/scripts/setup.sh"
cd "$PROJECT_ROOT"

STACK="${STACK:-quickstart}"
step() { printf '\n== %s\n' "$*"; }

pulumi stack select --create "$STACK" >/dev/null
step "pulumi preview (stack $STACK): what would change, changes nothing"
pulumi preview --non-interactive --diff
step "pulumi up (stack $STACK)"
pulumi up --non-interactive --yes --skip-preview
step "stack outputs"
pulumi stack output --json
