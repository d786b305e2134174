#!/usr/bin/env bash
# Builds and runs the per-viewer native memory probe (against the system OpenSSL, like the floor bench).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../build/native-mem"
mkdir -p "$(dirname "$out")"
g++ -std=c++17 -O1 -Wno-deprecated-declarations "$here/mem.cc" "$here/../src/dtls.cc" "$here/../src/dtls_record.cc" "$here/../src/srtp.cc" "$here/../src/crc32.cc" -lssl -lcrypto -o "$out"
"$out" "${1:-200}"
