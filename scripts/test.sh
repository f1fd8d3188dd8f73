#!/usr/bin/env bash
# The README's test command: makes sure system packages, npm deps and the build
# are in place, then runs the vitest suites (as root, for loop mounts and tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh
# The realistic test image (Debian 12 minbase + buildah layers), cached outside the repo.
bash scripts/cache-debian-minbase.sh
# erofs-utils 1.9 from Debian's source package (the disk-test matrix, the benchmark's peers), cached outside the repo.
bash scripts/setup-erofs-utils.sh >/dev/null
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The product (dist/: the bins the tests run) and the workshop (dist-dev/: test kit, benchmarks, demo).
npm run build:all --silent
exec npx vitest run "$@"
