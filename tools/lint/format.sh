#!/usr/bin/env bash
# npm run format / format:check: Prettier (.prettierrc.json) over the tree, with tools/lint's copy.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x tools/lint/node_modules/.bin/prettier ] || npm ci --prefix tools/lint --no-audit --no-fund --loglevel=error
exec tools/lint/node_modules/.bin/prettier "$@" src origin relay test scripts
