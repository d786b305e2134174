#include "stun.h"
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace canopy {

namespace {
constexpr uint16_t kUsername = 0x0006, kIntegrity = 0x0008, kErrorCode = 0x0009, kXorMapped = 0x0020,
                   kPriority = 0x0024, kUseCandidate = 0x0025, kFingerprint = 0x8028, kControlled = 0x8029,
                   kControlling = 0x802a;
constexpr uint32_t kFingerprintXor = 0x5354554e;
}  // namespace

bool stunParse(const uint8_t* p, size_t n, StunRequest& out) {
  out = StunRequest();
  // RFC 8489 §5: 20-byte header, top two bits zero, length a multiple of 4 covering the rest.
  if (n < 20 || n > kMaxStunBytes || (p[0] & 0xc0) != 0) return false;
  size_t len = rd16(p + 2);
  if (len + 20 != n || (len & 3) != 0 || rd32(p + 4) != kStunMagic) return false;
  out.type = rd16(p);
  out.txid = p + 8;
  size_t off = 20;
  bool afterIntegrity = false;
  while (off + 4 <= n) {
    uint16_t t = rd16(p + off), l = rd16(p + off + 2);
    size_t body = off + 4, next = body + ((size_t(l) + 3) & ~size_t(3));
    if (next > n) return false;
    if (t == kFingerprint) {
      // §14.7: the last attribute, 4 bytes, CRC-32 of everything before it XOR 0x5354554e.
      if (l != 4 || next != n) return false;
      out.hasFingerprint = true;
      out.fingerprintOk = (crc32(p, off) ^ kFingerprintXor) == rd32(p + body);
    } else if (!afterIntegrity) {
      // §14.5: attributes after MESSAGE-INTEGRITY (but FINGERPRINT) are ignored.
      switch (t) {
        case kUsername:
          if (l == 0 || l > kMaxUsername) return false;
          out.username = p + body;
          out.usernameLen = l;
          break;
        case kIntegrity:
          if (l != 20) return false;
          out.integrityOffset = off;
          afterIntegrity = true;
          break;
        case kPriority:
          if (l != 4) return false;
          out.priority = rd32(p + body);
          break;
        case kUseCandidate:
          out.useCandidate = true;
          break;
        case kControlling:
          out.iceControlling = true;
          break;
        default:
          break;
      }
    }
    off = next;
  }
  return off == n;
}

std::string stunLocalUfrag(const StunRequest& r) {
  if (!r.username) return std::string();
  const char* u = reinterpret_cast<const char*>(r.username);
  const void* colon = memchr(u, ':', r.usernameLen);
  return std::string(u, colon ? size_t(static_cast<const char*>(colon) - u) : r.usernameLen);
}

static void hmacSha1(const std::string& key, const uint8_t* a, size_t an, const uint8_t* b, size_t bn, uint8_t out[20]) {
  // Node's OpenSSL 3: the one-shot HMAC() has no two-part input, so use the (deprecated but
  // exported and fast) HMAC_CTX API.
  HMAC_CTX* h = HMAC_CTX_new();
  unsigned int olen = 0;
  HMAC_Init_ex(h, key.data(), int(key.size()), EVP_sha1(), nullptr);
  HMAC_Update(h, a, an);
  if (bn) HMAC_Update(h, b, bn);
  HMAC_Final(h, out, &olen);
  HMAC_CTX_free(h);
}

bool stunCheckIntegrity(const uint8_t* p, size_t n, const StunRequest& r, const std::string& pwd) {
  if (!r.integrityOffset || r.integrityOffset + 24 > n) return false;
  // §14.5: the HMAC covers the message up to the attribute, with the header's length field
  // set as if MESSAGE-INTEGRITY were the last attribute.
  uint8_t head[20];
  memcpy(head, p, 20);
  wr16(head + 2, uint16_t(r.integrityOffset + 24 - 20));
  uint8_t mac[20];
  hmacSha1(pwd, head, 20, p + 20, r.integrityOffset - 20, mac);
  return equalCt(mac, p + r.integrityOffset + 4, 20);
}

size_t stunWriteResponse(uint8_t* out, const uint8_t* txid, const sockaddr* from, const std::string& pwd, int errorCode) {
  wr16(out, errorCode ? 0x0111 : 0x0101);
  wr32(out + 4, kStunMagic);
  memcpy(out + 8, txid, 12);
  size_t off = 20;
  if (errorCode) {
    // §14.8: class (hundreds) and number; no reason phrase needed.
    wr16(out + off, kErrorCode);
    wr16(out + off + 2, 4);
    out[off + 4] = out[off + 5] = 0;
    out[off + 6] = uint8_t(errorCode / 100);
    out[off + 7] = uint8_t(errorCode % 100);
    off += 8;
  } else if (from->sa_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(from);
    wr16(out + off, kXorMapped);
    wr16(out + off + 2, 8);
    out[off + 4] = 0;
    out[off + 5] = 1;
    wr16(out + off + 6, uint16_t(ntohs(a->sin_port) ^ (kStunMagic >> 16)));
    wr32(out + off + 8, ntohl(a->sin_addr.s_addr) ^ kStunMagic);
    off += 12;
  } else {
    auto* a = reinterpret_cast<const sockaddr_in6*>(from);
    wr16(out + off, kXorMapped);
    wr16(out + off + 2, 20);
    out[off + 4] = 0;
    out[off + 5] = 2;
    wr16(out + off + 6, uint16_t(ntohs(a->sin6_port) ^ (kStunMagic >> 16)));
    uint8_t x[16];
    wr32(x, kStunMagic);
    memcpy(x + 4, txid, 12);
    for (int i = 0; i < 16; i++) out[off + 8 + i] = a->sin6_addr.s6_addr[i] ^ x[i];
    off += 24;
  }
  // MESSAGE-INTEGRITY over everything so far, with the length counting it.
  wr16(out + 2, uint16_t(off + 24 - 20));
  uint8_t mac[20];
  hmacSha1(pwd, out, off, nullptr, 0, mac);
  wr16(out + off, kIntegrity);
  wr16(out + off + 2, 20);
  memcpy(out + off + 4, mac, 20);
  off += 24;
  wr16(out + 2, uint16_t(off + 8 - 20));
  uint32_t fp = crc32(out, off) ^ kFingerprintXor;
  wr16(out + off, kFingerprint);
  wr16(out + off + 2, 4);
  wr32(out + off + 4, fp);
  return off + 8;
}

}  // namespace canopy
