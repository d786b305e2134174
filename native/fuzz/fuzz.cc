// Fuzz and self-check harness for the native data plane's parsers, built standalone with
// g++ -fsanitize=address,undefined (see build.sh; test/unit/native-fuzz.test.ts runs it).
// It feeds random and mutated input to: STUN (parse, integrity, response), DTLS record
// framing, RTP (rewrite, RTX wrap), RTCP (compound parser), SRTP/SRTCP unprotect (both
// profiles), transport-cc feedback (twcc.h), VP8/VP9 temporal layer descriptors, AV1 OBU walks and a member's
// temporal filter (temporal.cc), the SDP values JS hands down, and ICE-TCP's RFC 4571
// framing (streams cut at random points; a connection's bounded send queue over a socketpair). Before fuzzing it checks known answers
// (RFC 3711 B.3 key derivation) and protect/unprotect round trips, so a broken crypto path
// fails the run rather than only a crash would.
#include <netinet/in.h>

#include <map>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "../src/dtls.h"
#include "../src/rtp.h"
#include "../src/rtt.h"
#include "../src/srtp.h"
#include "../src/stun.h"
#include "../src/framing.h"
#include "../src/server.h"
#include "../src/tcp.h"
#include "../src/twcc.h"
#include "../src/validate.h"

using namespace canopy;
using Bytes = std::vector<uint8_t>;

namespace canopy {
// dtls_retire.cc: a retired DTLS endpoint (dtls.h retire()).
int dtlsRetireChecks();
void dtlsRetiredFuzz(std::mt19937_64& rng, const std::vector<uint8_t>& random);
// temporal.cc: the temporal layer filter (temporal.h, skips.h, RtpRewriter::skip).
int temporalChecks();
void temporalFuzz(std::mt19937_64& rng, const std::vector<uint8_t>& random);
}  // namespace canopy

static std::mt19937_64 rng;
static int failures = 0;

#define CHECK(cond, what)                              \
  do {                                                 \
    if (!(cond)) {                                     \
      fprintf(stderr, "self-check failed: %s\n", what); \
      failures++;                                      \
    }                                                  \
  } while (0)

static Bytes hex(const char* h) {
  Bytes b;
  for (size_t i = 0; h[i] && h[i + 1]; i += 2) b.push_back(uint8_t(std::stoi(std::string(h + i, 2), nullptr, 16)));
  return b;
}

static Bytes randomBytes(size_t n) {
  Bytes b(n);
  for (auto& x : b) x = uint8_t(rng());
  return b;
}

/** Flips bits, overwrites, truncates, extends or splices a valid seed. */
static Bytes mutate(Bytes b) {
  int rounds = 1 + int(rng() % 4);
  for (int r = 0; r < rounds; r++) {
    switch (rng() % 6) {
      case 0:
        if (!b.empty()) b[rng() % b.size()] ^= uint8_t(1 << (rng() % 8));
        break;
      case 1:
        if (!b.empty()) b[rng() % b.size()] = uint8_t(rng());
        break;
      case 2:
        if (!b.empty()) b.resize(rng() % b.size());
        break;
      case 3: {
        Bytes extra = randomBytes(rng() % 64);
        b.insert(b.end(), extra.begin(), extra.end());
        break;
      }
      case 4:
        // Interesting values in length fields.
        if (b.size() >= 4) {
          size_t at = rng() % (b.size() - 1);
          static const uint16_t v[] = {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff};
          wr16(b.data() + at, v[rng() % 9]);
        }
        break;
      default:
        if (b.size() > 8) {
          size_t a = rng() % b.size(), n = rng() % (b.size() - a);
          b.insert(b.begin() + long(rng() % b.size()), b.begin() + long(a), b.begin() + long(a + n));
        }
    }
  }
  if (b.size() > 2048) b.resize(2048);
  return b;
}

// ---- seeds ----

static Bytes stunSeed(const std::string& user, const std::string& pwd) {
  // A Binding request with USERNAME, PRIORITY, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT,
  // built with the response writer's helpers: write a response, then patch it into a request.
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(5000);
  a.sin_addr.s_addr = htonl(0x7f000001);
  uint8_t txid[12];
  for (auto& x : txid) x = uint8_t(rng());
  Bytes m(20);
  wr16(m.data(), 0x0001);
  wr32(m.data() + 4, kStunMagic);
  memcpy(m.data() + 8, txid, 12);
  auto attr = [&](uint16_t t, const uint8_t* v, size_t n) {
    size_t at = m.size();
    m.resize(at + 4 + ((n + 3) & ~size_t(3)));
    wr16(m.data() + at, t);
    wr16(m.data() + at + 2, uint16_t(n));
    if (n) memcpy(m.data() + at + 4, v, n);
  };
  attr(0x0006, reinterpret_cast<const uint8_t*>(user.data()), user.size());
  uint8_t prio[4] = {0x6e, 0, 0x1e, 0xff};
  attr(0x0024, prio, 4);
  attr(0x0025, nullptr, 0);
  // Integrity and fingerprint: reuse the response writer on a copy, then take its tail.
  uint8_t resp[256];
  size_t rl = stunWriteResponse(resp, txid, reinterpret_cast<sockaddr*>(&a), pwd);
  (void)rl;
  // Compute MI over our request as the writer does: length covers MI.
  Bytes head = m;
  wr16(head.data() + 2, uint16_t(m.size() + 24 - 20));
  StunRequest dummy;
  (void)dummy;
  m.resize(m.size() + 24);
  wr16(m.data() + 2, uint16_t(m.size() - 20));
  wr16(m.data() + m.size() - 24, 0x0008);
  wr16(m.data() + m.size() - 22, 20);
  // Fill the HMAC by letting the checker's inverse run: compute with OpenSSL through a parse.
  {
    StunRequest r;
    stunParse(m.data(), m.size(), r);
    // Brute: compute expected MAC by calling stunCheckIntegrity on candidates is impossible;
    // use the writer's primitive instead via a response with identical prefix: not available,
    // so fall back to OpenSSL directly.
  }
  return m;
}

#include <openssl/evp.h>
#include <openssl/hmac.h>
static void signStun(Bytes& m, const std::string& pwd) {
  // m ends with a MESSAGE-INTEGRITY attribute placeholder: fill it, then add FINGERPRINT.
  size_t mi = m.size() - 24;
  wr16(m.data() + 2, uint16_t(m.size() - 20));
  unsigned int l = 0;
  HMAC(EVP_sha1(), pwd.data(), int(pwd.size()), m.data(), mi, m.data() + mi + 4, &l);
  m.resize(m.size() + 8);
  wr16(m.data() + 2, uint16_t(m.size() - 20));
  wr16(m.data() + m.size() - 8, 0x8028);
  wr16(m.data() + m.size() - 6, 4);
  wr32(m.data() + m.size() - 4, crc32(m.data(), m.size() - 8) ^ 0x5354554e);
}

static Bytes rtpSeed(size_t payload, bool ext) {
  Bytes b(12 + (ext ? 8 : 0) + payload);
  b[0] = uint8_t(0x80 | (ext ? 0x10 : 0));
  b[1] = 96;
  wr16(b.data() + 2, uint16_t(rng()));
  wr32(b.data() + 4, uint32_t(rng()));
  wr32(b.data() + 8, uint32_t(rng()));
  if (ext) {
    wr16(b.data() + 12, 0xbede);
    wr16(b.data() + 14, 1);
  }
  for (size_t i = 12 + (ext ? 8 : 0); i < b.size(); i++) b[i] = uint8_t(rng());
  return b;
}

static Bytes rtcpSeed() {
  Bytes b;
  // RR with one block, a NACK, a PLI, a FIR.
  Bytes rr(32, 0);
  rr[0] = 0x81;
  rr[1] = 201;
  wr16(rr.data() + 2, 7);
  Bytes nack(16, 0);
  nack[0] = 0x81;
  nack[1] = 205;
  wr16(nack.data() + 2, 3);
  wr32(nack.data() + 8, 1234);
  wr16(nack.data() + 12, 100);
  wr16(nack.data() + 14, 0xffff);
  Bytes pli(12, 0);
  pli[0] = 0x81;
  pli[1] = 206;
  wr16(pli.data() + 2, 2);
  Bytes fir(20, 0);
  fir[0] = 0x84;
  fir[1] = 206;
  wr16(fir.data() + 2, 4);
  for (auto* p : {&rr, &nack, &pli, &fir}) b.insert(b.end(), p->begin(), p->end());
  return b;
}

/** A transport-cc feedback (draft-holmer §3.1) for seqs base.., one run of received, one 2-bit vector, deltas. */
static Bytes twccSeed(uint16_t base) {
  Bytes b(20, 0);
  b[0] = 0x8f;  // FMT 15
  b[1] = 205;
  wr16(b.data() + 12, base);
  wr16(b.data() + 14, 17);  // 10 in the run, 7 in the vector
  b[16] = 0; b[17] = 0; b[18] = 1;  // reference time 1 (64 ms)
  b[19] = 3;                         // feedback packet count
  Bytes chunks = {0x20, 10,          // run length chunk: symbol 1 (small delta), run 10
                  0xC0 | (1 << 4) | (2 << 2), uint8_t((0 << 6) | (1 << 4) | (1 << 2) | 1)};  // 2-bit vector: 1,2,0,0,1,1,1
  b.insert(b.end(), chunks.begin(), chunks.end());
  for (int i = 0; i < 10; i++) b.push_back(4);  // 1 ms each
  b.push_back(4);                               // vector: small
  b.push_back(0xff); b.push_back(0xfc);         // large, negative (-1 ms)
  for (int i = 0; i < 4; i++) b.push_back(8);   // small, 2 ms
  while (b.size() % 4) b.push_back(0);
  wr16(b.data() + 2, uint16_t(b.size() / 4 - 1));
  return b;
}

static Bytes dtlsSeed() {
  Bytes b(13 + 40);
  b[0] = 22;
  b[1] = 0xfe;
  b[2] = 0xfd;
  wr16(b.data() + 11, 40);
  return b;
}

// ---- self-checks ----

static void selfChecks() {
  // RFC 3711 Appendix B.3.
  Bytes key = hex("E1F97A0D3E018BE0D64FA32C06DE4139"), salt = hex("0EC675AD498AFEEBB6960B3AABE6");
  uint8_t out[20];
  srtpDeriveKey(key.data(), salt.data(), 0, out, 16);
  CHECK(memcmp(out, hex("C61E7A93744F39EE10734AFE3FF7A087").data(), 16) == 0, "RFC 3711 B.3 cipher key");
  srtpDeriveKey(key.data(), salt.data(), 2, out, 14);
  CHECK(memcmp(out, hex("30CBBC08863D8C85D49DB34A9AE1").data(), 14) == 0, "RFC 3711 B.3 cipher salt");
  srtpDeriveKey(key.data(), salt.data(), 1, out, 20);
  CHECK(memcmp(out, hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4").data(), 20) == 0, "RFC 3711 B.3 auth key");

  for (int profile : {int(kAesCm128HmacSha1_80), int(kAeadAes128Gcm)}) {
    // An SRTCP-only session (a relay's unprotecting one: viewers send no media) refuses RTP
    // and still opens SRTCP.
    Bytes k = randomBytes(16), sl = randomBytes(14);
    SrtpSession txc, rxc;
    CHECK(txc.init(profile, k.data(), sl.data(), true) && rxc.init(profile, k.data(), sl.data(), false, false), "SRTCP-only init");
    Bytes rr = rtcpSeed();
    Bytes rb(rr.size() + kSrtpMaxTrailer);
    memcpy(rb.data(), rr.data(), rr.size());
    size_t rn = txc.protectRtcp(rb.data(), rr.size(), rb.size());
    CHECK(rn > rr.size() && rxc.unprotectRtcp(rb.data(), rn) == rr.size(), "SRTCP-only session opens SRTCP");
    Bytes rp = rtpSeed(100, false);
    Bytes pb(rp.size() + kSrtpMaxTrailer);
    memcpy(pb.data(), rp.data(), rp.size());
    size_t pn = txc.protectRtp(pb.data(), rp.size(), pb.size());
    CHECK(pn > 0 && rxc.unprotectRtp(pb.data(), pn) == 0, "SRTCP-only session refuses RTP");
  }
  {
    // AEAD_AES_128_GCM through the provider's functions (the default) and through EVP give the
    // same bytes, and each opens what the other sealed (SRTP and SRTCP).
    Bytes mk = randomBytes(16), ms = randomBytes(12);
    SrtpSession fastTx, fastRx, evpTx, evpRx;
    CHECK(fastTx.init(kAeadAes128Gcm, mk.data(), ms.data(), true) && fastRx.init(kAeadAes128Gcm, mk.data(), ms.data(), false), "GCM provider init");
    srtpUseProviderGcm(false);
    CHECK(evpTx.init(kAeadAes128Gcm, mk.data(), ms.data(), true) && evpRx.init(kAeadAes128Gcm, mk.data(), ms.data(), false), "GCM EVP init");
    srtpUseProviderGcm(true);
    for (int i = 0; i < 200; i++) {
      Bytes p = rtpSeed(rng() % 1200, i % 3 == 0);
      wr16(p.data() + 2, uint16_t(65500 + i));  // crosses a ROC wrap
      wr32(p.data() + 8, 7);
      Bytes a(p.size() + kSrtpMaxTrailer), b(p.size() + kSrtpMaxTrailer);
      memcpy(a.data(), p.data(), p.size());
      memcpy(b.data(), p.data(), p.size());
      size_t na = fastTx.protectRtp(a.data(), p.size(), a.size()), nb = evpTx.protectRtp(b.data(), p.size(), b.size());
      CHECK(na > p.size() && na == nb && memcmp(a.data(), b.data(), na) == 0, "GCM provider and EVP seal alike");
      CHECK(evpRx.unprotectRtp(a.data(), na) == p.size() && memcmp(a.data(), p.data(), p.size()) == 0, "EVP opens the provider's SRTP");
      CHECK(fastRx.unprotectRtp(b.data(), nb) == p.size() && memcmp(b.data(), p.data(), p.size()) == 0, "the provider opens EVP's SRTP");
      Bytes r = rtcpSeed();
      wr32(r.data() + 4, 7);
      Bytes ra(r.size() + kSrtpMaxTrailer), rb(r.size() + kSrtpMaxTrailer);
      memcpy(ra.data(), r.data(), r.size());
      memcpy(rb.data(), r.data(), r.size());
      size_t ma = fastTx.protectRtcp(ra.data(), r.size(), ra.size()), mb = evpTx.protectRtcp(rb.data(), r.size(), rb.size());
      CHECK(ma > r.size() && ma == mb && memcmp(ra.data(), rb.data(), ma) == 0, "GCM provider and EVP seal SRTCP alike");
      Bytes tampered(ra.begin(), ra.begin() + long(ma));
      tampered[ma - 1] ^= 1;
      CHECK(fastRx.unprotectRtcp(tampered.data(), tampered.size()) == 0, "the provider refuses a bad SRTCP tag");
      CHECK(fastRx.unprotectRtcp(rb.data(), mb) == r.size() && evpRx.unprotectRtcp(ra.data(), ma) == r.size(), "each opens the other's SRTCP");
    }
  }
  for (int profile : {int(kAesCm128HmacSha1_80), int(kAeadAes128Gcm)}) {
    Bytes mk = randomBytes(16), ms = randomBytes(14);
    SrtpSession tx, rx;
    CHECK(tx.init(profile, mk.data(), ms.data(), true) && rx.init(profile, mk.data(), ms.data(), false), "SRTP init");
    for (int i = 0; i < 300; i++) {
      Bytes p = rtpSeed(rng() % 1100, i % 3 == 0);
      wr16(p.data() + 2, uint16_t(65400 + i));  // crosses a ROC wrap
      wr32(p.data() + 8, 42);
      Bytes buf(p.size() + kSrtpMaxTrailer);
      memcpy(buf.data(), p.data(), p.size());
      size_t n = tx.protectRtp(buf.data(), p.size(), buf.size());
      CHECK(n > p.size(), "SRTP protect");
      Bytes copy(buf.begin(), buf.begin() + long(n));
      size_t m = rx.unprotectRtp(buf.data(), n);
      CHECK(m == p.size() && memcmp(buf.data(), p.data(), m) == 0, "SRTP round trip");
      CHECK(rx.unprotectRtp(copy.data(), copy.size()) == 0 && strcmp(rx.lastError(), "replay") == 0, "SRTP replay rejected");
      Bytes r = rtcpSeed();
      wr32(r.data() + 4, 42);
      Bytes rb(r.size() + kSrtpMaxTrailer);
      memcpy(rb.data(), r.data(), r.size());
      size_t rn = tx.protectRtcp(rb.data(), r.size(), rb.size());
      Bytes tampered(rb.begin(), rb.begin() + long(rn));
      tampered[10] ^= 1;
      CHECK(rx.unprotectRtcp(tampered.data(), tampered.size()) == 0, "SRTCP tamper rejected");
      CHECK(rx.unprotectRtcp(rb.data(), rn) == r.size() && memcmp(rb.data(), r.data(), r.size()) == 0, "SRTCP round trip");
    }
  }

  // STUN: a signed request verifies; its response parses as a success with integrity.
  std::string pwd = "abcdefghijklmnopqrstuvwx";
  Bytes m = stunSeed("ufr1:ufr2", pwd);
  signStun(m, pwd);
  StunRequest r;
  CHECK(stunParse(m.data(), m.size(), r) && r.type == 1 && r.useCandidate && r.fingerprintOk, "STUN parse");
  CHECK(stunLocalUfrag(r) == "ufr1", "STUN local ufrag");
  CHECK(stunCheckIntegrity(m.data(), m.size(), r, pwd), "STUN integrity");
  CHECK(!stunCheckIntegrity(m.data(), m.size(), r, pwd + "x"), "STUN wrong password rejected");

  // RTP rewrite continuity across a source change, and RTX wrapping.
  RtpRewriter rw;
  rw.ssrc = 7;
  rw.payloadType = 100;
  uint8_t o[kMaxRtp + 2];
  Bytes a = rtpSeed(100, true);
  wr16(a.data() + 2, 500);
  size_t n = rw.rewrite(a.data(), a.size(), o, 1000);
  CHECK(n == a.size() - 8 && rd32(o + 8) == 7 && (o[1] & 0x7f) == 100 && !(o[0] & 0x10), "RTP rewrite");
  uint16_t first = rd16(o + 2);
  CHECK(rw.mapBack(first) == 500, "RTP mapBack");
  Bytes b = rtpSeed(100, false);
  wr32(b.data() + 8, rd32(a.data() + 8) + 1);
  rw.rewrite(b.data(), b.size(), o, 1020);
  CHECK(rd16(o + 2) == uint16_t(first + 1), "RTP continuity across sources");
  {
    // A late repair from before the receiver's first packet of a source is not sent; one after it is.
    RtpRewriter lr;
    uint8_t lo[kMaxRtp + 2];
    Bytes p = rtpSeed(100, false);
    wr16(p.data() + 2, 1000);
    CHECK(lr.rewrite(p.data(), p.size(), lo, 0) > 0, "first packet sent");
    wr16(p.data() + 2, 1002);
    CHECK(lr.rewrite(p.data(), p.size(), lo, 1) > 0, "next packet sent");
    wr16(p.data() + 2, 999);
    CHECK(lr.rewrite(p.data(), p.size(), lo, 2) == 0, "late packet from before the first not sent");
    wr16(p.data() + 2, 1001);
    CHECK(lr.rewrite(p.data(), p.size(), lo, 3) > 0, "late packet after the first sent");
  }
  uint8_t rtx[kMaxRtp + 4];
  size_t x = wrapRtx(o, n, 9, 101, 3, rtx);
  CHECK(x == n + 2 && rd32(rtx + 8) == 9 && rd16(rtx + 12) == first + 1 && rd16(rtx + 2) == 3, "RTX wrap");

  {
    // transport-cc: stamping adds the one-byte extension; feedback matches the records.
    TwccSender tw;
    tw.enable(5);
    uint8_t pkt[kMaxRtp + 64];
    for (int i = 0; i < 20; i++) {
      Bytes r = rtpSeed(100, false);
      memcpy(pkt, r.data(), r.size());
      size_t n = tw.stamp(pkt, r.size(), sizeof pkt, 1000.0 + i);
      CHECK(n == r.size() + kTwccExtBytes && (pkt[0] & 0x10) && pkt[12] == 0xBE && pkt[16] == 0x51 && rd16(pkt + 17) == i, "twcc stamp");
      CHECK(rtpHeaderEnd(pkt, n) == 20, "twcc stamped header length");
      tw.sized(n + 10);
    }
    Bytes fb = twccSeed(0);
    std::vector<TwccFeedback> fbs;
    CHECK(scanTwcc(fb.data(), fb.size(), fbs) == 1 && fbs[0].packets.size() == 17, "twcc parse count");
    if (fbs.size() == 1 && fbs[0].packets.size() == 17) {
      auto& p = fbs[0].packets;
      CHECK(p[0].received && p[0].arrivalUs == 64000 + 1000 && p[9].arrivalUs == 64000 + 10000, "twcc run deltas");
      CHECK(p[10].received && p[10].arrivalUs == 64000 + 11000 && p[11].received && p[11].arrivalUs == 64000 + 10000, "twcc vector deltas");
      CHECK(!p[12].received && !p[13].received && p[14].received && p[16].arrivalUs == 64000 + 16000, "twcc vector statuses");
    }
    std::vector<double> d;
    if (!fbs.empty()) tw.match(fbs[0], d);
    CHECK(d.size() == 17 * 4 && d[0] == 0 && d[1] == 1000 && d[2] == 100 + 12 + 8 + 10 && d[3] == 65, "twcc match");
    std::vector<double> again;
    if (!fbs.empty()) tw.match(fbs[0], again);
    CHECK(again.empty(), "twcc reported once");
  }
  {
    // A lap of the send records: feedback about packets a lap old matches nothing (their slots
    // now hold newer packets); feedback about the newest lap matches every one of them.
    TwccSender tw;
    tw.enable(5);
    uint8_t pkt[kMaxRtp + 64];
    for (size_t i = 0; i < TwccSender::kSlots + 20; i++) {
      Bytes r = rtpSeed(100, false);
      memcpy(pkt, r.data(), r.size());
      tw.stamp(pkt, r.size(), sizeof pkt, 1000.0 + double(i));
    }
    std::vector<TwccFeedback> old, fresh;
    Bytes a = twccSeed(0), b = twccSeed(uint16_t(TwccSender::kSlots));
    scanTwcc(a.data(), a.size(), old);
    scanTwcc(b.data(), b.size(), fresh);
    std::vector<double> d;
    if (!old.empty()) tw.match(old[0], d);
    CHECK(d.empty(), "twcc: feedback a lap old matches no record");
    if (!fresh.empty()) tw.match(fresh[0], d);
    CHECK(d.size() == 17 * 4 && d[0] == double(TwccSender::kSlots) && d[1] == 1000.0 + double(TwccSender::kSlots), "twcc: the newest lap matches");
    CHECK(tw.slots == TwccSender::kSlots, "twcc: 1,000 packets/s grow the ring to its largest");
  }
  {
    // At a 600 kbit/s stream's rate (10 ms apart: 2 s is 200 packets) the ring keeps its
    // smallest size across several laps, and the newest packets still match.
    TwccSender tw;
    tw.enable(5);
    uint8_t pkt[kMaxRtp + 64];
    const size_t count = 4 * TwccSender::kMinSlots + 3;
    for (size_t i = 0; i < count; i++) {
      Bytes r = rtpSeed(100, false);
      memcpy(pkt, r.data(), r.size());
      tw.stamp(pkt, r.size(), sizeof pkt, 1000.0 + 10.0 * double(i));
    }
    CHECK(tw.slots == TwccSender::kMinSlots, "twcc: a slow stream keeps the smallest ring");
    std::vector<TwccFeedback> fresh;
    Bytes b = twccSeed(uint16_t(count - 17));
    scanTwcc(b.data(), b.size(), fresh);
    std::vector<double> d;
    if (!fresh.empty()) tw.match(fresh[0], d);
    CHECK(d.size() == 17 * 4 && d[0] == double(count - 17) && d[1] == 1000.0 + 10.0 * double(count - 17), "twcc: the newest packets match in the small ring");
    // Then 2 ms apart (500 packets/s): 2 s no longer fits in 256, so it grows, and what was
    // sent before the growth still matches.
    size_t before = count;
    for (size_t i = 0; i < 300; i++) {
      Bytes r = rtpSeed(100, false);
      memcpy(pkt, r.data(), r.size());
      tw.stamp(pkt, r.size(), sizeof pkt, 1000.0 + 10.0 * double(count) + 2.0 * double(i));
    }
    CHECK(tw.slots > TwccSender::kMinSlots, "twcc: a faster stream grows the ring");
    std::vector<TwccFeedback> mid;
    Bytes c = twccSeed(uint16_t(before + 100));
    scanTwcc(c.data(), c.size(), mid);
    d.clear();
    if (!mid.empty()) tw.match(mid[0], d);
    CHECK(d.size() == 17 * 4 && d[0] == double(before + 100), "twcc: records survive the growth");
  }
  CHECK(iceToken("abcd", 4, 256) && !iceToken("ab:d", 4, 256) && !iceToken("abc", 4, 256), "ICE token check");
  CHECK(fingerprintHex("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01") && !fingerprintHex("AB:CD"), "fingerprint check");
  {  // RTT from receiver reports (rtt.h, RFC 3550 §6.4.1)
    RttEstimator e;
    CHECK(e.guardMs() == 10, "RTT guard before any sample is 10 ms");
    e.onSenderReport(0x12345678, 1000);
    CHECK(!e.onReport(0, 0, 1100), "LSR 0 gives no sample");
    CHECK(!e.onReport(0x11111111, 0, 1100), "an LSR we never sent gives no sample");
    // Held 50 ms (50/1000 * 65536 = 3276.8), back 130 ms after sending: RTT 80 ms.
    CHECK(e.onReport(0x12345678, 3277, 1130) && e.rttMs() > 79.9 && e.rttMs() < 80.1, "RTT = A - sent - DLSR");
    CHECK(e.guardMs() > 79.9 && e.guardMs() < 80.1, "guard is one RTT");
    e.onSenderReport(0x22222222, 2000);
    CHECK(e.onReport(0x22222222, 0, 4000), "a 2 s sample is taken");
    CHECK(e.rttMs() > 80 && e.rttMs() < 2000, "RTT is smoothed");
    for (int i = 0; i < 60; i++) e.onReport(0x22222222, 0, 4000);
    CHECK(e.guardMs() == 500, "guard clamped to 500 ms");
    CHECK(!e.onReport(0x22222222, 0, 2000 + 20000), "an implausible sample (20 s) is ignored");
    RttEstimator f;
    f.onSenderReport(0x1, 1000);
    CHECK(f.onReport(0x1, 0xffffffff, 1001) && f.guardMs() == 10, "a DLSR longer than the wait clamps to the floor");
  }
}

// ---- ICE-TCP framing (RFC 4571) ----

/** A stream of frames of the given sizes, frame i filled with byte i. */
static Bytes framedStream(const std::vector<size_t>& sizes) {
  Bytes s;
  for (size_t i = 0; i < sizes.size(); i++) {
    uint8_t h[2];
    writeFrameHeader(h, sizes[i]);
    s.insert(s.end(), h, h + 2);
    s.insert(s.end(), sizes[i], uint8_t(i));
  }
  return s;
}

/** Feeds `s` in random chunks; the frames seen, or false on a framing error. */
static bool readFrames(FrameReader& r, const Bytes& s, std::vector<Bytes>& frames) {
  size_t at = 0;
  while (at < s.size()) {
    size_t take = 1 + size_t(rng() % 3000);
    if (take > s.size() - at) take = s.size() - at;
    bool ok = r.feed(s.data() + at, take, [&](uint8_t* p, size_t n) {
      if (n == 0 || n > FrameReader::kMaxFrame) failures++;
      frames.emplace_back(p, p + n);
    });
    if (!ok) return false;
    at += take;
  }
  return true;
}

static void framingChecks() {
  std::vector<size_t> sizes = {20, 1, 0, 1200, FrameReader::kMaxFrame, 3, 700};
  Bytes s = framedStream(sizes);
  for (int round = 0; round < 50; round++) {
    FrameReader r;
    std::vector<Bytes> frames;
    CHECK(readFrames(r, s, frames), "framing: a valid stream reads");
    bool same = frames.size() == sizes.size() - 1 && r.buffered() == 0;  // the empty frame is skipped
    for (size_t i = 0, j = 0; same && i < sizes.size(); i++) {
      if (!sizes[i]) continue;
      same = frames[j].size() == sizes[i] && frames[j][0] == uint8_t(i) && frames[j].back() == uint8_t(i);
      j++;
    }
    CHECK(same, "framing: frames come out whole, in order, wherever the stream is cut");
  }
  FrameReader r;
  std::vector<Bytes> frames;
  CHECK(!readFrames(r, framedStream({FrameReader::kMaxFrame + 1}), frames) && frames.empty(), "framing: an oversized frame is refused");

  // The send queue is bounded: a peer that never reads costs kMaxPending, and frames past it
  // are dropped whole (counted), so what it finally reads is still a valid framed stream.
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
  int small = 16384;
  setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  Counters counters;
  {
    TcpConn c;
    c.init(1, sv[0], -1, &counters);
    Bytes pkt(1000);
    size_t sent = 0;
    for (int i = 0; i < 2000; i++) {
      pkt[0] = uint8_t(i);
      if (c.send(pkt.data(), pkt.size())) sent++;
      CHECK(c.pending() <= TcpConn::kMaxPending, "tcp: the queue stays under its bound");
    }
    CHECK(counters.tcpDropped.load() > 0 && sent + counters.tcpDropped.load() == 2000, "tcp: frames past the bound are dropped and counted");
    // Drain the peer side while flushing; every frame read must be whole and in order.
    FrameReader rd;
    size_t got = 0;
    int last = -1;
    bool ordered = true;
    uint8_t buf[65536];
    for (int spin = 0; spin < 100000 && got < sent; spin++) {
      c.flush();
      ssize_t n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) continue;
      rd.feed(buf, size_t(n), [&](uint8_t* p, size_t len) {
        if (len != 1000) ordered = false;
        int seq = p[0];
        if (last >= 0 && seq == last) ordered = false;
        last = seq;
        got++;
      });
    }
    CHECK(got == sent && ordered && rd.buffered() == 0, "tcp: what the peer reads is every queued frame, whole");
    c.release();
  }
  close(sv[0]);
  close(sv[1]);
}

// ---- fuzzing ----

// The native NACK history (server.h History): packets of random sizes (audio-small to
// full-size), a rate that makes the byte ring grow, sequence gaps, reordering and an SSRC
// change; every answer must be the exact packet pushed with that sequence number, and packets
// inside the window must be found once the ring has grown to hold the window.
static void historyChecks() {
  History h;
  h.windowMs = 1000;
  std::map<uint16_t, Bytes> sent;
  uint32_t ssrc = 0x1234;
  uint16_t seq = 100;
  double ms = 1e6;
  uint8_t out[kMaxRtp];
  size_t found = 0, asked = 0, wrong = 0;
  for (int i = 0; i < 60000; i++) {
    if (i == 30000) {
      ssrc = 0x5678;  // a new source: nothing of the old one may come back
      sent.clear();
    }
    size_t n = 12 + (rng() % 4 == 0 ? rng() % 200 : 900 + rng() % 300);
    uint16_t s = uint16_t(seq + (rng() % 50 == 0 ? 3 : 1));  // a gap now and then
    seq = s;
    Bytes p = randomBytes(n);
    p[0] = 0x80;
    p[1] = 96;
    p[2] = uint8_t(s >> 8);
    p[3] = uint8_t(s);
    p[8] = uint8_t(ssrc >> 24);
    p[9] = uint8_t(ssrc >> 16);
    p[10] = uint8_t(ssrc >> 8);
    p[11] = uint8_t(ssrc);
    ms += 0.5;  // ~2,000 packets/s, ~1.6 MB/s: the ring has to grow past 1 MiB
    h.push(p.data(), p.size(), ms);
    sent[s] = p;
    if (i % 7 == 0) {
      uint16_t q = uint16_t(seq - rng() % 1500);
      size_t got = h.get(q, ms, out);
      asked++;
      auto it = sent.find(q);
      if (got) {
        if (it == sent.end() || it->second.size() != got || memcmp(it->second.data(), out, got) != 0) wrong++;
        else found++;
      }
    }
  }
  // The last 500 packets (250 ms) are inside the window and the ring has grown to hold it.
  size_t recent = 0, present = 0;
  for (int k = 0; k < 500; k++) {
    if (!sent.count(uint16_t(seq - k))) continue;  // a gap: never pushed
    present++;
    recent += h.get(uint16_t(seq - k), ms, out) ? 1 : 0;
  }
  CHECK(wrong == 0, "history answers with the packet pushed under that sequence number");
  CHECK(present > 400 && recent == present, "history holds the last 250 ms once grown");
  CHECK(found > asked / 4, "history finds packets inside its window");
}

static uint64_t runs = 0;

static void fuzzOne(SrtpSession* rx[2]) {
  static const std::string pwd = "abcdefghijklmnopqrstuvwx";
  int which = int(rng() % 11);
  Bytes in;
  bool fresh = rng() % 4 == 0;
  switch (which) {
    case 0: {  // STUN
      if (fresh) in = randomBytes(rng() % 300);
      else {
        in = stunSeed("ufr1:ufr2", pwd);
        signStun(in, pwd);
        in = mutate(in);
      }
      StunRequest r;
      if (stunParse(in.data(), in.size(), r)) {
        stunLocalUfrag(r);
        bool ok = stunCheckIntegrity(in.data(), in.size(), r, pwd);
        (void)ok;
        sockaddr_in6 a6{};
        a6.sin6_family = AF_INET6;
        uint8_t out[256];
        if (r.txid) stunWriteResponse(out, r.txid, reinterpret_cast<sockaddr*>(&a6), pwd, rng() % 2 ? 403 : 0);
      }
      break;
    }
    case 1:  // DTLS record framing
      in = fresh ? randomBytes(rng() % 200) : mutate(dtlsSeed());
      dtlsFramingOk(in.data(), in.size());
      classify(in.data(), in.size());
      break;
    case 2: {  // RTP rewrite and RTX
      in = fresh ? randomBytes(rng() % 1600) : mutate(rtpSeed(rng() % 1200, rng() % 2));
      if (in.size() > kMaxRtp) in.resize(kMaxRtp);
      static RtpRewriter rw;
      uint8_t out[kMaxRtp + 4], rtx[kMaxRtp + 4];
      size_t n = rw.rewrite(in.data(), in.size(), out, double(runs));
      if (n) wrapRtx(out, n, 1, 2, 3, rtx);
      uint8_t stamped[kMaxRtp + 4 + kTwccExtBytes];
      if (!in.empty()) memcpy(stamped, in.data(), in.size());
      addTransportSeq(stamped, in.size(), sizeof stamped, uint8_t(rng() % 16), uint16_t(rng()));
      rw.rewriteAgain(in.data(), in.size(), out);
      rw.mapBack(uint16_t(rng()));
      break;
    }
    case 3: {  // RTCP
      in = fresh ? randomBytes(rng() % 400) : mutate(rtcpSeed());
      if (!fresh && rng() % 2) in = mutate(twccSeed(uint16_t(rng())));
      RtcpInfo info;
      parseRtcp(in.data(), in.size(), info);
      // transport-cc feedback against a sender with records (twcc.h).
      static TwccSender tw;
      if (!tw.on()) tw.enable(3);
      uint8_t pkt[kMaxRtp + 64];
      Bytes r = rtpSeed(rng() % 1200, false);
      memcpy(pkt, r.data(), r.size());
      size_t n = tw.stamp(pkt, r.size(), sizeof pkt, double(runs));
      if (n) tw.sized(n);
      std::vector<uint8_t> out;
      tw.onRtcp(in.data(), in.size(), out);
      // The probe abort rule on what matched, and on hostile doubles (NaN, infinities, any
      // sequence), with thresholds from the addon's accepted range and beyond it.
      static ProbeState ps;
      if (!ps.active() || rng() % 64 == 0) {
        ps.train = 1;
        ProbeAbort a;
        a.lost = int(rng() % 70) - 2;
        a.window = int(rng() % 80) - 4;
        a.ratio = double(rng() % 1200) / 1000.0;
        a.spanMs = double(int(rng() % 400) - 50);
        ps.startAbortRule(int64_t(rng() % 200) - 10, a);
      }
      if (probeOnFeedback(ps, out.data(), out.size() / 32) != kProbeNotAborted) ps.train = 0;
      Bytes raw = randomBytes((rng() % 8) * 32);
      for (size_t k = 0; k + 8 <= raw.size(); k += 8) {
        const double odd[] = {std::nan(""), INFINITY, -INFINITY, -1.0, 1e300, double(rng() % 300)};
        if (rng() % 2) memcpy(raw.data() + k, &odd[rng() % 6], 8);
      }
      if (ps.active() && probeOnFeedback(ps, raw.data(), raw.size() / 32) != kProbeNotAborted) ps.train = 0;
      break;
    }
    case 4:
    case 5: {  // SRTP / SRTCP unprotect of garbage and of mutated valid packets
      SrtpSession* s = rx[which - 4];
      in = fresh ? randomBytes(rng() % 1500) : mutate(rtpSeed(rng() % 1200, rng() % 2));
      Bytes buf = in;
      if (rng() % 2) s->unprotectRtp(buf.data(), buf.size());
      else s->unprotectRtcp(buf.data(), buf.size());
      break;
    }
    case 7: {  // RTT estimator: hostile LSR/DLSR and arrival times never leave the guard's bounds
      static RttEstimator e;
      if (rng() % 2) e.onSenderReport(uint32_t(rng() % 4), double(rng() % 100000) - 1000);
      double arrive = rng() % 8 == 0 ? std::nan("") : double(int64_t(rng() % 200000) - 50000);
      e.onReport(uint32_t(rng() % 4), uint32_t(rng()), arrive);
      double g = e.guardMs();
      if (!(g >= RttEstimator::kMinGuardMs && g <= RttEstimator::kMaxGuardMs)) {
        fprintf(stderr, "RTT guard out of bounds: %f\n", g);
        abort();
      }
      break;
    }
    case 8: {  // ICE-TCP framing: random streams, and valid ones mutated, fed in random chunks
      std::vector<size_t> sizes;
      for (int i = int(rng() % 6); i > 0; i--) sizes.push_back(rng() % 1500);
      in = fresh ? randomBytes(rng() % 5000) : mutate(framedStream(sizes));
      FrameReader r;
      std::vector<Bytes> frames;
      readFrames(r, in, frames);
      CHECK(r.buffered() <= 2 + FrameReader::kMaxFrame, "framing: bounded");
      break;
    }
    case 9:  // DTLS records at an endpoint whose SSL is gone (dtls_retire.cc)
      dtlsRetiredFuzz(rng, randomBytes(rng() % 200));
      break;
    case 10:  // VP8/VP9 descriptors, AV1 OBU walks and a fan-out member's temporal filter (temporal.cc)
      temporalFuzz(rng, randomBytes(rng() % 80));
      break;
    default: {  // SDP values handed down from JS
      Bytes b = randomBytes(rng() % 300);
      std::string v(b.begin(), b.end());
      iceToken(v, 4, 256);
      fingerprintHex(v);
      fingerprintAlgorithm(v);
      break;
    }
  }
  runs++;
}

/** Quadruples as TwccSender::match gives them (sequence, send ms, bytes, arrival ms or NaN). */
static std::vector<uint8_t> quads(const std::vector<double>& d) {
  std::vector<uint8_t> out(d.size() * sizeof(double));
  if (!d.empty()) memcpy(out.data(), d.data(), out.size());
  return out;
}

/** The probe abort rule (probe.h probeOnFeedback) against feedback written by hand. */
static void probeAbortChecks() {
  const double lost = std::nan("");
  ProbeAbort a;
  a.lost = 4;
  a.window = 16;
  a.ratio = 0.67;
  a.spanMs = 150;
  {
    // Packets 0-9 before the train (lost: the media's business), 10 on the train's: 3 lost of
    // 16, then a fourth.
    ProbeState s;
    s.train = 1;
    s.startAbortRule(10, a);
    std::vector<double> d;
    for (int i = 0; i < 10; i++) d.insert(d.end(), {double(i), 1000.0 + i, 1000, lost});
    for (int i = 10; i < 26; i++) d.insert(d.end(), {double(i), 1000.0 + i, 1000, (i % 5 == 2) ? lost : 2000.0 + i});
    std::vector<uint8_t> q = quads(d);
    CHECK(probeOnFeedback(s, q.data(), d.size() / 4) == kProbeNotAborted, "probe abort: 3 of 16 lost go on");
    std::vector<double> e = {26, 1026, 1000, lost};
    q = quads(e);
    CHECK(probeOnFeedback(s, q.data(), 1) == kProbeAbortLoss, "probe abort: the 4th loss in the window stops it");
    // Losses spread wider than the window do not.
    ProbeState w;
    w.train = 1;
    w.startAbortRule(0, a);
    std::vector<double> f;
    for (int i = 0; i < 200; i++) f.insert(f.end(), {double(i), 1000.0 + i, 1000, (i % 6 == 0) ? lost : 2000.0 + i});
    q = quads(f);
    CHECK(probeOnFeedback(w, q.data(), 200) == kProbeNotAborted, "probe abort: one loss in 6 goes on");
  }
  {
    // Arrivals stretched: 1.4 x goes on, 1.6 x stops it once sent over 150 ms.
    for (double stretch : {1.4, 1.6}) {
      ProbeState s;
      s.train = 1;
      s.startAbortRule(0, a);
      std::vector<double> d;
      for (int i = 0; i < 40; i++) d.insert(d.end(), {double(i), 1000.0 + 5 * i, 1000, 3000.0 + stretch * 5 * i});
      std::vector<uint8_t> q = quads(d);
      int why = probeOnFeedback(s, q.data(), 40);
      CHECK(why == (stretch > 1.5 ? kProbeAbortSlow : kProbeNotAborted), "probe abort: stretched arrivals");
    }
    // Not before spanMs of sending, however stretched.
    ProbeState s;
    s.train = 1;
    s.startAbortRule(0, a);
    std::vector<double> d;
    for (int i = 0; i < 20; i++) d.insert(d.end(), {double(i), 1000.0 + 5 * i, 1000, 3000.0 + 50 * i});
    std::vector<uint8_t> q = quads(d);
    CHECK(probeOnFeedback(s, q.data(), 20) == kProbeNotAborted, "probe abort: not before the span");
    // No train, no abort.
    ProbeState idle;
    CHECK(probeOnFeedback(idle, q.data(), 20) == kProbeNotAborted, "probe abort: no train");
  }
}

int main(int argc, char** argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 10;
  uint64_t seed = argc > 2 ? strtoull(argv[2], nullptr, 10) : uint64_t(time(nullptr));
  rng.seed(seed);
  selfChecks();
  probeAbortChecks();
  framingChecks();
  historyChecks();
  failures += dtlsRetireChecks();
  failures += temporalChecks();
  if (failures) {
    fprintf(stderr, "%d self-checks failed\n", failures);
    return 1;
  }
  Bytes mk = randomBytes(16), ms = randomBytes(14);
  SrtpSession cm, gcm;
  cm.init(kAesCm128HmacSha1_80, mk.data(), ms.data(), false);
  gcm.init(kAeadAes128Gcm, mk.data(), ms.data(), false);
  SrtpSession* rx[2] = {&cm, &gcm};
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    for (int i = 0; i < 1000; i++) fuzzOne(rx);
  }
  printf("fuzz: seed %llu, %llu inputs, self-checks passed\n", static_cast<unsigned long long>(seed), static_cast<unsigned long long>(runs));
  return 0;
}
