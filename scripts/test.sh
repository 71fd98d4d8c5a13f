#!/usr/bin/env bash
# Runs every check the project has: installs what is missing, type-checks and lints the whole tree,
# checks the Go toolchain sources, then runs the mocha suite (unit and real-engine tests).
set -euo pipefail
started=$SECONDS
# The whole command's time as its last line, also when a step fails (the mocha part's just before).
took() { printf '%d min %d s' $(($1 / 60)) $(($1 % 60)); }
trap 'echo "test command: $(took $((SECONDS - started)))"' EXIT
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$PROJECT_ROOT/scripts/setup.sh"
cd "$PROJECT_ROOT"

step() { printf '\n== %s\n' "$*"; }

step "type-check (tsc, strict)"
npx --no-install tsc --noEmit -p tsconfig.json

step "lint and format (eslint, prettier, import cycles, gofmt, go vet)"
npx --no-install eslint .
npx --no-install prettier --check --log-level warn .
# No two files may import each other, even through others or type-only (see the script's header).
npx --no-install ts-node --transpile-only scripts/check-import-cycles.ts
unformatted="$(gofmt -l toolchain)"
[ -z "$unformatted" ] || {
  echo "gofmt would change: $unformatted" >&2
  exit 1
}
(cd toolchain && GOFLAGS=-mod=readonly go vet ./...)

step "tests (mocha)"
# Every test by default; `scripts/test.sh tests/engine/orders.test.ts` runs just that file.
if [ "$#" -eq 0 ]; then set -- 'tests/**/*.test.ts'; fi
mocha_started=$SECONDS
status=0
npx --no-install mocha "$@" || status=$?
echo "mocha part: $(took $((SECONDS - mocha_started)))"
exit "$status"
