#!/usr/bin/env bash
# The main job, end to end: installs what is missing, starts the local Huawei Cloud emulator and
# runs the quickstart's whole lifecycle (Pulumi.yaml at the repository root: one DIS package order
# and one MetaStudio subscription, both paid automatically): a preview with each order's price and
# the total, `up` following both orders until BSS lists their resources, the outputs (status,
# amount, expiry), `refresh`, and `destroy` unsubscribing both and waiting until BSS lists nothing.
# After each step, one line says what the emulator received. Nothing leaves this machine: every
# endpoint is the emulator.
set -euo pipefail
# Its own local backend and passphrase, whatever the caller's shell holds (scripts/local-stacks.sh):
# the quickstart stack it removes and re-creates below lives there, never in the caller's backend.
# shellcheck source=scripts/local-stacks.sh
. "$(dirname "${BASH_SOURCE[0]}")/local-stacks.sh"
bash "$PROJECT_ROOT/scripts/setup.sh"
cd "$PROJECT_ROOT"

STACK=quickstart
started=$(date +%s)
step() { printf '\n== %s\n' "$*"; }

step "starting the Huawei Cloud emulator (emulator/README.md)"
mkdir -p .emulator
emulator_log=.emulator/main-job.log
# A paid order, and an unsubscription, stays in processing this long (the emulator's default; Huawei
# takes seconds to minutes); the provider reads BSS every POLL_SECONDS (default 10, as Terraform).
# MAIN_JOB_BILLING_DELAY_MS and MAIN_JOB_POLL_SECONDS shorten both for a test of the job itself.
BILLING_DELAY_MS=${MAIN_JOB_BILLING_DELAY_MS:-1000}
POLL_SECONDS=${MAIN_JOB_POLL_SECONDS:-0.5}
node -r ts-node/register/transpile-only emulator/cli.ts --port 0 --billing-delay-ms "$BILLING_DELAY_MS" \
  >"$emulator_log" 2>&1 &
emulator_pid=$!
stop_emulator() {
  if kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" && wait "$emulator_pid" || true
    printf '\n== emulator stopped (its request log: %s)\n' "$emulator_log"
  fi
}
trap stop_emulator EXIT
url=""
for _ in $(seq 1 300); do # up to 30 s for ts-node to start it
  url=$(sed -n 's/^Huawei Cloud emulator listening on \(http:[^ ]*\)$/\1/p' "$emulator_log")
  [ -n "$url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$emulator_log" >&2
  echo "the emulator did not start" >&2
  exit 1
fi
echo "listening on $url (BSS processing delay ${BILLING_DELAY_MS} ms, the provider polls every ${POLL_SECONDS} s)"
# What the emulator received since the previous call, in one line (scripts/emulator-received.ts).
received_mark=.emulator/main-job.mark
rm -f "$received_mark"
received() { node scripts/emulator-received.ts "$url" "$received_mark"; }
# The same line, and a failure unless it matches the glob $1 ($2 says what went wrong).
expect_received() {
  local line
  line=$(received)
  echo "$line"
  # shellcheck disable=SC2254 # $1 is a pattern
  case "$line" in $1) ;; *)
    echo "$2" >&2
    exit 1
    ;;
  esac
}

# The emulator's demo account (fake values, emulator/README.md), given through the environment so
# that no credential is written to the stack's config or state. Credentials of another kind that
# the caller's shell may hold are cleared: they would win over these and could reach a real cloud.
# The previous release's endpoint variables too: beside the ones below, a different value fails.
unset HW_AUTH_TOKEN HW_ACCESS_KEY HW_SECRET_KEY HW_SECURITY_TOKEN
unset HW_DIS_ENDPOINT HW_METASTUDIO_ENDPOINT HW_BSS_ENDPOINT
export HW_REGION_NAME=cn-north-4
export HW_PROJECT_ID=0123456789abcdef0123456789abcdef
export HW_DOMAIN_NAME=emulator-demo
export HW_USER_NAME=emulator-demo-user
export HW_USER_PASSWORD=emulator-demo-password
export HW_AUTH_URL="$url"
# Huawei's Terraform provider has no variable for a service's endpoint: these are this package's.
export HUAWEICLOUD_ORDERS_DIS_ENDPOINT="$url" HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT="$url"
export HUAWEICLOUD_ORDERS_BSS_ENDPOINT="$url"

# The quickstart stack is a demo against this fresh emulator, whose orders vanish when it stops:
# start it anew each run so the preview always has something to show. Only in the project's own
# backend, which local-stacks.sh chose above.
[ "$PULUMI_BACKEND_URL" = "$LOCAL_BACKEND_URL" ] || {
  echo "refusing to remove a stack outside the project's own backend ($PULUMI_BACKEND_URL)" >&2
  exit 1
}
if pulumi stack ls --json 2>/dev/null | grep -q "\"name\": \"$STACK\""; then
  pulumi stack rm "$STACK" --force --yes >/dev/null
fi
pulumi stack init "$STACK" >/dev/null
# Emulator-only settings live in this stack's configuration, never in the program: poll BSS often.
pulumi config set --stack "$STACK" huaweicloud-orders:orderPollIntervalSeconds "$POLL_SECONDS"

step "pulumi preview: each order's price and the total (orders nothing)"
pulumi preview --stack "$STACK" --non-interactive
expect_received "emulator received: 0 orders, 0 payments, 0 unsubscriptions*" \
  "the preview must order, pay and unsubscribe nothing"

step "pulumi up: both orders placed, paid and followed until provisioned"
pulumi up --stack "$STACK" --non-interactive --yes --skip-preview
expect_received "emulator received: 2 orders, 1 payment, 0 unsubscriptions*BSS lists 2 purchased resources" \
  "up must place two orders, pay the DIS one (MetaStudio's pays itself) and see both provisioned"

step "the outputs: each order's status, amount and expiry"
pulumi stack output --stack "$STACK"

step "pulumi refresh: each order read again through BSS (nothing changes)"
pulumi refresh --stack "$STACK" --non-interactive --yes --skip-preview
expect_received "emulator received: 0 orders, 0 payments, 0 unsubscriptions*BSS lists 2 purchased resources" \
  "refresh must only read"

step "pulumi destroy: both unsubscribed (onDestroy: \"unsubscribe\"), waiting until BSS lists nothing"
pulumi destroy --stack "$STACK" --non-interactive --yes --skip-preview
expect_received "emulator received: 0 orders, 0 payments, * unsubscription*BSS lists 0 purchased resources" \
  "destroy must unsubscribe both orders' resources, and BSS list none after it"

step "done in $(($(date +%s) - started)) s"
