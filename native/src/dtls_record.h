// What a DTLS-SRTP endpoint still needs of its record layer once the handshake is over and the
// SSL object is gone (dtls.h, DtlsEndpoint::retire; issue 19, docs/native.md "Memory"): the
// peer's epoch-1 read key, to authenticate an alert it sends (close_notify, RFC 5246 §7.2.1;
// a fatal alert), and nothing else. An OpenSSL SSL after a DTLS handshake holds ~74 kB (its
// record buffers, the handshake reassembly buffer it keeps for retransmissions, the session
// and the peer's certificate); this holds 60 bytes.
//
// Only AEAD suites are covered (AES-GCM, RFC 5288; ChaCha20-Poly1305, RFC 7905): with another
// suite the endpoint keeps its SSL.
#pragma once
#include <cstddef>
#include <cstdint>

typedef struct ssl_st SSL;

namespace canopy {

struct DtlsReadKey {
  enum Aead : uint8_t { None = 0, Aes128Gcm, Aes256Gcm, Chacha20Poly1305 };
  Aead aead = None;
  uint8_t key[32] = {};
  /** GCM: the 4-byte implicit salt (RFC 5288 §3); ChaCha20-Poly1305: the 12-byte IV (RFC 7905 §2). */
  uint8_t iv[12] = {};

  /**
   * The peer's write key and IV from a finished handshake: the TLS 1.2 key block
   * (RFC 5246 §6.3: PRF(master_secret, "key expansion", server_random + client_random)), the
   * half the peer writes with. `weAreClient`: our role in the handshake. False (aead None) for
   * a suite this does not cover.
   */
  bool derive(SSL* ssl, bool weAreClient);
  bool ok() const { return aead != None; }
  void wipe();
};

/** DTLS record header (RFC 6347 §4.1): type(1) version(2) epoch(2) sequence(6) length(2). */
constexpr size_t kDtlsHeader = 13;

/**
 * Authenticates and decrypts one protected record (header at p, n >= kDtlsHeader + its length)
 * into out (>= its length); the plaintext's length, or -1 when it does not authenticate or is
 * malformed.
 */
long dtlsOpenRecord(const DtlsReadKey& k, const uint8_t* p, size_t n, uint8_t* out);

}  // namespace canopy
