// Interns strings to dense uint32 indices (0, 1, 2, ... in first-seen order): open addressing
// with linear probing over a power-of-two table of (hash fingerprint, index) pairs, so a lookup is
// one probe of an 8-byte slot and, on a fingerprint match, one string compare. Nothing is ever
// erased. std::unordered_map<std::string, uint32_t> costs a node and a pointer chase per lookup,
// on the path of every event (a recommender interns a user and an item per event).
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace meshsim {

class StringIndex {
 public:
  static constexpr uint32_t kAbsent = 0xffffffffu;

  // The index of `s`, or kAbsent.
  uint32_t Find(std::string_view s) const {
    if (slots_.empty()) return kAbsent;
    const uint32_t f = Fingerprint(Hash(s));
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(f);; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index == kAbsent) return kAbsent;
      if (slot.fingerprint == f && names_[slot.index] == s) return slot.index;
    }
  }

  // For a caller that hashes once and looks up later with the hash (Intern(s, hash)).
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  // Starts loading the slot where a lookup of the string hashing to `hash` begins, so that the
  // caller's other work overlaps the cache miss of a large index.
  void PrefetchSlot(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(Fingerprint(hash))]);
  }
  // A second stage, once the slot is loaded: starts loading the name a lookup would compare
  // with, and returns its index (a guess: the first index whose fingerprint matches), or kAbsent.
  uint32_t PrefetchName(uint64_t hash) const {
    if (slots_.empty()) return kAbsent;
    const uint32_t f = Fingerprint(hash);
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(f);; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index == kAbsent) return kAbsent;
      if (slot.fingerprint == f) {
        __builtin_prefetch(&names_[slot.index]);
        return slot.index;
      }
    }
  }

  // The index of `s`, adding it if new.
  uint32_t Intern(std::string_view s) { return Intern(s, Hash(s)); }
  // REQUIRES: hash == Hash(s).
  uint32_t Intern(std::string_view s, uint64_t hash) {
    if ((names_.size() + 1) * 4 > slots_.size() * 3) Grow();
    const uint32_t f = Fingerprint(hash);
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(f);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == kAbsent) {
        slot = Slot{f, static_cast<uint32_t>(names_.size())};
        names_.emplace_back(s);
        return slot.index;
      }
      if (slot.fingerprint == f && names_[slot.index] == s) return slot.index;
    }
  }

  const std::string& name(uint32_t index) const { return names_[index]; }
  size_t size() const { return names_.size(); }
  // Bytes held, for memory reports.
  size_t MemoryBytes() const {
    size_t bytes = slots_.capacity() * sizeof(Slot) + names_.capacity() * sizeof(std::string);
    for (const auto& n : names_) bytes += n.capacity() > 15 ? n.capacity() + 1 : 0;
    return bytes;
  }

 private:
  struct Slot {
    uint32_t fingerprint = 0;
    uint32_t index = kAbsent;
  };

  // Mixed, so that every bit depends on the whole hash: the top bits pick the home slot.
  static uint32_t Fingerprint(uint64_t h) {
    return static_cast<uint32_t>((h * 0x9E3779B97F4A7C15ULL) >> 32);
  }
  // The home slot is the fingerprint's top bits, so growing the table re-places slots from
  // their fingerprints alone, without hashing any string again.
  size_t Home(uint32_t fingerprint) const {
    return static_cast<size_t>(static_cast<uint64_t>(fingerprint) >> shift_);
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    shift_ = static_cast<uint8_t>(32 - std::countr_zero(slots_.size()));
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.index == kAbsent) continue;
      size_t i = Home(slot.fingerprint);
      while (slots_[i].index != kAbsent) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  uint8_t shift_ = 32;
  std::vector<std::string> names_;
};

}  // namespace meshsim
