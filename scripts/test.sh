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

step "type-check and lint (tsc strict, eslint, prettier, import cycles, gofmt, go vet)"
# The slow checks share the two cores (about 10 s each alone); each one's output is shown when it
# ends, and any failure fails the command after all have ended.
checks_dir="$(mktemp -d)"
# The tests' engine runs get a Pulumi home of their own, the project's plugins linked in: the CLI
# writes a debug log into its home's logs folder on every start and lists the whole folder (log
# rotation, a week's worth), so the thousand CLI runs of each test run would slow every later one
# (16,000 logs: 0.16 CPU s more per start). Removed when the command ends.
tests_pulumi_home="$(mktemp -d "$TOOLS_DIR/pulumi-home-tests.XXXXXX")"
ln -s "$PULUMI_HOME/plugins" "$tests_pulumi_home/plugins"
trap 'rm -rf "$checks_dir" "$tests_pulumi_home"; echo "test command: $(took $((SECONDS - started)))"' EXIT
declare -A check_pids=()
check() {
  local name=$1
  shift
  "$@" >"$checks_dir/$name" 2>&1 &
  check_pids[$name]=$!
}
# Runs a command (after its label) and says how long it took, keeping its status.
timed() {
  local label=$1 t0 rc=0
  shift
  t0=$(date +%s%N)
  "$@" || rc=$?
  echo "$label: $((($(date +%s%N) - t0) / 1000000)) ms"
  return "$rc"
}
# Each keeps what it learnt of unchanged files in .tools/lint-cache (by content, so a checkout or a
# fresh clone is never stale): a warm run checks in about a third of the time. No lint rule reads
# types, so a file's cached lint result depends on that file alone.
lint_cache="$TOOLS_DIR/lint-cache"
check tsc npx --no-install tsc --noEmit -p tsconfig.json --incremental --tsBuildInfoFile "$lint_cache/tsc.tsbuildinfo"
check eslint npx --no-install eslint --cache --cache-strategy content --cache-location "$lint_cache/eslint" .
check prettier npx --no-install prettier --check --log-level warn --cache --cache-strategy content \
  --cache-location "$lint_cache/prettier" .
failed_checks=()
for name in tsc eslint prettier; do
  if wait "${check_pids[$name]}"; then echo "$name: ok"; else failed_checks+=("$name"); fi
  cat "$checks_dir/$name"
done
[ "${#failed_checks[@]}" -eq 0 ] || {
  echo "failed: ${failed_checks[*]}" >&2
  exit 1
}
# No two files may import each other, even through others or type-only (see the script's header).
npx --no-install ts-node --transpile-only scripts/check-import-cycles.ts
unformatted="$(gofmt -l toolchain)"
[ -z "$unformatted" ] || {
  echo "gofmt would change: $unformatted" >&2
  exit 1
}
(cd toolchain && GOFLAGS=-mod=readonly go vet ./...)

step "tests (mocha); beside them the plugin's SDKs compiled, the API reference built, the publish dry run"
# The SDKs of the committed schema (docs/yaml-and-other-languages.md "SDKs from the plugin's schema"), compiled while mocha
# runs: Node.js with tsc, Go with go build, Python syntax only (and only where python3 is).
sdk_langs=(nodejs go python)
timed "SDKs generated" bash scripts/gen-sdks.sh "$checks_dir/sdks"
for lang in "${sdk_langs[@]}"; do
  check "sdk-$lang" timed "$lang SDK checked" bash scripts/check-sdk.sh "$lang" "$checks_dir/sdks"
done
# The API reference built from the type declarations: any typedoc warning (an undocumented export)
# fails, and so does a committed docs/reference that differs (`npm run docs:reference` writes it).
check reference timed "API reference built and compared" bash scripts/check-reference.sh
# What `npm publish` would send (docs/releasing.md), offline and without a login.
check publish timed "publish dry run" bash scripts/check-publish.sh
# Every test by default; `scripts/test.sh tests/engine/orders.test.ts` runs just that file.
if [ "$#" -eq 0 ]; then set -- 'tests/**/*.test.ts'; fi
mocha_started=$SECONDS
export PULUMI_HOME="$tests_pulumi_home"
status=0
npx --no-install mocha "$@" || status=$?
echo "mocha part: $(took $((SECONDS - mocha_started)))"
for lang in "${sdk_langs[@]}"; do
  wait "${check_pids[sdk-$lang]}" || {
    echo "the generated $lang SDK does not compile:" >&2
    status=1
  }
  cat "$checks_dir/sdk-$lang"
done
for name in reference publish; do
  wait "${check_pids[$name]}" || {
    echo "failed: $name" >&2
    status=1
  }
  cat "$checks_dir/$name"
done
exit "$status"
