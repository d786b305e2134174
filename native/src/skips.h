// Values of a wrapping counter (RTP sequence numbers, VP8 PictureIDs) that a forwarder left out
// on purpose, so that what it sends stays continuous: a value v goes out as v + offset + (the
// number of skips newer than v), where the owner lowers offset by one at each skip. A packet
// sent late (older than a skip) keeps the number it would have had; nothing sent is renumbered.
// A port of src/skips.ts SkipList (as mediasoup's SeqManager does for dropped packets).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace canopy {

/** Skips further back than this are forgotten (a packet this late is of no use to a receiver). */
constexpr int32_t kSkipWindow = 4096;

class SkipList {
 public:
  explicit SkipList(int bits = 16) { reset(bits); }

  /** Forgets everything; counts in `bits` (7, 15 or 16) from now on. */
  void reset(int bits) {
    bits_ = bits < 2 ? 2 : bits > 16 ? 16 : bits;
    mask_ = (uint32_t(1) << bits_) - 1;
    half_ = int32_t(1) << (bits_ - 1);
    window_ = std::min(kSkipWindow, half_ - 1);
    clear();
  }
  void clear() {
    list_.clear();
    head_ = 0;
    newest_ = -1;
    forgotten_ = -1;
  }
  int bits() const { return bits_; }
  uint32_t mask() const { return mask_; }
  int32_t newest() const { return newest_; }
  size_t size() const { return list_.size() - head_; }

  /** (a - b) as a signed distance in the counter's space: positive when a is newer. */
  int32_t delta(uint32_t a, uint32_t b) const {
    int32_t d = int32_t((a - b) & mask_);
    return d >= half_ ? d - int32_t(mask_) - 1 : d;
  }

  /** Notes a value seen (sent or skipped); true when it is the newest so far. */
  bool see(uint32_t v) {
    v &= mask_;
    if (newest_ >= 0 && delta(v, uint32_t(newest_)) <= 0) return false;
    newest_ = int32_t(v);
    // Only skips within the window are kept: the list is bounded by window_ + 1 entries.
    while (head_ < list_.size() && delta(v, list_[head_]) > window_) forgotten_ = list_[head_++];
    if (head_ > 64 && head_ * 2 > list_.size()) {
      list_.erase(list_.begin(), list_.begin() + ptrdiff_t(head_));
      head_ = 0;
    }
    return true;
  }

  /** Records v as skipped; only the newest value can be (an older one has successors numbered). */
  bool skip(uint32_t v) {
    if (!see(v)) return false;
    list_.push_back(uint16_t(v & mask_));
    return true;
  }

  /** Whether v maps exactly: it is newer than every skip forgotten. */
  bool exact(uint32_t v) const { return forgotten_ < 0 || delta(v, uint32_t(forgotten_)) > 0; }

  /** How many skips are newer than v: what a late value adds back to the offset. */
  uint32_t newerThan(uint32_t v) const {
    uint32_t k = 0;
    for (size_t i = list_.size(); i > head_ && delta(list_[i - 1], v) > 0; i--) k++;
    return k;
  }

  /** Whether v itself was skipped. */
  bool has(uint32_t v) const {
    for (size_t i = list_.size(); i > head_; i--) {
      int32_t d = delta(list_[i - 1], v);
      if (d == 0) return true;
      if (d < 0) return false;
    }
    return false;
  }

  /**
   * The input value that went out as `plain` = out - offset (the inverse of v + skips newer
   * than v); -1 when it is older than a forgotten skip.
   */
  int32_t unmap(uint32_t plain) const {
    uint32_t v = plain & mask_;
    for (size_t i = list_.size(); i > head_; i--) {
      if (delta(list_[i - 1], v) < 0) break;
      v = (v - 1) & mask_;
    }
    return exact(v) ? int32_t(v) : -1;
  }

 private:
  int bits_ = 16;
  uint32_t mask_ = 0xffff;
  int32_t half_ = 0x8000;
  int32_t window_ = kSkipWindow;
  /** Skipped values from head_ on, oldest first (each newer than the one before). */
  std::vector<uint16_t> list_;
  size_t head_ = 0;
  int32_t newest_ = -1;
  int32_t forgotten_ = -1;
};

}  // namespace canopy
