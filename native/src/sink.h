// The bench's native viewer sink (issue 19): many WebRTC receivers in one process, cheap enough
// that a fan-out bench measures the relay, not its clients. Each sink has its own UDP socket
// (a relay tells viewers apart by 5-tuple), completes ICE (RFC 8445: as the controlling agent
// with USE-CANDIDATE against an ICE-lite server, and answering checks so a full-ICE server such
// as Janus connects too), DTLS 1.2 in the role the SDP gave it (RFC 5763 §5), takes its SRTP
// keys from the exporter (RFC 5764 §4.2), then counts SRTP packets, authenticates one in
// kAuthEvery, tracks loss from sequence gaps and sends receiver reports (RFC 3550 §6.4.2).
//
// Threads: a few sink threads, each with its own epoll set; a sink belongs to one thread,
// which alone touches its DTLS and SRTP state. The JavaScript thread creates sinks (socket
// bound, credentials drawn), hands them to a thread with start(), and reads counters (relaxed
// atomics, written only by the owning thread).
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include "dtls.h"
#include "srtp.h"

namespace canopy {

/** One in this many received SRTP packets is authenticated and decrypted (the rest are counted). */
constexpr uint32_t kAuthEvery = 16;
/** A connected sink that has received nothing for this long counts as stalled. */
constexpr double kStalledMs = 2000;

struct SinkStartOptions {
  std::string remoteUfrag, remotePwd, fingerprintAlgo, fingerprint;
  /** Our DTLS role: client when the remote's a=setup is passive (RFC 5763 §5). */
  bool dtlsClient = true;
  /** ICE role: controlling (nominates with USE-CANDIDATE) against an ICE-lite server. */
  bool controlling = true;
  sockaddr_storage remote{};
  socklen_t remoteLen = 0;
  /** Payload type of the video track (-1: none), to count video apart. */
  int videoPt = -1;
};

struct SinkTotals {
  uint64_t created = 0, connecting = 0, connected = 0, failed = 0, closed = 0;
  /** Connected sinks that received no SRTP packet in the last kStalledMs. */
  uint64_t stalled = 0;
  uint64_t packets = 0, bytes = 0, expected = 0, videoPackets = 0, videoExpected = 0;
  uint64_t rtcpIn = 0, rtcpOut = 0, authOk = 0, authFail = 0, authReplay = 0, stunIn = 0, stunOut = 0, recvCalls = 0;
};

struct SinkInfo {
  int state = 0;  // SinkState
  double startedAt = 0, connectedAt = 0, firstPacketAt = 0;
  std::string error;
};

enum SinkState : int { kSinkCreated = 0, kSinkChecking = 1, kSinkHandshaking = 2, kSinkConnected = 3, kSinkFailed = 4, kSinkClosed = 5 };

struct SinkStream {
  uint32_t ssrc = 0;
  bool started = false, video = false;
  uint16_t lastSeq = 0;
  int64_t first = 0, highest = 0;
  uint64_t packets = 0;
};

struct Sink : DatagramSink {
  uint64_t id = 0;
  int fd = -1;
  int thread = 0;
  std::string localUfrag, localPwd;
  SinkStartOptions opts;
  std::atomic<int> state{kSinkCreated};
  std::atomic<bool> closing{false};
  std::string error;  // written before state becomes kSinkFailed
  std::unique_ptr<DtlsEndpoint> dtls;
  SrtpSession rx, tx;
  uint64_t tiebreaker = 0;
  uint32_t ssrc = 0;
  double startedAt = 0, lastCheckAt = 0, lastRrAt = 0;
  std::atomic<double> connectedAt{0}, firstPacketAt{0}, lastPacketAt{0};
  int checksSent = 0;
  bool iceOk = false, authedOnce = false;
  uint32_t sampleCount = 0;
  SinkStream streams[4];
  // Counters: written by the owning thread only (relaxed load + store, no locked RMW), read by JS.
  std::atomic<uint64_t> packets{0}, bytes{0}, expected{0}, videoPackets{0}, videoExpected{0}, rtcpIn{0}, rtcpOut{0}, authOk{0},
      authFail{0}, authReplay{0}, stunIn{0}, stunOut{0};
  void sendDatagram(const uint8_t* p, size_t n) override;
  ~Sink() override;
};

class SinkSet {
 public:
  explicit SinkSet(int threads);
  ~SinkSet();
  bool init(std::string& err);
  void stop();
  const std::string& fingerprint() const { return identity_.fingerprint(); }

  /** A new sink with its socket bound on bindAddr; 0 with err set on failure. */
  uint64_t create(const std::string& bindAddr, int& port, std::string& ufrag, std::string& pwd, std::string& err);
  /** The remote's answer (or offer) is known: ICE and DTLS begin on the sink's thread. */
  bool start(uint64_t id, const SinkStartOptions& o);
  /** Closes a sink (on its thread, within a timer tick). */
  void close(uint64_t id);
  bool info(uint64_t id, SinkInfo& out);
  SinkTotals totals();

 private:
  struct Thread {
    int ep = -1;
    std::thread t;
    std::mutex mu;
    std::vector<std::shared_ptr<Sink>> pending;  // started, not yet on the thread
    std::vector<std::shared_ptr<Sink>> sinks;    // owned by the thread
    // Totals of sinks gone, written by the thread.
    std::atomic<uint64_t> packets{0}, bytes{0}, expected{0}, videoPackets{0}, videoExpected{0}, rtcpIn{0}, rtcpOut{0}, authOk{0},
        authFail{0}, authReplay{0}, stunIn{0}, stunOut{0}, recvCalls{0}, closed{0}, failed{0};
  };
  void loop(Thread& th);
  void readAll(Thread& th, Sink& s);
  void onDatagram(Sink& s, uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double now);
  void timers(Thread& th, double now);
  void sendCheck(Sink& s, double now);
  void sendReport(Sink& s, double now);
  void beginDtls(Sink& s);
  void afterDtls(Sink& s, double now);
  void fail(Sink& s, const std::string& why);
  void retire(Thread& th, Sink& s);

  int nThreads_;
  DtlsIdentity identity_;
  std::atomic<bool> running_{false};
  std::vector<std::unique_ptr<Thread>> threads_;
  std::mutex mapMu_;
  uint64_t nextId_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<Sink>> sinks_;
};

}  // namespace canopy
