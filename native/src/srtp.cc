#include "srtp.h"
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <atomic>
#include <cstring>
#include "bytes.h"

namespace canopy {

namespace {
constexpr size_t kAuthTag = 10;   // HMAC-SHA1-80
constexpr size_t kGcmTag = 16;
constexpr size_t kReplayWindow = 64;  // RFC 3711 §3.3.2: at least 64
/** Streams remembered per session (a viewer has a few SSRCs; bounds a hostile sender). */
constexpr size_t kMaxStreams = 16;

/**
 * AES-128-GCM through its provider's own functions (the OpenSSL 3 provider API, public:
 * OSSL_PROVIDER_query_operation(3), provider-cipher(7)), for the per-packet calls. Through EVP,
 * each packet's EVP_CipherInit_ex asked the provider for the IV length by parameter name and
 * reading the tag went through EVP_CIPHER_CTX_ctrl's translation to parameters: together ~8% of
 * a relay's CPU at 1,000 viewers (perf, issue 19), for two answers that never change. Keys and
 * the algorithm are the same; a session whose provider lookup fails keeps EVP.
 */
struct GcmProvider {
  OSSL_FUNC_cipher_newctx_fn* newctx = nullptr;
  OSSL_FUNC_cipher_freectx_fn* freectx = nullptr;
  OSSL_FUNC_cipher_encrypt_init_fn* einit = nullptr;
  OSSL_FUNC_cipher_decrypt_init_fn* dinit = nullptr;
  OSSL_FUNC_cipher_update_fn* update = nullptr;
  OSSL_FUNC_cipher_final_fn* final = nullptr;
  OSSL_FUNC_cipher_get_ctx_params_fn* getParams = nullptr;
  OSSL_FUNC_cipher_set_ctx_params_fn* setParams = nullptr;
  void* provctx = nullptr;
  bool ok = false;
};

/** Whether a provider's colon-separated algorithm names include `name`. */
bool namesInclude(const char* names, const char* name) {
  size_t n = strlen(name);
  for (const char* p = names; p && *p;) {
    const char* end = strchr(p, ':');
    size_t len = end ? size_t(end - p) : strlen(p);
    if (len == n && strncasecmp(p, name, n) == 0) return true;
    p = end ? end + 1 : nullptr;
  }
  return false;
}

const GcmProvider& gcmProvider() {
  static const GcmProvider g = [] {
    GcmProvider r;
    // The fetched cipher is kept for the process's life: it holds its provider loaded.
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
    const OSSL_PROVIDER* prov = c ? EVP_CIPHER_get0_provider(c) : nullptr;
    if (!prov) return r;
    int noStore = 0;
    const OSSL_ALGORITHM* algs = OSSL_PROVIDER_query_operation(prov, OSSL_OP_CIPHER, &noStore);
    for (const OSSL_ALGORITHM* a = algs; a && a->algorithm_names; a++) {
      if (!namesInclude(a->algorithm_names, "AES-128-GCM")) continue;
      for (const OSSL_DISPATCH* d = a->implementation; d->function_id != 0; d++) {
        switch (d->function_id) {
          case OSSL_FUNC_CIPHER_NEWCTX: r.newctx = OSSL_FUNC_cipher_newctx(d); break;
          case OSSL_FUNC_CIPHER_FREECTX: r.freectx = OSSL_FUNC_cipher_freectx(d); break;
          case OSSL_FUNC_CIPHER_ENCRYPT_INIT: r.einit = OSSL_FUNC_cipher_encrypt_init(d); break;
          case OSSL_FUNC_CIPHER_DECRYPT_INIT: r.dinit = OSSL_FUNC_cipher_decrypt_init(d); break;
          case OSSL_FUNC_CIPHER_UPDATE: r.update = OSSL_FUNC_cipher_update(d); break;
          case OSSL_FUNC_CIPHER_FINAL: r.final = OSSL_FUNC_cipher_final(d); break;
          case OSSL_FUNC_CIPHER_GET_CTX_PARAMS: r.getParams = OSSL_FUNC_cipher_get_ctx_params(d); break;
          case OSSL_FUNC_CIPHER_SET_CTX_PARAMS: r.setParams = OSSL_FUNC_cipher_set_ctx_params(d); break;
          default: break;
        }
      }
      break;
    }
    OSSL_PROVIDER_unquery_operation(prov, OSSL_OP_CIPHER, algs);
    r.provctx = OSSL_PROVIDER_get0_provider_ctx(prov);
    r.ok = r.newctx && r.freectx && r.einit && r.dinit && r.update && r.final && r.getParams && r.setParams;
    return r;
  }();
  return g;
}

std::atomic<bool> useProviderGcm{true};

/** A provider GCM context keyed for one direction; null when the provider path is unavailable. */
void* newGcm(const uint8_t key[16], bool encrypt) {
  const GcmProvider& g = gcmProvider();
  if (!g.ok || !useProviderGcm.load(std::memory_order_relaxed)) return nullptr;
  void* ctx = g.newctx(g.provctx);
  if (!ctx) return nullptr;
  if ((encrypt ? g.einit : g.dinit)(ctx, key, 16, nullptr, 0, nullptr) != 1) {
    g.freectx(ctx);
    return nullptr;
  }
  return ctx;
}

void freeGcm(void* ctx) {
  if (ctx) gcmProvider().freectx(ctx);
}

/** One GCM seal (enc) or open of data[0..n) in place with the given IV and AAD; the tag is 16 bytes. */
bool gcmOnce(void* ctx, const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, uint8_t* tag, bool enc) {
  const GcmProvider& g = gcmProvider();
  size_t ol = 0;
  if ((enc ? g.einit : g.dinit)(ctx, nullptr, 0, iv, 12, nullptr) != 1) return false;
  // provider-cipher(7): the AAD goes in as an update without output; outsize >= inl either way.
  if (aadLen && g.update(ctx, nullptr, &ol, aadLen, aad, aadLen) != 1) return false;
  if (n && g.update(ctx, data, &ol, n, data, n) != 1) return false;
  OSSL_PARAM params[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16), OSSL_PARAM_construct_end()};
  uint8_t scratch[16];
  if (enc) return g.final(ctx, scratch, &ol, sizeof scratch) == 1 && g.getParams(ctx, params) == 1;
  return g.setParams(ctx, params) == 1 && g.final(ctx, scratch, &ol, sizeof scratch) == 1;
}

}  // namespace

void srtpUseProviderGcm(bool on) { useProviderGcm = on; }

/** RFC 3711 §4.3.1/§4.3.3: AES-CM PRF of the master key at x = label || index(0) XOR master salt. */
bool srtpDeriveKey(const uint8_t* masterKey, const uint8_t salt14[14], uint8_t label, uint8_t* out, size_t n) {
  uint8_t iv[16] = {};
  memcpy(iv, salt14, 14);
  iv[7] ^= label;
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int ol = 0;
  uint8_t zero[32] = {};
  bool ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), nullptr, masterKey, iv) == 1 &&
            EVP_EncryptUpdate(c, out, &ol, zero, int(n)) == 1;
  EVP_CIPHER_CTX_free(c);
  return ok;
}

namespace {
bool deriveKey(const uint8_t* masterKey, const uint8_t salt14[14], uint8_t label, uint8_t* out, size_t n) {
  return srtpDeriveKey(masterKey, salt14, label, out, n);
}
}  // namespace

SrtpSession::~SrtpSession() {
  freeGcm(rtpGcm_);
  freeGcm(rtcpGcm_);
  EVP_CIPHER_CTX_free(rtpCipher_);
  EVP_CIPHER_CTX_free(rtcpCipher_);
  HMAC_CTX_free(rtpMac_);
  HMAC_CTX_free(rtcpMac_);
}

bool SrtpSession::init(int profile, const uint8_t* masterKey, const uint8_t* masterSalt, bool encrypt, bool withRtp) {
  if (profile != kAesCm128HmacSha1_80 && profile != kAeadAes128Gcm) return false;
  encrypt_ = encrypt;
  // RFC 7714 §11: the 96-bit master salt is used as the KDF's 112-bit salt, zero-padded.
  uint8_t salt[14] = {};
  memcpy(salt, masterSalt, srtpSaltLen(profile));
  uint8_t rtpKey[16], rtcpKey[16], rtpAuth[20], rtcpAuth[20];
  size_t saltLen = profile == kAeadAes128Gcm ? 12 : 14;
  if (!deriveKey(masterKey, salt, 0, rtpKey, 16) || !deriveKey(masterKey, salt, 1, rtpAuth, 20) ||
      !deriveKey(masterKey, salt, 2, rtpSalt_, saltLen) || !deriveKey(masterKey, salt, 3, rtcpKey, 16) ||
      !deriveKey(masterKey, salt, 4, rtcpAuth, 20) || !deriveKey(masterKey, salt, 5, rtcpSalt_, saltLen))
    return false;
  int enc = (profile == kAeadAes128Gcm && !encrypt) ? 0 : 1;
  if (profile == kAeadAes128Gcm) {
    // The provider's contexts when it can give them (then no EVP context is kept: ~1 kB a
    // session), else EVP's.
    if (withRtp) rtpGcm_ = newGcm(rtpKey, enc == 1);
    rtcpGcm_ = newGcm(rtcpKey, enc == 1);
  }
  const EVP_CIPHER* cipher = profile == kAeadAes128Gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
  bool rtpEvp = withRtp && !rtpGcm_, rtcpEvp = !rtcpGcm_;
  if (rtpEvp) rtpCipher_ = EVP_CIPHER_CTX_new();
  if (rtcpEvp) rtcpCipher_ = EVP_CIPHER_CTX_new();
  if ((rtpEvp && EVP_CipherInit_ex(rtpCipher_, cipher, nullptr, rtpKey, nullptr, enc) != 1) ||
      (rtcpEvp && EVP_CipherInit_ex(rtcpCipher_, cipher, nullptr, rtcpKey, nullptr, enc) != 1))
    return false;
  if (profile == kAeadAes128Gcm) {
    if (rtpEvp) EVP_CIPHER_CTX_ctrl(rtpCipher_, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
    if (rtcpEvp) EVP_CIPHER_CTX_ctrl(rtcpCipher_, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
  } else {
    if (withRtp) rtpMac_ = HMAC_CTX_new();
    rtcpMac_ = HMAC_CTX_new();
    if ((withRtp && HMAC_Init_ex(rtpMac_, rtpAuth, 20, EVP_sha1(), nullptr) != 1) || HMAC_Init_ex(rtcpMac_, rtcpAuth, 20, EVP_sha1(), nullptr) != 1)
      return false;
  }
  profile_ = profile;
  return true;
}

SrtpSession::Stream& SrtpSession::stream(uint32_t ssrc, bool rtcp) {
  auto& v = rtcp ? rtcp_ : rtp_;
  for (auto& s : v)
    if (s.ssrc == ssrc) return s;
  if (v.size() >= kMaxStreams) v.erase(v.begin());
  v.push_back(Stream{ssrc});
  return v.back();
}

bool SrtpSession::ctr(EVP_CIPHER_CTX* c, const uint8_t iv[16], uint8_t* data, size_t n) {
  int ol = 0;
  return EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv, 1) == 1 && EVP_CipherUpdate(c, data, &ol, data, int(n)) == 1;
}

bool SrtpSession::gcm(bool rtcp, const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, uint8_t* tag, bool enc) {
  if (void* fast = rtcp ? rtcpGcm_ : rtpGcm_) return gcmOnce(fast, iv, aad, aadLen, data, n, tag, enc);
  EVP_CIPHER_CTX* c = rtcp ? rtcpCipher_ : rtpCipher_;
  if (!c) return false;
  int ol = 0;
  if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv, enc ? 1 : 0) != 1) return false;
  if (EVP_CipherUpdate(c, nullptr, &ol, aad, int(aadLen)) != 1) return false;
  if (n && EVP_CipherUpdate(c, data, &ol, data, int(n)) != 1) return false;
  if (enc) {
    uint8_t scratch[16];
    return EVP_CipherFinal_ex(c, scratch, &ol) == 1 && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
  }
  uint8_t scratch[16];
  return EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 && EVP_CipherFinal_ex(c, scratch, &ol) == 1;
}

void SrtpSession::hmac(HMAC_CTX* h, const uint8_t* a, size_t an, const uint8_t* b, size_t bn, uint8_t out[20]) {
  unsigned int ol = 0;
  // Re-initialising with a null key keeps the key and resets the state.
  HMAC_Init_ex(h, nullptr, 0, nullptr, nullptr);
  HMAC_Update(h, a, an);
  if (bn) HMAC_Update(h, b, bn);
  HMAC_Final(h, out, &ol);
}

bool SrtpSession::replayCheck(Stream& s, uint64_t index) const {
  if (!s.started || index > s.highest) return true;
  uint64_t d = s.highest - index;
  if (d >= kReplayWindow) return false;  // too old to tell: RFC 3711 §3.3.2 drops it
  return ((s.window >> d) & 1) == 0;
}

void SrtpSession::replayAccept(Stream& s, uint64_t index) {
  if (!s.started) {
    s.started = true;
    s.highest = index;
    s.window = 1;
    return;
  }
  if (index > s.highest) {
    uint64_t shift = index - s.highest;
    s.window = shift >= 64 ? 1 : (s.window << shift) | 1;
    s.highest = index;
  } else {
    s.window |= uint64_t(1) << (s.highest - index);
  }
}

/** RFC 3711 Appendix A: the index of sequence number seq given the highest one seen. */
static uint64_t estimateIndex(bool started, uint32_t roc, uint16_t sl, uint16_t seq) {
  if (!started) return uint64_t(seq);
  uint32_t v = roc;
  if (sl < 0x8000) {
    if (int(seq) - int(sl) > 0x8000) v = roc - 1;  // wraps below zero for roc 0: then it is "too old"
  } else if (int(sl) - 0x8000 > int(seq)) {
    v = roc + 1;
  }
  return (uint64_t(v) << 16) | seq;
}

size_t SrtpSession::protectRtp(uint8_t* buf, size_t len, size_t cap) {
  if (!profile_ || !(rtpCipher_ || rtpGcm_) || len < 12 || cap < len + kSrtpMaxTrailer) return 0;
  size_t hdr = 12 + (buf[0] & 0x0f) * 4;
  if (buf[0] & 0x10) {
    if (len < hdr + 4) return 0;
    hdr += 4 + size_t(rd16(buf + hdr + 2)) * 4;
  }
  if (hdr > len) return 0;
  uint16_t seq = rd16(buf + 2);
  uint32_t ssrc = rd32(buf + 8);
  Stream& s = stream(ssrc, false);
  uint64_t index = estimateIndex(s.started, s.roc, s.lastSeq, seq);
  if (s.started && (index >> 16) > 0xffffffffull) index = seq;  // ROC underflow on a very early late packet
  if (!s.started || index > s.highest) {
    s.started = true;
    s.highest = index;
    s.roc = uint32_t(index >> 16);
    s.lastSeq = seq;
  }
  uint32_t roc = uint32_t(index >> 16);
  if (profile_ == kAeadAes128Gcm) {
    // RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; AAD = the header.
    uint8_t iv[12] = {0, 0};
    wr32(iv + 2, ssrc);
    wr32(iv + 6, roc);
    wr16(iv + 10, seq);
    for (int i = 0; i < 12; i++) iv[i] ^= rtpSalt_[i];
    if (!gcm(false, iv, buf, hdr, buf + hdr, len - hdr, buf + len, true)) return 0;
    return len + kGcmTag;
  }
  // RFC 3711 §4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
  uint8_t iv[16] = {};
  memcpy(iv, rtpSalt_, 14);
  uint8_t t[4];
  wr32(t, ssrc);
  for (int i = 0; i < 4; i++) iv[4 + i] ^= t[i];
  for (int i = 0; i < 6; i++) iv[8 + i] ^= uint8_t(index >> (40 - 8 * i));
  if (!ctr(rtpCipher_, iv, buf + hdr, len - hdr)) return 0;
  // §4.2: the tag covers the packet and the ROC.
  uint8_t r[4], mac[20];
  wr32(r, roc);
  hmac(rtpMac_, buf, len, r, 4, mac);
  memcpy(buf + len, mac, kAuthTag);
  return len + kAuthTag;
}

size_t SrtpSession::unprotectRtp(uint8_t* buf, size_t len) {
  err_ = "malformed";
  if (!profile_ || !(rtpCipher_ || rtpGcm_)) return 0;
  size_t tag = profile_ == kAeadAes128Gcm ? kGcmTag : kAuthTag;
  if (len < 12 + tag || (buf[0] >> 6) != 2) return 0;
  size_t body = len - tag;
  size_t hdr = 12 + (buf[0] & 0x0f) * 4;
  if (buf[0] & 0x10) {
    if (body < hdr + 4) return 0;
    hdr += 4 + size_t(rd16(buf + hdr + 2)) * 4;
  }
  if (hdr > body) return 0;
  uint16_t seq = rd16(buf + 2);
  uint32_t ssrc = rd32(buf + 8);
  Stream& s = stream(ssrc, false);
  uint64_t index = estimateIndex(s.started, s.roc, s.lastSeq, seq);
  if ((index >> 16) > 0xffffffffull) {
    err_ = "replay";
    return 0;
  }
  if (!replayCheck(s, index)) {
    err_ = "replay";
    return 0;
  }
  uint32_t roc = uint32_t(index >> 16);
  err_ = "auth";
  if (profile_ == kAeadAes128Gcm) {
    uint8_t iv[12] = {0, 0};
    wr32(iv + 2, ssrc);
    wr32(iv + 6, roc);
    wr16(iv + 10, seq);
    for (int i = 0; i < 12; i++) iv[i] ^= rtpSalt_[i];
    if (!gcm(false, iv, buf, hdr, buf + hdr, body - hdr, buf + body, false)) return 0;
  } else {
    uint8_t r[4], mac[20];
    wr32(r, roc);
    hmac(rtpMac_, buf, body, r, 4, mac);
    if (!equalCt(mac, buf + body, kAuthTag)) return 0;
    uint8_t iv[16] = {};
    memcpy(iv, rtpSalt_, 14);
    uint8_t t[4];
    wr32(t, ssrc);
    for (int i = 0; i < 4; i++) iv[4 + i] ^= t[i];
    for (int i = 0; i < 6; i++) iv[8 + i] ^= uint8_t(index >> (40 - 8 * i));
    if (!ctr(rtpCipher_, iv, buf + hdr, body - hdr)) return 0;
  }
  replayAccept(s, index);
  if (index >= s.highest) {
    s.roc = roc;
    s.lastSeq = seq;
  }
  err_ = "";
  return body;
}

size_t SrtpSession::protectRtcp(uint8_t* buf, size_t len, size_t cap) {
  if (!profile_ || len < 8 || cap < len + kSrtpMaxTrailer) return 0;
  uint32_t ssrc = rd32(buf + 4);
  Stream& s = stream(ssrc, true);
  uint32_t index = s.rtcpIndex;
  s.rtcpIndex = (s.rtcpIndex + 1) & 0x7fffffff;
  uint32_t eIndex = 0x80000000u | index;  // E: the payload is encrypted
  if (profile_ == kAeadAes128Gcm) {
    // RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || index) XOR salt; AAD = header(8) || E|index.
    uint8_t iv[12] = {0, 0};
    wr32(iv + 2, ssrc);
    iv[6] = iv[7] = 0;
    wr32(iv + 8, index);
    for (int i = 0; i < 12; i++) iv[i] ^= rtcpSalt_[i];
    uint8_t aad[12];
    memcpy(aad, buf, 8);
    wr32(aad + 8, eIndex);
    if (!gcm(true, iv, aad, 12, buf + 8, len - 8, buf + len, true)) return 0;
    wr32(buf + len + kGcmTag, eIndex);
    return len + kGcmTag + 4;
  }
  uint8_t iv[16] = {};
  memcpy(iv, rtcpSalt_, 14);
  uint8_t t[4];
  wr32(t, ssrc);
  for (int i = 0; i < 4; i++) iv[4 + i] ^= t[i];
  wr32(t, index);
  for (int i = 0; i < 4; i++) iv[10 + i] ^= t[i];
  if (!ctr(rtcpCipher_, iv, buf + 8, len - 8)) return 0;
  wr32(buf + len, eIndex);
  uint8_t mac[20];
  hmac(rtcpMac_, buf, len + 4, nullptr, 0, mac);
  memcpy(buf + len + 4, mac, kAuthTag);
  return len + 4 + kAuthTag;
}

size_t SrtpSession::unprotectRtcp(uint8_t* buf, size_t len) {
  err_ = "malformed";
  if (!profile_) return 0;
  bool aead = profile_ == kAeadAes128Gcm;
  size_t trailer = aead ? kGcmTag + 4 : 4 + kAuthTag;
  if (len < 8 + trailer || (buf[0] >> 6) != 2) return 0;
  uint32_t ssrc = rd32(buf + 4);
  size_t indexAt = aead ? len - 4 : len - kAuthTag - 4;
  uint32_t eIndex = rd32(buf + indexAt);
  uint32_t index = eIndex & 0x7fffffff;
  bool encrypted = (eIndex & 0x80000000u) != 0;
  Stream& s = stream(ssrc, true);
  if (!replayCheck(s, index)) {
    err_ = "replay";
    return 0;
  }
  err_ = "auth";
  size_t plain;
  if (aead) {
    size_t body = len - kGcmTag - 4;
    uint8_t iv[12] = {0, 0};
    wr32(iv + 2, ssrc);
    wr32(iv + 8, index);
    for (int i = 0; i < 12; i++) iv[i] ^= rtcpSalt_[i];
    uint8_t aad[12];
    memcpy(aad, buf, 8);
    wr32(aad + 8, eIndex);
    if (encrypted) {
      if (!gcm(true, iv, aad, 12, buf + 8, body - 8, buf + body, false)) return 0;
    } else {
      // §9.2: unencrypted SRTCP authenticates the whole packet as AAD.
      std::vector<uint8_t> a(buf, buf + body);
      a.insert(a.end(), aad + 8, aad + 12);
      if (!gcm(true, iv, a.data(), a.size(), nullptr, 0, buf + body, false)) return 0;
    }
    plain = body;
  } else {
    uint8_t mac[20];
    hmac(rtcpMac_, buf, len - kAuthTag, nullptr, 0, mac);
    if (!equalCt(mac, buf + len - kAuthTag, kAuthTag)) return 0;
    plain = indexAt;
    if (encrypted) {
      uint8_t iv[16] = {};
      memcpy(iv, rtcpSalt_, 14);
      uint8_t t[4];
      wr32(t, ssrc);
      for (int i = 0; i < 4; i++) iv[4 + i] ^= t[i];
      wr32(t, index);
      for (int i = 0; i < 4; i++) iv[10 + i] ^= t[i];
      if (!ctr(rtcpCipher_, iv, buf + 8, plain - 8)) return 0;
    }
  }
  replayAccept(s, index);
  err_ = "";
  return plain;
}

}  // namespace canopy
