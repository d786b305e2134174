#!/usr/bin/env bash
# Generates src/gen/link.{js,d.ts} from proto/link.proto (protobufjs static module).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p src/gen
npx pbjs -t static-module -w es6 --no-verify --no-delimited --no-beautify --force-number \
  -o src/gen/link.js proto/link.proto
# protobufjs/minimal has no ESM entry: import it with its file extension.
sed -i 's#from "protobufjs/minimal"#from "protobufjs/minimal.js"#' src/gen/link.js
npx pbts -o src/gen/link.d.ts src/gen/link.js
