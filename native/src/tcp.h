// Passive ICE-TCP (RFC 6544) for the native engine: one listening TCP port for every viewer of
// a process, RFC 4571 framing, STUN/DTLS/SRTP/SRTCP over each connection. A new connection is
// demultiplexed by the STUN USERNAME of its first Binding request (as the UDP port is); until
// then it belongs to nobody and is closed after kUnboundTimeoutMs.
// Threads: one TCP thread (accept, read, flush, sweep) calls the Server's hooks; any thread may
// send (TcpConn::send), which writes at once when nothing is queued, else queues up to
// kMaxPending bytes and lets the TCP thread flush on EPOLLOUT.
// Lock order: Viewer::mu -> TcpConn::mu (a leaf).
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include "framing.h"

namespace canopy {

struct Viewer;
struct Counters;

struct TcpConn {
  /**
   * Bytes queued per connection beyond what the kernel took. A viewer whose TCP window stays
   * full loses whole frames past this (counted as tcpDropped): memory stays bounded, and the
   * receiver's NACK/PLI recover as from UDP loss. 256 KiB is ~0.8 s of a 2.5 Mbit/s stream.
   */
  static constexpr size_t kMaxPending = 256 * 1024;

  uint64_t id = 0;
  sockaddr_storage peer{};
  socklen_t peerLen = 0;
  double openedMs = 0;
  // TCP thread only.
  FrameReader reader;
  std::weak_ptr<Viewer> viewer;  // set by the first Binding request that authenticates
  bool bound = false;

  /** Frames and sends (or queues) one packet; false when closed or full (the frame is dropped). */
  bool send(const uint8_t* p, size_t n);
  /** Closes once what is queued is written (the viewer is gone). */
  void release();
  /** Takes an accepted socket (ep: the epoll set that watches it, for EPOLLOUT). */
  void init(uint64_t id, int fd, int ep, Counters* counters);
  /** Writes what is queued (EPOLLOUT); true when the queue is empty. */
  bool flush();
  /** Bytes queued beyond what the kernel took. */
  size_t pending();

 private:
  friend class TcpServer;
  std::mutex mu;
  int fd = -1;
  int ep = -1;
  bool closed = false, closing = false, armed = false;
  double closingSince = 0;
  std::vector<uint8_t> out;
  size_t outHead = 0;
  Counters* counters = nullptr;
  void arm(bool on);  // under mu
  void append(const uint8_t* p, size_t n);  // under mu
};

class TcpServer {
 public:
  /** A connection still unauthenticated after this long is closed (RFC 6544 §7.2 leaves the bound to us). */
  static constexpr double kUnboundTimeoutMs = 10000;
  /** A released connection is closed after this long even if the peer does not read. */
  static constexpr double kLingerMs = 2000;
  /** Connections per process; beyond it new ones are closed at once (counted as tcpRejected). */
  static constexpr size_t kMaxConnections = 16384;

  struct Hooks {
    std::function<void(const std::shared_ptr<TcpConn>&, uint8_t*, size_t, double)> onFrame;
    std::function<void(const std::shared_ptr<TcpConn>&)> onClose;
  };

  TcpServer(Hooks hooks, Counters& counters) : hooks_(std::move(hooks)), counters_(counters) {}
  ~TcpServer() { stop(); }
  /** Listens on bind:port (0: an ephemeral port) and starts the thread. */
  bool start(const std::string& bind, int port, std::string& err);
  void stop();
  int port() const { return port_; }
  size_t connections() const { return live_.load(); }

 private:
  void loop();
  void accept(double now);
  void readable(const std::shared_ptr<TcpConn>& c, double now);
  void closeConn(const std::shared_ptr<TcpConn>& c);
  void sweep(double now);

  Hooks hooks_;
  Counters& counters_;
  int lfd_ = -1, ep_ = -1, port_ = 0;
  uint64_t nextId_ = 1;
  std::atomic<bool> running_{false};
  std::atomic<size_t> live_{0};
  std::thread thread_;
  std::unordered_map<uint64_t, std::shared_ptr<TcpConn>> conns_;  // TCP thread only (and stop)
};

}  // namespace canopy
