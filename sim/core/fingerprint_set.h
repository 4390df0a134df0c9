// A set of strings kept as 64-bit fingerprints: 8 bytes a member instead of the string, one
// probe of one slot to test and insert. Two distinct strings share a fingerprint with probability
// about n^2 / 2^65 over n members (3e-6 at 10M): the second is then taken for a member. Used for
// Personalize's eventId de-duplication, where an id is only ever asked "seen before?".
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace meshsim {

// Open addressing, linear probing, a power-of-two table grown at 3/4 load. 0 marks a free slot,
// so a fingerprint of 0 is stored as 1.
class FingerprintSet {
 public:
  static uint64_t Of(std::string_view s) {
    const uint64_t h = std::hash<std::string_view>{}(s)*0x9E3779B97F4A7C15ULL;
    return h == 0 ? 1 : h;
  }
  void Prefetch(uint64_t f) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[f >> shift_]);
  }
  // True when `f` was not in the set.
  bool Insert(uint64_t f) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = f >> shift_;; i = (i + 1) & mask) {
      if (slots_[i] == f) return false;
      if (slots_[i] == 0) {
        slots_[i] = f;
        ++size_;
        return true;
      }
    }
  }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    shift_ = static_cast<uint8_t>(64 - std::countr_zero(slots_.size()));
    size_ = 0;
    for (uint64_t f : old) {
      if (f != 0) Insert(f);
    }
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
  uint8_t shift_ = 64;
};

}  // namespace meshsim
