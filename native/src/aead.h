// AEAD_AES_128_GCM in place for the UDP media pipe between nodes (src/pipe/SrtpSession.ts,
// RFC 7714 §8 with the pipe's own keys): one OpenSSL context per direction, keyed once, so a
// packet costs an IV reset and the cipher, not a new cipher object. Node's crypto module makes
// a Cipheriv/Decipheriv per packet, and with them ~1.7 kB of JS garbage and a copy: at 20
// streams that was 45% of what a relay allocated (a heap profile of the memory soak).
#pragma once
#include <cstddef>
#include <cstdint>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace canopy {

class Aes128Gcm {
 public:
  Aes128Gcm() = default;
  ~Aes128Gcm();
  Aes128Gcm(const Aes128Gcm&) = delete;
  Aes128Gcm& operator=(const Aes128Gcm&) = delete;

  bool init(const uint8_t key[16]);
  /** Encrypts data[0..n) in place, authenticating aad too, and writes the 16-byte tag. */
  bool seal(const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, uint8_t tag[16]);
  /** Checks the tag over aad and data[0..n) and decrypts in place; false (data undefined) when it fails. */
  bool open(const uint8_t iv[12], const uint8_t* aad, size_t aadLen, uint8_t* data, size_t n, const uint8_t tag[16]);

 private:
  EVP_CIPHER_CTX* ctx_ = nullptr;
};

}  // namespace canopy
