// OpenTable finds what was inserted and nothing else, through growth and collisions, checked
// against std::unordered_map on random keys.
#include "sim/core/open_table.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <unordered_map>

using namespace meshsim;

namespace {

// A (key, value) slot; key 0 marks a free one. The hash is the key itself, unmixed, so that a
// test picks keys' homes through their top bits.
struct Entry {
  uint64_t key = 0;
  uint64_t value = 0;
};
struct RawTraits {
  using Slot = Entry;
  static bool Free(const Entry& e) { return e.key == 0; }
  static uint64_t Hash(const Entry& e) { return e.key; }
  static constexpr size_t kFirstCapacity = 4;
};
using RawTable = OpenTable<RawTraits>;

struct MixedTraits : RawTraits {
  static uint64_t Hash(const Entry& e) { return MixHash(e.key); }
};
using MixedTable = OpenTable<MixedTraits>;

// Adds `value` to the entry of `key` (a new one starts at 0); returns whether it was new.
template <typename Table>
bool Add(Table& table, uint64_t hash, uint64_t key, uint64_t value) {
  const auto [slot, added] =
      table.FindOrInsert(hash, [key](const Entry& e) { return e.key == key; });
  if (added) *slot = Entry{key, 0};
  slot->value += value;
  return added;
}

template <typename Table>
const Entry* Find(const Table& table, uint64_t hash, uint64_t key) {
  return table.Find(hash, [key](const Entry& e) { return e.key == key; });
}

}  // namespace

TEST_CASE("an empty table finds nothing and holds no slots") {
  MixedTable table;
  CHECK(Find(table, MixHash(1), 1) == nullptr);
  CHECK(table.size() == 0);
  CHECK(table.capacity() == 0);
  CHECK(table.full());
  table.Prefetch(MixHash(1));  // no slots to load: does nothing
}

TEST_CASE("the table starts at its first capacity and doubles past 3/4 load") {
  MixedTable table;
  Add(table, MixHash(1), 1, 1);
  CHECK(table.capacity() == 4);
  Add(table, MixHash(2), 2, 1);
  Add(table, MixHash(3), 3, 1);
  CHECK(table.capacity() == 4);  // 3 of 4
  CHECK(table.full());
  Add(table, MixHash(3), 3, 1);  // found; the table grows all the same
  CHECK(table.capacity() == 8);
  CHECK(table.size() == 3);
  for (uint64_t key = 4; key <= 6; ++key) Add(table, MixHash(key), key, 1);
  CHECK(table.capacity() == 8);  // 6 of 8
  Add(table, MixHash(7), 7, 1);
  CHECK(table.capacity() == 16);
  CHECK(table.MemoryBytes() >= 16 * sizeof(Entry));
  for (uint64_t key = 1; key <= 7; ++key) {
    const Entry* e = Find(table, MixHash(key), key);
    REQUIRE(e != nullptr);
    CHECK(e->value == (key == 3 ? 2 : 1));
  }
}

TEST_CASE("keys sharing a home are all found, and a probe stops at the first free slot") {
  RawTable table;
  // A raw key is its own hash: these differ only in their low bits, so share one home.
  const uint64_t base = uint64_t{1} << 40;
  for (uint64_t key = base + 1; key <= base + 100; ++key) REQUIRE(Add(table, key, key, key));
  CHECK(table.size() == 100);
  CHECK(table.capacity() == 256);
  for (uint64_t key = base + 1; key <= base + 100; ++key) {
    const Entry* e = Find(table, key, key);
    REQUIRE(e != nullptr);
    CHECK(e->value == key);
  }
  CHECK(Find(table, base + 101, base + 101) == nullptr);  // past the end of the run
  CHECK(Find(table, ~uint64_t{0}, base + 1) == nullptr);  // another home, far from the run
  size_t seen = 0;
  table.ForEach([&seen](const Entry& e) { seen += e.key > base && e.key <= base + 100; });
  CHECK(seen == 100);
}

TEST_CASE("a run that reaches the end of the table wraps around to its start") {
  RawTable table;
  // Keys whose top bits are all ones: each one's home is the last slot, whatever the capacity.
  const uint64_t top = ~uint64_t{0};
  for (uint64_t key = top; key > top - 20; --key) Add(table, key, key, 1);
  CHECK(table.capacity() == 32);
  for (uint64_t key = top; key > top - 20; --key) REQUIRE(Find(table, key, key) != nullptr);
  CHECK(Find(table, top - 20, top - 20) == nullptr);
}

TEST_CASE("find and insert agree with std::unordered_map on random keys") {
  std::mt19937_64 rng(20240601);
  for (const uint64_t universe : {uint64_t{50}, uint64_t{5'000}, uint64_t{1} << 62}) {
    MixedTable table;
    std::unordered_map<uint64_t, uint64_t> reference;
    std::uniform_int_distribution<uint64_t> draw(1, universe);
    for (int step = 0; step < 60'000; ++step) {
      const uint64_t key = draw(rng);
      if (step % 3 == 0) {
        const Entry* e = Find(table, MixHash(key), key);
        const auto it = reference.find(key);
        REQUIRE((e == nullptr) == (it == reference.end()));
        if (e != nullptr) REQUIRE(e->value == it->second);
      } else {
        const bool added = Add(table, MixHash(key), key, static_cast<uint64_t>(step));
        const auto [it, inserted] = reference.try_emplace(key, 0);
        it->second += static_cast<uint64_t>(step);
        REQUIRE(added == inserted);
      }
      REQUIRE(table.size() == reference.size());
    }
    CHECK(table.size() * 4 <= table.capacity() * 3);
    size_t seen = 0;
    table.ForEach([&](const Entry& e) {
      ++seen;
      const auto it = reference.find(e.key);
      REQUIRE(it != reference.end());
      CHECK(e.value == it->second);
    });
    CHECK(seen == reference.size());
  }
}
