// RFC 4571 §2 framing for ICE-TCP (RFC 6544 §3): on a TCP connection every STUN, DTLS, SRTP and
// SRTCP packet is preceded by its length as a 16-bit big-endian number. No allocation: a
// reader holds at most one partial frame of kMaxFrame bytes, so a peer cannot make it grow.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace canopy {

class FrameReader {
 public:
  /**
   * Largest frame we accept. RFC 4571 allows 65535, but nothing a WebRTC peer sends us is
   * larger than a UDP datagram it would have sent instead (STUN ≤ 1280, DTLS records sized to
   * the path MTU, SRTCP compounds): 4 KiB leaves room and bounds the per-connection buffer.
   */
  static constexpr size_t kMaxFrame = 4096;

  /**
   * Feeds received bytes and calls onFrame(uint8_t* p, size_t n) for each complete non-empty
   * frame (p may be modified in place: SRTCP is unprotected there). Returns false when a frame
   * announces more than kMaxFrame bytes: the stream cannot be resynchronised, the caller closes.
   */
  template <class F>
  bool feed(const uint8_t* p, size_t n, F&& onFrame) {
    while (n > 0) {
      if (have_ < 2) {
        size_t take = n < 2 - have_ ? n : 2 - have_;
        memcpy(buf_ + have_, p, take);
        have_ += take;
        p += take;
        n -= take;
        if (have_ < 2) return true;
      }
      size_t len = (size_t(buf_[0]) << 8) | buf_[1];
      if (len > kMaxFrame) return false;
      size_t need = 2 + len - have_;
      size_t take = n < need ? n : need;
      memcpy(buf_ + have_, p, take);
      have_ += take;
      p += take;
      n -= take;
      if (have_ == 2 + len) {
        have_ = 0;
        if (len > 0) onFrame(buf_ + 2, len);  // an empty frame carries nothing (skipped)
      }
    }
    return true;
  }

  /** Bytes of a partial frame held. */
  size_t buffered() const { return have_; }

 private:
  uint8_t buf_[2 + kMaxFrame];
  size_t have_ = 0;
};

/** Writes the RFC 4571 length prefix of an n-byte packet (n ≤ 65535). */
inline void writeFrameHeader(uint8_t out[2], size_t n) {
  out[0] = uint8_t(n >> 8);
  out[1] = uint8_t(n);
}

}  // namespace canopy
