// Transport-wide congestion control on the native send path
// (draft-holmer-rmcat-transport-wide-cc-extensions-01): a per-viewer transport-wide sequence
// number in a one-byte RTP header extension (RFC 8285 §4.2) on every packet we send it, a
// record of (sequence, send time, size), and the parser of the viewer's feedback (RTCP PT 205,
// FMT 15, draft §3.1). Matched records go up to JavaScript, where the estimate is made
// (src/media/BandwidthEstimator.ts); nothing here decides anything.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace canopy {

/** What one extension adds to a packet without one: the 0xBEDE header, one element, padding. */
constexpr size_t kTwccExtBytes = 8;
/** Statuses taken from one feedback packet (a run-length chunk can claim 8,191 in two bytes). */
constexpr size_t kMaxTwccStatuses = 4096;

/**
 * Adds a one-byte-form header extension (RFC 8285 §4.2) holding `seq` under `extId` to an RTP
 * packet that has none (the rewriter's output); cap is the buffer's size. Returns the new
 * length, or 0 when the packet already has an extension, is malformed or would not fit.
 */
size_t addTransportSeq(uint8_t* pkt, size_t n, size_t cap, uint8_t extId, uint16_t seq);

/** One transport-cc feedback message, as sent (draft §3.1). */
struct TwccFeedback {
  uint16_t baseSeq = 0;
  /** Per packet status from baseSeq on: received, and its arrival (reference time + deltas), in µs. */
  struct Packet {
    uint16_t seq;
    bool received;
    int64_t arrivalUs;
  };
  std::vector<Packet> packets;
};

/**
 * Parses one transport-cc FCI: `p` points at the base sequence number (after the 12 bytes of
 * RTCP header and SSRCs), n bytes long. False when the chunks or deltas run past the end (what
 * parsed so far stays in out).
 */
bool parseTwccFci(const uint8_t* p, size_t n, TwccFeedback& out);

/** Walks a compound RTCP packet and parses every transport-cc feedback in it (at most 8). */
size_t scanTwcc(const uint8_t* p, size_t n, std::vector<TwccFeedback>& out);

/** One viewer's transport-wide sequence and the record of what was sent under it (under Viewer::mu). */
struct TwccSender {
  /**
   * Send records kept for matching feedback: at most 2,048, which covers 2 s at 1,000 packets/s
   * (10 Mbit/s), against feedback every 50-100 ms (and a lost packet reported again once it
   * arrives late). 16 bytes each. The ring starts at kMinSlots (4 KiB: 2 s of a 600 kbit/s
   * audio+video stream, ~110 packets/s) and doubles, up to kSlots (32 KiB), whenever a record
   * younger than kKeepMs would be overwritten: a viewer costs what its rate needs (32 KiB for
   * every transport-cc viewer was a third of the 64 kB per viewer goal; issue 19).
   */
  static constexpr size_t kSlots = 2048;
  static constexpr size_t kMinSlots = 256;
  static constexpr double kKeepMs = 2000;
  struct Record {
    double sendMs = 0;
    /** The unwrapped sequence number's low 32 bits (a slot is reused every `slots` packets). */
    uint32_t seq = 0;
    uint16_t size = 0;
    /** 0: not yet in any feedback; 1: reported lost; 2: reported received. */
    uint8_t reported = 0;
    /** Whether the slot holds a record at all (before the first lap it does not). */
    uint8_t used = 0;
  };
  static_assert(sizeof(Record) == 16, "a send record is 16 bytes");
  uint8_t extId = 0;  // 0: transport-cc not negotiated
  int64_t next = 0;
  /** Bytes stamped so far (on the wire once sized): what a probe cluster tops up (probe.h). */
  uint64_t bytes = 0;
  std::unique_ptr<Record[]> records;
  /** The ring's size now (a power of two, kMinSlots to kSlots; 0 before enable()). */
  size_t slots = 0;

  void enable(uint8_t id);
  bool on() const { return extId != 0; }
  /**
   * Stamps the packet (buffer of cap bytes) with the next sequence number and records its send
   * time. Returns the new length (unchanged when it could not be stamped: then not recorded).
   */
  size_t stamp(uint8_t* pkt, size_t n, size_t cap, double sendMs);
  /** The size on the wire of the packet stamped last (after SRTP protection). */
  void sized(size_t wireBytes);
  /**
   * Matches feedback to the records and appends, per packet newly reported, four doubles:
   * sequence (unwrapped), send time (ms), size (bytes), arrival (ms, the receiver's clock; NaN
   * when lost). A packet is reported received once, lost at most once.
   */
  void match(const TwccFeedback& fb, std::vector<double>& out);
  /** Packs match()'s doubles for a feedback-bearing compound packet into bytes (host order). */
  void onRtcp(const uint8_t* p, size_t n, std::vector<uint8_t>& out);

 private:
  void grow();
};

}  // namespace canopy
