#!/usr/bin/env bash
# Builds the lifecycle stress (lifecycle.cc) with ThreadSanitizer against the system OpenSSL:
# the data plane's threads started, fed and stopped in the engine's orders, with the bench's
# native sinks as real viewers. Usage: build-lifecycle.sh [out]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../build/native-lifecycle}"
mkdir -p "$(dirname "$out")"
src="$here/../src"
g++ -std=c++17 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -Wall -Wno-deprecated-declarations \
  "$here/lifecycle.cc" "$src/server.cc" "$src/tcp.cc" "$src/icetcp.cc" "$src/ingest.cc" "$src/dtls.cc" "$src/dtls_record.cc" "$src/srtp.cc" "$src/stun.cc" \
  "$src/rtp.cc" "$src/rtt.cc" "$src/crc32.cc" "$src/twcc.cc" "$src/probe.cc" "$src/temporal.cc" "$src/sink.cc" -pthread -lssl -lcrypto -o "$out"
echo "$out"
