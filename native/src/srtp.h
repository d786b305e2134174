// SRTP and SRTCP (RFC 3711) on OpenSSL EVP: AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM
// (RFC 7714), key derivation (§4.3), index estimation (§3.3.1, Appendix A) and a replay
// window on input (§3.3.2). One session per direction: a viewer has one to protect what we
// send and one to unprotect what it sends. Not thread-safe: its owner serialises calls.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct hmac_ctx_st HMAC_CTX;

namespace canopy {

/** DTLS-SRTP protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2). */
enum SrtpProfile : int { kAesCm128HmacSha1_80 = 0x0001, kAeadAes128Gcm = 0x0007 };

constexpr size_t kSrtpMaxTrailer = 16 + 4;  // GCM tag + SRTCP index: what protect adds at most

/** Master key and salt lengths for a profile (RFC 5764 §4.1.2, RFC 7714 §12). */
inline size_t srtpKeyLen(int) { return 16; }
inline size_t srtpSaltLen(int profile) { return profile == kAeadAes128Gcm ? 12 : 14; }

/**
 * Whether new AEAD_AES_128_GCM sessions use the provider's functions directly (the default) or
 * EVP. For the fuzz harness's check that the two give the same bytes; not for production.
 */
void srtpUseProviderGcm(bool on);

/** The RFC 3711 §4.3 key derivation, exposed for its known-answer test (Appendix B.3). */
bool srtpDeriveKey(const uint8_t* masterKey, const uint8_t salt14[14], uint8_t label, uint8_t* out, size_t n);

class SrtpSession {
 public:
  SrtpSession() = default;
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  /**
   * `encrypt`: a session that protects (true) or unprotects (false). `withRtp` false: SRTCP
   * only (a relay's viewers send no media; their unprotecting session then holds no RTP cipher
   * contexts, 1.2-2.5 kB a viewer), and the RTP calls fail.
   */
  bool init(int profile, const uint8_t* masterKey, const uint8_t* masterSalt, bool encrypt, bool withRtp = true);
  bool ready() const { return profile_ != 0; }
  int profile() const { return profile_; }

  /** Protects the RTP packet in buf[0..len) in place; cap >= len + kSrtpMaxTrailer. Returns the new length, 0 on error. */
  size_t protectRtp(uint8_t* buf, size_t len, size_t cap);
  size_t protectRtcp(uint8_t* buf, size_t len, size_t cap);
  /** Checks and decrypts in place; returns the plain length, 0 when it fails (auth, replay, form). */
  size_t unprotectRtp(uint8_t* buf, size_t len);
  size_t unprotectRtcp(uint8_t* buf, size_t len);

  /** Why the last unprotect failed: "auth", "replay", "malformed". */
  const char* lastError() const { return err_; }

 private:
  struct Stream {
    uint32_t ssrc;
    bool started = false;
    uint32_t roc = 0;
    uint16_t lastSeq = 0;
    uint64_t highest = 0;  // highest index seen (RTP: roc<<16|seq; RTCP: SRTCP index)
    uint64_t window = 0;   // replay bitmask: bit i = highest - i seen
    uint32_t rtcpIndex = 0;  // next SRTCP index we send
  };
  Stream& stream(uint32_t ssrc, bool rtcp);
  bool replayCheck(Stream& s, uint64_t index) const;
  void replayAccept(Stream& s, uint64_t index);
  bool ctr(EVP_CIPHER_CTX* c, const uint8_t iv[16], uint8_t* data, size_t n);
  /** One AEAD_AES_128_GCM seal or open in place, with the RTP (rtcp false) or the SRTCP key. */
  bool gcm(bool rtcp, const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, uint8_t* tag, bool enc);
  void hmac(HMAC_CTX* h, const uint8_t* a, size_t an, const uint8_t* b, size_t bn, uint8_t out[20]);

  int profile_ = 0;
  bool encrypt_ = true;
  uint8_t rtpSalt_[14] = {}, rtcpSalt_[14] = {};
  EVP_CIPHER_CTX* rtpCipher_ = nullptr;
  EVP_CIPHER_CTX* rtcpCipher_ = nullptr;
  /** AEAD_AES_128_GCM: the provider's own contexts for the per-packet calls (srtp.cc); null: EVP. */
  void* rtpGcm_ = nullptr;
  void* rtcpGcm_ = nullptr;
  HMAC_CTX* rtpMac_ = nullptr;
  HMAC_CTX* rtcpMac_ = nullptr;
  std::vector<Stream> rtp_, rtcp_;
  const char* err_ = "";
};

}  // namespace canopy
