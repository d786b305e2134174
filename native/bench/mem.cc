// What one viewer's native state costs in heap bytes (issue 19: <= 64 kB per viewer). Runs N
// DTLS handshakes in memory between two DtlsEndpoints per pair (no sockets) and reads glibc's
// bytes in use (mallinfo2) after each stage, so each item's share is a measured difference,
// not an estimate. Usage: bash native/bench/mem.sh [pairs]
#include <malloc.h>
#include <openssl/ssl.h>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <vector>
#include "../src/dtls.h"
#include "../src/server.h"
#include "../src/srtp.h"

using namespace canopy;

namespace {

size_t inUse() { return mallinfo2().uordblks; }

/** One side's outgoing datagrams, delivered by the pump (never from inside OpenSSL's call). */
struct Wire : DatagramSink {
  std::deque<std::vector<uint8_t>> out;
  size_t sent = 0;
  void sendDatagram(const uint8_t* p, size_t n) override {
    out.emplace_back(p, p + n);
    sent++;
  }
};

struct Pair {
  Wire serverWire, clientWire;
  std::unique_ptr<DtlsEndpoint> server, client;
};

void make(Pair& p, const DtlsIdentity& serverId, const DtlsIdentity& clientId) {
  p.server.reset(new DtlsEndpoint(serverId, &p.serverWire));
  p.client.reset(new DtlsEndpoint(clientId, &p.clientWire));
  p.server->expectFingerprint("sha-256", clientId.fingerprint());
  p.client->expectFingerprint("sha-256", serverId.fingerprint());
}

bool pump(Pair& p) {
  for (int round = 0; round < 64; round++) {
    bool moved = false;
    while (!p.serverWire.out.empty()) {
      auto d = std::move(p.serverWire.out.front());
      p.serverWire.out.pop_front();
      p.client->feed(d.data(), d.size());
      moved = true;
    }
    while (!p.clientWire.out.empty()) {
      auto d = std::move(p.clientWire.out.front());
      p.clientWire.out.pop_front();
      p.server->feed(d.data(), d.size());
      moved = true;
    }
    if (!moved) break;
  }
  return p.server->state() == DtlsEndpoint::State::Connected && p.client->state() == DtlsEndpoint::State::Connected;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? size_t(atoi(argv[1])) : 200;
  std::string err;
  DtlsIdentity serverId, clientId;
  if (!serverId.init(err) || !clientId.init(err)) {
    fprintf(stderr, "identity: %s\n", err.c_str());
    return 1;
  }
  std::vector<Pair> pairs(n);
  // Warm-up: OpenSSL's lazily fetched algorithms and tables are process-wide, not per viewer.
  {
    Pair w;
    make(w, serverId, clientId);
    w.client->start(true);
    w.server->start(false);
    if (!pump(w)) fprintf(stderr, "warm-up handshake failed: %s / %s\n", w.server->error().c_str(), w.client->error().c_str());
  }
  printf("sizeof Viewer %zu, Member %zu, Group %zu, SrtpSession %zu; transport-cc records %zu B growing to %zu B\n", sizeof(Viewer),
         sizeof(Member), sizeof(Group), sizeof(SrtpSession), TwccSender::kMinSlots * sizeof(TwccSender::Record),
         TwccSender::kSlots * sizeof(TwccSender::Record));
  size_t base = inUse();
  for (auto& p : pairs) make(p, serverId, clientId);
  size_t created = inUse();
  size_t ok = 0;
  for (auto& p : pairs) {
    p.client->start(true);
    p.server->start(false);
    ok += pump(p) ? 1 : 0;
  }
  size_t shaken = inUse();
  // The server side is what the relay keeps: free the client side to read the server's alone.
  for (auto& p : pairs) p.client.reset();
  size_t serverOnly = inUse();
  size_t perServerCreated = (created - base) / n / 2;  // both sides were created alike
  size_t perServer = serverOnly > base ? (serverOnly - base) / n : 0;
  printf("%zu pairs, %zu handshakes completed\n", n, ok);
  printf("per endpoint after SSL_new: %zu B\n", perServerCreated);
  printf("per pair after the handshake: %zu B\n", (shaken - base) / n);
  printf("per server endpoint (DTLS passive, as the relay) after the handshake: %zu B\n", perServer);
  size_t before = inUse();
  size_t retiredCount = 0;
  for (auto& p : pairs) retiredCount += p.server->retire() ? 1 : 0;
  size_t retired = inUse();
  printf("per server endpoint after retire() (%zu of %zu retired): %zu B (freed %zu B)\n", retiredCount, n, (retired - base) / n,
         (before - retired) / n);

  // SRTP: a viewer has one protecting and one unprotecting session.
  uint8_t key[16] = {1}, salt[14] = {2};
  for (int profile : {int(kAeadAes128Gcm), int(kAesCm128HmacSha1_80)}) {
    size_t s0 = inUse();
    std::vector<std::unique_ptr<SrtpSession>> ss;
    for (size_t i = 0; i < n; i++) {
      ss.emplace_back(new SrtpSession());
      ss.back()->init(profile, key, salt, true);
      ss.emplace_back(new SrtpSession());
      ss.back()->init(profile, key, salt, false, /*withRtp=*/false);  // as the relay's: SRTCP only
    }
    printf("SRTP tx+rx per viewer (%s): %zu B\n", profile == kAeadAes128Gcm ? "GCM" : "AES-CM", (inUse() - s0) / n);
  }
  return 0;
}
