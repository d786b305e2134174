{
  "targets": [
    {
      "target_name": "canopy_native",
      "sources": [
        "native/src/addon.cc",
        "native/src/server.cc",
        "native/src/tcp.cc",
        "native/src/icetcp.cc",
        "native/src/ingest.cc",
        "native/src/dtls.cc",
        "native/src/dtls_record.cc",
        "native/src/srtp.cc",
        "native/src/stun.cc",
        "native/src/rtp.cc",
        "native/src/rtt.cc",
        "native/src/crc32.cc",
        "native/src/twcc.cc",
        "native/src/probe.cc",
        "native/src/temporal.cc",
        "native/src/aead.cc",
        "native/src/aead_addon.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "OPENSSL_API_COMPAT=0x30000000L"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O2", "-fno-exceptions", "-Wall", "-Wno-deprecated-declarations"],
      "libraries": []
    },
    {
      "target_name": "canopy_sink",
      "sources": [
        "native/src/sink_addon.cc",
        "native/src/sink.cc",
        "native/src/dtls.cc",
        "native/src/dtls_record.cc",
        "native/src/srtp.cc",
        "native/src/stun.cc",
        "native/src/crc32.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "OPENSSL_API_COMPAT=0x30000000L"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O2", "-fno-exceptions", "-Wall", "-Wno-deprecated-declarations"],
      "libraries": []
    }
  ]
}
