// Self-checks and fuzz input for a retired DTLS endpoint (native/src/dtls.h retire(),
// dtls_record.h; issue 19): after the handshake the SSL is freed, and what the connection still
// needs must work without it. Pairs of endpoints talk in memory (no sockets):
//  - a retired endpoint's pre-rendered close_notify closes a live peer (both roles);
//  - a live peer's close_notify closes a retired endpoint, a forged one does not;
//  - a server whose last flight was lost sends it again when the client repeats its flight
//    (RFC 6347 §4.2.4), and the client completes;
//  - every AEAD suite of our list (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) is covered.
// Part of the ASan/UBSan harness (fuzz.cc, test/unit/native-fuzz.test.ts).
#include <openssl/ssl.h>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>
#include "../src/dtls.h"

namespace canopy {

namespace {

using Bytes = std::vector<uint8_t>;

struct Wire : DatagramSink {
  std::deque<Bytes> out;
  void sendDatagram(const uint8_t* p, size_t n) override { out.emplace_back(p, p + n); }
};

struct Pair {
  Wire sWire, cWire;  // what the server / the client sent
  std::unique_ptr<DtlsEndpoint> server, client;
  /** Every datagram the client sent, in order (to repeat its last flight). */
  std::vector<Bytes> clientSent;
  Pair(const DtlsIdentity& sId, const DtlsIdentity& cId) {
    server.reset(new DtlsEndpoint(sId, &sWire));
    client.reset(new DtlsEndpoint(cId, &cWire));
    server->expectFingerprint("sha-256", cId.fingerprint());
    client->expectFingerprint("sha-256", sId.fingerprint());
  }
  /** Delivers until quiet; `dropServer`: the server's datagrams are lost. */
  void pump(bool dropServer = false) {
    for (int round = 0; round < 64; round++) {
      bool moved = false;
      while (!sWire.out.empty()) {
        Bytes d = std::move(sWire.out.front());
        sWire.out.pop_front();
        if (!dropServer) client->feed(d.data(), d.size());
        moved = true;
      }
      while (!cWire.out.empty()) {
        Bytes d = std::move(cWire.out.front());
        cWire.out.pop_front();
        clientSent.push_back(d);
        server->feed(d.data(), d.size());
        moved = true;
      }
      if (!moved) return;
    }
  }
  bool connected() const {
    return server->state() == DtlsEndpoint::State::Connected && client->state() == DtlsEndpoint::State::Connected;
  }
};

int gFailures = 0;
#define RCHECK(cond, what)                                         \
  do {                                                             \
    if (!(cond)) {                                                 \
      fprintf(stderr, "dtls retire self-check failed: %s\n", what); \
      gFailures++;                                                 \
    }                                                              \
  } while (0)

void suiteChecks(const DtlsIdentity& sId, const DtlsIdentity& cId, const char* suite) {
  std::string tag = std::string(" (") + suite + ")";
  // 1. The server (our usual role) retires; the client's close_notify closes it.
  {
    Pair p(sId, cId);
    p.client->start(true);
    p.server->start(false);
    p.pump();
    RCHECK(p.connected(), ("handshake" + tag).c_str());
    RCHECK(p.server->retire() && p.server->retired(), ("server retires" + tag).c_str());
    RCHECK(p.server->state() == DtlsEndpoint::State::Connected, ("retired server stays connected" + tag).c_str());
    p.client->shutdown();  // the live SSL's close_notify
    RCHECK(p.cWire.out.size() == 1, ("client sent close_notify" + tag).c_str());
    Bytes alert = p.cWire.out.front();
    p.cWire.out.clear();
    Bytes forged = alert;
    forged[forged.size() - 1] ^= 1;
    p.server->feed(forged.data(), forged.size());
    RCHECK(p.server->state() == DtlsEndpoint::State::Connected, ("a forged alert is ignored" + tag).c_str());
    p.server->feed(alert.data(), alert.size());
    RCHECK(p.server->state() == DtlsEndpoint::State::Closed, ("close_notify closes the retired server" + tag).c_str());
  }
  // 2. The retired server's pre-rendered close_notify closes a live client.
  {
    Pair p(sId, cId);
    p.client->start(true);
    p.server->start(false);
    p.pump();
    RCHECK(p.server->retire(), ("server retires" + tag).c_str());
    p.server->shutdown();
    RCHECK(p.sWire.out.size() == 1, ("retired server sent close_notify" + tag).c_str());
    p.pump();
    RCHECK(p.client->state() == DtlsEndpoint::State::Closed, ("client takes the rendered close_notify" + tag).c_str());
  }
  // 3. The client retires (a=setup:passive offers); the server's close_notify closes it, and its own closes the server.
  {
    Pair p(sId, cId);
    p.client->start(true);
    p.server->start(false);
    p.pump();
    RCHECK(p.client->retire(), ("client retires" + tag).c_str());
    p.client->shutdown();
    p.pump();
    RCHECK(p.server->state() == DtlsEndpoint::State::Closed, ("server takes the retired client's close_notify" + tag).c_str());
    Pair q(sId, cId);
    q.client->start(true);
    q.server->start(false);
    q.pump();
    RCHECK(q.client->retire(), ("client retires" + tag).c_str());
    q.server->shutdown();
    q.pump();
    RCHECK(q.client->state() == DtlsEndpoint::State::Closed, ("the server's close_notify closes a retired client" + tag).c_str());
  }
  // 4. The server's last flight is lost: the client repeats its own, the retired server answers.
  {
    Pair p(sId, cId);
    p.client->start(true);
    p.server->start(false);
    // Deliver until the server completes, losing what it sends in the completing step.
    for (int round = 0; round < 64 && p.server->state() != DtlsEndpoint::State::Connected; round++) {
      while (!p.sWire.out.empty()) {
        Bytes d = std::move(p.sWire.out.front());
        p.sWire.out.pop_front();
        p.client->feed(d.data(), d.size());
      }
      while (!p.cWire.out.empty() && p.server->state() != DtlsEndpoint::State::Connected) {
        Bytes d = std::move(p.cWire.out.front());
        p.cWire.out.pop_front();
        p.clientSent.push_back(d);
        p.server->feed(d.data(), d.size());
      }
    }
    RCHECK(p.server->state() == DtlsEndpoint::State::Connected, ("server completes" + tag).c_str());
    RCHECK(p.client->state() == DtlsEndpoint::State::Handshaking, ("client waits for the lost flight" + tag).c_str());
    p.sWire.out.clear();  // lost
    RCHECK(p.server->retire(), ("server retires" + tag).c_str());
    // The client's last flight: the datagrams after the server's first flight arrived, i.e.
    // from its Certificate on; feeding all it sent again covers that (ClientHellos included).
    for (auto& d : p.clientSent) p.server->feed(d.data(), d.size());
    RCHECK(!p.sWire.out.empty(), ("retired server repeats its last flight" + tag).c_str());
    p.pump();
    RCHECK(p.client->state() == DtlsEndpoint::State::Connected, ("client completes from the repeated flight" + tag).c_str());
  }
}

}  // namespace

int dtlsRetireChecks() {
  std::string err;
  DtlsIdentity sId, cId;
  if (!sId.init(err) || !cId.init(err)) {
    fprintf(stderr, "dtls retire: identity: %s\n", err.c_str());
    return 1;
  }
  suiteChecks(sId, cId, "default");
  for (const char* suite : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    DtlsIdentity c;
    if (!c.init(err) || SSL_CTX_set_cipher_list(c.ctx(), suite) != 1) {
      fprintf(stderr, "dtls retire: suite %s unavailable\n", suite);
      gFailures++;
      continue;
    }
    suiteChecks(sId, c, suite);
  }
  // A CBC suite is not covered: the endpoint keeps its SSL, and still closes on close_notify.
  {
    DtlsIdentity c;
    if (c.init(err) && SSL_CTX_set_cipher_list(c.ctx(), "ECDHE-ECDSA-AES128-SHA") == 1) {
      Pair p(sId, c);
      p.client->start(true);
      p.server->start(false);
      p.pump();
      RCHECK(p.connected(), "CBC handshake");
      RCHECK(!p.server->retire() && !p.server->retired(), "a CBC suite keeps its SSL");
      p.client->shutdown();
      p.pump();
      RCHECK(p.server->state() == DtlsEndpoint::State::Closed, "CBC: close_notify through the SSL");
    }
  }
  return gFailures;
}

/** A retired server endpoint that random and mutated datagrams are fed to (fuzz.cc). */
struct RetiredTarget {
  DtlsIdentity sId, cId;
  std::unique_ptr<Pair> pair;
  Bytes alert, flight;
};

static RetiredTarget* gTarget = nullptr;

void dtlsRetiredFuzz(std::mt19937_64& rng, const std::vector<uint8_t>& random) {
  if (!gTarget) {
    gTarget = new RetiredTarget();
    std::string err;
    gTarget->sId.init(err);
    gTarget->cId.init(err);
  }
  RetiredTarget& t = *gTarget;
  if (!t.pair || t.pair->server->state() != DtlsEndpoint::State::Connected) {
    t.pair.reset(new Pair(t.sId, t.cId));
    t.pair->client->start(true);
    t.pair->server->start(false);
    t.pair->pump();
    t.pair->server->retire();
    if (!t.pair->clientSent.empty()) t.flight = t.pair->clientSent.back();
  }
  Pair& p = *t.pair;
  Bytes in;
  switch (rng() % 3) {
    case 0:
      in = random;
      break;
    case 1: {  // a record header that frames, with a random body: alerts and handshakes of any epoch
      size_t len = rng() % 80;
      in.assign(13 + len, 0);
      in[0] = uint8_t(20 + rng() % 4);
      in[1] = 0xfe;
      in[2] = 0xfd;
      in[3] = 0;
      in[4] = uint8_t(rng() % 3);
      in[11] = uint8_t(len >> 8);
      in[12] = uint8_t(len);
      for (size_t i = 13; i < in.size(); i++) in[i] = uint8_t(rng());
      break;
    }
    default:  // the client's last datagram again, bit-flipped
      in = t.flight;
      if (!in.empty()) in[rng() % in.size()] ^= uint8_t(1 + rng() % 255);
      break;
  }
  p.server->feed(in.data(), in.size());
  p.sWire.out.clear();
}

}  // namespace canopy
