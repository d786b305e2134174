// The native side of bandwidth probing (probe.h): padding trains on a viewer's data thread.
#include "probe.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include "bytes.h"
#include "server.h"

namespace canopy {

size_t writePaddingPacket(uint8_t* out, uint32_t ssrc, uint8_t pt, uint16_t seq, uint32_t ts, size_t padding) {
  if (padding < 1) padding = 1;
  if (padding > 255) padding = 255;
  // RFC 3550 §5.1: V=2, P=1 (the padding octets follow the (empty) payload), X=0 (the
  // transport-wide extension is added by the stamp), CC=0; M=0.
  out[0] = 0xA0;
  out[1] = uint8_t(pt & 0x7f);
  wr16(out + 2, seq);
  wr32(out + 4, ts);
  wr32(out + 8, ssrc);
  memset(out + 12, 0, padding - 1);
  out[12 + padding - 1] = uint8_t(padding);
  return 12 + padding;
}

void probeOnRtp(ProbeState& s, uint8_t* pkt, size_t n) {
  if (!s.configured || n < 12) return;
  uint32_t ssrc = rd32(pkt + 8);
  if (ssrc == s.rtxSsrc) wr16(pkt + 2, s.seq++);
  else if (ssrc == s.mediaSsrc) {
    s.lastTs = rd32(pkt + 4);
    if (s.recent && n <= kRecentBytes) {
      memcpy(s.recent.get() + size_t(s.recentNext) * kRecentBytes, pkt, n);
      s.recentLen[s.recentNext] = uint16_t(n);
      s.recentNext = (s.recentNext + 1) % kRecentPackets;
      if (s.recentCount < kRecentPackets) s.recentCount++;
    }
  }
}

void ProbeState::startAbortRule(int64_t firstSeq, const ProbeAbort& a) {
  trainFirstSeq = firstSeq;
  abort = a;
  abort.window = std::min(std::max(a.window, 0), kMaxAbortWindow);
  lossBits = 0;
  lossSeen = 0;
  rxPackets = 0;
  rxBytes = rxSentBytes = 0;
  rxFirstSend = rxFirstArrival = rxLastSend = rxLastArrival = 0;
  aborted = kProbeNotAborted;
}

int probeOnFeedback(ProbeState& s, const uint8_t* quads, size_t count) {
  if (!s.active() || s.trainFirstSeq < 0) return kProbeNotAborted;
  const ProbeAbort& a = s.abort;
  for (size_t i = 0; i < count; i++) {
    double d[4];
    memcpy(d, quads + i * sizeof d, sizeof d);
    // Only the train's packets (probe and media sent while it runs): a loss before it is not the
    // train's doing. The comparison is false for NaN, so a damaged record is skipped too.
    if (!(d[0] >= double(s.trainFirstSeq))) continue;
    bool lost = std::isnan(d[3]);
    if (a.lost > 0 && a.window > 0) {
      // A policer whose bucket the train drained drops most of what follows (media and probe
      // alike); random loss on a lossy hop drops a packet here and there. So a loss counts
      // against the last `window` packets reported, not the first lost one alone.
      s.lossBits = (s.lossBits << 1) | (lost ? 1u : 0u);
      if (a.window < 64) s.lossBits &= (uint64_t(1) << a.window) - 1;
      if (s.lossSeen < a.window) s.lossSeen++;
      if (__builtin_popcountll(s.lossBits) >= a.lost) return kProbeAbortLoss;
    }
    if (lost || !std::isfinite(d[1]) || !std::isfinite(d[2]) || !std::isfinite(d[3])) continue;
    if (s.rxPackets == 0) {
      s.rxFirstSend = s.rxLastSend = d[1];
      s.rxFirstArrival = s.rxLastArrival = d[3];
    } else {
      // The bytes after the first received packet, over the arrival interval and over the send
      // interval (libwebrtc's ProbeBitrateEstimator leaves out the first packet's bytes on the
      // receive side): with the same bytes on both sides the ratio of the rates is that of the
      // intervals.
      s.rxBytes += d[2];
      if (d[1] > s.rxLastSend) s.rxLastSend = d[1];
      if (d[3] > s.rxLastArrival) s.rxLastArrival = d[3];
    }
    s.rxPackets++;
    if (a.ratio > 0 && a.spanMs > 0) {
      double sendSpan = s.rxLastSend - s.rxFirstSend, arrivalSpan = s.rxLastArrival - s.rxFirstArrival;
      // A queue the train fills stretches the arrivals: the receive rate (rxBytes / arrivalSpan)
      // under ratio x the send rate (rxBytes / sendSpan), over at least spanMs of sending.
      if (sendSpan >= a.spanMs && arrivalSpan * a.ratio > sendSpan) return kProbeAbortSlow;
    }
  }
  return kProbeNotAborted;
}

bool Server::configureProbe(uint64_t viewerId, uint32_t mediaSsrc, uint32_t rtxSsrc, uint8_t rtxPt) {
  auto v = byId(viewerId);
  if (!v) return false;
  std::lock_guard<std::mutex> l(v->mu);
  // Without transport-cc the probe could not be measured.
  if (!v->twcc.on() || rtxSsrc == 0 || v->state == Viewer::State::Closed) return false;
  ProbeState& s = v->probe;
  if (!s.configured) {
    s.seq = uint16_t(rand());
    s.recent.reset(new uint8_t[size_t(kRecentPackets) * kRecentBytes]);
  }
  s.mediaSsrc = mediaSsrc;
  s.rtxSsrc = rtxSsrc;
  s.rtxPt = uint8_t(rtxPt & 0x7f);
  s.configured = true;
  return true;
}

bool Server::probe(uint64_t viewerId, uint32_t train, double bps, double durationMs, double clusterMs, const ProbeAbort& abort) {
  auto v = byId(viewerId);
  if (!v) return false;
  double now = nowMs();
  {
    std::lock_guard<std::mutex> l(v->mu);
    ProbeState& s = v->probe;
    if (train == 0 || !(bps > 0)) {
      // Stop the train in flight: its open cluster goes up as the last one.
      if (s.active()) closeCluster(*v, now, true);
      return true;
    }
    if (!s.configured || v->state != Viewer::State::Connected) return false;
    if (s.active()) closeCluster(*v, now, true);
    s.train = train;
    s.bps = std::min(bps, 50e6);
    s.endMs = now + std::min(std::max(durationMs, kMinClusterMs), kMaxTrainMs);
    s.clusterMs = std::max(clusterMs, kMinClusterMs);
    s.cluster = 0;
    s.firstSeq = -1;
    s.startAbortRule(v->twcc.next, abort);
  }
  if (data_.empty()) return false;
  DataThread& d = *data_[size_t(v->thread) % data_.size()];
  {
    std::lock_guard<std::mutex> l(d.mu);
    if (std::find(d.probing.begin(), d.probing.end(), v) == d.probing.end()) d.probing.push_back(v);
  }
  d.cv.notify_one();
  return true;
}

/**
 * Under v.mu: the cluster in flight goes up to JavaScript (Event::Probe) with its sequence range;
 * `reason` (ProbeAbortReason, with last) says the data plane stopped the train on its feedback.
 */
void Server::closeCluster(Viewer& v, double now, bool last, int reason) {
  ProbeState& s = v.probe;
  if (last) s.aborted = reason;
  if (s.cluster != 0 && s.firstSeq >= 0 && v.twcc.next > s.firstSeq) {
    // float64s: train, cluster, first and last transport-wide sequence (unwrapped, as event 6
    // reports them), bytes sent in the cluster (media and padding), packets of padding, start
    // and end (ms), last (1: the train ended), why it ended early (ProbeAbortReason; 0: it did not).
    double d[10] = {double(s.train), double(s.cluster), double(s.firstSeq), double(v.twcc.next - 1), double(v.twcc.bytes - s.bytesAtStart),
                    double(s.packets), s.clusterStart, now, last ? 1.0 : 0.0, last ? double(reason) : 0.0};
    Event e{v.id, Event::Probe, "", {}};
    e.data.resize(sizeof d);
    memcpy(e.data.data(), d, sizeof d);
    emit(std::move(e));
  } else if (last && s.train != 0) {
    // Nothing was sent (not connected, or stopped at once): an empty last cluster ends the train.
    double d[10] = {double(s.train), double(s.cluster), -1, -1, 0, 0, now, now, 1.0, double(reason)};
    Event e{v.id, Event::Probe, "", {}};
    e.data.resize(sizeof d);
    memcpy(e.data.data(), d, sizeof d);
    emit(std::move(e));
  }
  if (last) {
    s.train = 0;
    s.trainFirstSeq = -1;
  }
  s.firstSeq = -1;
  s.packets = 0;
}

/** Under v.mu: opens clusters and sends the padding due; false once the train is over. */
bool Server::probeStep(Viewer& v, double now) {
  ProbeState& s = v.probe;
  if (!s.active()) return false;
  if (v.state != Viewer::State::Connected || now >= s.endMs) {
    closeCluster(v, now, true);
    return false;
  }
  if (s.cluster == 0 || (now - s.clusterStart >= s.clusterMs && v.twcc.next - s.firstSeq >= kMinClusterPackets)) {
    if (s.cluster != 0) closeCluster(v, now, false);
    s.cluster++;
    s.clusterStart = now;
    s.firstSeq = v.twcc.next;
    s.bytesAtStart = v.twcc.bytes;
    s.packets = 0;
  }
  // Top up what the viewer was sent since the cluster began (its media included, as libwebrtc's
  // pacer counts it) to bps, one packet ahead; at least kMinClusterPackets per cluster.
  double due = s.bps / 8000.0 * (now - s.clusterStart);
  uint8_t buf[kRecentBytes + 2 + kTwccExtBytes + kSrtpMaxTrailer + 16];
  for (int i = 0; i < kMaxProbeBurst; i++) {
    double sent = double(v.twcc.bytes - s.bytesAtStart);
    if (sent >= due && s.packets >= 1) break;
    size_t len = 0;
    if (s.recentCount > 0) {
      // An RTX copy of one of the last media packets, newest first round the ring.
      int k = (s.recentNext - 1 - (s.recentUse++ % s.recentCount) + 2 * kRecentPackets) % kRecentPackets;
      len = wrapRtx(s.recent.get() + size_t(k) * kRecentBytes, s.recentLen[k], s.rtxSsrc, s.rtxPt, s.seq, buf);
    }
    if (!len) len = writePaddingPacket(buf, s.rtxSsrc, s.rtxPt, s.seq, s.lastTs, kProbePadding);
    size_t stamped = v.twcc.stamp(buf, len, sizeof buf, now);
    if (stamped == len) break;  // could not be numbered: it would not be measured
    size_t wire = v.tx.protectRtp(buf, stamped, sizeof buf);
    if (!wire) {
      counters.protectErrors++;
      break;
    }
    v.twcc.sized(wire);
    s.seq++;
    s.packets++;
    s.paddingPackets++;
    s.paddingBytes += wire;
    counters.probePackets++;
    counters.probeBytes += wire;
    sendPath(v, buf, wire);
  }
  return true;
}

// Lock order here: DataThread::mu -> Viewer::mu (probe() never holds a viewer's lock while it
// takes a data thread's).
void Server::serviceProbes(DataThread& d, std::vector<std::shared_ptr<Viewer>>& list) {
  double now = nowMs();
  std::vector<std::shared_ptr<Viewer>> done;
  for (auto& v : list) {
    std::lock_guard<std::mutex> l(v->mu);
    if (!probeStep(*v, now)) done.push_back(v);
  }
  if (done.empty()) return;
  std::lock_guard<std::mutex> l(d.mu);
  for (auto& v : done) {
    // Not if a new train began since (probe() re-adds the viewer; it is still active then).
    std::lock_guard<std::mutex> vl(v->mu);
    if (!v->probe.active()) d.probing.erase(std::remove(d.probing.begin(), d.probing.end(), v), d.probing.end());
  }
}

}  // namespace canopy
