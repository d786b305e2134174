#include "aead.h"

#include <openssl/evp.h>

#include <climits>
#include <cstring>

namespace canopy {

Aes128Gcm::~Aes128Gcm() {
  if (ctx_) EVP_CIPHER_CTX_free(ctx_);
}

bool Aes128Gcm::init(const uint8_t key[16]) {
  if (ctx_) EVP_CIPHER_CTX_free(ctx_);
  ctx_ = EVP_CIPHER_CTX_new();
  // The key once; each packet only sets its IV (12 octets, GCM's default IV length).
  return ctx_ && EVP_CipherInit_ex(ctx_, EVP_aes_128_gcm(), nullptr, key, nullptr, 1) == 1;
}

bool Aes128Gcm::seal(const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, uint8_t tag[16]) {
  int ol = 0;
  uint8_t scratch[16];
  if (!ctx_ || aadLen > INT_MAX || n > INT_MAX) return false;
  if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, iv, 1) != 1) return false;
  if (aadLen && EVP_CipherUpdate(ctx_, nullptr, &ol, aad, int(aadLen)) != 1) return false;
  if (n && EVP_CipherUpdate(ctx_, data, &ol, data, int(n)) != 1) return false;
  return EVP_CipherFinal_ex(ctx_, scratch, &ol) == 1 && EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
}

bool Aes128Gcm::open(const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, const uint8_t tag[16]) {
  int ol = 0;
  uint8_t scratch[16];
  uint8_t t[16];
  if (!ctx_ || aadLen > INT_MAX || n > INT_MAX) return false;
  std::memcpy(t, tag, 16);  // the tag may sit right after data, which is rewritten in place
  if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, iv, 0) != 1) return false;
  if (aadLen && EVP_CipherUpdate(ctx_, nullptr, &ol, aad, int(aadLen)) != 1) return false;
  if (n && EVP_CipherUpdate(ctx_, data, &ol, data, int(n)) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, 16, t) == 1 && EVP_CipherFinal_ex(ctx_, scratch, &ol) == 1;
}

}  // namespace canopy
