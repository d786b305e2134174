// DTLS 1.2 (RFC 6347) for DTLS-SRTP (RFC 5764) on OpenSSL: one certificate per process,
// one SSL per viewer fed through a memory BIO (input) and a datagram-writing BIO (output: each
// record flight OpenSSL writes is one datagram). Once the keys are out, retire() frees the SSL
// and keeps what the connection still needs (dtls_record.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "dtls_record.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct bio_st BIO;

namespace canopy {

/** The process's DTLS identity: a fresh ECDSA P-256 key and self-signed certificate. */
class DtlsIdentity {
 public:
  bool init(std::string& err);
  ~DtlsIdentity();
  SSL_CTX* ctx() const { return ctx_; }
  /** "AB:CD:..." SHA-256 fingerprint of our certificate, for a=fingerprint (RFC 8122 §5). */
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  std::string fingerprint_;
};

/** Where a DTLS endpoint's outgoing datagrams go. */
struct DatagramSink {
  virtual void sendDatagram(const uint8_t* p, size_t n) = 0;
  virtual ~DatagramSink() = default;
};

/** Validates a DTLS record sequence (RFC 6347 §4.1 framing) without touching OpenSSL. */
bool dtlsFramingOk(const uint8_t* p, size_t n);

class DtlsEndpoint {
 public:
  enum class State { New, Handshaking, Connected, Failed, Closed };

  DtlsEndpoint(const DtlsIdentity& id, DatagramSink* sink);
  ~DtlsEndpoint();
  DtlsEndpoint(const DtlsEndpoint&) = delete;
  DtlsEndpoint& operator=(const DtlsEndpoint&) = delete;

  /**
   * The peer's expected certificate fingerprint (from a=fingerprint: algorithm and the
   * colon-separated hex), checked when the handshake completes.
   */
  void expectFingerprint(const std::string& algo, const std::string& hex) {
    fpAlgo_ = algo;
    fpHex_ = hex;
  }

  /** Starts the handshake: client (we send the ClientHello) or server. */
  void start(bool client);
  /** A DTLS datagram from the peer. */
  void feed(const uint8_t* p, size_t n);
  /** Retransmits a lost flight when its timer ran out (call every few tens of ms). */
  void onTimer();
  /** Sends close_notify. */
  void shutdown();
  /**
   * After Connected, with the keys taken: frees the SSL object (~74 kB with its buffers, the
   * bulk of a viewer's memory; issue 19) and keeps what the connection still needs, ~200 bytes:
   *  - our last flight, to send again when the peer repeats its own because ours was lost
   *    (RFC 6347 §4.2.4: the side that sent the last flight answers a retransmitted one);
   *  - our close_notify record, rendered now, for shutdown() (RFC 5246 §7.2.1);
   *  - the peer's record key, to authenticate an alert it sends (dtls_record.h).
   * False (the SSL stays, nothing changes) for a suite without an AEAD cipher or when the
   * last flight was not kept whole. Later feed() calls then never reach OpenSSL.
   */
  bool retire();
  bool retired() const { return retired_; }
  /** Internal: what the output BIO writes (one datagram of records). */
  void onRecordsOut(const uint8_t* p, size_t n);

  State state() const { return state_; }
  const std::string& error() const { return error_; }
  /** After Connected: the SRTP profile and keying material (RFC 5764 §4.2). */
  int srtpProfile() const { return profile_; }
  /** Our and the peer's master key || salt, as the exporter gave them. */
  const uint8_t* localKey() const { return local_; }
  const uint8_t* remoteKey() const { return remote_; }

 private:
  void drive();
  void complete();
  void fail(const std::string& why);
  void feedRetired(const uint8_t* p, size_t n);

  /** A flight larger than this is not kept for retransmission (ours: CCS + Finished, ~70 bytes). */
  static constexpr size_t kMaxKeptFlight = 2048;

  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;
  DatagramSink* sink_;
  State state_ = State::New;
  bool client_ = false;
  std::string fpAlgo_, fpHex_, error_;
  int profile_ = 0;
  uint8_t local_[32] = {}, remote_[32] = {};
  /** The records written by the last drive(): at the end, our last flight (concatenated). */
  std::vector<uint8_t> flight_;
  bool recording_ = false, flightTooBig_ = false;
  /** While set, what OpenSSL writes goes here instead of the sink (close_notify rendering). */
  std::vector<uint8_t>* capture_ = nullptr;
  bool retired_ = false;
  std::vector<uint8_t> closeNotify_;
  DtlsReadKey peerKey_;
};

}  // namespace canopy
