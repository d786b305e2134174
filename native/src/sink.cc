#include "sink.h"
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstring>
#include "bytes.h"
#include "rtp.h"
#include "stun.h"

namespace canopy {

namespace {

constexpr size_t kRecvBatch = 32;  // datagrams per recvmmsg
constexpr size_t kRecvSlot = 2048;
constexpr double kTickMs = 20;
// The sink threads read on a timer instead of sleeping in epoll_wait until a datagram comes. On
// loopback, waking a receiver that sleeps in epoll_wait runs inside the sender's sendmmsg
// (sock_def_readable -> ep_poll_callback -> try_to_wake_up, with interrupts off), so such a sink
// charges its own wake-ups to the relay it measures: 16% of the relay's data threads at 1,300
// viewers (perf record -e cpu-clock, docs/benchmarks.md). A viewer on a network is woken by its
// own host's NIC. Polling with a zero timeout every kPollUs keeps the socket's ready-list entry
// (ep_poll_callback with no waiter) and drops the wake-up; a datagram is read at most kPollUs late,
// far under the RTCP (kReportEveryMs) and consent timers.
constexpr unsigned kPollUs = 5000;
constexpr int kPollEvents = 256;
constexpr double kConsentEveryMs = 2500;  // RFC 7675 §5.1: a check every ~5 s keeps consent; we go faster
constexpr double kReportEveryMs = 1000;   // RFC 3550 §6.2 allows more often for a single receiver
constexpr double kIceTimeoutMs = 20000, kDtlsTimeoutMs = 30000;
constexpr uint16_t kAttrUsername = 0x0006, kAttrIntegrity = 0x0008, kAttrPriority = 0x0024, kAttrUseCandidate = 0x0025,
                   kAttrFingerprint = 0x8028, kAttrControlled = 0x8029, kAttrControlling = 0x802a;

double now() {
  using namespace std::chrono;
  return double(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1000.0;
}

/** Adds to a counter that only this thread writes: a plain load and store, no locked instruction. */
inline void bump(std::atomic<uint64_t>& c, uint64_t by = 1) { c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed); }

std::string iceToken(size_t n) {
  // RFC 8839 §5.4 ice-char: ALPHA / DIGIT / "+" / "/" (64 of them: one per 6 random bits).
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint8_t r[64];
  RAND_bytes(r, int(n));
  std::string s;
  for (size_t i = 0; i < n; i++) s += kChars[r[i] & 63];
  return s;
}

uint64_t random64() {
  uint64_t v = 0;
  RAND_bytes(reinterpret_cast<uint8_t*>(&v), sizeof v);
  return v;
}

void putAttr(uint8_t* out, size_t& off, uint16_t type, const void* data, size_t len) {
  wr16(out + off, type);
  wr16(out + off + 2, uint16_t(len));
  if (len) memcpy(out + off + 4, data, len);
  size_t padded = (len + 3) & ~size_t(3);
  memset(out + off + 4 + len, 0, padded - len);
  off += 4 + padded;
}

}  // namespace

void Sink::sendDatagram(const uint8_t* p, size_t n) {
  if (fd >= 0) sendto(fd, p, n, 0, reinterpret_cast<const sockaddr*>(&opts.remote), opts.remoteLen);
}

Sink::~Sink() {
  dtls.reset();
  if (fd >= 0) ::close(fd);
}

SinkSet::SinkSet(int threads) : nThreads_(std::max(1, std::min(threads, 16))) {}

SinkSet::~SinkSet() { stop(); }

bool SinkSet::init(std::string& err) {
  if (!identity_.init(err)) return false;
  running_ = true;
  for (int i = 0; i < nThreads_; i++) {
    auto th = std::make_unique<Thread>();
    th->ep = epoll_create1(EPOLL_CLOEXEC);
    if (th->ep < 0) {
      err = std::string("epoll_create1: ") + strerror(errno);
      stop();
      return false;
    }
    threads_.push_back(std::move(th));
  }
  for (auto& th : threads_) {
    Thread* t = th.get();
    t->t = std::thread([this, t] {
      pthread_setname_np(pthread_self(), "canopy-sink");
      loop(*t);
    });
  }
  return true;
}

void SinkSet::stop() {
  if (!running_.exchange(false) && threads_.empty()) return;
  for (auto& th : threads_)
    if (th->t.joinable()) th->t.join();
  for (auto& th : threads_) {
    th->sinks.clear();
    th->pending.clear();
    if (th->ep >= 0) ::close(th->ep);
  }
  threads_.clear();
  std::lock_guard<std::mutex> l(mapMu_);
  sinks_.clear();
}

uint64_t SinkSet::create(const std::string& bindAddr, int& port, std::string& ufrag, std::string& pwd, std::string& err) {
  sockaddr_storage a{};
  socklen_t al;
  auto* a4 = reinterpret_cast<sockaddr_in*>(&a);
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&a);
  if (inet_pton(AF_INET, bindAddr.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    al = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, bindAddr.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    al = sizeof(sockaddr_in6);
  } else {
    err = "bad bind address " + bindAddr;
    return 0;
  }
  int fd = socket(a.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    err = std::string("socket: ") + strerror(errno);
    return 0;
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), al) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&a), &al) != 0) {
    err = std::string("bind: ") + strerror(errno);
    ::close(fd);
    return 0;
  }
  port = ntohs(a.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
  auto s = std::make_shared<Sink>();
  s->fd = fd;
  s->localUfrag = ufrag = iceToken(8);
  s->localPwd = pwd = iceToken(24);
  std::lock_guard<std::mutex> l(mapMu_);
  s->id = nextId_++;
  sinks_[s->id] = s;
  return s->id;
}

bool SinkSet::start(uint64_t id, const SinkStartOptions& o) {
  std::shared_ptr<Sink> s;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = sinks_.find(id);
    if (it == sinks_.end() || it->second->state.load() != kSinkCreated || !running_) return false;
    s = it->second;
    s->opts = o;
    s->thread = int(id % uint64_t(nThreads_));
    s->tiebreaker = random64();
    s->ssrc = uint32_t(random64()) | 1;
    s->startedAt = now();
    s->state = kSinkChecking;
  }
  Thread& th = *threads_[size_t(s->thread)];
  std::lock_guard<std::mutex> l(th.mu);
  th.pending.push_back(std::move(s));
  return true;
}

void SinkSet::close(uint64_t id) {
  std::lock_guard<std::mutex> l(mapMu_);
  auto it = sinks_.find(id);
  if (it == sinks_.end()) return;
  if (it->second->state.load() == kSinkCreated) {
    // Never handed to a thread: nobody else holds it.
    it->second->state = kSinkClosed;
    sinks_.erase(it);
    return;
  }
  it->second->closing = true;
}

bool SinkSet::info(uint64_t id, SinkInfo& out) {
  std::lock_guard<std::mutex> l(mapMu_);
  auto it = sinks_.find(id);
  if (it == sinks_.end()) return false;
  Sink& s = *it->second;
  out.state = s.state.load(std::memory_order_acquire);
  out.startedAt = s.startedAt;
  out.connectedAt = s.connectedAt.load();
  out.firstPacketAt = s.firstPacketAt.load();
  if (out.state == kSinkFailed) out.error = s.error;
  return true;
}

SinkTotals SinkSet::totals() {
  SinkTotals t;
  auto rd = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  double at = now();
  std::lock_guard<std::mutex> l(mapMu_);
  for (auto& [id, sp] : sinks_) {
    Sink& s = *sp;
    int st = s.state.load();
    t.created++;
    if (st == kSinkConnected) {
      t.connected++;
      double last = std::max(s.lastPacketAt.load(std::memory_order_relaxed), s.connectedAt.load(std::memory_order_relaxed));
      if (at - last > kStalledMs) t.stalled++;
    }
    else if (st == kSinkFailed) t.failed++;
    else if (st == kSinkChecking || st == kSinkHandshaking) t.connecting++;
    t.packets += rd(s.packets), t.bytes += rd(s.bytes), t.expected += rd(s.expected), t.videoPackets += rd(s.videoPackets);
    t.videoExpected += rd(s.videoExpected), t.rtcpIn += rd(s.rtcpIn), t.rtcpOut += rd(s.rtcpOut), t.authOk += rd(s.authOk);
    t.authFail += rd(s.authFail), t.authReplay += rd(s.authReplay), t.stunIn += rd(s.stunIn), t.stunOut += rd(s.stunOut);
  }
  for (auto& thp : threads_) {
    Thread& h = *thp;
    t.packets += rd(h.packets), t.bytes += rd(h.bytes), t.expected += rd(h.expected), t.videoPackets += rd(h.videoPackets);
    t.videoExpected += rd(h.videoExpected), t.rtcpIn += rd(h.rtcpIn), t.rtcpOut += rd(h.rtcpOut), t.authOk += rd(h.authOk);
    t.authFail += rd(h.authFail), t.authReplay += rd(h.authReplay), t.stunIn += rd(h.stunIn), t.stunOut += rd(h.stunOut), t.recvCalls += rd(h.recvCalls);
    t.closed += rd(h.closed);
  }
  return t;
}

// ---- the sink threads ------------------------------------------------------------------------

void SinkSet::loop(Thread& th) {
  epoll_event evs[kPollEvents];
  double lastTick = 0;
  while (running_.load(std::memory_order_relaxed)) {
    int n = epoll_wait(th.ep, evs, kPollEvents, 0);
    for (int i = 0; i < n; i++) readAll(th, *static_cast<Sink*>(evs[i].data.ptr));
    // A full batch: more sockets are ready, read them now; else wait out the poll interval.
    if (n < kPollEvents) usleep(kPollUs);
    double t = now();
    if (t - lastTick < kTickMs) continue;
    lastTick = t;
    std::vector<std::shared_ptr<Sink>> fresh;
    {
      std::lock_guard<std::mutex> l(th.mu);
      fresh.swap(th.pending);
    }
    for (auto& s : fresh) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = s.get();
      epoll_ctl(th.ep, EPOLL_CTL_ADD, s->fd, &ev);
      th.sinks.push_back(s);
      sendCheck(*s, t);
    }
    timers(th, t);
  }
}

void SinkSet::readAll(Thread& th, Sink& s) {
  // One batch buffer per thread (thread_local: the loops never share it).
  struct Batch {
    mmsghdr msgs[kRecvBatch];
    iovec iov[kRecvBatch];
    sockaddr_storage from[kRecvBatch];
    uint8_t data[kRecvBatch][kRecvSlot];
  };
  static thread_local std::unique_ptr<Batch> b(new Batch());
  for (;;) {
    for (size_t i = 0; i < kRecvBatch; i++) {
      b->iov[i] = {b->data[i], kRecvSlot};
      b->msgs[i].msg_hdr = {};
      b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
      b->msgs[i].msg_hdr.msg_iovlen = 1;
      b->msgs[i].msg_hdr.msg_name = &b->from[i];
      b->msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
    int r = recvmmsg(s.fd, b->msgs, kRecvBatch, MSG_DONTWAIT, nullptr);
    if (r <= 0) return;
    bump(th.recvCalls);
    double t = now();
    for (int i = 0; i < r; i++) {
      onDatagram(s, b->data[i], b->msgs[i].msg_len, b->from[i], b->msgs[i].msg_hdr.msg_namelen, t);
      if (s.state.load(std::memory_order_relaxed) == kSinkFailed) return;
    }
    if (size_t(r) < kRecvBatch) return;
  }
}

void SinkSet::beginDtls(Sink& s) {
  if (s.dtls) return;
  s.dtls = std::make_unique<DtlsEndpoint>(identity_, &s);
  s.dtls->expectFingerprint(s.opts.fingerprintAlgo, s.opts.fingerprint);
  s.state = kSinkHandshaking;
  s.dtls->start(s.opts.dtlsClient);
}

void SinkSet::fail(Sink& s, const std::string& why) {
  if (s.state.load() == kSinkFailed) return;
  s.error = why;
  s.state.store(kSinkFailed, std::memory_order_release);
  epoll_ctl(threads_[size_t(s.thread)]->ep, EPOLL_CTL_DEL, s.fd, nullptr);
  bump(threads_[size_t(s.thread)]->failed);
}

void SinkSet::afterDtls(Sink& s, double t) {
  if (!s.dtls || s.state.load(std::memory_order_relaxed) != kSinkHandshaking) return;
  auto st = s.dtls->state();
  if (st == DtlsEndpoint::State::Connected) {
    int profile = s.dtls->srtpProfile();
    size_t k = srtpKeyLen(profile);
    // RFC 5764 §4.2: we unprotect with the peer's key and protect our RTCP with ours.
    if (!s.rx.init(profile, s.dtls->remoteKey(), s.dtls->remoteKey() + k, false) || !s.tx.init(profile, s.dtls->localKey(), s.dtls->localKey() + k, true))
      return fail(s, "SRTP session setup failed");
    s.connectedAt = t;
    s.state.store(kSinkConnected, std::memory_order_release);
  } else if (st == DtlsEndpoint::State::Failed || st == DtlsEndpoint::State::Closed) {
    fail(s, s.dtls->error().empty() ? "DTLS closed" : s.dtls->error());
  }
}

void SinkSet::onDatagram(Sink& s, uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double t) {
  switch (classify(p, n)) {
    case Demux::Stun: {
      StunRequest r;
      if (!stunParse(p, n, r)) return;
      bump(s.stunIn);
      bool reached = false;
      if (r.type == 0x0001) {
        // A check from a full-ICE peer (RFC 8445 §7.3): answer it, signed with our password.
        if (stunLocalUfrag(r) != s.localUfrag || !stunCheckIntegrity(p, n, r, s.localPwd)) return;
        uint8_t out[128];
        size_t m = stunWriteResponse(out, r.txid, reinterpret_cast<const sockaddr*>(&from), s.localPwd);
        sendto(s.fd, out, m, 0, reinterpret_cast<const sockaddr*>(&from), fromLen);
        bump(s.stunOut);
        reached = true;
      } else if (r.type == 0x0101) {
        // The answer to our check, signed with the remote's password (RFC 8489 §9.2).
        if (!stunCheckIntegrity(p, n, r, s.opts.remotePwd)) return;
        reached = true;
      }
      if (reached && !s.iceOk) {
        s.iceOk = true;
        if (s.state.load(std::memory_order_relaxed) == kSinkChecking) beginDtls(s);
      }
      return;
    }
    case Demux::Dtls: {
      int st = s.state.load(std::memory_order_relaxed);
      if (st == kSinkFailed) return;
      // As DTLS server, the peer's ClientHello may overtake the answer to our check.
      if (!s.dtls) {
        if (s.opts.dtlsClient) return;
        beginDtls(s);
      }
      s.dtls->feed(p, n);
      afterDtls(s, t);
      if (st == kSinkConnected && s.dtls->state() != DtlsEndpoint::State::Connected) fail(s, s.dtls->error().empty() ? "DTLS closed" : s.dtls->error());
      return;
    }
    case Demux::Rtp:
      break;
    default:
      return;
  }
  if (s.state.load(std::memory_order_relaxed) != kSinkConnected) return;
  if (isRtcp(p, n)) {
    bump(s.rtcpIn);
    return;
  }
  if (n < 12) return;
  uint32_t ssrc = rd32(p + 8);
  uint16_t seq = rd16(p + 2);
  int pt = p[1] & 0x7f;
  SinkStream* st = nullptr;
  for (auto& x : s.streams)
    if (x.started && x.ssrc == ssrc) {
      st = &x;
      break;
    }
  if (st) {
    // RFC 3550 §A.1: extend the sequence number; "expected" grows with the highest seen.
    int d = delta16(seq, st->lastSeq);
    if (d > 0) {
      st->highest += d;
      st->lastSeq = seq;
      bump(s.expected, uint64_t(d));
      if (st->video) bump(s.videoExpected, uint64_t(d));
    }
  } else {
    for (auto& x : s.streams)
      if (!x.started) {
        st = &x;
        break;
      }
    if (!st) return;  // more than four sources: not ours to count
    st->started = true;
    st->ssrc = ssrc;
    st->video = pt == s.opts.videoPt;
    st->first = st->highest = seq;
    st->lastSeq = seq;
    bump(s.expected);
    if (st->video) bump(s.videoExpected);
  }
  st->packets++;
  s.lastPacketAt.store(t, std::memory_order_relaxed);
  bump(s.packets);
  bump(s.bytes, n);
  if (st->video) bump(s.videoPackets);
  // Authenticate (and decrypt, in place: the bytes are not used after) every packet until one
  // passes, then one in kAuthEvery: proof the media is real SRTP under the exported keys.
  if (!s.authedOnce || ++s.sampleCount % kAuthEvery == 0) {
    if (s.rx.unprotectRtp(p, n)) {
      bump(s.authOk);
      if (!s.authedOnce) {
        s.authedOnce = true;
        s.firstPacketAt = t;
      }
    } else if (strcmp(s.rx.lastError(), "replay") == 0) {
      bump(s.authReplay);  // a copy of a packet already seen (or too old): not a forgery
    } else {
      bump(s.authFail);
    }
  }
}

void SinkSet::sendCheck(Sink& s, double t) {
  // A Binding request (RFC 8445 §7.2.2): USERNAME "remote:local", PRIORITY, the ICE role with
  // its tie-breaker, USE-CANDIDATE when controlling (aggressive nomination: the ICE-lite server
  // selects the pair on the first check), MESSAGE-INTEGRITY with the remote's password,
  // FINGERPRINT.
  uint8_t out[20 + 4 + 520 + 8 + 12 + 4 + 24 + 8];
  wr16(out, 0x0001);
  wr32(out + 4, kStunMagic);
  uint64_t a = random64(), b = random64();
  memcpy(out + 8, &a, 8);
  memcpy(out + 16, &b, 4);
  size_t off = 20;
  std::string user = s.opts.remoteUfrag + ":" + s.localUfrag;
  if (user.size() > 512) return;
  putAttr(out, off, kAttrUsername, user.data(), user.size());
  uint8_t prio[4];
  wr32(prio, (110u << 24) | (65535u << 8) | 255u);  // peer-reflexive type preference (§5.1.2.1)
  putAttr(out, off, kAttrPriority, prio, 4);
  uint8_t tb[8];
  wr32(tb, uint32_t(s.tiebreaker >> 32));
  wr32(tb + 4, uint32_t(s.tiebreaker));
  putAttr(out, off, s.opts.controlling ? kAttrControlling : kAttrControlled, tb, 8);
  if (s.opts.controlling) putAttr(out, off, kAttrUseCandidate, nullptr, 0);
  wr16(out + 2, uint16_t(off + 24 - 20));
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned macLen = 0;
  HMAC(EVP_sha1(), s.opts.remotePwd.data(), int(s.opts.remotePwd.size()), out, off, mac, &macLen);
  putAttr(out, off, kAttrIntegrity, mac, 20);
  wr16(out + 2, uint16_t(off + 8 - 20));
  uint8_t fp[4];
  wr32(fp, crc32(out, off) ^ 0x5354554e);
  putAttr(out, off, kAttrFingerprint, fp, 4);
  s.sendDatagram(out, off);
  bump(s.stunOut);
  s.checksSent++;
  s.lastCheckAt = t;
}

void SinkSet::sendReport(Sink& s, double t) {
  // A receiver report (RFC 3550 §6.4.2) with one block per source: cumulative loss and the
  // extended highest sequence number; jitter and LSR/DLSR left 0.
  uint8_t buf[8 + 24 * 4 + kSrtpMaxTrailer + 16];
  int count = 0;
  size_t off = 8;
  for (auto& x : s.streams) {
    if (!x.started) continue;
    int64_t lost = std::max<int64_t>(0, (x.highest - x.first + 1) - int64_t(x.packets));
    wr32(buf + off, x.ssrc);
    wr32(buf + off + 4, uint32_t(std::min<int64_t>(lost, 0x7fffff)));
    wr32(buf + off + 8, uint32_t(x.highest));
    wr32(buf + off + 12, 0);
    wr32(buf + off + 16, 0);
    wr32(buf + off + 20, 0);
    off += 24;
    count++;
  }
  buf[0] = uint8_t(0x80 | count);
  buf[1] = 201;
  wr16(buf + 2, uint16_t(off / 4 - 1));
  wr32(buf + 4, s.ssrc);
  s.lastRrAt = t;
  size_t m = s.tx.protectRtcp(buf, off, sizeof buf);
  if (!m) return;
  s.sendDatagram(buf, m);
  bump(s.rtcpOut);
}

void SinkSet::retire(Thread& th, Sink& s) {
  if (s.state.load() == kSinkConnected && s.dtls) s.dtls->shutdown();  // close_notify: the server lets go at once
  if (s.state.load() != kSinkFailed) epoll_ctl(th.ep, EPOLL_CTL_DEL, s.fd, nullptr);
  auto rd = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  bump(th.packets, rd(s.packets)), bump(th.bytes, rd(s.bytes)), bump(th.expected, rd(s.expected));
  bump(th.videoPackets, rd(s.videoPackets)), bump(th.videoExpected, rd(s.videoExpected)), bump(th.rtcpIn, rd(s.rtcpIn));
  bump(th.rtcpOut, rd(s.rtcpOut)), bump(th.authOk, rd(s.authOk)), bump(th.authFail, rd(s.authFail)), bump(th.authReplay, rd(s.authReplay)), bump(th.stunIn, rd(s.stunIn));
  bump(th.stunOut, rd(s.stunOut)), bump(th.closed);
  s.state = kSinkClosed;
  std::lock_guard<std::mutex> l(mapMu_);
  sinks_.erase(s.id);
}

void SinkSet::timers(Thread& th, double t) {
  for (size_t i = 0; i < th.sinks.size();) {
    std::shared_ptr<Sink> sp = th.sinks[i];
    Sink& s = *sp;
    if (s.closing.load(std::memory_order_relaxed)) {
      retire(th, s);
      th.sinks[i] = th.sinks.back();
      th.sinks.pop_back();
      continue;
    }
    i++;
    switch (s.state.load(std::memory_order_relaxed)) {
      case kSinkChecking:
        if (t - s.lastCheckAt >= (s.checksSent < 10 ? 50 : 500)) sendCheck(s, t);
        if (t - s.startedAt > kIceTimeoutMs) fail(s, "ICE: no answer to our connectivity checks within 20 s");
        break;
      case kSinkHandshaking:
        s.dtls->onTimer();
        afterDtls(s, t);
        if (s.state.load() == kSinkHandshaking && t - s.startedAt > kDtlsTimeoutMs) fail(s, "DTLS: handshake not done within 30 s");
        break;
      case kSinkConnected:
        if (t - s.lastCheckAt >= kConsentEveryMs) sendCheck(s, t);
        if (t - s.lastRrAt >= kReportEveryMs) sendReport(s, t);
        break;
      default:
        break;
    }
  }
}

}  // namespace canopy
