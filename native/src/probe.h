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
/** The loss window of the abort rule holds at most this many of the train's packets (a 64-bit mask). */
constexpr int kMaxAbortWindow = 64;

/**
 * When the data plane stops a train on its own, from the viewer's transport-cc feedback as the
 * receive thread matches it (before JavaScript sees it: docs/abr.md "Stopping a failing train").
 * The thresholds come from JavaScript with each train (src/media/ProbeControl.ts decides them);
 * this side only applies them. 0 turns a rule off.
 */
struct ProbeAbort {
  /** Loss: at least `lost` of the last `window` packets of the train reported are reported lost. */
  int lost = 0;
  int window = 0;
  /**
   * Slow: over the train's received packets since its first one, sent over at least spanMs, the
   * receive rate (bytes over the arrival interval) under `ratio` x the send rate (a queue fills).
   */
  double ratio = 0;
  double spanMs = 0;
};

/** Why a train ended early (event 8's tenth value). */
enum ProbeAbortReason : int { kProbeNotAborted = 0, kProbeAbortLoss = 1, kProbeAbortSlow = 2 };

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
  /** The train's first transport-wide sequence number: feedback about it and later packets is the train's. */
  int64_t trainFirstSeq = -1;
  ProbeAbort abort;
  /** The abort rule's state: the last reported packets of the train (bit set: lost), how many. */
  uint64_t lossBits = 0;
  int lossSeen = 0;
  /** The train's received packets so far: the first one's send and arrival time, the last ones, bytes after the first. */
  double rxFirstSend = 0, rxFirstArrival = 0, rxLastSend = 0, rxLastArrival = 0;
  double rxBytes = 0, rxSentBytes = 0;
  int rxPackets = 0;
  /** Why the last train ended early (ProbeAbortReason), reported with its last cluster. */
  int aborted = kProbeNotAborted;
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
  /** A new train from sequence number firstSeq: the abort rule starts afresh. */
  void startAbortRule(int64_t firstSeq, const ProbeAbort& a);
};

/**
 * Under Viewer::mu, on the receive thread: transport-cc feedback matched to what was sent
 * (TwccSender::match's doubles, `quads` quadruples of sequence, send ms, bytes, arrival ms or
 * NaN, host order, possibly unaligned) against the train in flight. Returns the reason to stop
 * it now (ProbeAbortReason), kProbeNotAborted to go on. Packets sent before the train are not
 * its business: a loss there is the media's, which the train did not cause.
 */
int probeOnFeedback(ProbeState& s, const uint8_t* quads, size_t count);

/**
 * Under Viewer::mu, for an RTP packet JavaScript sends the viewer (before the transport-wide
 * stamp and SRTP): a packet on the RTX SSRC is renumbered from the shared sequence, and the
 * media SSRC's timestamp is noted for the padding.
 */
void probeOnRtp(ProbeState& s, uint8_t* pkt, size_t n);

}  // namespace canopy
