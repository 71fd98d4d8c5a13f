# shellcheck shell=bash
# The one place that sets the environment of every run: npm scripts, the Pulumi CLI, its language
# host and the dynamic-provider process all inherit it. Sourced by scripts/setup.sh, main-job.sh
# and test.sh; source it yourself to run `pulumi` by hand: `. scripts/env.sh`. It sets the
# toolchain only; where state goes and how secrets are encrypted stay the caller's choice.

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$PROJECT_ROOT/.tools"

# Pinned versions. The CLI and the npm SDK move together; see CONTRIBUTING.md "Toolchain".
NODE_VERSION=24.21.0
PULUMI_VERSION=3.276.0
COMMAND_PLUGIN_VERSION=1.2.1

# Project-local tools come first, so a `node` or `pulumi` of another version elsewhere on PATH
# is never picked up by accident.
export PATH="$TOOLS_DIR/node/bin:$TOOLS_DIR/pulumi/bin:$PROJECT_ROOT/node_modules/.bin:$PATH"

# The backend and the secrets provider are the caller's: this file never sets or changes
# PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE. The project's
# own local stacks get theirs from scripts/local-stacks.sh, which the main job sources.
# Logins (`pulumi login`, before or after sourcing this) stay in the caller's Pulumi home
# (PULUMI_HOME as it was, else ~/.pulumi): only the plugin cache moves into the project.
if [ -z "${PULUMI_CREDENTIALS_PATH:-}" ] && [ "${PULUMI_HOME:-}" != "$TOOLS_DIR/pulumi-home" ]; then
  if [ -n "${PULUMI_HOME:-}" ]; then
    export PULUMI_CREDENTIALS_PATH="$PULUMI_HOME"
  elif [ -n "${HOME:-}" ]; then
    export PULUMI_CREDENTIALS_PATH="$HOME/.pulumi"
  fi
fi
# Plugin cache and CLI settings live inside the project, never in ~/.pulumi.
export PULUMI_HOME="$TOOLS_DIR/pulumi-home"
# The CLI writes a debug log into $PULUMI_HOME/logs on every start and lists the whole folder each
# time (rotation, a week by default): a day's worth keeps that listing short.
export PULUMI_LOG_ROTATION_MAX_AGE_DAYS="${PULUMI_LOG_ROTATION_MAX_AGE_DAYS:-1}"
# Nothing may reach the internet: no update checks, no plugin downloads.
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# Programs are type-checked once by the test command (tsc over the whole tree), not again by
# ts-node on every engine run.
export PULUMI_NODEJS_TRANSPILE_ONLY=true
# Node keeps the compiled code of the modules it loads (@pulumi/pulumi, this package) on disk: every
# engine run starts two or three Node processes, and each starts about a third faster from it.
export NODE_COMPILE_CACHE="$TOOLS_DIR/node-compile-cache"
# Plain, stable output in logs and tests.
export PULUMI_SKIP_CONFIRMATIONS=true
export NO_COLOR=1
