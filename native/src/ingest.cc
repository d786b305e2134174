// A publisher's media on the native data plane (WHIP, docs/firewalls.md "Publishers"): its
// SRTP (RFC 3711 §3.3) is authenticated and decrypted on the receive thread and goes up to
// JavaScript as one Rtp event per packet, where the publisher's session (RtpReceiver) does
// what it does with node-datachannel's packets: reports, NACK, PLI, REMB, which it sends back
// through sendToViewer (SRTCP). A viewer's RTP (it should send none) is counted and dropped.
#include "server.h"

namespace canopy {

void Server::onSrtp(std::shared_ptr<Viewer> v, uint8_t* p, size_t n) {
  if (!v->opts.receiveRtp) {
    counters.rtpIgnored++;  // our viewers receive only
    return;
  }
  Event ev{v->id, Event::Rtp, "", {}};
  {
    std::lock_guard<std::mutex> l(v->mu);
    if (v->state != Viewer::State::Connected) return;
    size_t len = v->rx.unprotectRtp(p, n);
    if (!len) {
      counters.srtpFailed++;
      return;
    }
    counters.srtpIn++;
    ev.data.assign(p, p + len);
  }
  emit(std::move(ev));
}

}  // namespace canopy
