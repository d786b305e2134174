#!/usr/bin/env bash
# npm run lint: installs the lint tools on first use (tools/lint/package-lock.json), then lints
# the whole tree: typescript-eslint's recommended rules and Canopy's import layering (layers.js).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x tools/lint/node_modules/.bin/eslint ] || npm ci --prefix tools/lint --no-audit --no-fund --loglevel=error
# Formatting is part of lint: a file Prettier would change fails here (npm run format fixes it).
tools/lint/node_modules/.bin/prettier --check --log-level warn src origin relay test scripts
exec tools/lint/node_modules/.bin/eslint -c tools/lint/eslint.config.js --max-warnings 0 --cache --cache-location node_modules/.cache/eslint/ "$@" .
