// Byte-order helpers and small utilities shared by the parsers. No allocation, no exceptions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace canopy {

inline uint16_t rd16(const uint8_t* p) { return uint16_t((p[0] << 8) | p[1]); }
inline uint32_t rd32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }
inline void wr16(uint8_t* p, uint16_t v) { p[0] = uint8_t(v >> 8); p[1] = uint8_t(v); }
inline void wr32(uint8_t* p, uint32_t v) { p[0] = uint8_t(v >> 24); p[1] = uint8_t(v >> 16); p[2] = uint8_t(v >> 8); p[3] = uint8_t(v); }

/** (a - b) as a signed 16-bit distance: positive when a is newer (RFC 3550 §A.1). */
inline int delta16(uint16_t a, uint16_t b) { return int16_t(uint16_t(a - b)); }

/** CRC-32 (ISO-HDLC, as zlib), for the STUN FINGERPRINT (RFC 8489 §14.7). */
uint32_t crc32(const uint8_t* data, size_t len);

/** Constant-time comparison (integrity tags). */
inline bool equalCt(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t d = 0;
  for (size_t i = 0; i < n; i++) d |= uint8_t(a[i] ^ b[i]);
  return d == 0;
}

/** RFC 7983 §7: what the first byte of a datagram on a WebRTC port says it is. */
enum class Demux { Stun, Dtls, Rtp, Other };
inline Demux classify(const uint8_t* p, size_t n) {
  if (n == 0) return Demux::Other;
  uint8_t b = p[0];
  if (b <= 3) return Demux::Stun;
  if (b >= 20 && b <= 63) return Demux::Dtls;
  if (b >= 128 && b <= 191) return Demux::Rtp;
  return Demux::Other;
}

/** RFC 5761 §4: RTCP packet types 192-223 share the port with RTP. */
inline bool isRtcp(const uint8_t* p, size_t n) { return n >= 2 && p[1] >= 192 && p[1] <= 223; }

}  // namespace canopy
