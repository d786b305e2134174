#!/usr/bin/env bash
# Builds the fuzz harness with AddressSanitizer and UBSan against the system OpenSSL (the
# harness is a test program; the addon itself links nothing and uses Node's OpenSSL).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../build/native-fuzz}"
mkdir -p "$(dirname "$out")"
g++ -std=c++17 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
  -Wall -Wno-deprecated-declarations \
  "$here/fuzz.cc" "$here/../src/stun.cc" "$here/../src/srtp.cc" "$here/../src/rtp.cc" "$here/../src/rtt.cc" "$here/../src/dtls.cc" "$here/../src/dtls_record.cc" "$here/dtls_retire.cc" "$here/temporal.cc" "$here/../src/crc32.cc" "$here/../src/twcc.cc" "$here/../src/probe.cc" "$here/../src/temporal.cc" \
  "$here/../src/server.cc" "$here/../src/tcp.cc" "$here/../src/icetcp.cc" "$here/../src/ingest.cc" -pthread \
  -lssl -lcrypto -o "$out"
echo "$out"
