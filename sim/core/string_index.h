// Interns strings to dense uint32 indices (0, 1, 2, ... in first-seen order) in an OpenTable of
// (hash fingerprint, index) pairs, so a lookup is one probe of an 8-byte slot and, on a
// fingerprint match, one string compare. Nothing is ever erased. std::unordered_map<std::string,
// uint32_t> costs a node and a pointer chase per lookup, on the path of every event (a
// recommender interns a user and an item per event).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/open_table.h"

namespace meshsim {

class StringIndex {
 public:
  static constexpr uint32_t kAbsent = 0xffffffffu;

  // The index of `s`, or kAbsent.
  uint32_t Find(std::string_view s) const {
    const uint32_t f = Fingerprint(Hash(s));
    const Slot* slot = table_.Find(
        TableHash(f), [&](const Slot& x) { return x.fingerprint == f && names_[x.index] == s; });
    return slot == nullptr ? kAbsent : slot->index;
  }

  // For a caller that hashes once and looks up later with the hash (Intern(s, hash)).
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  // Starts loading the slot where a lookup of the string hashing to `hash` begins, so that the
  // caller's other work overlaps the cache miss of a large index.
  void PrefetchSlot(uint64_t hash) const { table_.Prefetch(TableHash(Fingerprint(hash))); }
  // A second stage, once the slot is loaded: starts loading the name a lookup would compare
  // with, and returns its index (a guess: the first index whose fingerprint matches), or kAbsent.
  uint32_t PrefetchName(uint64_t hash) const {
    const uint32_t f = Fingerprint(hash);
    const Slot* slot = table_.Find(TableHash(f), [f](const Slot& x) { return x.fingerprint == f; });
    if (slot == nullptr) return kAbsent;
    __builtin_prefetch(&names_[slot->index]);
    return slot->index;
  }

  // The index of `s`, adding it if new.
  uint32_t Intern(std::string_view s) { return Intern(s, Hash(s)); }
  // REQUIRES: hash == Hash(s).
  uint32_t Intern(std::string_view s, uint64_t hash) {
    const uint32_t f = Fingerprint(hash);
    const auto [slot, added] = table_.FindOrInsert(
        TableHash(f), [&](const Slot& x) { return x.fingerprint == f && names_[x.index] == s; });
    if (added) {
      *slot = Slot{f, static_cast<uint32_t>(names_.size())};
      names_.emplace_back(s);
    }
    return slot->index;
  }

  const std::string& name(uint32_t index) const { return names_[index]; }
  size_t size() const { return names_.size(); }
  // Bytes held, for memory reports.
  size_t MemoryBytes() const {
    size_t bytes = table_.MemoryBytes() + names_.capacity() * sizeof(std::string);
    for (const auto& n : names_) bytes += n.capacity() > 15 ? n.capacity() + 1 : 0;
    return bytes;
  }

 private:
  struct Slot {
    uint32_t fingerprint = 0;
    uint32_t index = kAbsent;
  };

  // Mixed, so that every bit depends on the whole hash: the top bits pick the home slot.
  static uint32_t Fingerprint(uint64_t h) { return static_cast<uint32_t>(MixHash(h) >> 32); }
  // The table's hash is the fingerprint itself, in the top bits, so growing the table re-places
  // slots from their fingerprints alone, without hashing any string again.
  static uint64_t TableHash(uint32_t fingerprint) { return uint64_t{fingerprint} << 32; }

  struct Traits {
    using Slot = StringIndex::Slot;
    static bool Free(const Slot& s) { return s.index == kAbsent; }
    static uint64_t Hash(const Slot& s) { return TableHash(s.fingerprint); }
    static constexpr size_t kFirstCapacity = 16;
  };

  OpenTable<Traits> table_;
  std::vector<std::string> names_;
};

}  // namespace meshsim
