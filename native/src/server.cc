#include "server.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include "stun.h"
#include "tcp.h"

namespace canopy {

namespace {
constexpr size_t kBatch = 32;        // datagrams per sendmmsg / recvmmsg
constexpr size_t kSlotBytes = kMaxRtp + kSrtpMaxTrailer + 64;
constexpr size_t kMaxQueuedJobs = 4096;  // per data thread: beyond it packets are dropped (counted)
/**
 * Servers whose threads run. At process exit OpenSSL's own atexit handler (registered when
 * Node started) frees its global locks; a server still running then would use them from its
 * threads. Ours, registered later, runs first and stops every server that is still up.
 */
std::mutex gLiveMu;
std::vector<Server*>* gLive = new std::vector<Server*>();  // never freed: used from atexit
void stopAllAtExit() {
  std::vector<Server*> all;
  {
    std::lock_guard<std::mutex> l(gLiveMu);
    all = *gLive;
  }
  for (Server* s : all) s->stop();
}
}  // namespace

double nowMs() {
  using namespace std::chrono;
  return double(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1000.0;
}

std::string tupleKeyOf(const sockaddr_storage& a) {
  std::string k;
  if (a.ss_family == AF_INET) {
    auto* s = reinterpret_cast<const sockaddr_in*>(&a);
    k.assign("4", 1);
    k.append(reinterpret_cast<const char*>(&s->sin_port), 2);
    k.append(reinterpret_cast<const char*>(&s->sin_addr), 4);
  } else {
    auto* s = reinterpret_cast<const sockaddr_in6*>(&a);
    k.assign("6", 1);
    k.append(reinterpret_cast<const char*>(&s->sin6_port), 2);
    k.append(reinterpret_cast<const char*>(&s->sin6_addr), 16);
  }
  return k;
}

// ---- History -------------------------------------------------------------------------------

void History::grow(size_t ncap) {
  std::unique_ptr<uint8_t[]> n(new uint8_t[ncap]);
  // Re-lay the last `cap` bytes written at their positions modulo the new size: that range is
  // shorter than ncap, so no two bytes land on one place.
  uint64_t lo = written > cap ? written - cap : 0;
  for (uint64_t x = lo; x < written;) {
    size_t o = size_t(x % cap), no = size_t(x % ncap);
    size_t k = std::min<uint64_t>({written - x, cap - o, ncap - no});
    memcpy(n.get() + no, ring.get() + o, k);
    x += k;
  }
  ring = std::move(n);
  cap = ncap;
  validFrom = lo;
}

void History::push(const uint8_t* p, size_t n, double nowMs) {
  if (n < 12 || n > kMaxRtp) return;
  std::lock_guard<std::mutex> l(mu);
  if (!ring) {
    ring.reset(new uint8_t[kMinBytes]);
    cap = kMinBytes;
    lapMs = nowMs;
  }
  uint32_t s = rd32(p + 8);
  uint16_t seq = rd16(p + 2);
  if (int64_t(s) != ssrc) {
    ssrc = s;
    highest = -1;
    for (size_t i = 0; i < kSlots; i++) slots[i].ext = -1;
  }
  int64_t ext = highest < 0 ? 0x10000 + seq : highest + delta16(seq, uint16_t(highest));
  if (ext > highest) highest = ext;
  if (highest - ext >= int64_t(kSlots)) return;
  // A record never wraps: if it does not fit before the ring's end, it starts at the next lap.
  uint64_t at = written;
  if (size_t(at % cap) + n > cap) at += cap - size_t(at % cap);
  // One lap of the ring written in less than the window: packets still inside the window are
  // being overwritten, so double it (until kMaxBytes). The first lap at a higher rate may lose
  // a few packets' history early; that costs a missed NACK, never a wrong answer.
  if (at + n - lapPos >= cap) {
    if (nowMs - lapMs < windowMs && cap < kMaxBytes) {
      grow(cap * 2);
      if (size_t(at % cap) + n > cap) at += cap - size_t(at % cap);
    }
    lapPos = at;
    lapMs = nowMs;
  }
  Slot& slot = slots[size_t(ext) & (kSlots - 1)];
  memcpy(ring.get() + size_t(at % cap), p, n);
  slot.ext = ext;
  slot.ms = nowMs;
  slot.pos = at;
  slot.len = uint16_t(n);
  written = at + n;
}

size_t History::get(uint16_t seq, double nowMs, uint8_t* out) {
  std::lock_guard<std::mutex> l(mu);
  if (highest < 0 || !ring) return 0;
  int64_t ext = highest + delta16(seq, uint16_t(highest));
  const Slot& slot = slots[size_t(ext) & (kSlots - 1)];
  if (slot.ext != ext || nowMs - slot.ms > windowMs || !intact(slot)) return 0;
  memcpy(out, ring.get() + size_t(slot.pos % cap), slot.len);
  return slot.len;
}

// ---- Viewer and Member ----------------------------------------------------------------------

void Viewer::sendDatagram(const uint8_t* p, size_t n) {
  server->sendPath(*this, p, n);
}

Viewer::~Viewer() {
  if (server) server->liveViewers_--;
}

bool Member::takeBudget(size_t bytes, double nowMs) {
  // RetransmitBudget.ts: a token bucket refilled at share x the measured media rate.
  double dt = nowMs - sampleAt;
  if (dt >= 1000 || rateBps == 0) {
    if (dt > 0) {
      double sample = double(rw.octets - sampleBytes) * 1000.0 / dt;
      rateBps = rateBps == 0 ? sample : rateBps + 0.3 * (sample - rateBps);
    }
    if (dt >= 1000) {
      sampleAt = nowMs;
      sampleBytes = rw.octets;
    }
  }
  double allowance = rateBps * opts.retransmitShare;
  double cap = std::max(8.0 * 1200, allowance);
  tokens = std::min(cap, tokens + allowance * (nowMs - refilledAt) / 1000.0);
  refilledAt = nowMs;
  if (tokens < double(bytes)) return false;
  tokens -= double(bytes);
  return true;
}

// ---- Server ---------------------------------------------------------------------------------

Server::Server(ServerOptions o) : opts_(std::move(o)) {
  if (opts_.dataThreads < 1) opts_.dataThreads = 1;
}

Server::~Server() { stop(); }

bool Server::start(std::string& err) {
  if (!identity_.init(err)) return false;
  bool v6 = opts_.bindAddress.find(':') != std::string::npos;
  fd_ = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    err = std::string("socket: ") + strerror(errno);
    return false;
  }
  int buf = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  // Don't fragment (RFC 8085 §3.2: media is sized under the path MTU; RFC 8261 §5 asks the same
  // of data channels), without path-MTU errors on send (PROBE ignores the learned MTU). With DF
  // set the kernel writes IP ID 0 instead of hashing one per datagram (ip_select_ident).
  int pmtu = v6 ? IPV6_PMTUDISC_PROBE : IP_PMTUDISC_PROBE;
  if (v6) setsockopt(fd_, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &pmtu, sizeof pmtu);
  else setsockopt(fd_, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  sockaddr_storage a{};
  socklen_t al;
  if (v6) {
    auto* s = reinterpret_cast<sockaddr_in6*>(&a);
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(uint16_t(opts_.port));
    if (inet_pton(AF_INET6, opts_.bindAddress.c_str(), &s->sin6_addr) != 1) err = "bad bind address " + opts_.bindAddress;
    al = sizeof(sockaddr_in6);
  } else {
    auto* s = reinterpret_cast<sockaddr_in*>(&a);
    s->sin_family = AF_INET;
    s->sin_port = htons(uint16_t(opts_.port));
    if (inet_pton(AF_INET, opts_.bindAddress.c_str(), &s->sin_addr) != 1) err = "bad bind address " + opts_.bindAddress;
    al = sizeof(sockaddr_in);
  }
  if (!err.empty()) return false;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&a), al) != 0) {
    err = "bind " + opts_.bindAddress + ":" + std::to_string(opts_.port) + ": " + strerror(errno);
    close(fd_);
    fd_ = -1;
    return false;
  }
  if (opts_.tcpPort >= 0 && !startTcp(err)) {
    close(fd_);
    fd_ = -1;
    return false;
  }
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &al);
  port_ = ntohs(a.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  static const bool atExitRegistered = (std::atexit(stopAllAtExit), true);
  (void)atExitRegistered;
  {
    std::lock_guard<std::mutex> l(gLiveMu);
    gLive->push_back(this);
  }
  running_ = true;
  // Named threads: the bench (and top -H) tells the data threads apart by name.
  recvThread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "canopy-recv");
    recvLoop();
  });
  // Every DataThread exists before the first thread starts, and each thread gets its own by
  // pointer. A thread that looked itself up in data_ while this loop's next emplace_back
  // reallocated the vector read the freed buffer (ThreadSanitizer, native/fuzz/lifecycle.cc);
  // that chunk is at once reused for the next std::thread's state, so the "DataThread" found
  // there was a vtable and locking its "mutex" failed with EINVAL: std::system_error "Invalid
  // argument", which terminated a vitest worker (issue 19, docs/native.md).
  for (int i = 0; i < opts_.dataThreads; i++) data_.emplace_back(new DataThread());
  for (int i = 0; i < opts_.dataThreads; i++) {
    DataThread* d = data_[size_t(i)].get();
    d->thread = std::thread([this, d, i] {
      pthread_setname_np(pthread_self(), "canopy-data");
      dataLoop(*d, i);
    });
  }
  return true;
}

void Server::stop() {
  {
    std::lock_guard<std::mutex> l(gLiveMu);
    gLive->erase(std::remove(gLive->begin(), gLive->end(), this), gLive->end());
  }
  if (!running_.exchange(false)) return;
  if (recvThread_.joinable()) recvThread_.join();
  if (tcp_) tcp_->stop();
  for (auto& d : data_) {
    {
      std::lock_guard<std::mutex> l(d->mu);
    }
    d->cv.notify_all();
    if (d->thread.joinable()) d->thread.join();
  }
  data_.clear();
  std::vector<std::shared_ptr<Viewer>> all;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    for (auto& kv : viewers_) all.push_back(kv.second);
    viewers_.clear();
    byUfrag_.clear();
    byTuple_.clear();
    groups_.clear();
  }
  for (auto& v : all) {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->dtls) v->dtls->shutdown();
    v->state = Viewer::State::Closed;
    for (auto& m : v->members) m->viewer.reset();  // break the viewer <-> member cycle
    v->members.clear();
  }
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void Server::sendTo(const sockaddr_storage& a, socklen_t al, const uint8_t* p, size_t n) {
  if (fd_ < 0) return;
  ssize_t r = sendto(fd_, p, n, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&a), al);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) counters.sendWouldBlock++;
    counters.sendErrors++;
  } else {
    counters.sentPackets++;
    counters.sentBytes += n;
  }
}

void Server::emit(Event e) {
  bool wake;
  {
    std::lock_guard<std::mutex> l(evMu_);
    wake = events_.empty();
    // A bound on what a stalled JS thread can make us hold: RTCP and media go first.
    if (events_.size() > 65536 && (e.type == Event::Rtcp || e.type == Event::Rtp)) {
      if (e.type == Event::Rtp) counters.rtpEventDrops++;
      return;
    }
    events_.push_back(std::move(e));
  }
  if (wake && notify_) notify_();
}

void Server::drainEvents(std::vector<Event>& out) {
  std::lock_guard<std::mutex> l(evMu_);
  out.swap(events_);
}

uint64_t Server::addViewer(const ViewerOptions& o) {
  auto v = std::make_shared<Viewer>();
  v->server = this;
  liveViewers_++;
  v->opts = o;
  v->lastCheckMs = nowMs();
  v->dtls.reset(new DtlsEndpoint(identity_, v.get()));
  v->dtls->expectFingerprint(o.fingerprintAlgo, o.fingerprint);
  if (o.twccExtId > 0) v->twcc.enable(uint8_t(o.twccExtId));
  std::lock_guard<std::mutex> l(mapMu_);
  v->id = nextId_++;
  v->thread = int(v->id % uint64_t(opts_.dataThreads));
  viewers_[v->id] = v;
  byUfrag_[o.localUfrag] = v;
  return v->id;
}

void Server::removeViewer(uint64_t id) {
  std::shared_ptr<Viewer> v;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = viewers_.find(id);
    if (it == viewers_.end()) return;
    v = it->second;
    viewers_.erase(it);
    auto u = byUfrag_.find(v->opts.localUfrag);
    if (u != byUfrag_.end() && u->second == v) byUfrag_.erase(u);
    if (!v->tupleKey.empty()) {
      auto t = byTuple_.find(v->tupleKey);
      if (t != byTuple_.end() && t->second == v) byTuple_.erase(t);
    }
  }
  std::vector<std::shared_ptr<Member>> members;
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->dtls) v->dtls->shutdown();  // close_notify (RFC 6347 §4.2.7 via RFC 5246 §7.2.1)
    if (v->tcp) v->tcp->release();
    v->state = Viewer::State::Closed;
    members.swap(v->members);
  }
  for (auto& m : members) {
    m->active = false;
    if (auto g = m->group.lock()) {
      std::lock_guard<std::mutex> l(g->mu);
      auto next = std::make_shared<std::vector<std::shared_ptr<Member>>>();
      for (auto& x : *g->members)
        if (x != m) next->push_back(x);
      g->setMembers(std::move(next), data_.size());
    }
  }
}

bool Server::sendToViewer(uint64_t id, const uint8_t* p, size_t n) {
  if (n > kMaxRtp) return false;
  auto v = byId(id);
  if (!v) return false;
  uint8_t buf[kSlotBytes];
  memcpy(buf, p, n);
  std::lock_guard<std::mutex> l(v->mu);
  if (v->state != Viewer::State::Connected) return false;
  size_t len;
  if (isRtcp(buf, n)) len = v->tx.protectRtcp(buf, n, sizeof buf);
  else {
    probeOnRtp(v->probe, buf, n);  // one sequence on the RTX SSRC with the probes' padding (probe.h)
    size_t m = v->twcc.stamp(buf, n, sizeof buf, nowMs());
    len = v->tx.protectRtp(buf, m, sizeof buf);
    if (m != n) v->twcc.sized(len);
  }
  if (!len) {
    counters.protectErrors++;
    return false;
  }
  sendPath(*v, buf, len);
  return true;
}

void Group::setMembers(List next, size_t threads) {
  std::vector<std::vector<std::shared_ptr<Member>>> parts(threads ? threads : 1);
  for (auto& m : *next) parts[size_t(m->thread) % parts.size()].push_back(m);
  byThread.clear();
  for (auto& p : parts) byThread.push_back(std::make_shared<const std::vector<std::shared_ptr<Member>>>(std::move(p)));
  members = std::move(next);
}

uint64_t Server::createGroup(double historyMs, TemporalCodec codec) {
  auto g = std::make_shared<Group>();
  g->history.windowMs = historyMs;
  g->temporal.codec = codec;
  std::lock_guard<std::mutex> l(mapMu_);
  g->id = nextId_++;
  groups_[g->id] = g;
  return g->id;
}

void Server::destroyGroup(uint64_t gid) {
  std::shared_ptr<Group> g;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = groups_.find(gid);
    if (it == groups_.end()) return;
    g = it->second;
    groups_.erase(it);
  }
  std::lock_guard<std::mutex> l(g->mu);
  for (auto& m : *g->members) m->active = false;
  g->setMembers(std::make_shared<std::vector<std::shared_ptr<Member>>>(), data_.size());
}

size_t Server::groupCount() {
  std::lock_guard<std::mutex> l(mapMu_);
  return groups_.size();
}

bool Server::addMember(uint64_t gid, uint64_t viewerId, const MemberOptions& o) {
  std::shared_ptr<Group> g;
  std::shared_ptr<Viewer> v;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto gi = groups_.find(gid);
    auto vi = viewers_.find(viewerId);
    if (gi == groups_.end() || vi == viewers_.end()) return false;
    g = gi->second;
    v = vi->second;
  }
  auto m = std::make_shared<Member>();
  m->viewer = v;
  m->home = v.get();
  m->thread = v->thread;
  m->group = g;
  m->opts = o;
  m->rw.ssrc = o.ssrc;
  m->rw.payloadType = o.payloadType;
  m->rw.clockRate = o.clockRate ? o.clockRate : 90000;
  m->temporal.dropped = &counters.temporalDropped;
  m->rtxSeq = uint16_t(rand());
  double now = nowMs();
  m->refilledAt = m->sampleAt = now;
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state == Viewer::State::Closed) return false;
    v->members.push_back(m);
  }
  std::lock_guard<std::mutex> l(g->mu);
  auto next = std::make_shared<std::vector<std::shared_ptr<Member>>>(*g->members);
  next->push_back(m);
  g->setMembers(std::move(next), data_.size());
  return true;
}

void Server::removeMember(uint64_t gid, uint64_t viewerId, uint32_t ssrc) {
  std::shared_ptr<Group> g;
  std::shared_ptr<Viewer> v;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto gi = groups_.find(gid);
    if (gi != groups_.end()) g = gi->second;
    auto vi = viewers_.find(viewerId);
    if (vi != viewers_.end()) v = vi->second;
  }
  std::shared_ptr<Member> gone;
  if (v) {
    std::lock_guard<std::mutex> l(v->mu);
    for (auto it = v->members.begin(); it != v->members.end(); ++it)
      if ((*it)->opts.ssrc == ssrc) {
        gone = *it;
        v->members.erase(it);
        break;
      }
  }
  if (!g) return;
  std::lock_guard<std::mutex> l(g->mu);
  auto next = std::make_shared<std::vector<std::shared_ptr<Member>>>();
  for (auto& x : *g->members) {
    bool match = gone ? x == gone : (x->opts.ssrc == ssrc && (!x->viewer || x->viewer->id == viewerId));
    if (match) x->active = false;
    else next->push_back(x);
  }
  g->setMembers(std::move(next), data_.size());
}

static int64_t packetKey(const uint8_t* p) { return (int64_t(rd32(p + 8)) << 16) | rd16(p + 2); }

TemporalInfo Group::admit(const uint8_t* p, size_t n, double nowMs) {
  int64_t key = packetKey(p);
  if (key == lastKey) return lastInfo;
  history.push(p, n, nowMs);
  lastKey = key;
  lastInfo = temporal.parse(p, n);
  return lastInfo;
}

bool Server::moveMember(uint64_t gid, uint64_t viewerId, uint32_t ssrc, const uint8_t* p, size_t n, double captureMs, double now) {
  if (n < 12 || n > kMaxRtp) {
    counters.malformedOut++;
    return false;
  }
  std::shared_ptr<Group> to;
  std::shared_ptr<Viewer> v;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto gi = groups_.find(gid);
    auto vi = viewers_.find(viewerId);
    if (gi == groups_.end() || vi == viewers_.end()) return false;
    to = gi->second;
    v = vi->second;
  }
  std::shared_ptr<Member> m;
  std::shared_ptr<Group> from;
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state == Viewer::State::Closed) return false;
    for (auto& x : v->members)
      if (x->opts.ssrc == ssrc) m = x;
    if (!m) return false;
    from = m->group.lock();
    if (from != to) {
      m->prevGroup = m->group;
      m->group = to;
      // The resend guard knows upstream sequence numbers without their source: the new layer's
      // could collide with the old one's and a real NACK be taken for a repeat.
      m->guard.reset();
    }
    m->moveKey = packetKey(p);
    m->moveSent = false;
  }
  if (from && from != to) {
    // Out of the old layer's group: its later packets skip this member. The jobs it queued
    // already (the same member object) go out first, on the member's one data thread, in order.
    std::lock_guard<std::mutex> l(from->mu);
    auto next = std::make_shared<std::vector<std::shared_ptr<Member>>>();
    for (auto& x : *from->members)
      if (x != m) next->push_back(x);
    from->setMembers(std::move(next), data_.size());
  }
  if (from != to) {
    std::lock_guard<std::mutex> l(to->mu);
    auto next = std::make_shared<std::vector<std::shared_ptr<Member>>>(*to->members);
    next->push_back(m);
    to->setMembers(std::move(next), data_.size());
  }
  Job job;
  job.packet = std::make_shared<std::vector<uint8_t>>(p, p + n);
  job.temporal = to->admit(p, n, now);
  job.captureMs = captureMs;
  job.nowMs = now;
  job.members = std::make_shared<const std::vector<std::shared_ptr<Member>>>(1, m);
  auto& d = data_[size_t(m->thread) % data_.size()];
  {
    std::lock_guard<std::mutex> l(d->mu);
    if (d->jobs.size() >= kMaxQueuedJobs) {
      counters.sendErrors++;
      counters.queueDrops++;
      return true;  // moved; its first packet lost as any queued packet would be
    }
    d->jobs.push_back(std::move(job));
  }
  d->cv.notify_one();
  return true;
}

void Server::groupSend(uint64_t gid, const uint8_t* p, size_t n, double captureMs, double now) {
  if (n < 12 || n > kMaxRtp) {
    counters.malformedOut++;
    return;
  }
  std::shared_ptr<Group> g;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = groups_.find(gid);
    if (it == groups_.end()) return;
    g = it->second;
  }
  TemporalInfo info = g->admit(p, n, now);  // history, and parsed once for every member (temporal.h)
  std::vector<Group::List> lists;
  {
    std::lock_guard<std::mutex> l(g->mu);
    if (g->members->empty()) return;
    lists = g->byThread;
  }
  Job job;
  job.packet = std::make_shared<std::vector<uint8_t>>(p, p + n);
  job.temporal = info;
  job.captureMs = captureMs;
  job.nowMs = now;
  for (size_t i = 0; i < data_.size(); i++) {
    // Each thread gets its own members, and a thread with none of them no job.
    if (i >= lists.size() || lists[i]->empty()) continue;
    job.members = lists[i];
    auto& d = data_[i];
    {
      std::lock_guard<std::mutex> l(d->mu);
      if (d->jobs.size() >= kMaxQueuedJobs) {
        counters.sendErrors++;
        counters.queueDrops++;
        continue;
      }
      d->jobs.push_back(job);
    }
    d->cv.notify_one();
  }
}

void Server::dataLoop(DataThread& d, int index) {
  std::unique_ptr<uint8_t[]> arena(new uint8_t[kBatch * kSlotBytes]);
  mmsghdr msgs[kBatch];
  iovec iov[kBatch];
  sockaddr_storage addrs[kBatch];
  size_t queued = 0;
  auto flush = [&] {
    if (!queued) return;
    if (opts_.sendmmsg) {
      size_t done = 0;
      while (done < queued) {
        int r = sendmmsg(fd_, msgs + done, unsigned(queued - done), MSG_DONTWAIT);
        counters.sendmmsgCalls++;
        if (r <= 0) {
          if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) counters.sendWouldBlock += queued - done;
          counters.sendErrors += queued - done;
          break;
        }
        // One atomic add per batch, not per datagram: the counters share a cache line with the
        // other data threads.
        uint64_t bytes = 0;
        for (int i = 0; i < r; i++) bytes += msgs[done + size_t(i)].msg_hdr.msg_iov->iov_len;
        counters.sentBytes += bytes;
        counters.sentPackets += unsigned(r);
        done += size_t(r);
      }
    } else {
      for (size_t i = 0; i < queued; i++)
        sendTo(addrs[i], msgs[i].msg_hdr.msg_namelen, static_cast<uint8_t*>(iov[i].iov_base), iov[i].iov_len);
    }
    queued = 0;
  };
  std::vector<std::shared_ptr<Viewer>> probing;
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> l(d.mu);
      // A probe train in flight (probe.cc) is paced by the millisecond; otherwise sleep until a job.
      if (d.probing.empty()) d.cv.wait(l, [&] { return !d.jobs.empty() || !running_ || !d.probing.empty(); });
      else d.cv.wait_for(l, std::chrono::milliseconds(1), [&] { return !d.jobs.empty() || !running_; });
      if (!running_) return;
      probing = d.probing;
      if (d.jobs.empty()) job.packet = nullptr;
      else {
        job = std::move(d.jobs.front());
        d.jobs.pop_front();
      }
    }
    if (!probing.empty()) {
      serviceProbes(d, probing);
      probing.clear();  // no viewer held here while the thread sleeps (a removed one is freed)
    }
    if (!job.packet) continue;
    const uint8_t* pkt = job.packet->data();
    size_t n = job.packet->size();
    const double sendMs = nowMs();  // transport-cc send time (the batch leaves right after)
    const auto& list = *job.members;
    const size_t count = list.size();
    for (size_t i = 0; i < count; i++) {
      // Each member and its viewer are cold by the time the walk reaches them again (hundreds
      // of viewers' state does not stay in cache between packets), and the walk stalled on
      // those loads. A pipeline of prefetches, one member's work apart (~1-2 us, far more than
      // a memory fetch): the member three ahead; the viewer of the one two ahead (its member
      // line came in last round).
      if (i + 3 < count) {
        const Member* nm = list[i + 3].get();
        __builtin_prefetch(nm);
        __builtin_prefetch(&nm->rw);
        __builtin_prefetch(&nm->active);
      }
      // Only addresses are computed from what another thread may change: `home` is written
      // once, before the member is published to the group, and a prefetch of a viewer that has
      // gone meanwhile touches no memory. (Loading the viewer's cipher pointer to prefetch
      // what it points to was a read the viewer's lock should guard: TSan saw it race.)
      if (i + 2 < count) {
        if (const Viewer* nv = list[i + 2]->home) {
          __builtin_prefetch(&nv->mu);
          __builtin_prefetch(&nv->addr);
          __builtin_prefetch(&nv->tx);
        }
      }
      const auto& m = list[i];
      if (!m->active.load(std::memory_order_relaxed)) continue;
      Viewer* v = m->viewer.get();
      if (!v || v->thread != index) continue;
      uint8_t* out = arena.get() + queued * kSlotBytes;
      size_t len;
      {
        std::lock_guard<std::mutex> l(v->mu);
        if (v->state != Viewer::State::Connected || !m->viewer) continue;
        if (m->moveKey >= 0) {
          // The packet a move started it on goes once: by the move's job, which comes first.
          int64_t k = packetKey(pkt);
          if (k == m->moveKey) {
            if (m->moveSent) continue;
            m->moveSent = true;
          } else if ((k >> 16) == (m->moveKey >> 16)) {
            m->moveKey = -1;  // a later packet of the new layer: no repeat can come now
          }
        }
        len = m->temporal.rewrite(job.temporal, m->rw, pkt, n, out, job.nowMs);  // rw.rewrite, or above the cap (temporal.h)
        if (len == kTemporalLeftOut) continue;
        if (!len) {
          counters.malformedOut++;
          continue;
        }
        if (job.captureMs > m->lastCaptureMs) m->lastCaptureMs = job.captureMs;
        // A probing viewer's media is what its trains copy (probe.h): recorded here as on the
        // per-viewer path (sendToViewer), or a simulcast member's trains, in a layer's group since
        // the per-layer groups, copied nothing it had been sent lately.
        if (v->probe.configured) probeOnRtp(v->probe, out, len);  // checked inline: no call per packet for the rest
        size_t stamped = v->twcc.stamp(out, len, kSlotBytes, sendMs);
        bool wasStamped = stamped != len;
        len = v->tx.protectRtp(out, stamped, kSlotBytes);
        if (!len) {
          counters.protectErrors++;
          continue;
        }
        if (wasStamped) v->twcc.sized(len);
        if (v->tcp) {  // ICE-TCP: framed onto its connection (bounded queue), not batched
          sendPath(*v, out, len);
          continue;
        }
        addrs[queued] = v->addr;
        msgs[queued].msg_hdr.msg_namelen = v->addrLen;
      }
      iov[queued].iov_base = out;
      iov[queued].iov_len = len;
      msghdr& h = msgs[queued].msg_hdr;
      h.msg_name = &addrs[queued];
      h.msg_iov = &iov[queued];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      if (++queued == kBatch) flush();
    }
    flush();
  }
}

void Server::setRetransmitShare(uint64_t viewerId, uint32_t ssrc, double share) {
  auto v = byId(viewerId);
  if (!v) return;
  if (!(share >= 0)) return;
  std::lock_guard<std::mutex> l(v->mu);
  for (auto& m : v->members)
    if (m->opts.ssrc == ssrc) m->opts.retransmitShare = share;
}

void Server::sendReports(uint64_t viewerId) {
  auto v = byId(viewerId);
  if (!v) return;
  std::lock_guard<std::mutex> l(v->mu);
  if (v->state != Viewer::State::Connected) return;
  for (auto& m : v->members) {
    if (m->rw.packets == 0) continue;
    uint8_t buf[28 + kSrtpMaxTrailer];
    // Map the rewritten RTP time to the origin's capture clock (rtcp.ts buildSenderReport).
    double ms = m->lastCaptureMs;
    uint64_t secs = uint64_t(ms / 1000.0) + 2208988800ull;
    uint64_t frac = uint64_t(std::fmod(ms, 1000.0) / 1000.0 * 4294967296.0);
    if (frac > 0xffffffffull) frac = 0xffffffffull;
    uint64_t ntp = (secs << 32) | frac;
    size_t n = writeSenderReport(buf, m->rw.ssrc, ntp, m->rw.lastTs, uint32_t(m->rw.packets), uint32_t(m->rw.octets));
    m->rtt.onSenderReport(uint32_t(ntp >> 16), nowMs());
    n = v->tx.protectRtcp(buf, n, sizeof buf);
    if (n) sendPath(*v, buf, n);
  }
}

void Server::bury(const std::string& ufrag, const std::string& pwd, double holdMs) {
  std::lock_guard<std::mutex> l(mapMu_);
  tombs_[ufrag] = Tomb{pwd, nowMs() + holdMs};
}

bool Server::viewerAddress(uint64_t id, sockaddr_storage& out, socklen_t& len, bool* tcp) {
  auto v = byId(id);
  if (!v) return false;
  std::lock_guard<std::mutex> l(v->mu);
  if (v->addrLen == 0) return false;
  out = v->addr;
  len = v->addrLen;
  if (tcp) *tcp = v->tcp != nullptr;  // an ICE-TCP connection (icetcp.cc)
  return true;
}

std::shared_ptr<Viewer> Server::byId(uint64_t id) {
  std::lock_guard<std::mutex> l(mapMu_);
  auto it = viewers_.find(id);
  return it == viewers_.end() ? nullptr : it->second;
}

std::shared_ptr<Viewer> Server::byTuple(const std::string& key) {
  std::lock_guard<std::mutex> l(mapMu_);
  auto it = byTuple_.find(key);
  return it == byTuple_.end() ? nullptr : it->second;
}

void Server::recvLoop() {
  constexpr size_t kRecvBatch = 16;
  std::unique_ptr<uint8_t[]> bufs(new uint8_t[kRecvBatch * 2048]);
  mmsghdr msgs[kRecvBatch];
  iovec iov[kRecvBatch];
  sockaddr_storage from[kRecvBatch];
  double lastTimers = 0;
  while (running_) {
    pollfd p{fd_, POLLIN, 0};
    int r = poll(&p, 1, 20);
    double now = nowMs();
    if (r > 0) {
      for (size_t i = 0; i < kRecvBatch; i++) {
        iov[i] = {bufs.get() + i * 2048, 2048};
        memset(&msgs[i].msg_hdr, 0, sizeof(msghdr));
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int got = recvmmsg(fd_, msgs, kRecvBatch, MSG_DONTWAIT, nullptr);
      for (int i = 0; i < got; i++) {
        counters.rxDatagrams++;
        if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
          counters.garbage++;
          continue;
        }
        onDatagram(static_cast<uint8_t*>(iov[i].iov_base), msgs[i].msg_len, from[i], msgs[i].msg_hdr.msg_namelen, now);
      }
    }
    if (now - lastTimers >= 20) {
      lastTimers = now;
      timers(now);
    }
  }
}

void Server::onDatagram(uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double now) {
  switch (classify(p, n)) {
    case Demux::Stun:
      return onStun(p, n, from, fromLen, now);
    case Demux::Dtls: {
      auto v = byTuple(tupleKeyOf(from));
      if (!v) {
        counters.unknownTuple++;
        return;
      }
      counters.dtlsDatagrams++;
      return onDtls(v, p, n);
    }
    case Demux::Rtp: {
      auto v = byTuple(tupleKeyOf(from));
      if (!v) {
        counters.unknownTuple++;
        return;
      }
      if (!isRtcp(p, n)) return onSrtp(v, p, n);
      return onSrtcp(v, p, n, now);
    }
    default:
      counters.garbage++;
  }
}

void Server::onStun(const uint8_t* p, size_t n, const sockaddr_storage& from, socklen_t fromLen, double now, const std::shared_ptr<TcpConn>& conn) {
  auto reply = [&](const uint8_t* r, size_t len) {
    if (conn) conn->send(r, len);
    else sendTo(from, fromLen, r, len);
  };
  StunRequest req;
  if (!stunParse(p, n, req) || req.type != 0x0001 || !req.username || (req.hasFingerprint && !req.fingerprintOk)) {
    counters.stunMalformed++;
    return;
  }
  std::string ufrag = stunLocalUfrag(req);
  std::shared_ptr<Viewer> v;
  std::string tombPwd;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    auto it = byUfrag_.find(ufrag);
    if (it != byUfrag_.end()) v = it->second;
    else {
      auto t = tombs_.find(ufrag);
      if (t != tombs_.end() && t->second.until > now) tombPwd = t->second.pwd;
    }
  }
  uint8_t out[256];
  if (!v) {
    // A gone session's client: fail its checks at once (RFC 8489 §6.3.4: 403), integrity-protected.
    if (!tombPwd.empty() && stunCheckIntegrity(p, n, req, tombPwd)) {
      size_t len = stunWriteResponse(out, req.txid, reinterpret_cast<const sockaddr*>(&from), tombPwd, 403);
      reply(out, len);
      counters.tombstoneAnswers++;
      return;
    }
    counters.stunUnknownUser++;
    return;
  }
  // RFC 8445 §7.3: the USERNAME must be exactly "our ufrag:their ufrag", MESSAGE-INTEGRITY with our password.
  std::string expect = v->opts.localUfrag + ":" + v->opts.remoteUfrag;
  if (req.usernameLen != expect.size() || memcmp(req.username, expect.data(), expect.size()) != 0 ||
      !stunCheckIntegrity(p, n, req, v->opts.localPwd)) {
    counters.stunIntegrity++;
    return;
  }
  size_t len = stunWriteResponse(out, req.txid, reinterpret_cast<const sockaddr*>(&from), v->opts.localPwd);
  std::string key = conn ? tcpTupleKey(conn->id) : tupleKeyOf(from);
  if (conn && conn->bound && conn->viewer.lock() != v) {  // one connection carries one session
    counters.stunUnknownUser++;
    return;
  }
  if (conn && !conn->bound) {  // RFC 6544 §7.2: the first authenticated check binds the connection
    conn->bound = true;
    conn->viewer = v;
  }
  bool startDtls = false;
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state == Viewer::State::Closed) return;
    bool first = v->addrLen == 0;
    // ICE-lite (RFC 8445 §7.3.1.5): the controlling agent's nomination (USE-CANDIDATE) picks
    // the pair; until then the first valid pair carries DTLS.
    if (first || (req.useCandidate && key != v->tupleKey)) {
      std::string old = v->tupleKey;
      v->addr = from;
      v->addrLen = fromLen;
      v->tcp = conn;
      // tupleKey is written under both locks: removeViewer reads it under mapMu_ alone.
      std::lock_guard<std::mutex> ml(mapMu_);
      v->tupleKey = key;
      if (!old.empty()) {
        auto t = byTuple_.find(old);
        if (t != byTuple_.end() && t->second == v) byTuple_.erase(t);
      }
      byTuple_[key] = v;
    }
    if (key == v->tupleKey) {
      v->lastCheckMs = now;
      if (v->reportedDisconnected && v->state == Viewer::State::Connected) {
        v->reportedDisconnected = false;
        emit(Event{v->id, Event::Connected, "", {}});
      }
    }
    if (v->state == Viewer::State::Checking) {
      v->state = Viewer::State::Handshaking;
      startDtls = true;
    }
  }
  reply(out, len);
  counters.stunAnswered++;
  if (startDtls) {
    std::lock_guard<std::mutex> l(v->mu);
    v->dtls->start(v->opts.dtlsClient);
    afterDtls(*v);
  }
}

void Server::onDtls(std::shared_ptr<Viewer> v, const uint8_t* p, size_t n) {
  std::lock_guard<std::mutex> l(v->mu);
  if (v->state == Viewer::State::Closed || v->state == Viewer::State::Checking) return;
  v->dtls->feed(p, n);
  afterDtls(*v);
}

/** Called under v.mu after the DTLS endpoint ran: takes the keys, reports the outcome. */
void Server::afterDtls(Viewer& v) {
  auto s = v.dtls->state();
  if (v.state == Viewer::State::Handshaking && s == DtlsEndpoint::State::Connected) {
    int prof = v.dtls->srtpProfile();
    size_t k = srtpKeyLen(prof);
    if (!v.tx.init(prof, v.dtls->localKey(), v.dtls->localKey() + k, true) || !v.rx.init(prof, v.dtls->remoteKey(), v.dtls->remoteKey() + k, false, /*withRtp=*/v.opts.receiveRtp)) {
      v.state = Viewer::State::Closed;
      emit(Event{v.id, Event::Failed, "SRTP session setup failed", {}});
      return;
    }
    v.state = Viewer::State::Connected;
    // The SSL object goes now, keeping only what the connection still needs (dtls.h retire():
    // ~74 kB of a viewer's memory; docs/native.md "Memory").
    if (v.dtls->retire()) counters.dtlsRetired++;
    else counters.dtlsKept++;
    emit(Event{v.id, Event::Connected, prof == kAeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80", {}});
  } else if (s == DtlsEndpoint::State::Failed && v.state != Viewer::State::Closed) {
    v.state = Viewer::State::Closed;
    emit(Event{v.id, Event::Failed, v.dtls->error(), {}});
  } else if (s == DtlsEndpoint::State::Closed && v.state == Viewer::State::Connected) {
    v.state = Viewer::State::Closed;
    emit(Event{v.id, Event::Failed, "DTLS closed by the peer", {}});
  }
}

void Server::onSrtcp(std::shared_ptr<Viewer> v, uint8_t* p, size_t n, double now) {
  counters.srtcpIn++;
  RtcpInfo info;
  Event ev{v->id, Event::Rtcp, "", {}};
  Event twcc{v->id, Event::Twcc, "", {}};
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state != Viewer::State::Connected) return;
    size_t len = v->rx.unprotectRtcp(p, n);
    if (!len) {
      counters.srtcpFailed++;
      return;
    }
    if (!parseRtcp(p, len, info)) counters.rtcpMalformed++;
    // RFC 3550 §6.4.1: each report block about one of our SSRCs is an RTT sample (rtt.h).
    for (auto& b : info.reports)
      for (auto& m : v->members)
        if (m->opts.ssrc == b.ssrc) m->rtt.onReport(b.lsr, b.dlsr, now);
    if (!info.nacks.empty()) answerNacks(*v, info, now, ev.repair);
    ev.data.assign(p, p + len);
    v->twcc.onRtcp(p, len, twcc.data);  // transport-cc feedback matched to what we sent
    // A probe train the feedback shows failing stops here, not a JavaScript turn later (probe.h).
    if (v->probe.active() && !twcc.data.empty()) {
      int why = probeOnFeedback(v->probe, twcc.data.data(), twcc.data.size() / 32);
      if (why != kProbeNotAborted) {
        (why == kProbeAbortLoss ? counters.probeAbortsLoss : counters.probeAbortsSlow)++;
        closeCluster(*v, now, true, why);
      }
    }
  }
  // PLI, FIR and reports (and the NACKs, for JS's counters) go up in the next batch.
  emit(std::move(ev));
  if (!twcc.data.empty()) emit(std::move(twcc));
}

/** Under v.mu: NACKs for members with native repair, from the group's history (TrackSender.resend). */
void Server::answerNacks(Viewer& v, const RtcpInfo& info, double now, uint32_t repair[5]) {
  for (auto& nack : info.nacks) {
    Member* m = nullptr;
    for (auto& x : v.members)
      if (x->opts.ssrc == nack.mediaSsrc) m = x.get();
    if (!m || !m->opts.nack) continue;
    auto g = m->group.lock();
    if (!g) continue;
    // Just after a move, until the data thread sends the new layer's first packet, the rewriter
    // is still on the old layer: its packets are in the old group's history.
    auto prev = m->prevGroup.lock();
    counters.nacksIn++;
    repair[0] += uint32_t(nack.seqs.size());
    for (size_t i = 0; i < nack.seqs.size(); i++) {
      int32_t up = m->rw.mapBack(nack.seqs[i]);
      uint8_t orig[kMaxRtp];
      size_t n = up < 0 ? 0 : g->history.get(uint16_t(up), now, orig);
      if (prev && up >= 0 && (!n || int64_t(rd32(orig + 8)) != m->rw.inSsrc)) n = prev->history.get(uint16_t(up), now, orig);
      if (!n) {
        counters.retransmitMisses++;
        repair[3]++;
        continue;
      }
      size_t slot = size_t(up) & 511;
      if (m->guard && m->guard->seq[slot] == up && now - m->guard->ms[slot] < m->rtt.guardMs()) {
        counters.retransmitDuplicate++;
        repair[4]++;
        continue;
      }
      uint8_t media[kSlotBytes], buf[kSlotBytes];
      size_t len = m->rw.rewriteAgain(orig, n, media);
      if (len && !m->temporal.fixAgain(orig, n, media, len)) continue;  // of a frame left out (temporal.h)
      if (!len) {
        counters.retransmitMisses++;
        repair[3]++;
        continue;
      }
      const uint8_t* out = media;
      if (m->opts.rtxPayloadType >= 0) {
        len = wrapRtx(media, len, m->opts.rtxSsrc, uint8_t(m->opts.rtxPayloadType), m->rtxSeq, buf);
        out = buf;
      }
      if (!len) continue;
      if (!m->takeBudget(len, now)) {
        counters.retransmitLimited += nack.seqs.size() - i;
        repair[2] += uint32_t(nack.seqs.size() - i);
        break;
      }
      uint8_t prot[kSlotBytes];
      memcpy(prot, out, len);
      // One RTX SSRC, one sequence (RFC 3550 §5.1, RFC 4588 §4): a probing viewer's trains
      // number their RTX packets from the probe state's counter, so an answer on the same SSRC
      // takes its number from there too. With two counters on one SSRC the receiver's SRTP
      // index estimate and replay window (RFC 3711 §3.3.1-3.3.2) cannot follow both; since the
      // per-layer groups, a simulcast member's trains read as lost and failed with no cap on the
      // link (abr bench: the varying viewer stayed on its lowest layer after the lift).
      probeOnRtp(v.probe, prot, len);
      size_t stamped = v.twcc.stamp(prot, len, sizeof prot, now);
      bool wasStamped = stamped != len;
      len = v.tx.protectRtp(prot, stamped, sizeof prot);
      if (!len) continue;
      if (wasStamped) v.twcc.sized(len);
      if (m->opts.rtxPayloadType >= 0) m->rtxSeq++;
      if (!m->guard) m->guard.reset(new Member::ResendGuard());
      m->guard->seq[slot] = up;
      m->guard->ms[slot] = now;
      sendPath(v, prot, len);
      counters.retransmitted++;
      repair[1]++;
    }
  }
}

void Server::timers(double now) {
  std::vector<std::shared_ptr<Viewer>> all;
  {
    std::lock_guard<std::mutex> l(mapMu_);
    all.reserve(viewers_.size());
    for (auto& kv : viewers_) all.push_back(kv.second);
    for (auto it = tombs_.begin(); it != tombs_.end();)
      if (it->second.until <= now) it = tombs_.erase(it);
      else ++it;
  }
  for (auto& v : all) {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state == Viewer::State::Handshaking) {
      v->dtls->onTimer();
      afterDtls(*v);
    }
    if (v->state != Viewer::State::Connected) continue;
    double silent = now - v->lastCheckMs;
    // RFC 7675 §5.1: no consent check answered for 30 s ends the session; earlier, report
    // "disconnected" as an ICE agent would, so JS's grace timer runs.
    if (silent > opts_.consentTimeoutMs) {
      v->state = Viewer::State::Closed;
      emit(Event{v->id, Event::Failed, "ICE consent expired (RFC 7675)", {}});
    } else if (silent > opts_.disconnectAfterMs && !v->reportedDisconnected) {
      v->reportedDisconnected = true;
      emit(Event{v->id, Event::Disconnected, "no ICE checks", {}});
    }
  }
}

}  // namespace canopy
