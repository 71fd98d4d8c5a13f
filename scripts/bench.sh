#!/usr/bin/env bash
# The benchmark (docs/benchmarks.md): installs what is missing, then runs bench/run.ts, which
# starts the emulator itself. Not part of the test command. Options pass through, e.g.
#   scripts/bench.sh --sizes 1,10 --reps 1
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$PROJECT_ROOT/scripts/setup.sh"
command -v curl >/dev/null || { echo "the curl baseline needs curl on PATH" >&2; exit 1; }
cd "$PROJECT_ROOT"
exec node -r ts-node/register/transpile-only bench/run.ts "$@"
