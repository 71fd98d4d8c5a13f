#!/usr/bin/env bash
# Builds the API reference (typedoc.json: the package's two entry points, from their type
# declarations) into a temporary folder, failing on any typedoc warning (an export without
# documentation, a type shown but not documented, a zod description it cannot read), then fails
# while the committed docs/reference differs from it. `npm run docs:reference` writes it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install typedoc --logLevel Warn --out "$out/reference"
if ! diff -r docs/reference "$out/reference" >"$out/diff"; then
  echo "docs/reference is not what the code declares: run \`npm run docs:reference\` and commit docs/reference" >&2
  head -n 40 "$out/diff" >&2
  exit 1
fi
