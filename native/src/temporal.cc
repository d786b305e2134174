#include "temporal.h"
#include <algorithm>
#include <cstring>
#include "server.h"

namespace canopy {

TemporalCodec temporalCodecOf(const std::string& name) {
  std::string u;
  for (char c : name) u += char(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (u == "VP8") return TemporalCodec::Vp8;
  if (u == "VP9") return TemporalCodec::Vp9;
  if (u == "AV1") return TemporalCodec::Av1;
  return TemporalCodec::None;
}

/**
 * The PictureID both descriptors carry alike (RFC 7741 §4.2, RFC 9628 §4.2): M set, 15 bits over
 * two octets; else 7 bits in one. Returns the offset after it, 0 when truncated.
 */
static size_t readPictureId(const uint8_t* p, size_t n, size_t off, TemporalInfo& t) {
  if (off >= n) return 0;
  t.pictureIdAt = int16_t(off);
  if (p[off] & 0x80) {
    if (off + 1 >= n) return 0;
    t.pictureId = int32_t(((p[off] & 0x7f) << 8) | p[off + 1]);
    t.pictureIdBits = 15;
    return off + 2;
  }
  t.pictureId = p[off] & 0x7f;
  t.pictureIdBits = 7;
  return off + 1;
}

//      0 1 2 3 4 5 6 7
//     |X|R|N|S|R| PID |  X: extension; S: start of partition; PID: partition index
//  X: |I|L|T|K| RSV   |  I: PictureID; L: TL0PICIDX; T: TID; K: KEYIDX
//  I: |M| PictureID   |
//  L: |   TL0PICIDX   |
// T/K:|TID|Y| KEYIDX  |
bool readVp8Temporal(const uint8_t* p, size_t n, TemporalInfo& t) {
  t = TemporalInfo();
  if (n < 1) return false;
  uint8_t b0 = p[0];
  size_t off = 1;
  if (b0 & 0x80) {
    if (off >= n) return false;
    uint8_t x = p[off++];
    if (x & 0x80) {
      off = readPictureId(p, n, off, t);
      if (!off) return false;
    }
    if (x & 0x40) {
      if (off >= n) return false;
      t.tl0PicIdxAt = int16_t(off);
      t.tl0PicIdx = p[off++];
    }
    if (x & 0x30) {
      if (off >= n) return false;
      uint8_t tk = p[off++];
      if (x & 0x20) {
        t.tid = int8_t(tk >> 6);
        t.sync = (tk & 0x20) != 0;
      }
    }
  }
  t.frameStart = (b0 & 0x10) && (b0 & 0x07) == 0;
  // The VP8 payload header follows the descriptor in a frame's first packet: P clear is a key frame (§4.3).
  t.keyframe = t.frameStart && off < n && (p[off] & 0x01) == 0;
  t.valid = true;
  return true;
}

//      0 1 2 3 4 5 6 7
//     |I|P|L|F|B|E|V|Z|  I: PictureID; P: inter-picture predicted; L: layer indices; F: flexible; B: start of frame
//  I: |M| PICTURE ID  |
//  L: |  TID  |U| SID |D|
//     |   TL0PICIDX   |  non-flexible mode only
bool readVp9Temporal(const uint8_t* p, size_t n, TemporalInfo& t) {
  t = TemporalInfo();
  if (n < 1) return false;
  uint8_t b0 = p[0];
  size_t off = 1;
  if (b0 & 0x80) {
    off = readPictureId(p, n, off, t);
    if (!off) return false;
  }
  int sid = 0;
  if (b0 & 0x20) {
    if (off >= n) return false;
    uint8_t l = p[off++];
    t.tid = int8_t(l >> 5);
    t.sync = (l & 0x10) != 0;
    sid = (l >> 1) & 0x07;
    if (!(b0 & 0x10)) {
      if (off >= n) return false;
      t.tl0PicIdxAt = int16_t(off);
      t.tl0PicIdx = p[off++];
    }
  }
  t.frameStart = (b0 & 0x08) != 0;
  t.keyframe = (b0 & 0x40) == 0 && t.frameStart && sid == 0;
  t.valid = true;
  return true;
}

//      0 1 2 3 4 5 6 7
//     |Z|Y| W |N|-|-|-|  aggregation header (AV1 RTP payload format §4.4). Z: the first OBU
//                        element continues an OBU from the previous packet; Y: the last one
//                        continues in the next; W: 0, every element has a LEB128 length, or
//                        1..3 elements, the last without one (it fills the packet); N: the first
//                        packet of a coded video sequence (a key frame)
//     |len (LEB128)| OBU element | ...  (§4.5)
// An element that starts an OBU (all but a continuation) begins with the OBU header (AV1
// §5.3.2): forbidden(1) type(4) extension_flag(1) has_size_field(1) reserved(1), then with the
// extension flag the extension header (§5.3.3): temporal_id(3) spatial_id(2) reserved(3).
//
// The temporal id is that of the first OBU with an extension header: all of a packet's carry the
// same (RTP payload format §5). A packet that starts an OBU (other than a temporal delimiter)
// without one is layer 0 (a single operating point, AV1 §6.2.3, or a sequence header, which
// belongs to every operating point); one that only continues an OBU tells nothing (tid -1).
// Malformed: a length past the end, a LEB128 over 8 bytes, fewer elements than W, the forbidden
// bit, an extended OBU cut before its extension header. As readAv1Temporal, case for case.
bool readAv1Temporal(const uint8_t* p, size_t n, TemporalInfo& t) {
  t = TemporalInfo();
  if (n < 2) return false;
  uint8_t agg = p[0];
  bool z = (agg & 0x80) != 0;
  int w = (agg >> 4) & 0x03;
  size_t off = 1;
  bool startsObu = false;
  int firstType = -1;
  int tid = -1;
  for (int k = 1; off < n; k++) {
    if (k > kMaxAv1Elements) return false;
    size_t len;
    if (w != 0 && k == w) {
      len = n - off;
    } else {
      // LEB128 (AV1 §4.10.5): 7 bits a byte, low first; a clear top bit ends it. 8 bytes hold
      // 56 bits: no overflow, and anything past the packet is refused below.
      uint64_t v = 0;
      for (int i = 0;; i++) {
        if (i >= kMaxLeb128Bytes || off >= n) return false;
        uint8_t b = p[off++];
        v |= uint64_t(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) break;
      }
      if (v > n - off) return false;
      len = size_t(v);
    }
    if (len > 0 && !(k == 1 && z)) {
      uint8_t h = p[off];
      if (h & 0x80) return false;  // obu_forbidden_bit
      int type = (h >> 3) & 0x0f;
      if (k == 1) firstType = type;
      if (h & 0x04) {
        if (len < 2) return false;
        if (tid < 0) tid = p[off + 1] >> 5;
      } else if (type != kObuTemporalDelimiter) {
        startsObu = true;
      }
    }
    off += len;
    if (w != 0 && k == w) break;
    if (w != 0 && off >= n) return false;  // fewer elements than W says
  }
  if (tid < 0 && startsObu) tid = 0;
  t.tid = int8_t(tid);
  // N, or (as keyframe.ts for senders that repeat the sequence header with key frames without
  // setting N) a first element that starts a sequence header.
  t.keyframe = !z && ((agg & 0x08) != 0 || firstType == kObuSequenceHeader);
  t.valid = true;
  return true;
}

TemporalInfo temporalInfoOf(TemporalCodec codec, const uint8_t* rtp, size_t n) {
  TemporalInfo t;
  if (codec == TemporalCodec::None || n > kMaxRtp) return t;
  size_t off = rtpHeaderEnd(rtp, n);
  if (!off) return t;
  size_t end = n;
  if (rtp[0] & 0x20) {  // padding: its last octet counts it (RFC 3550 §5.1)
    size_t pad = rtp[n - 1];
    if (pad > end - off) return t;
    end -= pad;
  }
  if (end <= off) return t;
  bool ok = codec == TemporalCodec::Vp8   ? readVp8Temporal(rtp + off, end - off, t)
            : codec == TemporalCodec::Vp9 ? readVp9Temporal(rtp + off, end - off, t)
                                          : readAv1Temporal(rtp + off, end - off, t);
  if (!ok) t = TemporalInfo();
  else t.codec = codec;
  return t;
}

int TemporalGroup::av1Frame(const uint8_t* rtp, size_t n, TemporalInfo& t) {
  int tid = t.valid ? t.tid : -1;
  if (n < 12) return tid;
  if (!av1) av1.reset(new Av1Frames());
  Av1Frames& f = *av1;
  uint32_t ssrc = rd32(rtp + 8), ts = rd32(rtp + 4);
  if (int64_t(ssrc) != f.inSsrc) {
    f.inSsrc = ssrc;
    f.newestTs = -1;
    memset(f.used, 0, sizeof f.used);
  }
  if (f.newestTs < 0 || int32_t(ts - uint32_t(f.newestTs)) > 0) {
    f.newestTs = ts;
    t.frameStart = true;
  }
  size_t slot = av1TsSlot(ts);
  if (!f.used[slot] || f.ts[slot] != ts) {
    f.used[slot] = 1;
    f.ts[slot] = ts;
    f.tid[slot] = int8_t(tid);
  } else if (tid >= 0 && f.tid[slot] < 0) {
    f.tid[slot] = int8_t(tid);
  } else {
    tid = f.tid[slot];
  }
  return tid;
}

/** A member's per-frame state: src/engine/TemporalFilter.ts, member for member. */
struct TemporalState {
  TemporalCodec codec = TemporalCodec::None;
  bool vp8 = false;
  /** Whether each temporal layer is sent now: layer k only with k-1 (layer 0 always). */
  bool on[kMaxTemporalId + 1];
  int64_t inSsrc = -1;
  /** PictureIDs of this source seen and dropped (VP8: renumbered without the dropped ones). */
  SkipList pids{15};
  uint32_t pidOffset = 0;
  int32_t lastPidOut = -1;
  uint32_t tl0Offset = 0;
  int32_t lastTl0Out = -1;
  /**
   * VP8/VP9: decisions by PictureID & 255: the PictureID + 1 (0: none) and whether it is sent.
   * AV1 (one codec per member, so the slots are shared): decisions by av1TsSlot(RTP timestamp):
   * the timestamp, and in decidedKeep 0 none / 1 dropped / 2 sent, with the frame's TID.
   */
  union {
    int32_t decidedPid[kTemporalDecisions];
    uint32_t decidedTs[kTemporalDecisions];
  };
  uint8_t decidedKeep[kTemporalDecisions];
  int8_t decidedTid[kTemporalDecisions];
  /** AV1: the newest RTP timestamp seen (-1: none), and the highest TID (for waitsForKeyframe). */
  int64_t newestTs = -1;
  int highestTid = -1;

  TemporalState() {
    for (bool& b : on) b = true;
    memset(decidedPid, 0, sizeof decidedPid);
    memset(decidedKeep, 0, sizeof decidedKeep);
    memset(decidedTid, 0, sizeof decidedTid);
  }
  uint32_t mask() const { return pids.bits() == 7 ? 0x7f : 0x7fff; }
  uint32_t outPid(uint32_t pid) const { return (pid + pidOffset + (pids.size() ? pids.newerThan(pid) : 0)) & mask(); }

  /**
   * A new source (a republish): PictureID and TL0PICIDX continue one past the last sent, as
   * mediasoup's VP8 handler syncs them, and every layer starts over.
   */
  void newSource(uint32_t ssrc, const TemporalInfo& t) {
    inSsrc = ssrc;
    pids.reset(t.pictureIdBits == 7 ? 7 : 15);
    memset(decidedPid, 0, sizeof decidedPid);
    for (bool& b : on) b = true;
    pidOffset = lastPidOut >= 0 && t.pictureId >= 0 ? (uint32_t(lastPidOut) + 1 - uint32_t(t.pictureId)) & mask() : 0;
    // A TL0 frame starts a new TL0PICIDX; a frame of a higher layer belongs to the last one.
    tl0Offset = lastTl0Out >= 0 && t.tl0PicIdx >= 0 ? (uint32_t(lastTl0Out) + (t.tid > 0 ? 0 : 1) - uint32_t(t.tl0PicIdx)) & 0xff : 0;
  }

  /** A frame at the front of the stream: sent or not, by the cap and the layers' switching points. */
  bool admitFrame(const TemporalInfo& t, int capIn) {
    int cap = capIn < 0 ? kMaxTemporalId : capIn;
    if (t.keyframe) {
      // Nothing after a key frame references a frame before it: every layer can follow.
      for (bool& b : on) b = true;
      return true;
    }
    // A lowered cap takes effect here, at a frame boundary: a frame of layer k is never a
    // reference for lower layers (RFC 7741 §4.2, RFC 9628 §4.2).
    for (int k = cap + 1; k <= kMaxTemporalId; k++) on[k] = false;
    int k = t.tid;
    if (k == 0) return true;
    if (k > cap) return false;
    if (on[k]) return true;
    // Layer k comes back only at its switching point (VP8 Y, VP9 U) with k-1 sent.
    if (t.sync && on[k - 1]) {
      on[k] = true;
      return true;
    }
    return false;
  }

  /** Whether this packet's frame is sent; decided once per frame, at its first packet seen. */
  bool decide(const TemporalInfo& t, uint32_t ssrc, int cap, uint64_t& framesDropped) {
    if (int64_t(ssrc) != inSsrc) newSource(ssrc, t);
    if (t.pictureId < 0) return true;  // nothing tells this frame from the next: sent
    uint32_t pid = uint32_t(t.pictureId) & pids.mask();
    size_t slot = pid & (kTemporalDecisions - 1);
    bool keep = true;
    if (pids.newest() < 0 || pids.delta(pid, uint32_t(pids.newest())) > 0) {
      // A frame newer than any seen: decided now.
      keep = t.tid < 0 || admitFrame(t, cap);
      if (keep) pids.see(pid);
      else {
        pids.skip(pid);
        if (vp8) pidOffset = (pidOffset - 1) & mask();
        framesDropped++;
      }
      decidedPid[slot] = int32_t(pid) + 1;
      decidedKeep[slot] = keep ? 1 : 0;
    } else if (decidedPid[slot] == int32_t(pid) + 1) {
      keep = decidedKeep[slot] == 1;
    } else {
      // A frame first seen late: its numbers are already reserved between sent ones.
      decidedPid[slot] = int32_t(pid) + 1;
      decidedKeep[slot] = 1;
    }
    return keep;
  }

  /**
   * AV1 (TemporalFilter.decideAv1): one decision per frame (RTP timestamp), at its first packet
   * seen. A frame newer than any seen is decided by the cap; one first seen late (its sequence
   * numbers are reserved between sent ones) is sent, as is one whose first packet seen tells no
   * TID (a continuation, a malformed payload). The frame's TID comes from whichever packet
   * carries it.
   */
  bool decideAv1(const TemporalInfo& t, const uint8_t* rtp, size_t n, int cap, uint64_t& framesDropped) {
    if (n < 12) return true;
    uint32_t ssrc = rd32(rtp + 8), ts = rd32(rtp + 4);
    if (int64_t(ssrc) != inSsrc) {
      inSsrc = ssrc;
      for (bool& b : on) b = true;
      highestTid = -1;
      memset(decidedKeep, 0, sizeof decidedKeep);
      newestTs = -1;
    }
    size_t slot = av1TsSlot(ts);
    uint8_t state = decidedTs[slot] == ts ? decidedKeep[slot] : 0;
    int tid = t.valid ? t.tid : -1;
    if (state == 0) {
      bool keep = true;
      if (newestTs < 0 || int32_t(ts - uint32_t(newestTs)) > 0) {
        newestTs = ts;
        if (t.valid && tid >= 0) keep = admitFrame(t, cap);
        if (!keep) framesDropped++;
      }
      state = keep ? 2 : 1;
      decidedTs[slot] = ts;
      decidedKeep[slot] = state;
      decidedTid[slot] = int8_t(tid);
    } else if (tid >= 0 && decidedTid[slot] < 0) {
      decidedTid[slot] = int8_t(tid);
    } else {
      tid = decidedTid[slot];
    }
    if (tid > highestTid) highestTid = tid;
    return state == 2;
  }

  /** AV1: the decision on the frame of this RTP timestamp: 0 none remembered, 1 dropped, 2 sent. */
  uint8_t tsDecision(uint32_t ts) const {
    size_t slot = av1TsSlot(ts);
    return decidedTs[slot] == ts ? decidedKeep[slot] : 0;
  }

  void writePid(uint8_t* out, size_t n, size_t at, const TemporalInfo& t, uint32_t v) const {
    if (t.pictureIdBits == 15) {
      if (at + 1 >= n) return;
      out[at] = uint8_t(0x80 | ((v >> 8) & 0x7f));
      out[at + 1] = uint8_t(v);
    } else if (at < n) {
      out[at] = uint8_t(v & 0x7f);
    }
  }

  /** VP8: the renumbered PictureID and TL0PICIDX in the rewritten packet (its payload after our header and CSRCs). */
  void fix(const TemporalInfo& t, uint8_t* out, size_t n) {
    if (!vp8 || n < 12) return;
    size_t base = 12 + size_t(out[0] & 0x0f) * 4;
    if (t.pictureIdAt >= 0 && t.pictureId >= 0) {
      uint32_t v = outPid(uint32_t(t.pictureId));
      writePid(out, n, base + size_t(t.pictureIdAt), t, v);
      lastPidOut = int32_t(v);
    }
    if (t.tl0PicIdxAt >= 0 && base + size_t(t.tl0PicIdxAt) < n) {
      uint8_t v = uint8_t(uint32_t(t.tl0PicIdx) + tl0Offset);
      out[base + size_t(t.tl0PicIdxAt)] = v;
      lastTl0Out = v;
    }
  }
};

TemporalMember::TemporalMember() = default;
TemporalMember::~TemporalMember() = default;

size_t TemporalMember::filter(const TemporalInfo& t, RtpRewriter& rw, const uint8_t* in, size_t n, uint8_t* out, double nowMs) {
  if (!st) {
    // The first cap: the state starts at a frame's first packet, so no frame is cut in half
    // (AV1: the group's first packet of a new RTP timestamp); nothing was renumbered before,
    // so the offsets start at 0.
    if (!t.valid || !t.frameStart || (t.codec != TemporalCodec::Av1 && t.pictureId < 0)) return rw.rewrite(in, n, out, nowMs);
    st.reset(new TemporalState());
    st->codec = t.codec;
    st->vp8 = t.codec == TemporalCodec::Vp8;
  }
  // AV1: every packet goes through the per-frame decision (a malformed one follows its frame's,
  // or, first seen of its frame, is sent), as TemporalFilter.decideAv1.
  bool keep = st->codec == TemporalCodec::Av1 ? st->decideAv1(t, in, n, cap, framesDropped) : !t.valid || st->decide(t, rd32(in + 8), cap, framesDropped);
  if (!keep) {
    packetsDropped++;
    if (dropped) dropped->fetch_add(1, std::memory_order_relaxed);
    // No gap for the receiver to NACK: the next packets close it, or a late packet's place
    // gets padding.
    if (rw.skip(in, n, nowMs)) return kTemporalLeftOut;
    size_t len = rw.rewritePadding(in, n, out);
    return len ? len : kTemporalLeftOut;
  }
  size_t len = rw.rewrite(in, n, out, nowMs);
  if (len && t.valid) st->fix(t, out, len);
  return len;
}

bool TemporalMember::fixAgain(const uint8_t* up, size_t upN, uint8_t* out, size_t n) const {
  if (!st) return true;
  if (st->codec == TemporalCodec::Av1) return upN < 12 || st->tsDecision(rd32(up + 4)) != 1;
  if (n < 12) return true;
  TemporalInfo t = temporalInfoOf(st->codec, out, n);
  if (!t.valid || t.pictureId < 0) return true;
  uint32_t pid = uint32_t(t.pictureId) & st->pids.mask();
  size_t slot = pid & (kTemporalDecisions - 1);
  if (st->decidedPid[slot] == int32_t(pid) + 1 && st->decidedKeep[slot] == 0) return false;
  if (!st->vp8) return true;
  size_t base = 12 + size_t(out[0] & 0x0f) * 4;
  if (t.pictureIdAt >= 0) st->writePid(out, n, base + size_t(t.pictureIdAt), t, st->outPid(pid));
  if (t.tl0PicIdxAt >= 0 && base + size_t(t.tl0PicIdxAt) < n) out[base + size_t(t.tl0PicIdxAt)] = uint8_t(uint32_t(t.tl0PicIdx) + st->tl0Offset);
  return true;
}

bool TemporalMember::waitsForKeyframe() const {
  if (!st || st->codec != TemporalCodec::Av1 || st->highestTid < 1) return false;
  int top = std::min(cap < 0 ? kMaxTemporalId : cap, st->highestTid);
  for (int k = 1; k <= top; k++)
    if (!st->on[k]) return true;
  return false;
}

// The Server's side (declared in server.h): the cap set through the member-update path, under
// the viewer's lock as setRetransmitShare does, and the group's per-layer bytes for JS.

void Server::setTemporalCap(uint64_t viewerId, uint32_t ssrc, int cap) {
  auto v = byId(viewerId);
  if (!v) return;
  if (cap > kMaxTemporalId) cap = -1;
  if (cap < -1) cap = -1;
  std::lock_guard<std::mutex> l(v->mu);
  for (auto& m : v->members)
    if (m->opts.ssrc == ssrc) m->temporal.cap = cap;
}

bool Server::temporalWaitsForKeyframe(uint64_t viewerId, uint32_t ssrc) {
  auto v = byId(viewerId);
  if (!v) return false;
  std::lock_guard<std::mutex> l(v->mu);
  for (auto& m : v->members)
    if (m->opts.ssrc == ssrc) return m->temporal.waitsForKeyframe();
  return false;
}

double Server::temporalFramesDropped(uint64_t viewerId, uint32_t ssrc) {
  auto v = byId(viewerId);
  if (!v) return -1;
  std::lock_guard<std::mutex> l(v->mu);
  for (auto& m : v->members)
    if (m->opts.ssrc == ssrc) return double(m->temporal.framesDropped);
  return -1;
}

bool Server::groupTemporalBytes(uint64_t gid, std::vector<double>& out) {
  std::shared_ptr<Group> g;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = groups_.find(gid);
    if (it == groups_.end()) return false;
    g = it->second;
  }
  out.clear();
  for (int k = 0; k <= g->temporal.highestTid; k++) out.push_back(double(g->temporal.bytes[k]));
  return true;
}

}  // namespace canopy
