// Round-trip time to one receiver from its receiver reports (RFC 3550 §6.4.1): the report
// block's LSR (the middle 32 bits of the NTP timestamp of the last sender report it got from
// us) and DLSR (how long it held that report, in 1/65536 s). We remember when each of our
// recent sender reports left (by its middle 32 bits), so RTT = arrival - sent - DLSR uses one
// local clock only (our SR timestamps carry the origin's capture clock, not our wall clock).
#pragma once
#include <cstddef>
#include <cstdint>

namespace canopy {

class RttEstimator {
 public:
  /** The NACK resend guard's bounds: never below 10 ms, never above 500 ms. */
  static constexpr double kMinGuardMs = 10, kMaxGuardMs = 500;
  /** A sample above this is not believed (a stale or forged LSR). */
  static constexpr double kMaxSampleMs = 10000;

  /** Our sender report with NTP middle 32 bits `ntpMid` left at `nowMs`. */
  void onSenderReport(uint32_t ntpMid, double nowMs);
  /**
   * A report block about our SSRC arrived at `nowMs`. Returns true when it gave a sample.
   * LSR 0 means "no SR received yet" (§6.4.1); an LSR we did not send is ignored.
   */
  bool onReport(uint32_t lsr, uint32_t dlsr, double nowMs);
  /** Smoothed RTT (RFC 6298 §2 style, alpha 1/8), or a negative number before the first sample. */
  double rttMs() const { return srtt_; }
  /** How long a resent packet is not resent again: one RTT, clamped to [10, 500] ms. */
  double guardMs() const;

 private:
  static constexpr size_t kSent = 8;
  uint32_t sentMid_[kSent] = {};
  double sentAt_[kSent] = {};
  size_t next_ = 0;
  double srtt_ = -1;
};

}  // namespace canopy
