// Self-checks and fuzzing of the native temporal layer filter (native/src/temporal.h, skips.h,
// RtpRewriter::skip), run by fuzz.cc under ASan and UBSan: the VP8/VP9 descriptor parsers on
// hand-built descriptors and every truncation; an L1T3 VP8 stream through a member with caps 0,
// 1 and lifted (sequence numbers, PictureID and TL0PICIDX continuous, every frame whole, layers
// back only at Y, NACKed numbers mapped back to the packets first sent, retransmissions byte for
// byte); the AV1 OBU walk on hand-built payloads (W=0 and W=1..3, Z continuations, sequence
// headers, temporal delimiters, every malformed case readAv1Temporal refuses) and an L1T3 AV1
// stream across the sequence and timestamp wraps with reordering (frames whole, layers back only
// at a key frame, waitsForKeyframe until then, per-layer bytes by frame); then random and
// mutated payloads through the parsers and a member with random caps.
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
  TCHECK(temporalCodecOf("vp8") == TemporalCodec::Vp8 && temporalCodecOf("VP9") == TemporalCodec::Vp9 && temporalCodecOf("av1") == TemporalCodec::Av1 &&
             temporalCodecOf("H264") == TemporalCodec::None,
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
    TCHECK(n > 0 && tm.fixAgain(it->second.data(), it->second.size(), again, n), "stream: retransmission allowed");
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
      TCHECK(n == 0 || !tm.fixAgain(kv.second.data(), kv.second.size(), again, n), "stream: a dropped frame's packet is not resent");
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


// ---- AV1 (AV1 RTP payload format §4.4-4.5; OBU header AV1 §5.3.2-5.3.3), built by hand ----

constexpr int kObuFrame = 6;
constexpr int kObuPadding = 15;

static Bytes leb128(size_t v) {
  Bytes out;
  do {
    uint8_t b = uint8_t(v & 0x7f);
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

/** One OBU without obu_size: its header, the extension header when tid >= 0, `size` filler bytes. */
static Bytes obu(int type, size_t size, int tid = -1) {
  Bytes b{uint8_t((type << 3) | (tid >= 0 ? 0x04 : 0))};
  if (tid >= 0) b.push_back(uint8_t(tid << 5));
  b.insert(b.end(), size, 0x3c);
  return b;
}

/** Aggregation header Z|Y|W|N, then the elements, each with its LEB128 length but the last when W is 1..3. */
static Bytes av1Payload(const std::vector<Bytes>& els, bool z, bool y, bool n, int w) {
  Bytes p{uint8_t((z ? 0x80 : 0) | (y ? 0x40 : 0) | (w << 4) | (n ? 0x08 : 0))};
  for (size_t i = 0; i < els.size(); i++) {
    if (w == 0 || i + 1 < els.size()) {
      Bytes l = leb128(els[i].size());
      p.insert(p.end(), l.begin(), l.end());
    }
    p.insert(p.end(), els[i].begin(), els[i].end());
  }
  return p;
}

/** One temporal unit's OBUs in payloads of at most `max` element bytes, OBUs fragmented across packets (Z/Y), N on a key frame's first. */
static std::vector<Bytes> packetize(const std::vector<Bytes>& obus, size_t max, bool key, bool useW) {
  std::vector<Bytes> out, els;
  size_t used = 0;
  bool z = false;
  auto flush = [&](bool y) {
    int w = useW && els.size() <= 3 ? int(els.size()) : 0;
    out.push_back(av1Payload(els, z, y, key && out.empty(), w));
    z = y;
    els.clear();
    used = 0;
  };
  for (auto& o : obus) {
    size_t off = 0;
    while (off < o.size()) {
      if (used >= max) flush(false);
      size_t take = std::min(o.size() - off, max - used);
      els.emplace_back(o.begin() + ptrdiff_t(off), o.begin() + ptrdiff_t(off + take));
      used += take;
      off += take;
      if (off < o.size()) flush(true);
    }
  }
  if (!els.empty()) flush(false);
  return out;
}

static Bytes rtpOf(uint32_t ssrc, uint16_t seq, uint32_t ts, const Bytes& payload) {
  Bytes b(12, 0);
  b[0] = 0x80;
  b[1] = 45;
  wr16(b.data() + 2, seq);
  wr32(b.data() + 4, ts);
  wr32(b.data() + 8, ssrc);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

static TemporalInfo av1(const Bytes& p) {
  TemporalInfo t;
  if (!readAv1Temporal(p.data(), p.size(), t)) t = TemporalInfo();
  return t;
}

static void av1ParserChecks() {
  // W=1: one frame OBU of TL2.
  TemporalInfo t = av1(av1Payload({obu(kObuFrame, 20, 2)}, false, false, false, 1));
  TCHECK(t.valid && t.tid == 2 && !t.keyframe && !t.sync, "av1: W=1 frame OBU, tid 2");
  // W=2, N: a sequence header (no extension) then the TL0 frame: key frame, tid 0.
  t = av1(av1Payload({obu(kObuSequenceHeader, 8), obu(kObuFrame, 30, 0)}, false, false, true, 2));
  TCHECK(t.valid && t.tid == 0 && t.keyframe, "av1: W=2 key frame");
  // A sequence header first without N is a key frame too (as keyframe.ts); with Z it is not.
  t = av1(av1Payload({obu(kObuSequenceHeader, 8), obu(kObuFrame, 30, 0)}, false, false, false, 2));
  TCHECK(t.valid && t.keyframe, "av1: sequence header first, no N");
  // W=3 and W=0 (every element with a length), the extension on the third element.
  t = av1(av1Payload({obu(kObuTemporalDelimiter, 0), obu(kObuPadding, 3, 1), obu(kObuFrame, 9, 3)}, false, false, false, 3));
  TCHECK(t.valid && t.tid == 1, "av1: W=3, first extension header's tid");
  t = av1(av1Payload({obu(kObuTemporalDelimiter, 0), obu(kObuFrame, 9, 5), obu(kObuFrame, 9, 1)}, false, false, false, 0));
  TCHECK(t.valid && t.tid == 5, "av1: W=0");
  // No extension anywhere: a single operating point, TL0.
  t = av1(av1Payload({obu(kObuFrame, 40)}, false, false, false, 1));
  TCHECK(t.valid && t.tid == 0, "av1: no extension header: TL0");
  // Only a temporal delimiter: no layer.
  t = av1(av1Payload({obu(kObuTemporalDelimiter, 0)}, false, false, false, 1));
  TCHECK(t.valid && t.tid == -1, "av1: temporal delimiter only");
  // Z: the first element continues an OBU (its bytes are not a header): no layer, no key frame.
  Bytes cont = av1Payload({Bytes(30, 0xff)}, true, false, true, 1);
  t = av1(cont);
  TCHECK(t.valid && t.tid == -1 && !t.keyframe, "av1: continuation tells nothing");
  // Z and then a new OBU with an extension: its tid.
  t = av1(av1Payload({Bytes(5, 0xff), obu(kObuFrame, 9, 2)}, true, false, false, 2));
  TCHECK(t.valid && t.tid == 2, "av1: continuation then an extended OBU");
  // A zero-length element (W=0) is skipped; a length of 0 leaves firstType unset.
  t = av1(av1Payload({Bytes(), obu(kObuSequenceHeader, 4)}, false, false, false, 0));
  TCHECK(t.valid && t.tid == 0 && !t.keyframe, "av1: empty first element");
  // A LEB128 length over two bytes.
  Bytes big = av1Payload({obu(kObuFrame, 300, 1), obu(kObuFrame, 5, 2)}, false, false, false, 0);
  t = av1(big);
  TCHECK(t.valid && t.tid == 1 && big[1] & 0x80, "av1: two-byte LEB128");
  // Malformed: every one refused.
  TemporalInfo x;
  TCHECK(!readAv1Temporal(big.data(), 1, x), "av1: one byte");
  const size_t boundary = 1 + 2 + 302;  // after the first element: a whole W=0 payload of one element
  for (size_t n = 2; n < big.size(); n++) {
    if (n == boundary) continue;
    Bytes cut(big.begin(), big.begin() + ptrdiff_t(n));
    TCHECK(!readAv1Temporal(cut.data(), cut.size(), x), "av1: W=0 truncated refused");
  }
  Bytes forbidden = av1Payload({obu(kObuFrame, 9, 1)}, false, false, false, 1);
  forbidden[1] |= 0x80;
  TCHECK(!readAv1Temporal(forbidden.data(), forbidden.size(), x), "av1: forbidden bit");
  // An extended OBU cut before its extension header (W=1, one byte).
  const uint8_t cutExt[] = {0x10, uint8_t((kObuFrame << 3) | 0x04)};
  TCHECK(!readAv1Temporal(cutExt, sizeof cutExt, x), "av1: extension header cut");
  // W=3 with two elements.
  Bytes few = av1Payload({obu(kObuFrame, 4, 1), obu(kObuFrame, 4, 1)}, false, false, false, 2);
  few[0] = uint8_t((few[0] & ~0x30) | (3 << 4));
  TCHECK(!readAv1Temporal(few.data(), few.size(), x), "av1: fewer elements than W");
  // A LEB128 of 9 bytes; one of 8 bytes whose value is past the end.
  Bytes leb9{0x00};
  for (int i = 0; i < 8; i++) leb9.push_back(0x80);
  leb9.push_back(0x01);
  leb9.insert(leb9.end(), 4, 0x30);
  TCHECK(!readAv1Temporal(leb9.data(), leb9.size(), x), "av1: LEB128 over 8 bytes");
  Bytes leb8{0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x30};
  TCHECK(!readAv1Temporal(leb8.data(), leb8.size(), x), "av1: LEB128 past the end");
  // More elements than the limit (W=0, 65 empty elements) are refused; 64 are not.
  Bytes many{0x00};
  many.insert(many.end(), kMaxAv1Elements, 0x00);
  TCHECK(readAv1Temporal(many.data(), many.size(), x) && x.tid == -1, "av1: 64 elements");
  many.push_back(0x00);
  TCHECK(!readAv1Temporal(many.data(), many.size(), x), "av1: 65 elements refused");
  {
    Bytes cut(big.begin(), big.begin() + ptrdiff_t(boundary));
    TCHECK(readAv1Temporal(cut.data(), cut.size(), x) && x.tid == 1, "av1: W=0 cut at an element boundary is whole");
  }
  // Through a whole RTP packet.
  Bytes pkt = rtpOf(7, 1, 2, av1Payload({obu(kObuFrame, 20, 2)}, false, false, false, 1));
  t = temporalInfoOf(TemporalCodec::Av1, pkt.data(), pkt.size());
  TCHECK(t.valid && t.codec == TemporalCodec::Av1 && t.tid == 2 && t.pictureId < 0, "av1: RTP packet");
}

/** A packet of the AV1 stream: its frame and layer, as the stream check needs them. */
struct Av1Up {
  Bytes bytes;
  int frame, tid;
  bool key;
};

/**
 * An L1T3 AV1 stream as libwebrtc lays it out (TIDs 0,2,1,2; key frames every keyEvery: a
 * sequence header then the TL0 frame OBU, N set), 1 to 3 packets a frame (OBUs fragmented with
 * Z/Y), sequence numbers and timestamps starting just below their wraps, through one member: the
 * cap from frame capFrom, lifted at capTo.
 */
static void av1StreamChecks(int cap, int capFrom, int capTo, int keyEvery, bool reorder, bool useW) {
  const int frames = 110;
  RtpRewriter rw;
  rw.ssrc = 0xa1a1;
  rw.payloadType = 45;
  TemporalMember tm;
  TemporalGroup g;
  g.codec = TemporalCodec::Av1;
  uint16_t seq = 65500;
  uint32_t ts0 = 4294960000u;
  std::map<uint16_t, Av1Up> up;
  std::map<int, int> packetsOf;
  struct Out {
    uint16_t seq, inSeq;
    bool padding;
    Bytes bytes;
  };
  std::vector<Out> out;
  std::vector<Bytes> held;
  uint64_t layerBytes[kMaxTemporalId + 1] = {};
  int waitedBeforeKey = 0, waitingAfterKey = 0, firstKeyAfterLift = -1;
  uint8_t buf[kMaxRtp + 64];
  auto feed = [&](const Bytes& pkt, double now) {
    TemporalInfo t = g.parse(pkt.data(), pkt.size());
    size_t len = tm.rewrite(t, rw, pkt.data(), pkt.size(), buf, now);
    if (len == kTemporalLeftOut) return;
    TCHECK(len > 0, "av1 stream: rewritten");
    if (!len) return;
    Out o{rd16(buf + 2), rd16(pkt.data() + 2), false, Bytes(buf, buf + len)};
    o.padding = (buf[0] & 0x20) && len - buf[len - 1] <= 12 + size_t(buf[0] & 0x0f) * 4;
    out.push_back(o);
  };
  for (int f = 0; f < frames; f++) {
    if (f == capFrom) tm.cap = cap;
    if (f == capTo) tm.cap = -1;
    int tid = (int[]){0, 2, 1, 2}[f % 4];
    bool key = f % keyEvery == 0;
    if (key && f >= capTo && firstKeyAfterLift < 0) firstKeyAfterLift = f;
    // The member waits for a key frame from the lift until the key frame (a layer left out
    // comes back only there), and not after it.
    if (f > capTo && firstKeyAfterLift < 0 && tm.waitsForKeyframe()) waitedBeforeKey++;
    if (firstKeyAfterLift >= 0 && f > firstKeyAfterLift + 4 && tm.waitsForKeyframe()) waitingAfterKey++;
    std::vector<Bytes> obus;
    if (key) obus.push_back(obu(kObuSequenceHeader, 10));
    obus.push_back(obu(kObuFrame, 200 + size_t(f % 3) * 300, key ? 0 : tid));
    std::vector<Bytes> payloads = packetize(obus, 400, key, useW);
    uint32_t ts = ts0 + uint32_t(f) * 3000;
    for (size_t i = 0; i < payloads.size(); i++) {
      Bytes pkt = rtpOf(0x2222, seq, ts, payloads[i]);
      up[seq] = Av1Up{pkt, f, key ? 0 : tid, key};
      packetsOf[f]++;
      layerBytes[key ? 0 : tid] += pkt.size();
      seq++;
      if (reorder && f == capFrom + 5 && i + 1 == payloads.size() && payloads.size() > 1) held.push_back(pkt);
      else feed(pkt, f);
    }
    if (reorder && f == capFrom + 6)
      for (auto& h : held) feed(h, f);
  }
  TCHECK(tm.framesDropped > 0, "av1 stream: frames dropped under the cap");
  // The group counts every packet in its frame's layer, continuations included.
  for (int k = 0; k <= 2; k++) TCHECK(g.bytes[k] == layerBytes[k], "av1 stream: per-layer bytes by frame");
  TCHECK(g.highestTid == 2, "av1 stream: three layers");
  // No sequence gap.
  std::vector<uint16_t> sorted;
  for (auto& o : out) sorted.push_back(o.seq);
  const uint16_t ref = sorted.empty() ? 0 : sorted[0];
  std::sort(sorted.begin(), sorted.end(), [ref](uint16_t a, uint16_t b) { return delta16(a, ref) < delta16(b, ref); });
  for (size_t i = 1; i < sorted.size(); i++) TCHECK(uint16_t(sorted[i] - sorted[i - 1]) == 1, "av1 stream: no sequence gap");
  // Frames whole: all of a frame's packets sent, or none (a late packet of a dropped frame: padding).
  std::map<int, int> sentOf;
  for (auto& o : out)
    if (!o.padding) sentOf[up[o.inSeq].frame]++;
  for (auto& kv : packetsOf) {
    int sent = sentOf.count(kv.first) ? sentOf[kv.first] : 0;
    TCHECK(sent == 0 || sent == kv.second, "av1 stream: every frame whole");
  }
  // Capped (after the first frame boundary): nothing above the cap; lifted: nothing above it
  // before the next key frame, every layer after it.
  bool tl2AfterKey = false;
  for (auto& kv : sentOf) {
    int f = kv.first, tid = (int[]){0, 2, 1, 2}[f % 4];
    if (f % keyEvery == 0) continue;
    if (f > capFrom && f < capTo) TCHECK(tid <= cap, "av1 stream: only layers under the cap while capped");
    if (f >= capTo && firstKeyAfterLift >= 0 && f < firstKeyAfterLift) TCHECK(tid <= cap, "av1 stream: layers back only at a key frame");
    if (firstKeyAfterLift >= 0 && f > firstKeyAfterLift && tid == 2) tl2AfterKey = true;
  }
  TCHECK(firstKeyAfterLift >= 0 && tl2AfterKey, "av1 stream: every layer after the key frame");
  if (!tl2AfterKey) fprintf(stderr, "  (cap %d from %d to %d, key every %d, first key after the lift %d)\n", cap, capFrom, capTo, keyEvery, firstKeyAfterLift);
  TCHECK(waitedBeforeKey > 0, "av1 stream: waits for a key frame after the lift");
  TCHECK(waitingAfterKey == 0, "av1 stream: no wait after the key frame");
  // NACKs: every number maps back to its packet, resent byte for byte; a dropped frame's packet is not resent.
  int mapped = 0;
  for (auto& o : out) {
    if (o.padding) continue;
    int32_t u = rw.mapBack(o.seq);
    if (u < 0) continue;
    TCHECK(uint16_t(u) == o.inSeq, "av1 stream: NACK maps back to the packet sent");
    const Bytes& src = up[uint16_t(u)].bytes;
    uint8_t again[kMaxRtp + 64];
    size_t n = rw.rewriteAgain(src.data(), src.size(), again);
    TCHECK(n > 0 && tm.fixAgain(src.data(), src.size(), again, n), "av1 stream: retransmission allowed");
    TCHECK(n == o.bytes.size() && memcmp(again, o.bytes.data(), n) == 0, "av1 stream: retransmission as first sent");
    mapped++;
  }
  TCHECK(mapped > 20, "av1 stream: NACKs mapped");
  int refused = 0;
  for (auto& kv : up) {
    if (sentOf.count(kv.second.frame)) continue;
    uint8_t again[kMaxRtp + 64];
    size_t n = rw.rewriteAgain(kv.second.bytes.data(), kv.second.bytes.size(), again);
    bool resent = n > 0 && tm.fixAgain(kv.second.bytes.data(), kv.second.bytes.size(), again, n);
    // Decisions are remembered for the last 256 frames: all of this stream's.
    TCHECK(!resent, "av1 stream: a dropped frame's packet is not resent");
    refused++;
  }
  TCHECK(refused > 0, "av1 stream: dropped packets checked");
}

/** The AV1 filter's edge cases: a frame first seen by a continuation is sent whole; a change of source starts over. */
static void av1EdgeChecks() {
  RtpRewriter rw;
  rw.ssrc = 1;
  rw.payloadType = 45;
  TemporalMember tm;
  TemporalGroup g;
  g.codec = TemporalCodec::Av1;
  uint8_t buf[kMaxRtp + 64];
  uint16_t seq = 10;
  auto send = [&](uint32_t ssrc, uint32_t ts, const Bytes& payload) {
    Bytes pkt = rtpOf(ssrc, seq++, ts, payload);
    TemporalInfo t = g.parse(pkt.data(), pkt.size());
    return tm.rewrite(t, rw, pkt.data(), pkt.size(), buf, 0) != kTemporalLeftOut;
  };
  Bytes key = av1Payload({obu(kObuSequenceHeader, 4), obu(kObuFrame, 20, 0)}, false, false, true, 2);
  Bytes tl1 = av1Payload({obu(kObuFrame, 20, 1)}, false, false, false, 1);
  Bytes tl1Start = av1Payload({obu(kObuFrame, 20, 1)}, false, true, false, 1);
  Bytes cont = av1Payload({Bytes(20, 0x11)}, true, false, false, 1);
  tm.cap = 0;
  TCHECK(send(5, 0, key), "av1 edge: key frame sent");
  TCHECK(!send(5, 3000, tl1), "av1 edge: TL1 dropped under cap 0");
  // A frame whose first packet is lost: its continuation, first seen, is sent, and the frame's
  // late first packet follows that decision.
  TCHECK(send(5, 6000, cont), "av1 edge: a frame first seen by a continuation is sent");
  TCHECK(send(5, 6000, tl1Start), "av1 edge: its late first packet too");
  // A frame's two packets: the first decides both.
  TCHECK(!send(5, 9000, tl1Start) && !send(5, 9000, cont), "av1 edge: a dropped frame's continuation");
  // A malformed payload (forbidden bit) at a new timestamp: sent, and so is its frame.
  Bytes bad = tl1;
  bad[1] |= 0x80;
  TCHECK(send(5, 12000, bad) && send(5, 12000, tl1), "av1 edge: a malformed first packet decides 'send'");
  // An older frame first seen late: sent.
  TCHECK(send(5, 4500, tl1), "av1 edge: a frame first seen late is sent");
  // A new source: every layer starts over (tm's cap 0 drops TL1 again at its next frame).
  tm.cap = -1;
  TCHECK(send(6, 100, tl1), "av1 edge: a new source's TL1 with no cap");
  tm.cap = 0;
  TCHECK(!send(6, 3100, tl1), "av1 edge: a new source capped");
  TCHECK(!tm.waitsForKeyframe(), "av1 edge: no wait under the cap");
  tm.cap = -1;
  TCHECK(tm.waitsForKeyframe() && !send(6, 6100, tl1), "av1 edge: lifted, TL1 waits for a key frame");
  TCHECK(send(6, 9100, key) && !tm.waitsForKeyframe() && send(6, 12100, tl1), "av1 edge: back at the key frame");
}

int temporalChecks() {
  fails = 0;
  parserChecks();
  streamChecks(0, 3, 40, false);
  streamChecks(1, 6, 30, false);
  streamChecks(0, 2, 50, true);
  av1ParserChecks();
  av1StreamChecks(0, 3, 40, 48, false, true);
  av1StreamChecks(1, 6, 30, 48, false, false);
  av1StreamChecks(0, 2, 50, 60, true, true);
  av1StreamChecks(1, 5, 50, 60, true, false);
  av1EdgeChecks();
  return fails;
}

/** A random AV1 payload: random elements (OBU headers with or without extension, fragments), Z/Y/N/W. */
static Bytes randomAv1(std::mt19937_64& rng) {
  std::vector<Bytes> els;
  for (int i = int(1 + rng() % 4); i > 0; i--) {
    if (rng() % 5 == 0) els.push_back(Bytes(rng() % 20, uint8_t(rng())));
    else els.push_back(obu(int(rng() % 16), rng() % 40, rng() % 3 ? int(rng() % 8) : -1));
  }
  int w = rng() % 2 && els.size() <= 3 ? int(els.size()) : 0;
  return av1Payload(els, rng() % 4 == 0, rng() % 4 == 0, rng() % 8 == 0, w);
}

/** One random or mutated payload through the parsers and a member with a random cap. */
void temporalFuzz(std::mt19937_64& rng, const std::vector<uint8_t>& random) {
  static RtpRewriter rw;
  static TemporalMember tm;
  static TemporalGroup g;
  // AV1 apart (its member's per-frame state is by timestamp), with its own rewriter.
  static RtpRewriter rwAv1;
  static TemporalMember tmAv1;
  static TemporalGroup gAv1;
  static uint16_t seq = 0;
  static uint32_t ts = 0;
  static int pid = 0;
  bool isAv1 = rng() % 2 == 0;
  Bytes in;
  if (rng() % 3 == 0) in = random;
  else {
    int tid = int(rng() % 3);
    if (isAv1) {
      in = rtpOf(uint32_t(rng() % 3), uint16_t(seq + int(rng() % 5) - 2), ts - uint32_t(rng() % 3) * 3000, randomAv1(rng));
      if (rng() % 3 == 0) ts += 3000;
    } else {
      in = vp8Packet(uint32_t(rng() % 3), uint16_t(seq + int(rng() % 5) - 2), 0, pid, int(rng() % 256), tid, rng() % 2, rng() % 2, rng() % 8 == 0,
                     12 + rng() % 40);
      if (rng() % 2) pid = (pid + 1) & 0x7fff;
    }
    seq++;
    for (int i = int(rng() % 4); i > 0 && !in.empty(); i--) in[rng() % in.size()] ^= uint8_t(1 << (rng() % 8));
    if (rng() % 4 == 0) in.resize(rng() % (in.size() + 1));
  }
  if (in.size() > kMaxRtp) in.resize(kMaxRtp);
  for (TemporalCodec c : {TemporalCodec::Vp8, TemporalCodec::Vp9, TemporalCodec::Av1}) {
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
    if (t.tid > kMaxTemporalId || t.tid < -1) abort();
    if (c == TemporalCodec::Av1 && (t.pictureId >= 0 || t.sync)) abort();
  }
  // The AV1 walk on the bare payload as well (no RTP header in front).
  TemporalInfo bare;
  if (readAv1Temporal(in.data(), in.size(), bare) && (bare.tid > kMaxTemporalId || bare.tid < -1)) abort();
  RtpRewriter& r = isAv1 ? rwAv1 : rw;
  TemporalMember& m = isAv1 ? tmAv1 : tm;
  TemporalGroup& gr = isAv1 ? gAv1 : g;
  gr.codec = isAv1 ? TemporalCodec::Av1 : rng() % 2 ? TemporalCodec::Vp8 : TemporalCodec::Vp9;
  if (rng() % 16 == 0) m.cap = int(rng() % 4) - 1;
  TemporalInfo t = gr.parse(in.data(), in.size());
  uint8_t out[kMaxRtp + 64];
  size_t len = m.rewrite(t, r, in.data(), in.size(), out, double(rng() % 100000));
  if (len != kTemporalLeftOut && len > in.size() && len != 16) {
    fprintf(stderr, "temporal: output longer than input\n");
    abort();
  }
  if (len != kTemporalLeftOut && len) m.fixAgain(in.data(), in.size(), out, len);
  m.waitsForKeyframe();
  for (int k = 0; k <= kMaxTemporalId; k++)
    if (k > gr.highestTid && gr.bytes[k]) abort();
  r.mapBack(uint16_t(rng()));
  size_t n = in.empty() ? 0 : r.rewriteAgain(in.data(), in.size(), out);
  if (n) m.fixAgain(in.data(), in.size(), out, n);
}

}  // namespace canopy
