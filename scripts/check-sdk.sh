#!/usr/bin/env bash
# Compiles one generated SDK (scripts/gen-sdks.sh wrote it into DIR): `check-sdk.sh nodejs|go|python DIR`.
# Node.js: tsc strict against this project's @pulumi/pulumi. Go: `go build` in a throwaway module
# holding the toolchain's pins, completed from the local module cache only (GOPROXY=off), so
# nothing is downloaded. Python: a syntax check, when python3 is installed.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
lang=$1
dir=$2/$1
case "$lang" in
nodejs)
  ln -sfn "$PROJECT_ROOT/node_modules" "$dir/node_modules"
  tsc --noEmit -p "$dir/tsconfig.json"
  ;;
go)
  # The module is the import base path's parent: github.com/<org>/pulumi-huaweicloud-orders/sdk/go.
  base="$(node -p 'require(process.argv[1]).language.go.importBasePath' "$PROJECT_ROOT/provider/plugin/schema.snapshot.json")"
  sed -e "s#^module .*#module ${base%/*}#" -e '/^tool /d' "$PROJECT_ROOT/toolchain/go.mod" >"$dir/go.mod"
  cp "$PROJECT_ROOT/toolchain/go.sum" "$dir/go.sum"
  # The SDK needs a few of the pinned SDK's own dependencies the toolchain does not: added at the
  # versions its go.mod names, from the module cache (an error, not a download, if one is missing).
  (cd "$dir" && GOPROXY=off GOFLAGS= go get ./... && CGO_ENABLED=0 GOFLAGS=-mod=readonly GOPROXY=off go build -trimpath ./...)
  ;;
python)
  if ! command -v python3 >/dev/null; then
    echo "python3 is not installed: the Python SDK was generated but not checked"
    exit 0
  fi
  python3 -m compileall -q "$dir" >/dev/null
  ;;
*)
  echo "unknown SDK language: $lang (nodejs, go or python)" >&2
  exit 2
  ;;
esac
