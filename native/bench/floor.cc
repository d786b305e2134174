// The physical floor and the native per-packet cost, measured on this machine:
//   1. one sendto() of a 1,200-byte datagram to 127.0.0.1;
//   2. the same through sendmmsg() in batches of 32;
//   3. the native per-viewer work on a packet: rewrite (RtpRewriter) + SRTP protect, for
//      AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM.
// Build and run: bash native/bench/run.sh [N [PORT]]   (prints one JSON line). PORT: the
// receiving socket's port (default: any); the bench's --egress-drop drops datagrams to it at
// lo's egress, so the figures are the send path without the loopback receive path.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include "../src/rtp.h"
#include "../src/srtp.h"

using namespace canopy;
using Clock = std::chrono::steady_clock;

static double nsPer(Clock::time_point a, Clock::time_point b, double n) {
  return std::chrono::duration<double, std::nano>(b - a).count() / n;
}

int main(int argc, char** argv) {
  const int N = argc > 1 ? atoi(argv[1]) : 200000;
  int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(uint16_t(argc > 2 ? atoi(argv[2]) : 0));
  bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t al = sizeof a;
  getsockname(rx, reinterpret_cast<sockaddr*>(&a), &al);
  uint8_t pkt[1200];
  memset(pkt, 0xab, sizeof pkt);
  // Nobody reads rx: the kernel drops what overflows its buffer, after the full send path.
  for (int i = 0; i < 2000; i++) sendto(tx, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&a), al);
  auto t0 = Clock::now();
  for (int i = 0; i < N; i++) sendto(tx, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&a), al);
  auto t1 = Clock::now();
  double sendtoNs = nsPer(t0, t1, N);

  mmsghdr msgs[32];
  iovec iov[32];
  for (int i = 0; i < 32; i++) {
    iov[i] = {pkt, sizeof pkt};
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_name = &a;
    msgs[i].msg_hdr.msg_namelen = al;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  t0 = Clock::now();
  for (int i = 0; i < N / 32; i++) sendmmsg(tx, msgs, 32, 0);
  t1 = Clock::now();
  double mmsgNs = nsPer(t0, t1, (N / 32) * 32);

  double protectNs[2];
  int k = 0;
  for (int profile : {int(kAesCm128HmacSha1_80), int(kAeadAes128Gcm)}) {
    uint8_t mk[16] = {1}, ms[14] = {2};
    SrtpSession s;
    s.init(profile, mk, ms, true);
    RtpRewriter rw;
    rw.ssrc = 1234;
    rw.payloadType = 96;
    uint8_t in[1200] = {0x80, 96};
    uint8_t out[1300];
    t0 = Clock::now();
    for (int i = 0; i < N; i++) {
      wr16(in + 2, uint16_t(i));
      size_t n = rw.rewrite(in, 1200 - 16, out, double(i));
      s.protectRtp(out, n, sizeof out);
    }
    t1 = Clock::now();
    protectNs[k++] = nsPer(t0, t1, N);
  }
  printf("{\"sendto_1200_ns\":%.0f,\"sendmmsg32_per_datagram_ns\":%.0f,\"rewrite_protect_aescm_ns\":%.0f,\"rewrite_protect_gcm_ns\":%.0f,"
         "\"per_viewer_packet_aescm_sendmmsg_ns\":%.0f,\"per_viewer_packet_gcm_sendmmsg_ns\":%.0f,\"multiple_of_sendto_gcm\":%.2f}\n",
         sendtoNs, mmsgNs, protectNs[0], protectNs[1], protectNs[0] + mmsgNs, protectNs[1] + mmsgNs, (protectNs[1] + mmsgNs) / sendtoNs);
  close(rx);
  close(tx);
  return 0;
}
