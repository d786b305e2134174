#include "dtls.h"
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <cstring>
#include "bytes.h"
#include "dtls_record.h"
#include "srtp.h"

namespace canopy {

namespace {

/** MTU for our handshake records: fits any path a WebRTC media packet fits. */
constexpr long kDtlsMtu = 1200;

/** The output BIO: every write is one datagram to the endpoint's sink. */
BIO_METHOD* sinkMethod() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* b = BIO_meth_new(BIO_TYPE_SOURCE_SINK | BIO_get_new_index(), "canopy-dgram");
    BIO_meth_set_write(b, [](BIO* bio, const char* data, int len) -> int {
      auto* ep = static_cast<DtlsEndpoint*>(BIO_get_data(bio));
      if (ep && len > 0) ep->onRecordsOut(reinterpret_cast<const uint8_t*>(data), size_t(len));
      return len;
    });
    BIO_meth_set_ctrl(b, [](BIO*, int cmd, long, void*) -> long {
      switch (cmd) {
        case BIO_CTRL_FLUSH:
          return 1;
        case BIO_CTRL_DGRAM_QUERY_MTU:
          return kDtlsMtu;
        default:
          return 0;  // WPENDING, PENDING, GET_MTU_OVERHEAD...: nothing to say
      }
    });
    BIO_meth_set_create(b, [](BIO* bio) -> int {
      BIO_set_init(bio, 1);
      return 1;
    });
    return b;
  }();
  return m;
}

std::string hexColon(const uint8_t* p, unsigned n) {
  static const char* d = "0123456789ABCDEF";
  std::string s;
  for (unsigned i = 0; i < n; i++) {
    if (i) s += ':';
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

const EVP_MD* digestFor(const std::string& algo) {
  std::string a;
  for (char c : algo) a += char(tolower(static_cast<unsigned char>(c)));
  if (a == "sha-256") return EVP_sha256();
  if (a == "sha-1") return EVP_sha1();
  if (a == "sha-384") return EVP_sha384();
  if (a == "sha-512") return EVP_sha512();
  return nullptr;
}

std::string upper(const std::string& s) {
  std::string o;
  for (char c : s) o += char(toupper(static_cast<unsigned char>(c)));
  return o;
}

std::string sslError() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

}  // namespace

bool dtlsFramingOk(const uint8_t* p, size_t n) {
  // RFC 6347 §4.1: type(1) version(2) epoch(2) seq(6) length(2) fragment; records back to back.
  size_t off = 0;
  int records = 0;
  while (off < n) {
    if (n - off < 13 || ++records > 32) return false;
    uint8_t type = p[off];
    if (type < 20 || type > 63) return false;
    if (p[off + 1] != 0xfe) return false;  // DTLS versions are 0xfeXX
    size_t len = rd16(p + off + 11);
    if (len > 16384 + 2048 || off + 13 + len > n) return false;
    off += 13 + len;
  }
  return n > 0;
}

bool DtlsIdentity::init(std::string& err) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (!key || !cert) {
    err = "key generation failed: " + sslError();
    return false;
  }
  X509_set_version(cert, 2);
  uint8_t serial[8];
  RAND_bytes(serial, sizeof serial);
  uint64_t sn = 0;
  for (uint8_t b : serial) sn = (sn << 8) | b;
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), sn >> 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -86400);
  X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("canopy"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  if (!X509_sign(cert, key, EVP_sha256())) {
    err = "certificate signing failed: " + sslError();
    return false;
  }
  uint8_t md[EVP_MAX_MD_SIZE];
  unsigned mdLen = 0;
  X509_digest(cert, EVP_sha256(), md, &mdLen);
  fingerprint_ = hexColon(md, mdLen);

  ctx_ = SSL_CTX_new(DTLS_method());
  if (!ctx_) {
    err = "SSL_CTX_new failed: " + sslError();
    return false;
  }
  SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx_, DTLS1_2_VERSION);
  SSL_CTX_use_certificate(ctx_, cert);
  SSL_CTX_use_PrivateKey(ctx_, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  SSL_CTX_set_cipher_list(ctx_, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                                "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA");
  // Self-signed peers: the certificate is authenticated by its fingerprint in the SDP
  // (RFC 8842 §5), checked when the handshake completes, so the chain check accepts any.
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, [](int, X509_STORE_CTX*) { return 1; });
  // RFC 5764 §4.1.2 / RFC 7714 §14.2: GCM first, then AES-CM with an 80-bit tag.
  if (SSL_CTX_set_tlsext_use_srtp(ctx_, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") != 0) {
    err = "use_srtp failed: " + sslError();
    return false;
  }
  SSL_CTX_set_options(ctx_, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  SSL_CTX_set_read_ahead(ctx_, 1);
  return true;
}

DtlsIdentity::~DtlsIdentity() { SSL_CTX_free(ctx_); }

DtlsEndpoint::DtlsEndpoint(const DtlsIdentity& id, DatagramSink* sink) : sink_(sink) {
  ssl_ = SSL_new(id.ctx());
  rbio_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(rbio_, -1);
  BIO* wbio = BIO_new(sinkMethod());
  BIO_set_data(wbio, this);
  SSL_set_bio(ssl_, rbio_, wbio);
  SSL_set_mtu(ssl_, kDtlsMtu);
  DTLS_set_link_mtu(ssl_, kDtlsMtu);
}

DtlsEndpoint::~DtlsEndpoint() { SSL_free(ssl_); }

void DtlsEndpoint::start(bool client) {
  if (state_ != State::New) return;
  client_ = client;
  state_ = State::Handshaking;
  if (client) SSL_set_connect_state(ssl_);
  else SSL_set_accept_state(ssl_);
  drive();
}

void DtlsEndpoint::onRecordsOut(const uint8_t* p, size_t n) {
  if (capture_) {
    capture_->insert(capture_->end(), p, p + n);
    return;
  }
  if (recording_ && !flightTooBig_) {
    if (flight_.size() + n > kMaxKeptFlight) {
      flightTooBig_ = true;
      flight_.clear();
    } else {
      flight_.insert(flight_.end(), p, p + n);
    }
  }
  if (sink_) sink_->sendDatagram(p, n);
}

void DtlsEndpoint::feed(const uint8_t* p, size_t n) {
  if (state_ == State::Failed || state_ == State::Closed || state_ == State::New) return;
  if (!dtlsFramingOk(p, n)) return;
  if (retired_) return feedRetired(p, n);
  BIO_write(rbio_, p, int(n));
  if (state_ == State::Handshaking) {
    drive();
    return;
  }
  // Connected: application data is not used; read to consume alerts (close_notify).
  uint8_t scratch[2048];
  int r = SSL_read(ssl_, scratch, sizeof scratch);
  if (r <= 0) {
    int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_ZERO_RETURN) state_ = State::Closed, error_ = "peer sent close_notify";
    else if (e == SSL_ERROR_SSL) fail("DTLS error: " + sslError());
  }
}

void DtlsEndpoint::drive() {
  // What this call writes is kept: when it completes the handshake, that is our last flight.
  flight_.clear();
  flightTooBig_ = false;
  recording_ = true;
  int r = SSL_do_handshake(ssl_);
  recording_ = false;
  if (r == 1) return complete();
  int e = SSL_get_error(ssl_, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
  fail("DTLS handshake failed: " + sslError());
}

void DtlsEndpoint::onTimer() {
  if (state_ == State::Handshaking && ssl_) DTLSv1_handle_timeout(ssl_);
}

void DtlsEndpoint::complete() {
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) return fail("DTLS peer sent no certificate");
  const EVP_MD* md = digestFor(fpAlgo_);
  uint8_t dg[EVP_MAX_MD_SIZE];
  unsigned dl = 0;
  bool ok = md && X509_digest(peer, md, dg, &dl) == 1;
  X509_free(peer);
  if (!ok) return fail("DTLS fingerprint algorithm not supported: " + fpAlgo_);
  // RFC 8122 §5: the certificate must match the fingerprint the offer announced.
  if (hexColon(dg, dl) != upper(fpHex_)) return fail("DTLS peer certificate does not match the SDP fingerprint");
  SRTP_PROTECTION_PROFILE* prof = SSL_get_selected_srtp_profile(ssl_);
  if (!prof || (prof->id != kAesCm128HmacSha1_80 && prof->id != kAeadAes128Gcm)) return fail("DTLS negotiated no supported SRTP profile");
  profile_ = int(prof->id);
  size_t k = srtpKeyLen(profile_), s = srtpSaltLen(profile_);
  uint8_t m[2 * (16 + 14)];
  // RFC 5764 §4.2: client key, server key, client salt, server salt.
  static const char kLabel[] = "EXTRACTOR-dtls_srtp";
  if (SSL_export_keying_material(ssl_, m, 2 * (k + s), kLabel, sizeof kLabel - 1, nullptr, 0, 0) != 1)
    return fail("DTLS exporter failed: " + sslError());
  uint8_t* cKey = m;
  uint8_t* sKey = m + k;
  uint8_t* cSalt = m + 2 * k;
  uint8_t* sSalt = m + 2 * k + s;
  uint8_t* lk = client_ ? cKey : sKey;
  uint8_t* ls = client_ ? cSalt : sSalt;
  uint8_t* rk = client_ ? sKey : cKey;
  uint8_t* rs = client_ ? sSalt : cSalt;
  memcpy(local_, lk, k);
  memcpy(local_ + k, ls, s);
  memcpy(remote_, rk, k);
  memcpy(remote_ + k, rs, s);
  OPENSSL_cleanse(m, sizeof m);
  state_ = State::Connected;
}

void DtlsEndpoint::fail(const std::string& why) {
  if (state_ == State::Failed) return;
  state_ = State::Failed;
  error_ = why;
}

void DtlsEndpoint::shutdown() {
  if (state_ == State::Connected) {
    if (!retired_) SSL_shutdown(ssl_);
    else if (!closeNotify_.empty() && sink_) sink_->sendDatagram(closeNotify_.data(), closeNotify_.size());
  }
  if (state_ != State::Failed) state_ = State::Closed;
}

bool DtlsEndpoint::retire() {
  if (retired_ || state_ != State::Connected || !ssl_ || (!client_ && flightTooBig_)) return false;
  DtlsReadKey key;
  if (!key.derive(ssl_, client_)) return false;  // not an AEAD suite: the SSL stays
  // Our close_notify, rendered now with the epoch-1 write state it will need (its record
  // sequence number is the next one; we send no other records, so the peer's replay window
  // takes it whenever it goes).
  std::vector<uint8_t> alert;
  capture_ = &alert;
  SSL_shutdown(ssl_);
  capture_ = nullptr;
  ERR_clear_error();
  closeNotify_ = std::move(alert);
  closeNotify_.shrink_to_fit();
  peerKey_ = key;
  key.wipe();
  // The server's last flight (ChangeCipherSpec, Finished) was written by the drive() that
  // completed. A client's last flight is answered by the server's Finished, which completed
  // us: there is nothing a client must send again.
  if (client_) std::vector<uint8_t>().swap(flight_);
  else flight_.shrink_to_fit();
  OPENSSL_cleanse(local_, sizeof local_);  // the SRTP sessions hold what they derived
  OPENSSL_cleanse(remote_, sizeof remote_);
  SSL_free(ssl_);  // and its BIOs
  ssl_ = nullptr;
  rbio_ = nullptr;
  std::string().swap(fpAlgo_);
  std::string().swap(fpHex_);
  retired_ = true;
  return true;
}

void DtlsEndpoint::feedRetired(const uint8_t* p, size_t n) {
  // Records back to back, framing already checked (dtlsFramingOk).
  bool resent = false;
  for (size_t off = 0; off + kDtlsHeader <= n;) {
    const uint8_t* r = p + off;
    size_t len = rd16(r + 11);
    if (off + kDtlsHeader + len > n) return;
    off += kDtlsHeader + len;
    uint8_t type = r[0];
    uint16_t epoch = rd16(r + 3);
    if (epoch == 0 && type == 22) {
      // RFC 6347 §4.2.4: a handshake record of epoch 0 now is the peer's last flight again (its
      // Finished is in epoch 1, behind it): ours was lost. Once per datagram.
      if (!resent && !flight_.empty() && sink_) sink_->sendDatagram(flight_.data(), flight_.size());
      resent = true;
    } else if (epoch != 0 && type == 21 && len <= 64) {
      // An alert: authenticated before it counts (anyone can send a datagram from a spoofed address).
      uint8_t plain[64];
      long m = dtlsOpenRecord(peerKey_, r, kDtlsHeader + len, plain);
      if (m != 2) continue;
      if (plain[1] == 0) {  // close_notify (RFC 5246 §7.2.1)
        state_ = State::Closed;
        error_ = "peer sent close_notify";
        return;
      }
      if (plain[0] == 2) return fail("DTLS peer sent fatal alert " + std::to_string(plain[1]));
    }
    // Application data, an epoch-1 handshake (renegotiation, which DTLS-SRTP does not use), a
    // warning: ignored, as the SSL's read of them was.
  }
}

}  // namespace canopy
