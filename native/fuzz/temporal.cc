// Self-checks and fuzzing of the native temporal layer filter (native/src/temporal.h, skips.h,
// RtpRewriter::skip), run by fuzz.cc under ASan and UBSan: the VP8/VP9 descriptor parsers on
// hand-built descriptors and every truncation; an L1T3 VP8 stream through a member with caps 0,
// 1 and lifted (sequence numbers, PictureID and TL0PICIDX continuous, every frame whole, layers
// back only at Y, NACKed numbers mapped back to the packets first sent, retransmissions byte for
// byte); then random and mutated payloads through the parser and a member with random caps.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <vector>
#include "../src/rtp.h"
#include "../src/temporal.h"

namespace canopy {

using Bytes = std::vector<uint8_t>;
static int fails = 0;
#define TCHECK(cond, what)                                       \
  do {                                                           \
    if (!(cond)) {                                               \
      fprintf(stderr, "temporal self-check failed: %s\n", what); \
      fails++;                                                   \
    }                                                            \
  } while (0)

/** An RTP packet (PT 96) with a VP8 descriptor X, I (15 bit), L, T, and a payload header. */
static Bytes vp8Packet(uint32_t ssrc, uint16_t seq, uint32_t ts, int pid, int tl0, int tid, bool sync, bool first, bool key, size_t size) {
  Bytes b(12, 0);
  b[0] = 0x80;
  b[1] = 96;
  wr16(b.data() + 2, seq);
  wr32(b.data() + 4, ts);
  wr32(b.data() + 8, ssrc);
  b.push_back(uint8_t(0x80 | (first ? 0x10 : 0)));
  b.push_back(0xe0);
  b.push_back(uint8_t(0x80 | ((pid >> 8) & 0x7f)));
  b.push_back(uint8_t(pid));
  b.push_back(uint8_t(tl0));
  b.push_back(uint8_t((tid << 6) | (sync ? 0x20 : 0)));
  b.push_back(key && first ? 0x00 : 0x01);
  while (b.size() < size) b.push_back(0x5a);
  return b;
}

struct Sent {
  uint16_t seq;
  int pid, tl0, tid;
  bool start, padding;
  uint16_t inSeq;
  Bytes bytes;
};

static Sent readOut(const uint8_t* p, size_t n) {
  Sent s{};
  s.seq = rd16(p + 2);
  size_t base = 12 + size_t(p[0] & 0x0f) * 4;
  s.padding = (p[0] & 0x20) && n - p[n - 1] <= base;
  if (s.padding) return s;
  TemporalInfo t;
  readVp8Temporal(p + base, n - base, t);
  s.pid = t.pictureId;
  s.tl0 = t.tl0PicIdx;
  s.tid = t.tid;
  s.start = t.frameStart;
  s.bytes.assign(p, p + n);
  return s;
}

static void parserChecks() {
  Bytes p = vp8Packet(1, 2, 3, 0x1234, 77, 2, true, true, false, 40);
  TemporalInfo t = temporalInfoOf(TemporalCodec::Vp8, p.data(), p.size());
  TCHECK(t.valid && t.tid == 2 && t.sync && !t.keyframe && t.frameStart, "vp8: tid, Y, start");
  TCHECK(t.pictureId == 0x1234 && t.pictureIdBits == 15 && t.pictureIdAt == 2, "vp8: 15-bit PictureID");
  TCHECK(t.tl0PicIdx == 77 && t.tl0PicIdxAt == 4, "vp8: TL0PICIDX");
  Bytes k = vp8Packet(1, 2, 3, 5, 1, 0, false, true, true, 40);
  TCHECK(temporalInfoOf(TemporalCodec::Vp8, k.data(), k.size()).keyframe, "vp8: key frame");
  // Every truncation of the descriptor is refused (the payload header byte is optional).
  for (size_t n = 1; n < 6; n++) {
    TemporalInfo x;
    TCHECK(!readVp8Temporal(p.data() + 12, n, x), "vp8: truncated descriptor refused");
  }
  TemporalInfo x;
  TCHECK(!readVp8Temporal(p.data(), 0, x), "vp8: empty");
  // VP9 non-flexible: I (7 bit), L (TID 1, U, SID 0), TL0PICIDX; B set, P set.
  const uint8_t vp9[] = {0xe8, 0x05, uint8_t((1 << 5) | 0x10), 9, 0xaa};
  TCHECK(readVp9Temporal(vp9, sizeof vp9, x) && x.tid == 1 && x.sync && x.pictureId == 5 && x.tl0PicIdx == 9 && !x.keyframe && x.frameStart,
         "vp9: TID, U, PictureID, TL0PICIDX");
  for (size_t n = 1; n < 4; n++) TCHECK(!readVp9Temporal(vp9, n, x), "vp9: truncated descriptor refused");
  TCHECK(!temporalInfoOf(TemporalCodec::None, p.data(), p.size()).valid, "no codec: nothing");
  TCHECK(temporalCodecOf("vp8") == TemporalCodec::Vp8 && temporalCodecOf("VP9") == TemporalCodec::Vp9 && temporalCodecOf("AV1") == TemporalCodec::None,
         "codec names");
  // Padding longer than the payload: nothing, no read past the end.
  Bytes pad = p;
  pad[0] |= 0x20;
  pad.back() = 200;
  TCHECK(!temporalInfoOf(TemporalCodec::Vp8, pad.data(), pad.size()).valid, "padding over the payload");
}

/**
 * An L1T3 stream (TIDs 0,2,1,2; Y on the TL2 and TL1 frames after TL0) starting just below the
 * sequence wrap, through one member: the cap at capFrom..capTo frames, lifted after.
 */
static void streamChecks(int cap, int capFrom, int capTo, bool reorder) {
  RtpRewriter rw;
  rw.ssrc = 0xbeef;
  rw.payloadType = 100;
  TemporalMember tm;
  TemporalGroup g;
  g.codec = TemporalCodec::Vp8;
  uint16_t seq = 65500;
  int pid = 32700, tl0 = 250;
  std::vector<Sent> out;
  std::map<uint16_t, Bytes> upstream;  // by upstream seq, for the NACK checks
  std::vector<Bytes> held;
  uint8_t buf[kMaxRtp + 64];
  auto feed = [&](const Bytes& pkt, double now) {
    TemporalInfo t = g.parse(pkt.data(), pkt.size());
    size_t len = tm.rewrite(t, rw, pkt.data(), pkt.size(), buf, now);
    if (len == kTemporalLeftOut) return;
    TCHECK(len > 0, "stream: rewritten");
    if (!len) return;
    Sent s = readOut(buf, len);
    s.inSeq = rd16(pkt.data() + 2);
    out.push_back(s);
  };
  for (int f = 0; f < 64; f++) {
    if (f == capFrom) tm.cap = cap;
    if (f == capTo) tm.cap = -1;
    int pos = f % 4;
    int tid = (int[]){0, 2, 1, 2}[pos];
    if (tid == 0 && f > 0) tl0 = (tl0 + 1) & 0xff;
    int count = 1 + f % 3;
    for (int i = 0; i < count; i++) {
      Bytes pkt = vp8Packet(0x1111, seq, uint32_t(f * 3000), pid, tl0, tid, pos == 1 || pos == 2, i == 0, f == 0, 60);
      upstream[seq] = pkt;
      seq++;
      // One packet held back and sent after the next frame (reordered upstream).
      if (reorder && f == capFrom + 5 && i == count - 1) held.push_back(pkt);
      else feed(pkt, f);
    }
    if (reorder && f == capFrom + 6)
      for (auto& h : held) feed(h, f);
    pid = (pid + 1) & 0x7fff;
  }
  TCHECK(tm.framesDropped > 0, "stream: frames dropped under the cap");
  // Sequence numbers: each one past the last, except a late packet's (its own reserved number).
  std::vector<uint16_t> seqs;
  for (auto& s : out) seqs.push_back(s.seq);
  std::vector<uint16_t> sorted = seqs;
  const uint16_t ref = seqs.empty() ? 0 : seqs[0];
  std::sort(sorted.begin(), sorted.end(), [ref](uint16_t a, uint16_t b) { return delta16(a, ref) < delta16(b, ref); });
  for (size_t i = 1; i < sorted.size(); i++) TCHECK(uint16_t(sorted[i] - sorted[i - 1]) == 1, "stream: no sequence gap");
  // PictureID +1 from frame to frame sent, TL0PICIDX +1 at each TL0 frame; every frame whole.
  int lastPid = -1, lastTl0 = -1;
  for (auto& s : out) {
    if (s.padding) continue;
    if (s.start && lastPid >= 0 && delta16(uint16_t(s.pid), uint16_t(lastPid)) > 0) TCHECK(((lastPid + 1) & 0x7fff) == s.pid, "stream: PictureID continuous");
    if (s.start && s.tid == 0 && lastTl0 >= 0 && s.tl0 != lastTl0) TCHECK(((lastTl0 + 1) & 0xff) == s.tl0, "stream: TL0PICIDX continuous");
    if (s.start) {
      if (lastPid < 0 || delta16(uint16_t(s.pid), uint16_t(lastPid)) > 0) lastPid = s.pid;
      if (s.tid == 0) lastTl0 = s.tl0;
    }
  }
  // While capped (after the frame boundary), nothing above the cap.
  for (auto& s : out)
    if (!s.padding && s.pid >= 0) {
      int upPid = -1;
      auto it = upstream.find(s.inSeq);
      if (it != upstream.end()) {
        TemporalInfo t = temporalInfoOf(TemporalCodec::Vp8, it->second.data(), it->second.size());
        upPid = t.pictureId;
        int frame = (upPid - 32700 + 0x8000) & 0x7fff;
        if (frame > capFrom && frame < capTo) TCHECK(t.tid <= cap, "stream: only layers under the cap while capped");
      }
    }
  // NACKs: every number sent maps back to the upstream packet it came from, and a
  // retransmission of it is byte for byte the first copy.
  int mapped = 0;
  for (auto& s : out) {
    if (s.padding) continue;
    int32_t up = rw.mapBack(s.seq);
    if (up < 0) continue;  // beyond the current window
    TCHECK(uint16_t(up) == s.inSeq, "stream: NACK maps back to the packet sent");
    auto it = upstream.find(uint16_t(up));
    if (it == upstream.end()) continue;
    uint8_t again[kMaxRtp + 64];
    size_t n = rw.rewriteAgain(it->second.data(), it->second.size(), again);
    TCHECK(n > 0 && tm.fixAgain(again, n), "stream: retransmission allowed");
    TCHECK(n == s.bytes.size() && memcmp(again, s.bytes.data(), n) == 0, "stream: retransmission as first sent");
    mapped++;
  }
  TCHECK(mapped > 20, "stream: NACKs mapped");
  // A packet of a dropped frame is not resent.
  for (auto& kv : upstream) {
    TemporalInfo t = temporalInfoOf(TemporalCodec::Vp8, kv.second.data(), kv.second.size());
    int frame = (t.pictureId - 32700 + 0x8000) & 0x7fff;
    if (t.tid > cap && frame > capFrom + 1 && frame < capTo) {
      uint8_t again[kMaxRtp + 64];
      size_t n = rw.rewriteAgain(kv.second.data(), kv.second.size(), again);
      TCHECK(n == 0 || !tm.fixAgain(again, n), "stream: a dropped frame's packet is not resent");
    }
  }
  // Lifted: every layer flows again by the end.
  bool tl2Late = false;
  for (auto& s : out)
    if (!s.padding && s.tid == 2 && s.pid >= 0) {
      auto it = upstream.find(s.inSeq);
      TemporalInfo t = temporalInfoOf(TemporalCodec::Vp8, it->second.data(), it->second.size());
      if (((t.pictureId - 32700 + 0x8000) & 0x7fff) > capTo) tl2Late = true;
    }
  TCHECK(tl2Late, "stream: layers back after the cap lifts");
}

int temporalChecks() {
  fails = 0;
  parserChecks();
  streamChecks(0, 3, 40, false);
  streamChecks(1, 6, 30, false);
  streamChecks(0, 2, 50, true);
  return fails;
}

/** One random or mutated payload through both parsers and a member with a random cap. */
void temporalFuzz(std::mt19937_64& rng, const std::vector<uint8_t>& random) {
  static RtpRewriter rw;
  static TemporalMember tm;
  static TemporalGroup g;
  static uint16_t seq = 0;
  static int pid = 0;
  Bytes in;
  if (rng() % 3 == 0) in = random;
  else {
    int tid = int(rng() % 3);
    in = vp8Packet(uint32_t(rng() % 3), uint16_t(seq + int(rng() % 5) - 2), 0, pid, int(rng() % 256), tid, rng() % 2, rng() % 2, rng() % 8 == 0,
                   12 + rng() % 40);
    seq++;
    if (rng() % 2) pid = (pid + 1) & 0x7fff;
    for (int i = int(rng() % 4); i > 0 && !in.empty(); i--) in[rng() % in.size()] ^= uint8_t(1 << (rng() % 8));
    if (rng() % 4 == 0) in.resize(rng() % (in.size() + 1));
  }
  if (in.size() > kMaxRtp) in.resize(kMaxRtp);
  for (TemporalCodec c : {TemporalCodec::Vp8, TemporalCodec::Vp9}) {
    TemporalInfo t = temporalInfoOf(c, in.data(), in.size());
    if (!t.valid) continue;
    size_t end = in.size();
    if (t.pictureIdAt >= 0 && size_t(t.pictureIdAt) + (t.pictureIdBits == 15 ? 2 : 1) > end) {
      fprintf(stderr, "temporal: PictureID offset out of bounds\n");
      abort();
    }
    if (t.tl0PicIdxAt >= 0 && size_t(t.tl0PicIdxAt) >= end) {
      fprintf(stderr, "temporal: TL0PICIDX offset out of bounds\n");
      abort();
    }
    if (t.tid > kMaxTemporalId) abort();
  }
  g.codec = rng() % 2 ? TemporalCodec::Vp8 : TemporalCodec::Vp9;
  if (rng() % 16 == 0) tm.cap = int(rng() % 4) - 1;
  TemporalInfo t = g.parse(in.data(), in.size());
  uint8_t out[kMaxRtp + 64];
  size_t len = tm.rewrite(t, rw, in.data(), in.size(), out, double(rng() % 100000));
  if (len != kTemporalLeftOut && len > in.size() && len != 16) {
    fprintf(stderr, "temporal: output longer than input\n");
    abort();
  }
  if (len != kTemporalLeftOut && len) tm.fixAgain(out, len);
  rw.mapBack(uint16_t(rng()));
  size_t n = in.empty() ? 0 : rw.rewriteAgain(in.data(), in.size(), out);
  if (n) tm.fixAgain(out, n);
}

}  // namespace canopy
