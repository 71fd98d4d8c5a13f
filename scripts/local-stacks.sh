# shellcheck shell=bash
# The project's own local stacks: the main job's quickstart and the examples' `emulator` stacks,
# whose committed secrets are encrypted with the fixed passphrase below. Source it only for them:
#   . scripts/local-stacks.sh
# It sources env.sh, then points Pulumi at the project's git-ignored file backend and the fixed
# passphrase, replacing any backend or passphrase (file) of the shell, and says so. For any other
# stack, open a new shell and source env.sh alone.
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LOCAL_STATE_DIR="$PROJECT_ROOT/.pulumi-state"
mkdir -p "$LOCAL_STATE_DIR"
if [ -n "${PULUMI_BACKEND_URL:-}${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ] ||
  { [ -n "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ "$PULUMI_CONFIG_PASSPHRASE" != local-stacks-only ]; }; then
  echo "[local-stacks] this shell's Pulumi backend and passphrase are replaced by the project's local ones" >&2
fi
# metadata=skip: no `.attrs` sidecar files, which Pulumi's file backend rewrites in place and a
# killed run can leave empty (docs/recovery.md "The engine interrupted while creating").
LOCAL_BACKEND_URL="file://$LOCAL_STATE_DIR?metadata=skip"
export PULUMI_BACKEND_URL="$LOCAL_BACKEND_URL"
# Not a secret, and it protects nothing: the emulator's demo values only.
export PULUMI_CONFIG_PASSPHRASE=local-stacks-only
unset PULUMI_CONFIG_PASSPHRASE_FILE
echo "[local-stacks] state: $LOCAL_STATE_DIR (local stacks only; the passphrase is public)" >&2
