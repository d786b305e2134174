// Temporal layer drops per fan-out member (issue 20, docs/abr.md "Temporal layers of a
// single-layer stream"): a port of src/engine/TemporalFilter.ts and src/media/temporalLayer.ts
// for the native fan-out. The group parses each packet's temporal layer once (VP8 TID, RFC 7741
// §4.2; VP9 TID, RFC 9628 §4.2; other codecs: none, no cap applies); each member leaves out the
// frames above its cap, and its RtpRewriter closes the gaps (RtpRewriter::skip), so the viewer
// NACKs nothing; VP8 PictureID and TL0PICIDX stay continuous. Every read is bounds-checked:
// the payload is whatever a publisher sent (native/fuzz feeds it random and mutated input).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include "rtp.h"
#include "skips.h"

namespace canopy {

enum class TemporalCodec : uint8_t { None = 0, Vp8 = 1, Vp9 = 2 };
/** "VP8" / "VP9" (any case); None for the rest (AV1's temporal id is in the Dependency Descriptor, not negotiated). */
TemporalCodec temporalCodecOf(const std::string& name);

/** The highest temporal layer id a descriptor can carry (VP9's TID is 3 bits; VP8's 2). */
constexpr int kMaxTemporalId = 7;
/** Frames whose decision a member remembers (by PictureID), for the later packets of each. */
constexpr size_t kTemporalDecisions = 256;
/** rewrite(): the packet was left out and its sequence number closed (nothing to send). */
constexpr size_t kTemporalLeftOut = ~size_t(0);

/** What the filter needs of one packet; offsets are into the RTP payload, -1 when absent. */
struct TemporalInfo {
  /** Parsed: a VP8/VP9 payload whose descriptor was whole. */
  bool valid = false;
  TemporalCodec codec = TemporalCodec::None;
  /** Temporal layer id, -1 when not signalled (VP8 without T; VP9 without L). */
  int8_t tid = -1;
  /** A switching point for its own layer: VP8 Y (depends only on TL0), VP9 U. */
  bool sync = false;
  /** The first packet of a key frame (RFC 7741 §4.3; RFC 9628 §4.2: P clear, B set, SID 0). */
  bool keyframe = false;
  /** The first packet of a frame (VP8: S=1 and PID=0; VP9: B). */
  bool frameStart = false;
  int32_t pictureId = -1;
  uint8_t pictureIdBits = 0;  // 0, 7 or 15
  int16_t pictureIdAt = -1;
  int16_t tl0PicIdx = -1;
  int16_t tl0PicIdxAt = -1;
};

/** The VP8 payload descriptor (RFC 7741 §4.2) of payload p[0..n); false when truncated. */
bool readVp8Temporal(const uint8_t* p, size_t n, TemporalInfo& out);
/** The VP9 payload descriptor (RFC 9628 §4.2) of payload p[0..n); false when truncated. */
bool readVp9Temporal(const uint8_t* p, size_t n, TemporalInfo& out);
/** A whole RTP packet's temporal information (header, extension, CSRCs and padding skipped); valid false when none. */
TemporalInfo temporalInfoOf(TemporalCodec codec, const uint8_t* rtp, size_t n);

/**
 * The group's side: its codec, and the bytes of each temporal layer offered (JS reads them once
 * a second for chooseTemporalCap, src/media/TemporalCap.ts). JS thread only (groupSend and
 * groupTemporalBytes), so no lock.
 */
struct TemporalGroup {
  TemporalCodec codec = TemporalCodec::None;
  uint64_t bytes[kMaxTemporalId + 1] = {};
  int highestTid = -1;
  /** Parses once for every member (codec None: nothing to parse). */
  TemporalInfo parse(const uint8_t* rtp, size_t n) {
    if (codec == TemporalCodec::None) return TemporalInfo();
    TemporalInfo t = temporalInfoOf(codec, rtp, n);
    if (t.valid && t.tid >= 0) {
      bytes[t.tid] += n;
      if (t.tid > highestTid) highestTid = t.tid;
    }
    return t;
  }
};

struct TemporalState;

/**
 * One member's filter, under its viewer's lock (Viewer::mu) like the rest of its rewrite state.
 * Nothing is allocated until a cap is first set (most members never get one); from then on the
 * per-frame state (~1.4 kB) lives as long as the member, since the numbering it changed must
 * stay continuous.
 */
struct TemporalMember {
  /** The highest temporal layer to send; -1: all. Set by Server::setTemporalCap; takes effect at the next frame. */
  int cap = -1;
  std::unique_ptr<TemporalState> st;
  uint64_t framesDropped = 0, packetsDropped = 0;
  /** The server's count of packets left out (Counters::temporalDropped); null: none. */
  std::atomic<uint64_t>* dropped = nullptr;

  TemporalMember();
  ~TemporalMember();
  /**
   * rw.rewrite(), or the packet left out when its frame is above the cap: kTemporalLeftOut when
   * its number was closed, or a padding packet in out when it came late (RFC 3550 §5.1). The
   * rewritten packet's VP8 PictureID and TL0PICIDX are renumbered. 0: malformed.
   */
  size_t rewrite(const TemporalInfo& t, RtpRewriter& rw, const uint8_t* in, size_t n, uint8_t* out, double nowMs) {
    if (!st && (cap < 0 || !t.valid)) return rw.rewrite(in, n, out, nowMs);
    return filter(t, rw, in, n, out, nowMs);
  }
  /**
   * A retransmission's rewritten copy out[0..n): its PictureID and TL0PICIDX as first sent.
   * False when it belongs to a frame that was left out (not resent).
   */
  bool fixAgain(uint8_t* out, size_t n) const;

 private:
  size_t filter(const TemporalInfo& t, RtpRewriter& rw, const uint8_t* in, size_t n, uint8_t* out, double nowMs);
};

}  // namespace canopy
