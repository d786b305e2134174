// Checks of the values JS hands down from SDP (ICE credentials, DTLS fingerprint), with their
// size limits (RFC 8839 §5.4, RFC 8122 §5). Shared by the addon and the fuzz harness.
#pragma once
#include <cctype>
#include <string>

namespace canopy {

/** ice-char (ALPHA / DIGIT / "+" / "/") only, within [min, max] characters. */
inline bool iceToken(const std::string& s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) return false;
  return true;
}

/** "AB:CD:..." of 20 to 64 bytes (SHA-1 to SHA-512). */
inline bool fingerprintHex(const std::string& s) {
  if (s.size() < 20 * 3 - 1 || s.size() > 64 * 3 - 1 || s.size() % 3 != 2) return false;
  for (size_t i = 0; i < s.size(); i++) {
    if (i % 3 == 2 ? s[i] != ':' : !isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

inline bool fingerprintAlgorithm(const std::string& a) {
  return a == "sha-1" || a == "sha-256" || a == "sha-384" || a == "sha-512";
}

}  // namespace canopy
