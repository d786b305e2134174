// STUN for ICE-lite (RFC 8489, RFC 8445 §7.3): parse a Binding request, check its short-term
// credentials, and write the success response.
#pragma once
#include <sys/socket.h>
#include <string>
#include "bytes.h"

namespace canopy {

constexpr uint32_t kStunMagic = 0x2112a442;
/** Larger datagrams are not connectivity checks. */
constexpr size_t kMaxStunBytes = 1280;
/** Longest USERNAME we look at (RFC 8489 §14.3: < 513 bytes; ICE ufrags are 4-256 chars). */
constexpr size_t kMaxUsername = 512;

struct StunRequest {
  uint16_t type = 0;
  const uint8_t* txid = nullptr;   // 12 bytes inside the datagram
  const uint8_t* username = nullptr;
  size_t usernameLen = 0;
  size_t integrityOffset = 0;      // offset of the MESSAGE-INTEGRITY attribute; 0 when absent
  bool hasFingerprint = false;
  bool fingerprintOk = false;
  bool useCandidate = false;
  bool iceControlling = false;
  uint32_t priority = 0;
};

/** Parses a STUN message (any class); false when it is not well-formed STUN. */
bool stunParse(const uint8_t* p, size_t n, StunRequest& out);

/** The local ufrag: the USERNAME up to its colon (RFC 8445 §7.2.2: "local:remote" as we see it). */
std::string stunLocalUfrag(const StunRequest& r);

/** Whether MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) verifies with key `pwd`. */
bool stunCheckIntegrity(const uint8_t* p, size_t n, const StunRequest& r, const std::string& pwd);

/**
 * Writes a Binding success response (or, with errorCode, an error response, RFC 8489 §14.8)
 * to `out` (at least 128 bytes): XOR-MAPPED-ADDRESS of `from`, MESSAGE-INTEGRITY with `pwd`,
 * FINGERPRINT. Returns its length.
 */
size_t stunWriteResponse(uint8_t* out, const uint8_t* txid, const sockaddr* from, const std::string& pwd, int errorCode = 0);

}  // namespace canopy
