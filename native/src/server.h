// The native WebRTC data plane for viewers: one UDP socket for every viewer of a process
// (demultiplexed by STUN USERNAME, then by 5-tuple), ICE-lite, DTLS-SRTP, and fan-out groups
// that rewrite, protect and send one packet to every member on the data threads.
// Threads: one receive thread (STUN, DTLS, the viewers' SRTCP, NACK answers, timers); N data
// threads (fan-out); the JavaScript thread (control calls, per-viewer sends, events).
// Lock order: Viewer::mu -> Server::mapMu_ (never the other way); Group::mu, History::mu and
// the event queue's lock are leaves.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include "dtls.h"
#include "probe.h"
#include "rtp.h"
#include "rtt.h"
#include "srtp.h"
#include "temporal.h"
#include "twcc.h"

namespace canopy {

struct ServerOptions {
  std::string bindAddress = "127.0.0.1";
  int port = 0;
  int dataThreads = 1;
  /** RFC 7675 §5.1: consent expires 30 s after the last check; "disconnected" earlier. */
  int consentTimeoutMs = 30000;
  int disconnectAfterMs = 10000;
  bool sendmmsg = true;
  /** Passive ICE-TCP (RFC 6544) on this TCP port for every viewer (tcp.h); 0: ephemeral, -1: off. */
  int tcpPort = -1;
};

struct ViewerOptions {
  std::string localUfrag, localPwd, remoteUfrag;
  std::string fingerprintAlgo, fingerprint;
  bool dtlsClient = false;
  /** The transport-cc header extension's id in the answer (1-14); 0: not negotiated. */
  int twccExtId = 0;
  /** A publisher (WHIP): its SRTP is decrypted and goes up as Rtp events (ingest.cc); a viewer's is ignored. */
  bool receiveRtp = false;
};

struct MemberOptions {
  uint32_t ssrc = 0;
  uint8_t payloadType = 0;
  uint32_t clockRate = 90000;
  uint32_t rtxSsrc = 0;
  int rtxPayloadType = -1;  // -1: no RTX
  bool nack = false;        // answer this receiver's NACKs natively
  double retransmitShare = 0.25;
};

struct Event {
  enum Type : uint8_t { Connected = 1, Disconnected = 2, Failed = 3, Rtcp = 4, Log = 5, Twcc = 6, Rtp = 7, Probe = 8 };
  uint64_t viewer;
  Type type;
  std::string text;
  std::vector<uint8_t> data;
  /** With Rtcp: what the native NACK answers did (requested, resent, rate-limited, missed, duplicate). */
  uint32_t repair[5] = {0, 0, 0, 0, 0};
};

struct Counters {
  std::atomic<uint64_t> rxDatagrams{0}, garbage{0}, stunMalformed{0}, stunUnknownUser{0}, stunIntegrity{0}, stunAnswered{0},
      unknownTuple{0}, dtlsDatagrams{0}, srtcpIn{0}, srtcpFailed{0}, rtpIgnored{0}, sentPackets{0}, sentBytes{0},
      sendErrors{0}, protectErrors{0}, malformedOut{0}, nacksIn{0}, retransmitted{0}, retransmitMisses{0},
      retransmitLimited{0}, retransmitDuplicate{0}, sendmmsgCalls{0}, tombstoneAnswers{0},
      rtcpMalformed{0}, sendWouldBlock{0}, queueDrops{0},
      // Publishers' media (ingest.cc): SRTP packets decrypted and sent up, failed (auth, replay), dropped (JS behind).
      srtpIn{0}, srtpFailed{0}, rtpEventDrops{0},
      // Viewers whose SSL was freed after the handshake (dtls.h retire()), and those that keep it (a non-AEAD suite).
      dtlsRetired{0}, dtlsKept{0},
      // ICE-TCP (tcp.cc): connections accepted, refused over the limit, closed, closed unauthenticated;
      // frames in, bad framing; frames dropped (and their bytes) because a viewer's queue was full.
      tcpAccepted{0}, tcpRejected{0}, tcpClosed{0}, tcpUnbound{0}, tcpFramesIn{0}, tcpBadFrames{0}, tcpDropped{0}, tcpDroppedBytes{0},
      // Bandwidth probes (probe.h): padding packets and their bytes on the wire; trains the
      // receive thread stopped on the viewer's feedback, for loss and for a slow receive rate.
      probePackets{0}, probeBytes{0}, probeAbortsLoss{0}, probeAbortsSlow{0},
      // Packets left out of members' streams above their temporal layer caps (temporal.h).
      temporalDropped{0};
};

class Server;
class TcpServer;
struct TcpConn;
struct Group;
struct Member;

/** Packets kept per stream track for NACK answers (a ring by sequence number). */
/**
 * One stream track's recent packets, for answering NACKs natively. Slots (seq -> where the
 * packet is) are fixed; the bytes live in a ring sized to what the window holds, not to
 * kSlots full-size packets: that was 2,048 x 1.5 kB = 3 MiB per track, written at construction
 * and so all resident (20 audio+video streams: ~120 MiB at a relay, issue 23). The ring starts
 * at kMinBytes and doubles, up to kMaxBytes, while a packet younger than windowMs would be
 * overwritten (one lap written in less than windowMs); positions are absolute byte counts,
 * so a slot's bytes are intact while its position is within the last `cap` bytes written.
 */
struct History {
  static constexpr size_t kSlots = 2048;
  static constexpr size_t kMinBytes = 64 * 1024;
  static constexpr size_t kMaxBytes = 4 * 1024 * 1024;  // >= kSlots * typical packet: the slots bind first
  struct Slot {
    int64_t ext = -1;
    double ms = 0;
    uint64_t pos = 0;
    uint16_t len = 0;
  };
  std::mutex mu;
  std::unique_ptr<Slot[]> slots{new Slot[kSlots]};
  std::unique_ptr<uint8_t[]> ring;
  size_t cap = 0;
  uint64_t written = 0;  // absolute byte position of the next write
  uint64_t lapPos = 0;   // where the current lap of the ring began, and when
  double lapMs = 0;
  uint64_t validFrom = 0;  // bytes before this were not carried over by the last grow()
  int64_t ssrc = -1, highest = -1;
  double windowMs = 1000;
  void push(const uint8_t* p, size_t n, double nowMs);
  /** Copies the packet with upstream seq to out; its length, 0 when missing or too old. */
  size_t get(uint16_t seq, double nowMs, uint8_t* out);

 private:
  // Within the last `cap` bytes written, and not from before the last grow() (only the old
  // ring's last lap was re-laid).
  bool intact(const Slot& s) const { return s.ext >= 0 && s.pos >= validFrom && s.pos + cap >= written; }
  void grow(size_t ncap);
};

struct Viewer : DatagramSink {
  enum class State { Checking, Handshaking, Connected, Closed };
  uint64_t id = 0;
  Server* server = nullptr;
  ViewerOptions opts;
  int thread = 0;
  std::mutex mu;
  State state = State::Checking;
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
  std::string tupleKey;
  /** The selected path when it is an ICE-TCP connection (then addr is its peer); null on UDP. */
  std::shared_ptr<TcpConn> tcp;
  double lastCheckMs = 0;
  bool reportedDisconnected = false;
  std::unique_ptr<DtlsEndpoint> dtls;
  SrtpSession tx, rx;
  /** Transport-wide sequence numbers and send records (twcc.h). */
  TwccSender twcc;
  /** Padding probe trains (probe.h). */
  ProbeState probe;
  std::vector<std::shared_ptr<Member>> members;
  void sendDatagram(const uint8_t* p, size_t n) override;
  ~Viewer() override;
};

struct Member {
  std::shared_ptr<Viewer> viewer;
  /** Its viewer's data thread (Viewer::thread), copied so the group can split its members. */
  int thread = 0;
  /**
   * Its viewer's address, written once before the member is published and never again (unlike
   * `viewer`, reset at the viewer's end): the data loop prefetches from it without a lock.
   */
  const Viewer* home = nullptr;
  /**
   * The group whose history answers its NACKs. A simulcast viewer's member moves between its
   * stream's per-layer groups (Server::moveMember), so this changes, under viewer->mu; `prevGroup`
   * is the one it left, whose history still answers NACKs for packets of that layer until the
   * data thread has sent the first packet of the new one (rw.inSsrc says which).
   */
  std::weak_ptr<Group> group, prevGroup;
  /**
   * The packet a move started the member on ((upstream SSRC << 16) | seq; -1: none), under
   * viewer->mu: the move sends it to this member alone, and the group's own send of the same
   * packet, if it comes after, is not sent again.
   */
  int64_t moveKey = -1;
  bool moveSent = false;
  MemberOptions opts;
  RtpRewriter rw;
  double lastCaptureMs = 0;
  uint16_t rtxSeq = 0;
  // Retransmit budget (src/engine/RetransmitBudget.ts) and the duplicate guard, under viewer->mu.
  double tokens = 8 * 1200, refilledAt = 0, rateBps = 0, sampleAt = 0;
  uint64_t sampleBytes = 0;
  /**
   * The duplicate guard: when each of the last 512 upstream sequence numbers (by slot) was
   * resent. Allocated at the first resend: 6 kB a member, resident once written, which a
   * viewer without loss never needs (two members a viewer: 12 kB of ~99; issue 19).
   */
  struct ResendGuard {
    int32_t seq[512];
    double ms[512];
    ResendGuard() {
      for (int i = 0; i < 512; i++) seq[i] = -1, ms[i] = 0;
    }
  };
  std::unique_ptr<ResendGuard> guard;
  /** RTT from this receiver's reports (rtt.h): the resend guard is one RTT. Under viewer->mu. */
  RttEstimator rtt;
  /** Temporal layer drops (temporal.h): the cap and the per-frame state, under viewer->mu. */
  TemporalMember temporal;
  std::atomic<bool> active{true};
  bool takeBudget(size_t bytes, double nowMs);
};

struct Group {
  using List = std::shared_ptr<const std::vector<std::shared_ptr<Member>>>;
  uint64_t id = 0;
  std::mutex mu;
  List members = std::make_shared<std::vector<std::shared_ptr<Member>>>();
  /**
   * The members split by data thread (a viewer's thread is fixed at its creation), so that each
   * thread walks only its own: walking the others cost a pointer chase per member per packet.
   * Replaced, never changed in place, with `members` (setMembers), under mu.
   */
  std::vector<List> byThread;
  void setMembers(List next, size_t threads);
  History history;
  /** The codec's temporal layers, parsed once per packet for every member (temporal.h). */
  TemporalGroup temporal;
  /**
   * Takes a packet in once (JS thread only): into the history, parsed for the members' temporal
   * filters. groupSend and moveMember may both hand it the same packet (a member moved in on
   * it); the second time it is not pushed or counted again.
   */
  TemporalInfo admit(const uint8_t* p, size_t n, double nowMs);
  int64_t lastKey = -1;
  TemporalInfo lastInfo;
};

class Server {
 public:
  explicit Server(ServerOptions o);
  ~Server();
  /** Binds the socket and starts the threads; false with err set on failure. */
  bool start(std::string& err);
  void stop();
  int port() const { return port_; }
  /** The ICE-TCP port (0 when ICE-TCP is off). */
  int tcpPort() const;
  size_t tcpConnections() const;
  const std::string& fingerprint() const { return identity_.fingerprint(); }

  uint64_t addViewer(const ViewerOptions& o);
  void removeViewer(uint64_t id);
  /** Protects (SRTP or SRTCP by type) and sends one packet to a viewer; false if not connected. */
  bool sendToViewer(uint64_t id, const uint8_t* p, size_t n);

  /** codec: the track's, for temporal layer drops (VP8, VP9, AV1; temporal.h). */
  uint64_t createGroup(double historyMs, TemporalCodec codec = TemporalCodec::None);
  void destroyGroup(uint64_t gid);
  bool addMember(uint64_t gid, uint64_t viewerId, const MemberOptions& o);
  void removeMember(uint64_t gid, uint64_t viewerId, uint32_t ssrc);
  /**
   * Moves a viewer's member (its SSRC) into group gid with the state it has (rewriter, temporal
   * filter, budget), and sends it packet p (the first of its new layer, decided in JS:
   * src/session/LayerSwitch.ts) on its data thread, behind what its old group queued for it:
   * the old layer's packets go out first, and the rewriter continues sequence numbers and
   * timestamps from the last of them (RtpRewriter's resync). gid may be its own group (its
   * first packet after addMember). False when there is no such group or member.
   */
  bool moveMember(uint64_t gid, uint64_t viewerId, uint32_t ssrc, const uint8_t* p, size_t n, double captureMs, double nowMs);
  /** One packet for every member of the group (JS thread): history, then the data threads. */
  void groupSend(uint64_t gid, const uint8_t* p, size_t n, double captureMs, double nowMs);
  /** A member's retransmit share (the back-off decided in JS, src/media/BandwidthEstimator.ts). */
  void setRetransmitShare(uint64_t viewerId, uint32_t ssrc, double share);
  /** A member's temporal layer cap, -1: all (temporal.cc; decided in JS, src/media/TemporalCap.ts). */
  void setTemporalCap(uint64_t viewerId, uint32_t ssrc, int cap);
  /** Frames that member left out above its caps (temporal.h), for the viewer's status; -1: no such member. */
  double temporalFramesDropped(uint64_t viewerId, uint32_t ssrc);
  /** Bytes offered per temporal layer since the group began (temporal.cc); false: no such group. */
  bool groupTemporalBytes(uint64_t gid, std::vector<double>& out);
  /** AV1: whether that member waits for a key frame to get back a layer its cap allows (temporal.cc); false: no such member. */
  bool temporalWaitsForKeyframe(uint64_t viewerId, uint32_t ssrc);
  /** Sender reports (RFC 3550 §6.4.1) for each of a viewer's members. */
  void sendReports(uint64_t viewerId);
  /** Where a viewer's probe padding goes (its RTX SSRC); false without transport-cc or RTX (probe.cc). */
  bool configureProbe(uint64_t viewerId, uint32_t mediaSsrc, uint32_t rtxSsrc, uint8_t rtxPt);
  /**
   * Starts probe train `train` at bps for durationMs in clusters of clusterMs; train 0 stops the
   * one in flight. `abort`: when the receive thread stops it on the viewer's feedback (probe.h).
   */
  bool probe(uint64_t viewerId, uint32_t train, double bps, double durationMs, double clusterMs, const ProbeAbort& abort = ProbeAbort());

  /** A gone session's credentials: its checks get a 403 for holdMs (cf. IceTombstone.ts). */
  void bury(const std::string& ufrag, const std::string& pwd, double holdMs);
  /** The viewer's selected remote address (ICE-lite: the nominated 5-tuple); false before a valid check. */
  bool viewerAddress(uint64_t id, sockaddr_storage& out, socklen_t& len, bool* tcp = nullptr);

  void drainEvents(std::vector<Event>& out);
  void setNotify(std::function<void()> f) { notify_ = std::move(f); }

  size_t viewerCount() const { return liveViewers_.load(); }
  size_t groupCount();
  Counters counters;

  // Internal, used by Viewer.
  void sendTo(const sockaddr_storage& a, socklen_t al, const uint8_t* p, size_t n);
  /** Under v.mu: to the viewer's selected path (its ICE-TCP connection or UDP address). */
  void sendPath(Viewer& v, const uint8_t* p, size_t n);
  std::atomic<size_t> liveViewers_{0};

 private:
  struct Job {
    std::shared_ptr<std::vector<uint8_t>> packet;
    std::shared_ptr<const std::vector<std::shared_ptr<Member>>> members;
    double captureMs, nowMs;
    TemporalInfo temporal;
  };
  struct DataThread {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Job> jobs;
    std::thread thread;
    /** Viewers with a probe train in flight (probe.cc); while any, the thread wakes every millisecond. */
    std::vector<std::shared_ptr<Viewer>> probing;
  };

  void recvLoop();
  void dataLoop(DataThread& d, int index);
  void onDatagram(uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double nowMs);
  /** A connectivity check from a UDP address, or (conn set) on an ICE-TCP connection. */
  void onStun(const uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double nowMs,
              const std::shared_ptr<TcpConn>& conn = nullptr);
  // ICE-TCP hooks (tcp.cc).
  bool startTcp(std::string& err);
  void onTcpFrame(const std::shared_ptr<TcpConn>& c, uint8_t* p, size_t n, double nowMs);
  void onTcpClosed(const std::shared_ptr<TcpConn>& c);

  void onDtls(std::shared_ptr<Viewer> v, const uint8_t* p, size_t n);
  void onSrtcp(std::shared_ptr<Viewer> v, uint8_t* p, size_t n, double nowMs);
  /** SRTP from a peer (ingest.cc): a publisher's is decrypted and sent up, a viewer's ignored. */
  void onSrtp(std::shared_ptr<Viewer> v, uint8_t* p, size_t n);
  void answerNacks(Viewer& v, const RtcpInfo& info, double nowMs, uint32_t repair[5]);
  void afterDtls(Viewer& v);
  void timers(double nowMs);
  // Probe trains (probe.cc).
  void serviceProbes(DataThread& d, std::vector<std::shared_ptr<Viewer>>& list);
  bool probeStep(Viewer& v, double nowMs);
  void closeCluster(Viewer& v, double nowMs, bool last, int reason = kProbeNotAborted);
  void emit(Event e);
  /** A viewer by id (under mapMu_), null when gone. */
  std::shared_ptr<Viewer> byId(uint64_t id);
  std::shared_ptr<Viewer> byTuple(const std::string& key);

  ServerOptions opts_;
  DtlsIdentity identity_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::thread recvThread_;
  std::vector<std::unique_ptr<DataThread>> data_;
  std::unique_ptr<TcpServer> tcp_;

  std::mutex mapMu_;
  uint64_t nextId_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<Viewer>> viewers_;
  std::unordered_map<std::string, std::shared_ptr<Viewer>> byUfrag_;
  std::unordered_map<std::string, std::shared_ptr<Viewer>> byTuple_;
  std::unordered_map<uint64_t, std::shared_ptr<Group>> groups_;
  struct Tomb {
    std::string pwd;
    double until;
  };
  std::unordered_map<std::string, Tomb> tombs_;

  std::mutex evMu_;
  std::vector<Event> events_;
  std::function<void()> notify_;
};

double nowMs();
std::string tupleKeyOf(const sockaddr_storage& a);
/** The tuple key of an ICE-TCP connection (never equal to a UDP one). */
std::string tcpTupleKey(uint64_t connId);

}  // namespace canopy
