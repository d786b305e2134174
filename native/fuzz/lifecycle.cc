// Lifecycle stress for the native data plane's threads, built standalone with
// -fsanitize=thread (build-lifecycle.sh; test/unit/native-lifecycle.test.ts runs it). Each round
// starts a Server with several data threads and ICE-TCP, connects real viewers to it (the bench's
// native sinks, sink.h: ICE, DTLS, SRTP, receiver reports), fans packets out through groups, and
// tears it all down in the orders the engine does: viewers removed while media flows, groups
// destroyed, and the server stopped with traffic still arriving, then destroyed. ThreadSanitizer
// reports any data race between the JavaScript thread's calls (made here from main) and the
// receive, data and TCP threads, whether or not the run happened to crash.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>
#include "../src/server.h"
#include "../src/sink.h"

using namespace canopy;

static std::mt19937_64 rng;

static std::string token(size_t n) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  for (size_t i = 0; i < n; i++) s += a[rng() % 64];
  return s;
}

static void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

/**
 * A VP8-looking (or, av1, AV1-looking) RTP packet of the stream (the data threads rewrite and
 * protect it per viewer).
 */
static std::vector<uint8_t> rtp(uint16_t seq, uint32_t ts, bool av1 = false, uint8_t layer = 0) {
  std::vector<uint8_t> p(12 + 200 + rng() % 900);
  p[0] = 0x80;
  p[1] = 96;
  p[2] = uint8_t(seq >> 8), p[3] = uint8_t(seq);
  p[4] = uint8_t(ts >> 24), p[5] = uint8_t(ts >> 16), p[6] = uint8_t(ts >> 8), p[7] = uint8_t(ts);
  p[8] = 0x11, p[9] = 0x22, p[10] = 0x33, p[11] = uint8_t(0x44 + layer);  // a simulcast layer: its own SSRC
  for (size_t i = 12; i < p.size(); i++) p[i] = uint8_t(rng());
  // A VP8 descriptor with X, I (15-bit PictureID, one frame per timestamp), L and T (L1T3), so the
  // members' temporal filters (temporal.h) run while their caps change.
  uint32_t frame = ts / 3000;
  const uint8_t tids[4] = {0, 2, 1, 2};
  p[12] = 0x90;
  p[13] = 0xe0;
  p[14] = uint8_t(0x80 | ((frame >> 8) & 0x7f)), p[15] = uint8_t(frame);
  p[16] = uint8_t(frame / 4);
  p[17] = uint8_t((tids[frame % 4] << 6) | ((frame % 4 == 1 || frame % 4 == 2) ? 0x20 : 0));
  if (av1) {
    // AV1 RTP payload (§4.4): W=1, N on every 40th frame; one frame OBU with its extension
    // header (temporal_id; AV1 §5.3.3), L1T3.
    p[12] = uint8_t(0x10 | (frame % 40 == 0 ? 0x08 : 0));
    p[13] = uint8_t((6 << 3) | 0x04);
    p[14] = uint8_t(tids[frame % 4] << 5);
  }
  return p;
}

struct Round {
  int connected = 0, viewers = 0;
  uint64_t sent = 0;
  int moves = 0;
};

static Round round(SinkSet& sinks, int dataThreads, int viewers, int mediaMs) {
  Round out;
  ServerOptions so;
  so.dataThreads = dataThreads;
  so.tcpPort = 0;  // ICE-TCP on: its thread and its stop are part of the lifecycle
  auto server = std::make_unique<Server>(so);
  std::string err;
  if (!server->start(err)) {
    fprintf(stderr, "server start: %s\n", err.c_str());
    exit(2);
  }
  server->setNotify([] {});
  // VP8 or AV1 (temporal.h: PictureID or RTP timestamp decisions) in turn.
  const bool av1 = rng() % 2 == 0;
  uint64_t group = server->createGroup(1000, av1 ? TemporalCodec::Av1 : TemporalCodec::Vp8);
  // A second layer's group (a simulcast stream's other layer, its own SSRC): members move
  // between the two from this (the JS) thread while the data threads send (Server::moveMember).
  uint64_t group2 = server->createGroup(1000, av1 ? TemporalCodec::Av1 : TemporalCodec::Vp8);
  uint16_t seq2 = uint16_t(rng());
  std::vector<uint64_t> ids, sinkIds;
  for (int i = 0; i < viewers; i++) {
    int port = 0;
    std::string sufrag, spwd;
    uint64_t sid = sinks.create("127.0.0.1", port, sufrag, spwd, err);
    if (!sid) {
      fprintf(stderr, "sink create: %s\n", err.c_str());
      exit(2);
    }
    ViewerOptions vo;
    vo.localUfrag = token(8);
    vo.localPwd = token(24);
    vo.remoteUfrag = sufrag;
    vo.fingerprintAlgo = "sha-256";
    vo.fingerprint = sinks.fingerprint();
    vo.dtlsClient = false;
    vo.twccExtId = (i % 2) ? 3 : 0;
    uint64_t vid = server->addViewer(vo);
    SinkStartOptions st;
    st.remoteUfrag = vo.localUfrag;
    st.remotePwd = vo.localPwd;
    st.fingerprintAlgo = "sha-256";
    st.fingerprint = server->fingerprint();
    st.dtlsClient = true;
    st.controlling = true;
    auto* a = reinterpret_cast<sockaddr_in*>(&st.remote);
    a->sin_family = AF_INET;
    a->sin_port = htons(uint16_t(server->port()));
    inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
    st.remoteLen = sizeof(sockaddr_in);
    st.videoPt = 96;
    sinks.start(sid, st);
    ids.push_back(vid);
    sinkIds.push_back(sid);
  }
  out.viewers = viewers;
  // Members join as their viewers connect (as the engine's tracks open), while media flows.
  std::vector<bool> joined(ids.size(), false);
  uint16_t seq = uint16_t(rng());
  uint32_t ts = uint32_t(rng());
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Event> evs;
  size_t removed = 0;
  for (int tick = 0;; tick++) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms > mediaMs) break;
    server->drainEvents(evs);
    for (auto& e : evs)
      if (e.type == Event::Connected)
        for (size_t i = 0; i < ids.size(); i++)
          if (ids[i] == e.viewer && !joined[i]) {
            MemberOptions mo;
            mo.ssrc = 0x1000 + uint32_t(i);
            mo.payloadType = 96;
            mo.nack = true;
            mo.rtxSsrc = 0x2000 + uint32_t(i);
            mo.rtxPayloadType = (i % 2) ? 97 : -1;
            joined[i] = server->addMember(group, ids[i], mo);
            // Probe trains (probe.cc) on the viewers with transport-cc and RTX: the data threads
            // pad while viewers leave and the server stops.
            if (i % 2) server->configureProbe(ids[i], mo.ssrc, mo.rtxSsrc, 97);
            out.connected++;
          }
    evs.clear();
    for (int k = 0; k < 4; k++) {
      auto p = rtp(seq++, ts, av1);
      server->groupSend(group, p.data(), p.size(), double(ts), nowMs());
      out.sent++;
    }
    for (int k = 0; k < 2; k++) {
      auto p = rtp(seq2++, ts, av1, 1);
      server->groupSend(group2, p.data(), p.size(), double(ts), nowMs());
      // A switch on this packet (as LayerSwitch decides at a key frame), either way, or a
      // viewer's first packet in its own group again.
      if (k == 0 && tick % 4 == 1 && !ids.empty()) {
        size_t i = rng() % ids.size();
        if (joined[i] && server->moveMember(rng() % 3 ? group2 : group, ids[i], 0x1000 + uint32_t(i), p.data(), p.size(), double(ts), nowMs()))
          out.moves++;
      }
      out.sent++;
    }
    if (tick % 4 == 3 && !ids.empty()) {
      size_t i = rng() % ids.size();
      auto p = rtp(seq, ts, av1);
      if (joined[i] && server->moveMember(group, ids[i], 0x1000 + uint32_t(i), p.data(), p.size(), double(ts), nowMs())) out.moves++;
    }
    ts += 3000;
    // Temporal caps set from this (the JS) thread while the data threads filter.
    if (tick % 3 == 0 && !ids.empty()) {
      size_t i = rng() % ids.size();
      server->setTemporalCap(ids[i], 0x1000 + uint32_t(i), int(rng() % 4) - 1);
      server->temporalWaitsForKeyframe(ids[i], 0x1000 + uint32_t(i));
    }
    if (tick % 5 == 0 && !ids.empty()) server->probe(ids[rng() % ids.size()], uint32_t(tick + 1), 2e6, 60, 20);
    if (tick % 7 == 0) {
      for (auto id : ids) server->sendReports(id);
      if (!ids.empty()) {
        auto p = rtp(seq, ts);
        server->sendToViewer(ids[rng() % ids.size()], p.data(), p.size());
      }
    }
    // Past the middle: viewers leave one by one while the others still receive.
    if (ms > mediaMs / 2 && removed < ids.size() / 2) {
      size_t i = removed++;
      if (rng() % 2) {
        server->removeMember(group, ids[i], 0x1000 + uint32_t(i));
        server->removeMember(group2, ids[i], 0x1000 + uint32_t(i));
      }
      server->removeViewer(ids[i]);
      server->bury(token(8), token(24), 1000);
    }
    sleepMs(2);
  }
  // Media still queued on the data threads and checks still arriving: the engine's close order.
  if (rng() % 2) server->destroyGroup(group);
  if (rng() % 2) server->destroyGroup(group2);
  for (int k = 0; k < 8; k++) {
    auto p = rtp(seq++, ts, av1);
    server->groupSend(group, p.data(), p.size(), double(ts), nowMs());
    server->groupSend(group2, p.data(), p.size(), double(ts), nowMs());
  }
  server->stop();
  server->setNotify(nullptr);
  // Calls after stop (a late JS call on a closed engine) find nothing and do nothing.
  server->removeViewer(ids.empty() ? 1 : ids.back());
  server.reset();
  for (auto sid : sinkIds) sinks.close(sid);
  return out;
}

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20;
  uint64_t seed = argc > 2 ? strtoull(argv[2], nullptr, 10) : uint64_t(time(nullptr));
  rng.seed(seed);
  SinkSet sinks(2);
  std::string err;
  if (!sinks.init(err)) {
    fprintf(stderr, "sinks: %s\n", err.c_str());
    return 2;
  }
  int connected = 0, viewers = 0, moves = 0;
  uint64_t sent = 0;
  for (int r = 0; r < rounds; r++) {
    // Short rounds (the start/stop race) alternate with ones long enough to connect viewers.
    Round x = round(sinks, 2 + int(rng() % 3), int(rng() % 5), (r % 3 == 0) ? 5 : 400);
    connected += x.connected;
    viewers += x.viewers;
    sent += x.sent;
    moves += x.moves;
  }
  sinks.stop();
  // Not a check of the media (the fan-out tests do that): only that viewers did connect, so the
  // teardown ran with live DTLS/SRTP sessions and busy data threads.
  printf("lifecycle: seed %llu, %d rounds, %d of %d viewers connected, %llu packets fanned out, %d members moved between groups\n",
         static_cast<unsigned long long>(seed), rounds, connected, viewers, static_cast<unsigned long long>(sent), moves);
  return connected > 0 ? 0 : 1;
}
