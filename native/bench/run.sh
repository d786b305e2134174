#!/usr/bin/env bash
# Builds and runs the floor benchmark (-O2, against the system OpenSSL like the fuzz harness).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../build/native-floor"
mkdir -p "$(dirname "$out")"
g++ -std=c++17 -O2 -Wno-deprecated-declarations "$here/floor.cc" "$here/../src/srtp.cc" "$here/../src/rtp.cc" -lcrypto -o "$out"
"$out" "${1:-200000}" "${2:-0}"
