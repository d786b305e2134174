#include "dtls_record.h"
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <cstring>
#include "bytes.h"

namespace canopy {

bool DtlsReadKey::derive(SSL* ssl, bool weAreClient) {
  aead = None;
  const SSL_CIPHER* c = ssl ? SSL_get_current_cipher(ssl) : nullptr;
  SSL_SESSION* sess = ssl ? SSL_get_session(ssl) : nullptr;
  if (!c || !sess) return false;
  Aead kind;
  size_t keyLen, ivLen;
  switch (SSL_CIPHER_get_cipher_nid(c)) {
    case NID_aes_128_gcm:
      kind = Aes128Gcm, keyLen = 16, ivLen = 4;  // RFC 5288 §3: a 4-byte implicit salt
      break;
    case NID_aes_256_gcm:
      kind = Aes256Gcm, keyLen = 32, ivLen = 4;
      break;
    case NID_chacha20_poly1305:
      kind = Chacha20Poly1305, keyLen = 32, ivLen = 12;  // RFC 7905 §2
      break;
    default:
      return false;
  }
  const EVP_MD* md = SSL_CIPHER_get_handshake_digest(c);  // the suite's PRF hash (RFC 5246 §5)
  if (!md) return false;
  uint8_t master[48];
  if (SSL_SESSION_get_master_key(sess, master, sizeof master) != sizeof master) return false;
  // RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random).
  static const char kLabel[] = "key expansion";
  uint8_t seed[sizeof kLabel - 1 + 64];
  memcpy(seed, kLabel, sizeof kLabel - 1);
  if (SSL_get_server_random(ssl, seed + sizeof kLabel - 1, 32) != 32 || SSL_get_client_random(ssl, seed + sizeof kLabel - 1 + 32, 32) != 32) {
    OPENSSL_cleanse(master, sizeof master);
    return false;
  }
  uint8_t block[2 * 32 + 2 * 12];
  size_t blockLen = 2 * keyLen + 2 * ivLen;
  bool ok = false;
  if (EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr)) {
    EVP_KDF_CTX* kc = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (kc) {
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(OBJ_nid2sn(EVP_MD_get_type(md))), 0),
          OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, master, sizeof master),
          OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof seed),
          OSSL_PARAM_construct_end(),
      };
      ok = EVP_KDF_derive(kc, block, blockLen, params) == 1;
      EVP_KDF_CTX_free(kc);
    }
  }
  OPENSSL_cleanse(master, sizeof master);
  if (ok) {
    // client_write_key, server_write_key, client_write_IV, server_write_IV (no MAC keys: AEAD).
    const uint8_t* peerKey = weAreClient ? block + keyLen : block;
    const uint8_t* peerIv = weAreClient ? block + 2 * keyLen + ivLen : block + 2 * keyLen;
    memcpy(key, peerKey, keyLen);
    memcpy(iv, peerIv, ivLen);
    aead = kind;
  }
  OPENSSL_cleanse(block, sizeof block);
  return ok;
}

void DtlsReadKey::wipe() {
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(iv, sizeof iv);
  aead = None;
}

long dtlsOpenRecord(const DtlsReadKey& k, const uint8_t* p, size_t n, uint8_t* out) {
  if (!k.ok() || n < kDtlsHeader) return -1;
  size_t len = rd16(p + 11);
  if (kDtlsHeader + len > n) return -1;
  const uint8_t* frag = p + kDtlsHeader;
  const uint8_t* seq = p + 3;  // epoch(2) || sequence_number(6): the 64-bit seq_num of RFC 6347 §4.1.2.1
  uint8_t nonce[12];
  const uint8_t* ct;
  size_t ctLen;
  const EVP_CIPHER* cipher;
  if (k.aead == DtlsReadKey::Chacha20Poly1305) {
    // RFC 7905 §2: the IV XOR the 64-bit sequence number, left-padded; no explicit nonce.
    if (len < 16) return -1;
    memcpy(nonce, k.iv, 12);
    for (int i = 0; i < 8; i++) nonce[4 + i] ^= seq[i];
    ct = frag;
    ctLen = len - 16;
    cipher = EVP_chacha20_poly1305();
  } else {
    // RFC 5288 §3: salt(4) || nonce_explicit(8), the explicit part at the fragment's start.
    if (len < 8 + 16) return -1;
    memcpy(nonce, k.iv, 4);
    memcpy(nonce + 4, frag, 8);
    ct = frag + 8;
    ctLen = len - 8 - 16;
    cipher = k.aead == DtlsReadKey::Aes128Gcm ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  }
  // RFC 5246 §6.2.3.3: additional_data = seq_num + type + version + length (of the plaintext).
  uint8_t aad[13];
  memcpy(aad, seq, 8);
  aad[8] = p[0];
  aad[9] = p[1];
  aad[10] = p[2];
  wr16(aad + 11, uint16_t(ctLen));
  uint8_t tag[16];
  memcpy(tag, ct + ctLen, 16);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (!c) return -1;
  int outl = 0, fin = 0;
  bool ok = EVP_DecryptInit_ex(c, cipher, nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1 &&
            EVP_DecryptInit_ex(c, nullptr, nullptr, k.key, nonce) == 1 && EVP_DecryptUpdate(c, nullptr, &outl, aad, sizeof aad) == 1 &&
            EVP_DecryptUpdate(c, out, &outl, ct, int(ctLen)) == 1 && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, tag) == 1 &&
            EVP_DecryptFinal_ex(c, out + outl, &fin) == 1;
  EVP_CIPHER_CTX_free(c);
  return ok ? long(ctLen) : -1;
}

}  // namespace canopy
