#!/usr/bin/env bash
# Proof that a plugin author can start from `npx create-openclaw-plugin` outside this workspace.
# For each kind (default: channel tool skill provider):
#   1. pack the workspace (pnpm pack: no workspace: ranges may be left in any package.json)
#   2. scaffold into an empty temp folder outside the workspace (--from the tarballs)
#   3. npm install (the @openclaw/* packages from the tarballs, the rest from the npm registry)
#   4. npm test   5. npm run build   6. tsc --noEmit (no skipLibCheck)
#   7. openclaw plugins install <dir> into a fresh state dir (the CLI installed from the tarballs)
#   8. a running gateway uses the plugin (scripts/check-scaffold-drive.mjs)
# Prints the machine time from scaffold to green tests (npm install excluded) per kind.
# Usage: scripts/check-scaffold.sh [kind...]   (SKIP_BUILD=1 to use the dist/ folders as they are;
#        KEEP=1 to keep the temp folder)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KINDS=("$@")
[ ${#KINDS[@]} -eq 0 ] && KINDS=(channel tool skill provider)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/openclaw-check-scaffold-XXXXXX")
case "$WORK" in "$ROOT"*) echo "temp folder $WORK is inside the workspace" >&2; exit 1;; esac
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)
now() { node -e 'process.stdout.write(String(Date.now()))'; }
secs() { node -e "process.stdout.write(((${2}-${1})/1000).toFixed(1))"; }
step() { echo "--- $*"; }

step "1. pack the workspace into $WORK/packs"
if [ "${SKIP_BUILD:-}" != 1 ]; then (cd "$ROOT" && pnpm build >/dev/null); fi
mkdir -p "$WORK/packs"
for pkg in packages/core packages/plugin-sdk packages/cli packages/create-openclaw-plugin plugins/*; do
  (cd "$ROOT/$pkg" && pnpm pack --pack-destination "$WORK/packs" >/dev/null)
done
for tgz in "$WORK"/packs/*.tgz; do
  if tar -xOzf "$tgz" package/package.json | grep -q '"workspace:'; then echo "$(basename "$tgz") still has a workspace: range" >&2; exit 1; fi
done
echo "$(ls "$WORK/packs" | wc -l) tarballs, no workspace: ranges"

step "the host: npm install of every tarball into an empty folder (the openclaw CLI, its plugins, the SDK)"
mkdir -p "$WORK/host" && echo '{ "name": "openclaw-host", "private": true }' > "$WORK/host/package.json"
T0=$(now)
(cd "$WORK/host" && npm install "$WORK"/packs/*.tgz "${NPM_FLAGS[@]}" >/dev/null)
echo "installed in $(secs "$T0" "$(now)") s"
OPENCLAW="$WORK/host/node_modules/@openclaw/cli/dist/bin.js"
CREATE="$WORK/host/node_modules/create-openclaw-plugin/dist/bin.js"
cp "$ROOT/scripts/check-scaffold-drive.mjs" "$WORK/host/"

declare -A GREEN
for kind in "${KINDS[@]}"; do
  dir="$WORK/$kind/openclaw-plugin-demo-$kind"
  mkdir -p "$WORK/$kind"
  step "$kind: 2. scaffold into $dir"
  T_SCAFFOLD=$(now)
  (cd "$WORK/$kind" && node "$CREATE" --kind "$kind" --name "openclaw-plugin-demo-$kind" --dir "$dir" --from "$WORK/packs" --yes >/dev/null)
  T_SCAFFOLDED=$(now)
  step "$kind: 3. npm install"
  T0=$(now)
  (cd "$dir" && npm install "${NPM_FLAGS[@]}" >/dev/null)
  echo "installed in $(secs "$T0" "$(now)") s"
  step "$kind: 4. npm test"
  T_TEST=$(now)
  (cd "$dir" && npm test --silent)
  T_GREEN=$(now)
  GREEN[$kind]=$(node -e "process.stdout.write(((${T_SCAFFOLDED}-${T_SCAFFOLD}+${T_GREEN}-${T_TEST})/1000).toFixed(1))")
  step "$kind: 5. npm run build"
  (cd "$dir" && npm run build --silent >/dev/null)
  step "$kind: 6. tsc --noEmit (no skipLibCheck)"
  if grep -q skipLibCheck "$dir/tsconfig.json"; then echo "tsconfig.json sets skipLibCheck" >&2; exit 1; fi
  (cd "$dir" && npx --no-install tsc --noEmit)
  step "$kind: 7. openclaw plugins install into a fresh state dir"
  state="$WORK/$kind/state"
  mkdir -p "$state"
  OPENCLAW_CONFIG_PATH='' node "$OPENCLAW" plugins install "$dir" --state-dir "$state"
  OPENCLAW_CONFIG_PATH='' node "$OPENCLAW" plugins doctor --state-dir "$state" | tail -n 1
  step "$kind: 8. a running gateway uses it"
  (cd "$WORK/host" && node check-scaffold-drive.mjs "$kind" "$OPENCLAW" "$state" "demo-$kind")
done

echo
echo "Scaffold to green tests (machine time, npm install excluded; target < 30 s):"
for kind in "${KINDS[@]}"; do printf '  %-9s %6s s\n' "$kind" "${GREEN[$kind]}"; done
echo "check-scaffold: ${#KINDS[@]} passed, 0 failed"
