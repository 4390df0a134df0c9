// Interns strings to dense uint32 indices (0, 1, 2, ... in first-seen order): open addressing
// with linear probing over a power-of-two table of (hash fingerprint, index) pairs, so a lookup is
// one probe of an 8-byte slot and, on a fingerprint match, one string compare. Nothing is ever
// erased. std::unordered_map<std::string, uint32_t> costs a node and a pointer chase per lookup,
// on the path of every event (a recommender interns a user and an item per event).
#pragma once

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
    const uint64_t h = Hash(s);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index == kAbsent) return kAbsent;
      if (slot.fingerprint == Fingerprint(h) && names_[slot.index] == s) return slot.index;
    }
  }

  // The index of `s`, adding it if new.
  uint32_t Intern(std::string_view s) {
    if ((names_.size() + 1) * 4 > slots_.size() * 3) Grow();
    const uint64_t h = Hash(s);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == kAbsent) {
        slot = Slot{Fingerprint(h), static_cast<uint32_t>(names_.size())};
        names_.emplace_back(s);
        return slot.index;
      }
      if (slot.fingerprint == Fingerprint(h) && names_[slot.index] == s) return slot.index;
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

  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  static uint32_t Fingerprint(uint64_t h) { return static_cast<uint32_t>(h >> 32); }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (uint32_t index = 0; index < names_.size(); ++index) {
      const uint64_t h = Hash(names_[index]);
      size_t i = h & mask;
      while (slots_[i].index != kAbsent) i = (i + 1) & mask;
      slots_[i] = Slot{Fingerprint(h), index};
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string> names_;
};

}  // namespace meshsim
