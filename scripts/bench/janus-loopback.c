/*
 * LD_PRELOAD shim for the bench's Janus: Janus 1.1 skips every interface flagged
 * IFF_LOOPBACK when it picks ICE addresses (src/ice.c, "Skip loopback interfaces"), so it
 * could only offer the machine's external addresses. This clears the flag in what
 * getifaddrs() returns, so that with `ice_enforce_list = "127.0.0.1"` Janus gathers on
 * 127.0.0.1 only and all bench traffic stays on loopback.
 *
 * Built by scripts/bench/janus.ts: cc -shared -fPIC -O2 -o janus-loopback.so janus-loopback.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>

int getifaddrs(struct ifaddrs **ifap) {
  static int (*real)(struct ifaddrs **) = 0;
  if (!real) real = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
  int r = real(ifap);
  if (r == 0)
    for (struct ifaddrs *i = *ifap; i; i = i->ifa_next) i->ifa_flags &= ~IFF_LOOPBACK;
  return r;
}
