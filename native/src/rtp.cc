#include "rtp.h"
#include <cmath>

namespace canopy {

size_t RtpRewriter::write(const uint8_t* in, size_t n, size_t csrcEnd, size_t payloadOffset, uint16_t seq, uint32_t ts, uint8_t* out) const {
  memcpy(out, in, csrcEnd);
  size_t payload = n - payloadOffset;
  if (payload) memcpy(out + csrcEnd, in + payloadOffset, payload);
  out[0] = uint8_t(out[0] & ~0x10);
  out[1] = uint8_t((in[1] & 0x80) | (payloadType & 0x7f));
  wr16(out + 2, seq);
  wr32(out + 4, ts);
  wr32(out + 8, ssrc);
  return csrcEnd + payload;
}

void RtpRewriter::resync(uint16_t inSeq, uint32_t inTs, uint32_t inS, double nowMs) {
  // A new upstream source: continue one past our last sequence number, and advance the
  // timestamp by the wall time since our last packet (at least one tick).
  if (lastSeq >= 0) {
    seqOffset = uint16_t(lastSeq + 1 - inSeq);
    double e = std::round((nowMs - lastWallMs) * clockRate / 1000.0);
    uint32_t elapsed = e < 1 ? 1 : e > 4e9 ? 0xffffffffu : uint32_t(e);
    tsOffset = lastTs + elapsed - inTs;
  }
  inSsrc = inS;
  epochFirst = uint16_t(inSeq + seqOffset);
  skips.clear();
}

size_t RtpRewriter::rewrite(const uint8_t* in, size_t n, uint8_t* out, double nowMs) {
  size_t csrcEnd = 0;
  size_t payloadOffset = rtpHeaderEnd(in, n, &csrcEnd);
  if (!payloadOffset) return 0;
  uint16_t inSeq = rd16(in + 2);
  uint32_t inTs = rd32(in + 4);
  uint32_t inS = rd32(in + 8);
  if (int64_t(inS) != inSsrc) resync(inSeq, inTs, inS, nowMs);
  // A packet so late that the skips around it are forgotten has no number left to take.
  if (skips.size() && !skips.exact(inSeq)) return 0;
  uint16_t seq = outSeq(inSeq);
  // A late packet (a repair from upstream) from before this receiver's first packet of the
  // source: it belongs to a frame the receiver never started, so it is of no use to it, and
  // sent it would open a gap below the receiver's first sequence number. Not sent (counted
  // with malformedOut by the caller).
  if (lastSeq >= 0 && delta16(seq, epochFirst) < 0) return 0;
  skips.see(inSeq);
  uint32_t ts = inTs + tsOffset;
  size_t len = write(in, n, csrcEnd, payloadOffset, seq, ts, out);
  if (lastSeq < 0 || delta16(seq, uint16_t(lastSeq)) > 0) {
    lastSeq = seq;
    lastTs = ts;
    lastWallMs = nowMs;
  }
  packets++;
  octets += len - csrcEnd;
  return len;
}

size_t RtpRewriter::rewriteAgain(const uint8_t* in, size_t n, uint8_t* out) const {
  size_t csrcEnd = 0;
  size_t payloadOffset = rtpHeaderEnd(in, n, &csrcEnd);
  if (!payloadOffset || int64_t(rd32(in + 8)) != inSsrc) return 0;
  uint16_t inSeq = rd16(in + 2);
  if (skips.size() && !skips.exact(inSeq)) return 0;
  return write(in, n, csrcEnd, payloadOffset, outSeq(inSeq), rd32(in + 4) + tsOffset, out);
}

int32_t RtpRewriter::mapBack(uint16_t seq) const {
  if (lastSeq < 0) return -1;
  if (uint16_t(seq - epochFirst) > uint16_t(uint16_t(lastSeq) - epochFirst)) return -1;
  uint16_t plain = uint16_t(seq - seqOffset);
  return skips.size() ? skips.unmap(plain) : plain;
}

bool RtpRewriter::skip(const uint8_t* in, size_t n, double nowMs) {
  if (!rtpHeaderEnd(in, n)) return false;
  uint16_t inSeq = rd16(in + 2);
  uint32_t inS = rd32(in + 8);
  if (int64_t(inS) != inSsrc) resync(inSeq, rd32(in + 4), inS, nowMs);
  if (!skips.skip(inSeq)) return false;
  seqOffset = uint16_t(seqOffset - 1);
  return true;
}

size_t RtpRewriter::rewritePadding(const uint8_t* in, size_t n, uint8_t* out) {
  if (!rtpHeaderEnd(in, n) || int64_t(rd32(in + 8)) != inSsrc) return 0;
  uint16_t inSeq = rd16(in + 2);
  if (skips.size() && !skips.exact(inSeq)) return 0;
  memset(out, 0, 16);
  out[0] = 0xa0;  // V=2, P=1, no extension, no CSRC
  out[1] = uint8_t(payloadType & 0x7f);
  wr16(out + 2, outSeq(inSeq));
  wr32(out + 4, rd32(in + 4) + tsOffset);
  wr32(out + 8, ssrc);
  out[15] = 4;  // the padding's own length (RFC 3550 §5.1)
  packets++;
  return 16;
}

size_t wrapRtx(const uint8_t* pkt, size_t n, uint32_t rtxSsrc, uint8_t rtxPt, uint16_t rtxSeq, uint8_t* out) {
  size_t csrcEnd = 0;
  size_t payloadOffset = rtpHeaderEnd(pkt, n, &csrcEnd);
  if (!payloadOffset) return 0;
  memcpy(out, pkt, csrcEnd);
  out[0] = uint8_t(out[0] & ~0x10);
  out[1] = uint8_t((pkt[1] & 0x80) | (rtxPt & 0x7f));
  wr16(out + 2, rtxSeq);
  wr32(out + 8, rtxSsrc);
  // RFC 4588 §4: the original sequence number first in the payload.
  memcpy(out + csrcEnd, pkt + 2, 2);
  size_t payload = n - payloadOffset;
  if (payload) memcpy(out + csrcEnd + 2, pkt + payloadOffset, payload);
  return csrcEnd + 2 + payload;
}

bool parseRtcp(const uint8_t* p, size_t n, RtcpInfo& out) {
  size_t off = 0, seqs = 0;
  int packets = 0;
  while (off + 4 <= n) {
    if ((p[off] >> 6) != 2 || ++packets > 32) return false;
    uint8_t count = p[off] & 0x1f, pt = p[off + 1];
    size_t len = (size_t(rd16(p + off + 2)) + 1) * 4;
    if (off + len > n) return false;
    const uint8_t* b = p + off;
    if ((pt == 200 || pt == 201) && len >= 8) {
      // SR (§6.4.1) carries 20 bytes of sender info before its report blocks; RR none.
      size_t at = pt == 200 ? 28 : 8;
      for (uint8_t i = 0; i < count && at + 24 <= len; i++, at += 24)
        out.reports.push_back({rd32(b + at), rd32(b + at + 16), rd32(b + at + 20), b[at + 4]});
    } else if (pt == 205 && count == 1 && len >= 12) {
      // Generic NACK (RFC 4585 §6.2.1): PID and a bitmask of the 16 following.
      RtcpInfo::Nack nack{rd32(b + 8), {}};
      for (size_t at = 12; at + 4 <= len && seqs < kMaxNackSeqs; at += 4) {
        uint16_t pid = rd16(b + at), blp = rd16(b + at + 2);
        nack.seqs.push_back(pid);
        seqs++;
        for (int k = 0; k < 16 && seqs < kMaxNackSeqs; k++)
          if (blp & (1 << k)) {
            nack.seqs.push_back(uint16_t(pid + k + 1));
            seqs++;
          }
      }
      out.nacks.push_back(std::move(nack));
    } else if (pt == 206 && count == 1 && len >= 12) {
      out.plis.push_back(rd32(b + 8));  // PLI (RFC 4585 §6.3.1)
    } else if (pt == 206 && count == 4 && len >= 12) {
      // FIR (RFC 5104 §4.3.1): FCI entries of SSRC + seq nr.
      for (size_t at = 12; at + 8 <= len && out.firs.size() < 16; at += 8) out.firs.push_back(rd32(b + at));
    }
    off += len;
  }
  return off == n;
}

size_t writeSenderReport(uint8_t* out, uint32_t ssrc, uint64_t ntp, uint32_t rtpTs, uint32_t packets, uint32_t octets) {
  out[0] = 0x80;
  out[1] = 200;
  wr16(out + 2, 6);
  wr32(out + 4, ssrc);
  wr32(out + 8, uint32_t(ntp >> 32));
  wr32(out + 12, uint32_t(ntp));
  wr32(out + 16, rtpTs);
  wr32(out + 20, packets);
  wr32(out + 24, octets);
  return 28;
}

}  // namespace canopy
