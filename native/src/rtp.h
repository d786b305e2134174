// RTP and RTCP on the native packet path: the per-receiver rewrite (as src/rtp.ts RtpRewriter
// does it), RTX wrapping (RFC 4588 §4), and a bounded parser of the receiver's compound RTCP
// (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3.1).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>
#include "bytes.h"
#include "skips.h"

namespace canopy {

constexpr size_t kMaxRtp = 1500;

/** Header length (fixed + CSRCs + extension) of an RTP packet; 0 when malformed. */
inline size_t rtpHeaderEnd(const uint8_t* p, size_t n, size_t* csrcEnd = nullptr) {
  if (n < 12 || (p[0] >> 6) != 2) return 0;
  size_t c = 12 + (p[0] & 0x0f) * 4;
  size_t off = c;
  if (p[0] & 0x10) {
    if (n < c + 4) return 0;
    off = c + 4 + size_t(rd16(p + c + 2)) * 4;
  }
  if (off > n) return 0;
  if (csrcEnd) *csrcEnd = c;
  return off;
}

/**
 * One upstream flow rewritten for one receiver: its SSRC and payload type, no header extension,
 * sequence numbers and timestamps continuous across a change of upstream SSRC.
 */
struct RtpRewriter {
  uint32_t ssrc = 0;
  uint8_t payloadType = 0;
  uint32_t clockRate = 90000;
  int64_t inSsrc = -1;
  uint16_t seqOffset = 0;
  uint32_t tsOffset = 0;
  uint16_t epochFirst = 0;
  int32_t lastSeq = -1;
  uint32_t lastTs = 0;
  double lastWallMs = 0;
  uint64_t packets = 0, octets = 0;
  /**
   * Upstream sequence numbers of the current epoch left out on purpose (skip(): a dropped
   * temporal layer, temporal.h), so that the receiver sees no gap to NACK (src/rtp.ts).
   */
  SkipList skips{16};

  /** Writes the rewritten packet to out (>= n bytes); returns its length, 0 when malformed. */
  size_t rewrite(const uint8_t* in, size_t n, uint8_t* out, double nowMs);
  /** A packet of the current epoch again (a retransmission); 0 when of another source. */
  size_t rewriteAgain(const uint8_t* in, size_t n, uint8_t* out) const;
  /** The upstream sequence number our seq came from, -1 when not of the current epoch. */
  int32_t mapBack(uint16_t seq) const;
  /**
   * Leaves this upstream packet out without a gap in our sequence numbers: the packets after it
   * are numbered one lower. Only the newest packet of the epoch can be; false for an older one
   * (its number lies between sent ones: send rewritePadding in its place) or a malformed one.
   */
  bool skip(const uint8_t* in, size_t n, double nowMs);
  /**
   * A padding-only packet (RFC 3550 §5.1: P set, 4 octets of padding, no payload) with the
   * number and timestamp this upstream packet gets, for a late packet that is not sent; out >=
   * 16 bytes. 0 for a malformed packet or another source's.
   */
  size_t rewritePadding(const uint8_t* in, size_t n, uint8_t* out);

 private:
  void resync(uint16_t inSeq, uint32_t inTs, uint32_t inS, double nowMs);
  /** Our sequence number for an upstream one of the current epoch (skips newer than it do not count). */
  uint16_t outSeq(uint16_t inSeq) const { return uint16_t(inSeq + seqOffset + (skips.size() ? skips.newerThan(inSeq) : 0)); }
  size_t write(const uint8_t* in, size_t n, size_t csrcEnd, size_t payloadOffset, uint16_t seq, uint32_t ts, uint8_t* out) const;
};

/** Wraps a (rewritten) media packet as RTX; out (not overlapping pkt) >= n + 2 bytes. Returns the length or 0. */
size_t wrapRtx(const uint8_t* pkt, size_t n, uint32_t rtxSsrc, uint8_t rtxPt, uint16_t rtxSeq, uint8_t* out);

/** What a receiver's compound RTCP packet asks of us. */
struct RtcpInfo {
  struct Nack {
    uint32_t mediaSsrc;
    std::vector<uint16_t> seqs;
  };
  struct Block {
    uint32_t ssrc, lsr, dlsr;
    uint8_t fractionLost;
  };
  std::vector<Nack> nacks;
  std::vector<uint32_t> plis, firs;
  std::vector<Block> reports;
  void clear() {
    nacks.clear();
    plis.clear();
    firs.clear();
    reports.clear();
  }
};

/** Most sequence numbers one compound packet may ask for (a bound on the work a NACK can cause). */
constexpr size_t kMaxNackSeqs = 512;

/** Parses a compound RTCP packet; false when its framing is broken (what parsed so far stays). */
bool parseRtcp(const uint8_t* p, size_t n, RtcpInfo& out);

/** A sender report (RFC 3550 §6.4.1) for our SSRC; out >= 28 bytes. */
size_t writeSenderReport(uint8_t* out, uint32_t ssrc, uint64_t ntp, uint32_t rtpTs, uint32_t packets, uint32_t octets);

}  // namespace canopy
