#include "twcc.h"
#include <cmath>
#include <limits>
#include "bytes.h"
#include "rtp.h"

namespace canopy {

size_t addTransportSeq(uint8_t* pkt, size_t n, size_t cap, uint8_t extId, uint16_t seq) {
  if (n < 12 || (pkt[0] >> 6) != 2 || (pkt[0] & 0x10) || extId < 1 || extId > 14) return 0;
  size_t csrcEnd = 12 + size_t(pkt[0] & 0x0f) * 4;
  if (csrcEnd > n || n + kTwccExtBytes > cap) return 0;
  memmove(pkt + csrcEnd + kTwccExtBytes, pkt + csrcEnd, n - csrcEnd);
  uint8_t* e = pkt + csrcEnd;
  // RFC 8285 §4.2: 0xBEDE, length in 32-bit words; one element: ID, L = length-1 = 1, two bytes
  // of sequence number (draft-holmer §2); one byte of padding (id 0) to the word boundary.
  e[0] = 0xBE;
  e[1] = 0xDE;
  wr16(e + 2, 1);
  e[4] = uint8_t((extId << 4) | 1);
  wr16(e + 5, seq);
  e[7] = 0;
  pkt[0] = uint8_t(pkt[0] | 0x10);
  return n + kTwccExtBytes;
}

bool parseTwccFci(const uint8_t* p, size_t n, TwccFeedback& out) {
  // draft-holmer §3.1: base sequence number (16), packet status count (16), reference time
  // (24, signed, ×64 ms), feedback packet count (8), then packet chunks, then receive deltas.
  if (n < 8) return false;
  uint16_t base = rd16(p);
  size_t count = rd16(p + 2);
  int32_t ref = int32_t(uint32_t(p[4]) << 16 | uint32_t(p[5]) << 8 | p[6]);
  if (ref & 0x800000) ref -= 0x1000000;
  out.baseSeq = base;
  out.packets.clear();
  if (count > kMaxTwccStatuses) count = kMaxTwccStatuses;
  // Status symbols: 0 not received, 1 small delta (1 byte), 2 large or negative delta (2 bytes).
  uint8_t symbols[kMaxTwccStatuses];
  size_t have = 0, off = 8;
  while (have < count) {
    if (off + 2 > n) return false;
    uint16_t chunk = rd16(p + off);
    off += 2;
    if ((chunk & 0x8000) == 0) {
      // Run length chunk: T=0, symbol (2 bits), run length (13 bits).
      uint8_t sym = uint8_t((chunk >> 13) & 3);
      size_t run = chunk & 0x1fff;
      for (size_t i = 0; i < run && have < count; i++) symbols[have++] = sym;
    } else if ((chunk & 0x4000) == 0) {
      // Status vector chunk, 14 one-bit symbols (received with a small delta, or not).
      for (int i = 13; i >= 0 && have < count; i--) symbols[have++] = uint8_t((chunk >> i) & 1);
    } else {
      // Status vector chunk, 7 two-bit symbols.
      for (int i = 6; i >= 0 && have < count; i--) symbols[have++] = uint8_t((chunk >> (2 * i)) & 3);
    }
  }
  int64_t t = int64_t(ref) * 64000;  // µs
  out.packets.reserve(count);
  for (size_t i = 0; i < count; i++) {
    uint16_t seq = uint16_t(base + i);
    uint8_t s = symbols[i];
    if (s == 0 || s == 3) {
      // 3 is reserved: treated as not received rather than trusted.
      out.packets.push_back({seq, false, 0});
      continue;
    }
    int32_t delta;
    if (s == 1) {
      if (off + 1 > n) return false;
      delta = p[off];
      off += 1;
    } else {
      if (off + 2 > n) return false;
      delta = int16_t(rd16(p + off));
      off += 2;
    }
    t += int64_t(delta) * 250;  // 250 µs units
    out.packets.push_back({seq, true, t});
  }
  return true;
}

size_t scanTwcc(const uint8_t* p, size_t n, std::vector<TwccFeedback>& out) {
  size_t off = 0, found = 0;
  int parts = 0;
  while (off + 4 <= n && ++parts <= 32) {
    if ((p[off] >> 6) != 2) break;
    uint8_t fmt = p[off] & 0x1f, pt = p[off + 1];
    size_t len = (size_t(rd16(p + off + 2)) + 1) * 4;
    if (off + len > n) break;
    if (pt == 205 && fmt == 15 && len >= 20 && found < 8) {
      out.emplace_back();
      // A damaged one still gives what parsed before the damage.
      parseTwccFci(p + off + 12, len - 12, out.back());
      found++;
    }
    off += len;
  }
  return found;
}

void TwccSender::enable(uint8_t id) {
  if (id < 1 || id > 14) return;
  extId = id;
  if (!records) {
    records.reset(new Record[kMinSlots]);
    slots = kMinSlots;
  }
}

void TwccSender::grow() {
  // The ring holds the last `slots` sequence numbers: distinct modulo twice as many slots.
  size_t n = slots * 2;
  std::unique_ptr<Record[]> bigger(new Record[n]);
  for (size_t i = 0; i < slots; i++)
    if (records[i].used) bigger[records[i].seq & (n - 1)] = records[i];
  records = std::move(bigger);
  slots = n;
}

size_t TwccSender::stamp(uint8_t* pkt, size_t n, size_t cap, double sendMs) {
  if (!extId) return n;
  size_t len = addTransportSeq(pkt, n, cap, extId, uint16_t(next));
  if (!len) return n;
  Record* at = &records[size_t(next) & (slots - 1)];
  // A record feedback may still be about would go: the rate outgrew the ring.
  if (at->used && sendMs - at->sendMs < kKeepMs && slots < kSlots) {
    grow();
    at = &records[size_t(next) & (slots - 1)];
  }
  Record& r = *at;
  r.seq = uint32_t(next);
  r.sendMs = sendMs;
  r.size = uint16_t(len);
  r.reported = 0;
  r.used = 1;
  next++;
  bytes += len;
  return len;
}

void TwccSender::sized(size_t wireBytes) {
  if (!extId || next == 0) return;
  Record& r = records[size_t(next - 1) & (slots - 1)];
  if (r.used && r.seq == uint32_t(next - 1)) {
    uint16_t wire = uint16_t(wireBytes > 0xffff ? 0xffff : wireBytes);
    bytes += wire - r.size;
    r.size = wire;
  }
}

void TwccSender::match(const TwccFeedback& fb, std::vector<double>& out) {
  if (!extId || next == 0) return;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& pk : fb.packets) {
    // Unwrap against the next sequence number: feedback is about packets already sent.
    int64_t seq = next + int64_t(delta16(pk.seq, uint16_t(next)));
    if (seq < 0 || seq >= next || next - seq > int64_t(slots)) continue;
    Record& r = records[size_t(seq) & (slots - 1)];
    if (!r.used || r.seq != uint32_t(seq) || r.reported == 2) continue;
    if (!pk.received && r.reported == 1) continue;
    r.reported = pk.received ? 2 : 1;
    out.push_back(double(seq));
    out.push_back(r.sendMs);
    out.push_back(double(r.size));
    out.push_back(pk.received ? double(pk.arrivalUs) / 1000.0 : nan);
  }
}

void TwccSender::onRtcp(const uint8_t* p, size_t n, std::vector<uint8_t>& out) {
  if (!extId) return;
  std::vector<TwccFeedback> fbs;
  if (!scanTwcc(p, n, fbs)) return;
  std::vector<double> d;
  for (auto& fb : fbs) match(fb, d);
  if (d.empty()) return;
  out.resize(d.size() * sizeof(double));
  memcpy(out.data(), d.data(), out.size());
}

}  // namespace canopy
