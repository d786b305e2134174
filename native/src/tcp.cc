#include "tcp.h"
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include "server.h"

namespace canopy {

// ---- TcpConn --------------------------------------------------------------------------------

void TcpConn::arm(bool on) {
  if (armed == on || fd < 0) return;
  armed = on;
  epoll_event e{};
  e.events = uint32_t(EPOLLIN | EPOLLRDHUP) | (on ? uint32_t(EPOLLOUT) : 0u);
  e.data.u64 = id;
  epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

void TcpConn::append(const uint8_t* p, size_t n) {
  if (outHead > 0 && outHead == out.size()) out.clear(), outHead = 0;
  if (outHead >= 65536 && outHead * 2 >= out.size()) {
    out.erase(out.begin(), out.begin() + long(outHead));
    outHead = 0;
  }
  out.insert(out.end(), p, p + n);
}

bool TcpConn::send(const uint8_t* p, size_t n) {
  if (n == 0 || n > 0xffff) return false;
  uint8_t hdr[2];
  writeFrameHeader(hdr, n);
  std::lock_guard<std::mutex> l(mu);
  if (closed || closing) return false;
  size_t pending = out.size() - outHead;
  if (pending > 0) {
    // A frame is queued whole or not at all: the stream must stay framed (RFC 4571 §2).
    if (pending + 2 + n > kMaxPending) {
      counters->tcpDropped++;
      counters->tcpDroppedBytes += n;
      return false;
    }
    append(hdr, 2);
    append(p, n);
    return true;
  }
  iovec iov[2] = {{hdr, 2}, {const_cast<uint8_t*>(p), n}};
  msghdr m{};
  m.msg_iov = iov;
  m.msg_iovlen = 2;
  ssize_t w = sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (w == ssize_t(2 + n)) return true;
  if (w < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;  // the TCP thread sees the error and closes
    w = 0;
  }
  // The kernel took part of it: the rest waits for EPOLLOUT.
  size_t done = size_t(w);
  if (done < 2) append(hdr + done, 2 - done);
  size_t body = done > 2 ? done - 2 : 0;
  append(p + body, n - body);
  arm(true);
  return true;
}

void TcpConn::init(uint64_t id_, int fd_, int ep_, Counters* c) {
  id = id_;
  fd = fd_;
  ep = ep_;
  counters = c;
}

size_t TcpConn::pending() {
  std::lock_guard<std::mutex> l(mu);
  return out.size() - outHead;
}

bool TcpConn::flush() {
  std::lock_guard<std::mutex> l(mu);
  while (fd >= 0 && outHead < out.size()) {
    ssize_t w = ::send(fd, out.data() + outHead, out.size() - outHead, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (w <= 0) return false;  // EAGAIN: wait for the next EPOLLOUT; an error shows up on the read side
    outHead += size_t(w);
  }
  out.clear();
  outHead = 0;
  arm(false);
  if (closing && fd >= 0) shutdown(fd, SHUT_WR);
  return true;
}

void TcpConn::release() {
  std::lock_guard<std::mutex> l(mu);
  if (closed || closing) return;
  closing = true;
  closingSince = nowMs();
  // Nothing queued: tell the peer now (FIN); else the flush does it when the queue empties.
  if (out.size() == outHead && fd >= 0) shutdown(fd, SHUT_WR);
}

// ---- TcpServer ------------------------------------------------------------------------------

bool TcpServer::start(const std::string& bind, int port, std::string& err) {
  bool v6 = bind.find(':') != std::string::npos;
  lfd_ = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (lfd_ < 0) {
    err = std::string("tcp socket: ") + strerror(errno);
    return false;
  }
  int one = 1;
  setsockopt(lfd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage a{};
  socklen_t al;
  if (v6) {
    auto* s = reinterpret_cast<sockaddr_in6*>(&a);
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(uint16_t(port));
    inet_pton(AF_INET6, bind.c_str(), &s->sin6_addr);
    al = sizeof(sockaddr_in6);
  } else {
    auto* s = reinterpret_cast<sockaddr_in*>(&a);
    s->sin_family = AF_INET;
    s->sin_port = htons(uint16_t(port));
    inet_pton(AF_INET, bind.c_str(), &s->sin_addr);
    al = sizeof(sockaddr_in);
  }
  if (::bind(lfd_, reinterpret_cast<sockaddr*>(&a), al) != 0 || listen(lfd_, 512) != 0) {
    err = "ICE-TCP listen " + bind + ":" + std::to_string(port) + ": " + strerror(errno);
    close(lfd_);
    lfd_ = -1;
    return false;
  }
  getsockname(lfd_, reinterpret_cast<sockaddr*>(&a), &al);
  port_ = ntohs(a.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u64 = 0;  // connection ids start at 1
  epoll_ctl(ep_, EPOLL_CTL_ADD, lfd_, &e);
  running_ = true;
  thread_ = std::thread([this] { loop(); });
  return true;
}

void TcpServer::stop() {
  if (running_.exchange(false) && thread_.joinable()) thread_.join();
  for (auto& kv : conns_) {
    std::lock_guard<std::mutex> l(kv.second->mu);
    kv.second->closed = true;
    if (kv.second->fd >= 0) close(kv.second->fd);
    kv.second->fd = -1;
  }
  conns_.clear();
  live_ = 0;
  if (lfd_ >= 0) close(lfd_);
  if (ep_ >= 0) close(ep_);
  lfd_ = ep_ = -1;
}

void TcpServer::loop() {
  epoll_event evs[64];
  double lastSweep = 0;
  while (running_) {
    int n = epoll_wait(ep_, evs, 64, 50);
    double now = nowMs();
    for (int i = 0; i < n; i++) {
      uint64_t id = evs[i].data.u64;
      if (id == 0) {
        accept(now);
        continue;
      }
      auto it = conns_.find(id);
      if (it == conns_.end()) continue;
      std::shared_ptr<TcpConn> c = it->second;
      if (evs[i].events & EPOLLOUT) c->flush();
      if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readable(c, now);
    }
    if (now - lastSweep >= 500) {
      lastSweep = now;
      sweep(now);
    }
  }
}

void TcpServer::accept(double now) {
  while (true) {
    sockaddr_storage from{};
    socklen_t fl = sizeof from;
    int fd = accept4(lfd_, reinterpret_cast<sockaddr*>(&from), &fl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (conns_.size() >= kMaxConnections) {
      counters_.tcpRejected++;
      close(fd);
      continue;
    }
    // Media is paced by the sender already; Nagle would only add delay (RFC 6544 does not ask for it).
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_shared<TcpConn>();
    c->init(nextId_++, fd, ep_, &counters_);
    c->peer = from;
    c->peerLen = fl;
    c->openedMs = now;
    epoll_event e{};
    e.events = EPOLLIN | EPOLLRDHUP;
    e.data.u64 = c->id;
    if (epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &e) != 0) {
      close(fd);
      continue;
    }
    conns_[c->id] = c;
    live_ = conns_.size();
    counters_.tcpAccepted++;
  }
}

void TcpServer::readable(const std::shared_ptr<TcpConn>& c, double now) {
  uint8_t buf[16384];
  while (true) {
    int fd;
    {
      std::lock_guard<std::mutex> l(c->mu);
      fd = c->fd;
    }
    if (fd < 0) return;
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return closeConn(c);
    if (r < 0) return;
    bool ok = c->reader.feed(buf, size_t(r), [&](uint8_t* p, size_t n) {
      counters_.tcpFramesIn++;
      hooks_.onFrame(c, p, n, now);
    });
    if (!ok) {
      counters_.tcpBadFrames++;
      return closeConn(c);
    }
    if (size_t(r) < sizeof buf) return;
  }
}

void TcpServer::closeConn(const std::shared_ptr<TcpConn>& c) {
  {
    std::lock_guard<std::mutex> l(c->mu);
    if (c->closed) return;
    c->closed = true;
    if (c->fd >= 0) {
      epoll_ctl(ep_, EPOLL_CTL_DEL, c->fd, nullptr);
      close(c->fd);
    }
    c->fd = -1;
    std::vector<uint8_t>().swap(c->out);
    c->outHead = 0;
  }
  conns_.erase(c->id);
  live_ = conns_.size();
  counters_.tcpClosed++;
  // Connection close = that candidate pair is gone (RFC 6544 §7.2).
  hooks_.onClose(c);
}

void TcpServer::sweep(double now) {
  std::vector<std::shared_ptr<TcpConn>> gone;
  for (auto& kv : conns_) {
    TcpConn& c = *kv.second;
    bool closing;
    double since;
    {
      std::lock_guard<std::mutex> l(c.mu);
      closing = c.closing;
      since = c.closingSince;
    }
    if (closing && now - since > kLingerMs) gone.push_back(kv.second);
    else if (!c.bound && now - c.openedMs > kUnboundTimeoutMs) {
      counters_.tcpUnbound++;
      gone.push_back(kv.second);
    } else if (c.bound && c.viewer.expired() && now - c.openedMs > kUnboundTimeoutMs) {
      gone.push_back(kv.second);  // its viewer is gone and the connection was not released
    }
  }
  for (auto& c : gone) closeConn(c);
}

}  // namespace canopy
