// The probing core of the simulation's hash tables (HashIndex, StringIndex, FingerprintSet, the
// real-time recommender's IndexTable and CountTable, ApplyOrderCheck): open addressing with
// linear probing over a power-of-two array of slots, grown to twice the size at 3/4 load. Each
// table keeps its own slot type, sized to what it stores (4 to 16 bytes), and its own meaning of
// a match; this holds only the probing and the growth. Nothing is ever erased, so there are no
// tombstones, and a probe ends at the first free slot.
//
// A slot's home is the top bits of a 64-bit hash, so the hash must be mixed (MixHash) when its own
// top bits are not already uniform; growth re-homes a slot from the hash its traits compute from
// the slot alone, without the original key.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace meshsim {

// What OpenTable needs to know of a slot type:
//   using Slot = ...;                           // a default-constructed Slot is free
//   static bool Free(const Slot&);              // whether the slot holds nothing
//   static uint64_t Hash(const Slot&);          // the hash its entry was inserted under
//   static constexpr size_t kFirstCapacity;     // slots at the first insert: 2^k, k >= 2
template <typename T>
concept OpenSlotTraits = requires(const typename T::Slot& slot) {
  { T::Free(slot) } -> std::same_as<bool>;
  { T::Hash(slot) } -> std::same_as<uint64_t>;
  requires std::has_single_bit(T::kFirstCapacity) && T::kFirstCapacity >= 4;
};

// Fibonacci hashing: key * 2^64/phi, whose top bits depend on every bit of the key, so that keys
// differing only in their low bits (consecutive indices) get different homes.
constexpr uint64_t MixHash(uint64_t key) { return key * 0x9E3779B97F4A7C15ULL; }

template <OpenSlotTraits Traits>
class OpenTable {
 public:
  using Slot = typename Traits::Slot;

  // The first slot along the probe for `hash` that `match` accepts, or null if a free slot comes
  // first. `match` is never called on a free slot.
  template <typename Match>
  const Slot* Find(uint64_t hash, Match&& match) const {
    if (size_ == 0) return nullptr;
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(hash);; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (Traits::Free(slot)) return nullptr;
      if (match(slot)) return &slot;
    }
  }

  // The slot that `match` accepts along the probe for `hash`, and false; or, when a free slot
  // comes first, that slot and true. The table grows first if a new entry would take it past 3/4
  // load, so it may grow even when the entry is found.
  // REQUIRES: on true, the caller fills the slot (makes it not Free, with Hash() == hash) before
  // the table's next call.
  template <typename Match>
  std::pair<Slot*, bool> FindOrInsert(uint64_t hash, Match&& match) {
    if (full()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(hash);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (Traits::Free(slot)) {
        ++size_;
        return {&slot, true};
      }
      if (match(slot)) return {&slot, false};
    }
  }

  // Starts loading the slot where the probe for `hash` begins, so that independent lookups
  // overlap their cache misses instead of paying for them one after another.
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(hash)]);
  }

  // Calls f(slot) for every filled slot, in slot order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Slot& slot : slots_) {
      if (!Traits::Free(slot)) f(slot);
    }
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  // Whether inserting an entry not yet present would grow the table first.
  bool full() const { return (size_t{size_} + 1) * 4 > slots_.size() * 3; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }

  // Out of line: it runs log2(size) times, and inlined it would crowd the probe loops.
  [[gnu::noinline]] void Grow() {
    std::vector<Slot> old = std::move(slots_);
    const size_t capacity = old.empty() ? Traits::kFirstCapacity : old.size() * 2;
    slots_.assign(capacity, Slot{});
    shift_ = static_cast<uint8_t>(64 - std::countr_zero(capacity));
    // The entries are distinct and the new table has room: each goes to the first free slot
    // from its home, with no match to test.
    const size_t mask = capacity - 1;
    for (const Slot& slot : old) {
      if (Traits::Free(slot)) continue;
      size_t i = Home(Traits::Hash(slot));
      while (!Traits::Free(slots_[i])) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  uint32_t size_ = 0;
  uint8_t shift_ = 64;  // 64 - log2(capacity): the hash's top bits index the table
};

}  // namespace meshsim
