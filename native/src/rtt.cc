#include "rtt.h"

namespace canopy {

void RttEstimator::onSenderReport(uint32_t ntpMid, double nowMs) {
  sentMid_[next_] = ntpMid;
  sentAt_[next_] = nowMs;
  next_ = (next_ + 1) % kSent;
}

bool RttEstimator::onReport(uint32_t lsr, uint32_t dlsr, double nowMs) {
  if (lsr == 0) return false;
  // Newest first: an idle track repeats its SR timestamp, and the latest send is the one answered.
  for (size_t k = 1; k <= kSent; k++) {
    size_t i = (next_ + kSent - k) % kSent;
    if (sentMid_[i] != lsr || sentAt_[i] <= 0) continue;
    double held = double(dlsr) * 1000.0 / 65536.0;
    double sample = nowMs - sentAt_[i] - held;
    // A receiver's clock granularity can make a loopback sample slightly negative: take it as 0.
    if (sample < 0) sample = 0;
    if (!(sample <= kMaxSampleMs)) return false;  // also rejects NaN
    srtt_ = srtt_ < 0 ? sample : srtt_ + (sample - srtt_) / 8;
    return true;
  }
  return false;
}

double RttEstimator::guardMs() const {
  if (srtt_ < kMinGuardMs) return kMinGuardMs;
  return srtt_ > kMaxGuardMs ? kMaxGuardMs : srtt_;
}

}  // namespace canopy
