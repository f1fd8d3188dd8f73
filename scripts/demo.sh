#!/usr/bin/env bash
# The README's first quick-start command: the main job end to end (scripts/demo.ts).
# On a fresh Debian 12 machine, as root: installs what is missing, builds, then runs
# the demo, which cleans up its own processes, mounts and temp dirs (also on Ctrl-C).
# Options: --synthetic (no Debian mirror needed), --dir DIR (keep the store), --summary FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js 20+ is the one prerequisite: Debian 12's own nodejs is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
  echo "demo: Node.js 20 or newer with npm is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "      Debian 12 ships Node 18; install 20 from https://nodejs.org or the NodeSource apt repository." >&2
  exit 1
fi
bash scripts/setup-system.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Build the product (dist/) and the workshop (dist-dev/) when either is missing or older than a source.
stale() { [ ! -f "$1" ] || [ -n "$(find agent host proto scripts testkit -newer "$1" \( -name '*.ts' -o -name '*.mjs' \) ! -name '*.test.ts' -print -quit)" ]; }
if stale dist/host/cli.js || stale dist-dev/scripts/demo.js; then
  npm run build:all --silent
fi
exec node dist-dev/scripts/demo.js "$@"
