// Numbers 64-bit keys (hashes) densely, 0, 1, 2, ... in first-seen order, in an OpenTable of
// (key, index) pairs, so a lookup is one probe of one 16-byte slot. Nothing is ever erased. For
// callers that key by a hash of a string and accept that two strings whose 64-bit hashes collide
// share an index (about n^2 / 2^65 over n strings: 3e-12 at 10,000); StringIndex is exact and
// costs a string compare more.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/core/open_table.h"

namespace meshsim {

class HashIndex {
 public:
  // The index of `key`, adding it if new.
  uint32_t Intern(uint64_t key) {
    const auto [slot, added] =
        table_.FindOrInsert(MixHash(key), [key](const Slot& s) { return s.key == key; });
    if (added) *slot = Slot{key, static_cast<uint32_t>(table_.size() - 1)};
    return slot->index;
  }
  size_t size() const { return table_.size(); }
  // Starts loading the slot where Intern(key) begins its probe.
  void Prefetch(uint64_t key) const { table_.Prefetch(MixHash(key)); }

 private:
  static constexpr uint32_t kFree = 0xffffffffu;
  struct Slot {
    uint64_t key = 0;
    uint32_t index = kFree;
  };
  struct Traits {
    using Slot = HashIndex::Slot;
    static bool Free(const Slot& s) { return s.index == kFree; }
    static uint64_t Hash(const Slot& s) { return MixHash(s.key); }
    static constexpr size_t kFirstCapacity = 64;
  };
  using Table = OpenTable<Traits>;
  Table table_;
};

}  // namespace meshsim
