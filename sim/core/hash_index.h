// Numbers 64-bit keys (hashes) densely, 0, 1, 2, ... in first-seen order: open addressing with
// linear probing over a power-of-two table of (key, index) pairs, grown at 3/4 load, so a lookup
// is one probe of one 16-byte slot. Nothing is ever erased. For callers that key by a hash of a
// string and accept that two strings whose 64-bit hashes collide share an index (about n^2 / 2^65
// over n strings: 3e-12 at 10,000); StringIndex is exact and costs a string compare more.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace meshsim {

class HashIndex {
 public:
  // The index of `key`, adding it if new.
  uint32_t Intern(uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(key);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == kFree) {
        slot = Slot{key, size_++};
        return slot.index;
      }
      if (slot.key == key) return slot.index;
    }
  }
  size_t size() const { return size_; }
  // Starts loading the slot where Intern(key) begins its probe.
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(key)]);
  }

 private:
  static constexpr uint32_t kFree = 0xffffffffu;
  struct Slot {
    uint64_t key = 0;
    uint32_t index = kFree;
  };
  // The top bits of the key, mixed, so that keys differing only in low bits spread out.
  size_t Home(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ULL) >> shift_; }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    shift_ = static_cast<uint8_t>(64 - std::countr_zero(slots_.size()));
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.index == kFree) continue;
      size_t i = Home(s.key);
      while (slots_[i].index != kFree) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  uint32_t size_ = 0;
  uint8_t shift_ = 64;
};

}  // namespace meshsim
