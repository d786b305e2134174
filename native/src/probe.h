// Bandwidth probes towards one viewer (issue 20, docs/abr.md "Probing"). Before a viewer moves
// up a simulcast layer, JavaScript (src/media/ProbeControl.ts decides, src/media/ProbeEstimator.ts
// measures) asks for a probe train: for trainMs, everything sent to the viewer is topped up with
// padding-only RTP packets (RFC 3550 §5.1: the P bit, the last octet counts the padding) on the
// viewer's RTX SSRC (RFC 4588 §4: the repair stream, which a receiver demultiplexes and whose
// padding it discards, as libwebrtc's pacer sends its probes) until the viewer has been sent
// `bps` since the cluster began. Every packet carries the transport-wide sequence number
// (twcc.h), so transport-cc feedback covers the train; the train is cut into clusters of
// clusterMs (libwebrtc's BitrateProber: at least kMinClusterPackets packets each), and each
// cluster's range of transport-wide sequence numbers goes up to JavaScript (Event::Probe), which
// measures the rate the viewer received it at. Nothing here decides anything.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace canopy {

/** Padding octets per probe packet (RFC 3550 §5.1 allows 255; libwebrtc sends at most 224). */
constexpr size_t kProbePadding = 224;
/** A cluster is not closed before it holds this many packets (libwebrtc's minimum probe count). */
constexpr int kMinClusterPackets = 5;
/** Packets one service step may send for one viewer (a burst cap: the rest follow a millisecond later). */
constexpr int kMaxProbeBurst = 8;
/**
 * Recent media packets kept per probing viewer: a train sends RTX copies of them (RFC 4588 §4,
 * libwebrtc's payload padding), as big as the media, so that a policer whose bucket the train
 * drains drops media and probe alike; 268-byte padding took every token as it came and starved
 * the 1,200-byte media (measured, docs/abr.md "Probing"). Padding-only packets when none is kept.
 */
constexpr int kRecentPackets = 8;
constexpr size_t kRecentBytes = 1300;
/** Longest train and shortest cluster accepted from JavaScript (a bound on what one call can cost). */
constexpr double kMaxTrainMs = 3000;
constexpr double kMinClusterMs = 10;

/**
 * Writes a padding-only RTP packet: 12-byte header with P set, no payload, `padding` octets of
 * padding whose last octet is their count (RFC 3550 §5.1). out >= 12 + padding; padding 1..255.
 * Returns the length.
 */
size_t writePaddingPacket(uint8_t* out, uint32_t ssrc, uint8_t pt, uint16_t seq, uint32_t ts, size_t padding);

/** One viewer's prober (under Viewer::mu). */
struct ProbeState {
  /** Where padding goes: the RTX SSRC and payload type (configured once the track opens). */
  uint32_t rtxSsrc = 0;
  uint8_t rtxPt = 0;
  uint32_t mediaSsrc = 0;
  bool configured = false;
  /**
   * The RTX stream's sequence number, shared with the retransmissions JavaScript sends on the
   * same SSRC (sendToViewer renumbers those): one SSRC, one sequence (RFC 3550 §5.1), so the
   * receiver's SRTP replay window and rollover counter see one stream.
   */
  uint16_t seq = 0;
  /** The media SSRC's last RTP timestamp (padding carries it, as libwebrtc's does). */
  uint32_t lastTs = 0;

  // The train in flight (id 0: none).
  uint32_t train = 0;
  double bps = 0, endMs = 0, clusterMs = 0;
  // The cluster in flight (index 0: none yet).
  uint32_t cluster = 0;
  double clusterStart = 0;
  int64_t firstSeq = -1;
  uint64_t bytesAtStart = 0;
  int packets = 0;
  /** The last kRecentPackets media packets sent (as JavaScript handed them, before the stamp). */
  std::unique_ptr<uint8_t[]> recent;
  uint16_t recentLen[kRecentPackets] = {};
  int recentNext = 0, recentCount = 0, recentUse = 0;
  /** Padding packets and bytes sent (counters for tests and stats). */
  uint64_t paddingPackets = 0, paddingBytes = 0;

  bool active() const { return train != 0; }
};

/**
 * Under Viewer::mu, for an RTP packet JavaScript sends the viewer (before the transport-wide
 * stamp and SRTP): a packet on the RTX SSRC is renumbered from the shared sequence, and the
 * media SSRC's timestamp is noted for the padding.
 */
void probeOnRtp(ProbeState& s, uint8_t* pkt, size_t n);

}  // namespace canopy
