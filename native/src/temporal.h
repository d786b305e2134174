// Temporal layer drops per fan-out member (issue 20, docs/abr.md "Temporal layers of a
// single-layer stream"): a port of src/engine/TemporalFilter.ts and src/media/temporalLayer.ts
// for the native fan-out. The group parses each packet's temporal layer once (VP8 TID, RFC 7741
// §4.2; VP9 TID, RFC 9628 §4.2; AV1 temporal_id from the OBU extension header, AV1 §5.3.3, found
// by walking the RTP payload's OBU elements, AV1 RTP payload format §4.4-4.5; other codecs:
// none, no cap applies); each member leaves out the frames above its cap, and its RtpRewriter
// closes the gaps (RtpRewriter::skip), so the viewer NACKs nothing; VP8 PictureID and TL0PICIDX
// stay continuous. Every read is bounds-checked: the payload is whatever a publisher sent
// (native/fuzz feeds it random and mutated input).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include "rtp.h"
#include "skips.h"

namespace canopy {

enum class TemporalCodec : uint8_t { None = 0, Vp8 = 1, Vp9 = 2, Av1 = 3 };
/** "VP8" / "VP9" / "AV1" (any case); None for the rest (H.264, H.265: no temporal id read here). */
TemporalCodec temporalCodecOf(const std::string& name);

/** The highest temporal layer id a descriptor can carry (VP9's TID and AV1's temporal_id are 3 bits; VP8's 2). */
constexpr int kMaxTemporalId = 7;
/** Frames whose decision a member remembers (by PictureID; AV1: by RTP timestamp, hashed), for the later packets of each. */
constexpr size_t kTemporalDecisions = 256;
/** A LEB128 value is at most 8 bytes long (AV1 §4.10.5). */
constexpr int kMaxLeb128Bytes = 8;
/** OBU elements walked per AV1 packet: far above any real packet's (libwebrtc aggregates a handful). */
constexpr int kMaxAv1Elements = 64;
/** OBU types (AV1 §6.2.2). */
constexpr int kObuSequenceHeader = 1;
constexpr int kObuTemporalDelimiter = 2;
/** rewrite(): the packet was left out and its sequence number closed (nothing to send). */
constexpr size_t kTemporalLeftOut = ~size_t(0);

/** What the filter needs of one packet; offsets are into the RTP payload, -1 when absent. */
struct TemporalInfo {
  /** Parsed: a VP8/VP9 payload whose descriptor was whole; an AV1 payload whose OBU elements were. */
  bool valid = false;
  TemporalCodec codec = TemporalCodec::None;
  /**
   * Temporal layer id, -1 when not signalled (VP8 without T; VP9 without L; AV1: a packet that
   * only continues an OBU, whose frame's id is that of the frame's first packet).
   */
  int8_t tid = -1;
  /** A switching point for its own layer: VP8 Y (depends only on TL0), VP9 U; AV1: never (its bitstream has none). */
  bool sync = false;
  /**
   * The first packet of a key frame (RFC 7741 §4.3; RFC 9628 §4.2: P clear, B set, SID 0; AV1
   * RTP payload format §4.4: N, or a first element that starts a sequence header).
   */
  bool keyframe = false;
  /**
   * The first packet of a frame (VP8: S=1 and PID=0; VP9: B; AV1: set by TemporalGroup::parse,
   * the first packet of an RTP timestamp newer than any before, since the payload cannot tell).
   */
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
/**
 * The AV1 RTP payload p[0..n) (aggregation header and OBU elements, AV1 RTP payload format
 * §4.4-4.5): the first OBU extension header's temporal_id; false when malformed. A port of
 * readAv1Temporal (src/media/temporalLayer.ts), edge cases included.
 */
bool readAv1Temporal(const uint8_t* p, size_t n, TemporalInfo& out);
/** A whole RTP packet's temporal information (header, extension, CSRCs and padding skipped); valid false when none. */
TemporalInfo temporalInfoOf(TemporalCodec codec, const uint8_t* rtp, size_t n);

/** AV1: a slot for an RTP timestamp (Fibonacci hashing: frame timestamps step by the same interval, so their low bits repeat). */
inline size_t av1TsSlot(uint32_t ts) { return size_t(uint32_t(ts * 0x9e3779b1u) >> 24); }
static_assert(kTemporalDecisions == 256, "av1TsSlot gives 8 bits");

/**
 * AV1 frames the group has seen (by RTP timestamp): each frame's temporal id, from whichever of
 * its packets carries one, so that its continuation packets count in its layer's bytes (as
 * TemporalFilter.decideAv1 counts them), and the newest timestamp, for frameStart.
 */
struct Av1Frames {
  int64_t inSsrc = -1;
  int64_t newestTs = -1;
  uint32_t ts[kTemporalDecisions] = {};
  int8_t tid[kTemporalDecisions] = {};
  uint8_t used[kTemporalDecisions] = {};
};

/**
 * The group's side: its codec, and the bytes of each temporal layer offered (JS reads them once
 * a second for chooseTemporalCap, src/media/TemporalCap.ts). JS thread only (groupSend and
 * groupTemporalBytes), so no lock.
 */
struct TemporalGroup {
  TemporalCodec codec = TemporalCodec::None;
  uint64_t bytes[kMaxTemporalId + 1] = {};
  int highestTid = -1;
  /** AV1 only (allocated at its first packet, ~1.5 kB). */
  std::unique_ptr<Av1Frames> av1;
  /** Parses once for every member (codec None: nothing to parse). */
  TemporalInfo parse(const uint8_t* rtp, size_t n) {
    if (codec == TemporalCodec::None) return TemporalInfo();
    TemporalInfo t = temporalInfoOf(codec, rtp, n);
    int tid = t.valid ? t.tid : -1;
    if (codec == TemporalCodec::Av1) tid = av1Frame(rtp, n, t);
    if (tid >= 0) {
      bytes[tid] += n;
      if (tid > highestTid) highestTid = tid;
    }
    return t;
  }

 private:
  /** AV1: sets t.frameStart; returns the temporal id of the packet's frame (-1: not known). */
  int av1Frame(const uint8_t* rtp, size_t n, TemporalInfo& t);
};

struct TemporalState;

/**
 * One member's filter, under its viewer's lock (Viewer::mu) like the rest of its rewrite state.
 * Nothing is allocated until a cap is first set (most members never get one); from then on the
 * per-frame state (~1.6 kB) lives as long as the member, since the numbering it changed must
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
   * A retransmission's rewritten copy out[0..n) of the upstream packet up[0..upN): its
   * PictureID and TL0PICIDX as first sent. False when it belongs to a frame that was left out
   * (not resent; AV1 frames are known by their upstream RTP timestamp, the copy's is rewritten).
   */
  bool fixAgain(const uint8_t* up, size_t upN, uint8_t* out, size_t n) const;
  /**
   * AV1: a temporal layer the cap allows is still left out, and only a key frame brings it back
   * (the bitstream signals no switching point): TemporalFilter.waitsForKeyframe. JS then asks
   * for one (ViewerTemporal.tick).
   */
  bool waitsForKeyframe() const;

 private:
  size_t filter(const TemporalInfo& t, RtpRewriter& rw, const uint8_t* in, size_t n, uint8_t* out, double nowMs);
};

}  // namespace canopy
