#!/usr/bin/env bash
# Generates src/gen/<name>.{js,d.ts} from proto/<name>.proto (protobufjs static modules).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p src/gen
for name in link discovery; do
  # Each file gets its own protobufjs root: both use the "canopy" namespace.
  npx pbjs -t static-module -w es6 --root "$name" --no-verify --no-delimited --force-number \
    -o "src/gen/$name.js" "proto/$name.proto"
  # protobufjs/minimal has no ESM entry: import it with its file extension.
  sed -i 's#from "protobufjs/minimal"#from "protobufjs/minimal.js"#' "src/gen/$name.js"
  npx pbts -o "src/gen/$name.d.ts" "src/gen/$name.js"
done
