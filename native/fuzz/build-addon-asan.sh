#!/usr/bin/env bash
# Builds canopy_native.node with AddressSanitizer and UBSan (the sources and defines of
# binding.gyp; -O1 -g), for running the engine's tests against it (docs/native.md "Build and
# debug"). Node itself is not instrumented, so the runtime must be preloaded:
#   bash native/fuzz/build-addon-asan.sh /tmp/asan/canopy_native.node
#   cp build/Release/canopy_native.node /tmp/release.node && cp /tmp/asan/canopy_native.node build/Release/
#   LD_PRELOAD=$(g++ -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0:alloc_dealloc_mismatch=0 \
#     CANOPY_TEST_ENGINE=native npx vitest run --project default test/integration/<file>
# (alloc_dealloc_mismatch=0: node-datachannel's statically linked libstdc++ trips it.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
out="${1:-$root/build/asan/canopy_native.node}"
nodeinc="$(dirname "$(dirname "$(command -v node)")")/include/node"
napi="$(cd "$root" && node -p "require('path').resolve(require('node-addon-api').include_dir)")"
obj="$(mktemp -d)"
mkdir -p "$(dirname "$out")"
for s in addon server tcp icetcp ingest dtls dtls_record srtp stun rtp rtt crc32 twcc probe temporal aead aead_addon; do
  g++ -c -fPIC -pthread -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize=vptr -fno-rtti -std=c++17 \
    -Wall -Wno-deprecated-declarations -DNAPI_VERSION=8 -DNAPI_DISABLE_CPP_EXCEPTIONS -DOPENSSL_API_COMPAT=0x30000000L \
    -DBUILDING_NODE_EXTENSION -I"$nodeinc" -I"$napi" "$here/../src/$s.cc" -o "$obj/$s.o"
done
g++ -shared -pthread -rdynamic -fsanitize=address,undefined "$obj"/*.o -o "$out"
rm -rf "$obj"
echo "$out"
