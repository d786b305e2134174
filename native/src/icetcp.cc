// The Server's side of ICE-TCP (tcp.h): demultiplexing a connection's frames, the selected
// path when it is a connection, and what a closed connection means for its viewer.
#include <arpa/inet.h>
#include "server.h"
#include "tcp.h"

namespace canopy {

bool Server::startTcp(std::string& err) {
  TcpServer::Hooks h;
  h.onFrame = [this](const std::shared_ptr<TcpConn>& c, uint8_t* p, size_t n, double now) { onTcpFrame(c, p, n, now); };
  h.onClose = [this](const std::shared_ptr<TcpConn>& c) { onTcpClosed(c); };
  tcp_.reset(new TcpServer(std::move(h), counters));
  if (tcp_->start(opts_.bindAddress, opts_.tcpPort, err)) return true;
  tcp_.reset();
  return false;
}

int Server::tcpPort() const { return tcp_ ? tcp_->port() : 0; }

size_t Server::tcpConnections() const { return tcp_ ? tcp_->connections() : 0; }

std::string tcpTupleKey(uint64_t connId) {
  std::string k("t", 1);
  k.append(reinterpret_cast<const char*>(&connId), sizeof connId);
  return k;
}

/** The same RFC 7983 demultiplexing as a UDP datagram; DTLS and SRTCP go to the connection's viewer. */
void Server::onTcpFrame(const std::shared_ptr<TcpConn>& c, uint8_t* p, size_t n, double now) {
  Demux d = classify(p, n);
  if (d == Demux::Stun) return onStun(p, n, c->peer, c->peerLen, now, c);
  std::shared_ptr<Viewer> v = c->viewer.lock();
  if (!v) {
    counters.unknownTuple++;
    return;
  }
  if (d == Demux::Dtls) {
    counters.dtlsDatagrams++;
    return onDtls(v, p, n);
  }
  if (d == Demux::Rtp) {
    if (!isRtcp(p, n)) return onSrtp(v, p, n);
    return onSrtcp(v, p, n, now);
  }
  counters.garbage++;
}

void Server::onTcpClosed(const std::shared_ptr<TcpConn>& c) {
  std::shared_ptr<Viewer> v = c->viewer.lock();
  if (!v) return;
  std::lock_guard<std::mutex> l(v->mu);
  if (v->tcp != c) return;
  // The selected pair's connection is gone: nothing reaches the viewer until it nominates
  // another pair. Report "disconnected" (JS's grace timer runs); consent expiry ends it.
  v->tcp.reset();
  v->addrLen = 0;
  {
    std::lock_guard<std::mutex> ml(mapMu_);
    auto t = byTuple_.find(v->tupleKey);
    if (t != byTuple_.end() && t->second == v) byTuple_.erase(t);
    v->tupleKey.clear();  // under mapMu_ too: removeViewer reads it under mapMu_ alone
  }
  if (v->state == Viewer::State::Connected && !v->reportedDisconnected) {
    v->reportedDisconnected = true;
    emit(Event{v->id, Event::Disconnected, "ICE-TCP connection closed", {}});
  }
}

/** Under v.mu: one packet to the viewer's selected path, its TCP connection or its UDP address. */
void Server::sendPath(Viewer& v, const uint8_t* p, size_t n) {
  if (v.tcp) {
    if (v.tcp->send(p, n)) {
      counters.sentPackets++;
      counters.sentBytes += n;
    } else {
      counters.sendErrors++;
    }
  } else if (v.addrLen) {
    sendTo(v.addr, v.addrLen, p, n);
  }
}

}  // namespace canopy
