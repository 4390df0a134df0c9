// A set of strings kept as 64-bit fingerprints: 8 bytes a member instead of the string, one
// probe of one slot to test and insert. Two distinct strings share a fingerprint with probability
// about n^2 / 2^65 over n members (3e-6 at 10M): the second is then taken for a member. Used for
// Personalize's eventId de-duplication, where an id is only ever asked "seen before?".
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "sim/core/open_table.h"

namespace meshsim {

// An OpenTable of bare fingerprints. 0 marks a free slot, so a fingerprint of 0 is stored as 1.
class FingerprintSet {
 public:
  static uint64_t Of(std::string_view s) {
    const uint64_t h = MixHash(std::hash<std::string_view>{}(s));
    return h == 0 ? 1 : h;
  }
  void Prefetch(uint64_t f) const { table_.Prefetch(f); }
  // True when `f` was not in the set.
  bool Insert(uint64_t f) {
    const auto [slot, added] = table_.FindOrInsert(f, [f](uint64_t x) { return x == f; });
    if (added) *slot = f;
    return added;
  }
  size_t MemoryBytes() const { return table_.MemoryBytes(); }

 private:
  struct Traits {
    using Slot = uint64_t;
    static bool Free(uint64_t f) { return f == 0; }
    static uint64_t Hash(uint64_t f) { return f; }  // mixed already (Of)
    static constexpr size_t kFirstCapacity = 64;
  };
  OpenTable<Traits> table_;
};

}  // namespace meshsim
