// HashIndex numbers keys densely in first-seen order and gives a key the same index every time,
// through the table's growth.
#include "sim/core/hash_index.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

using namespace meshsim;

TEST_CASE("keys get dense indices in first-seen order, and keep them as the table grows") {
  HashIndex index;
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 20'000; ++i) keys.push_back(i * 0x100000001B3ULL);  // 0 among them
  for (size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(index.Intern(keys[i]) == i);
    REQUIRE(index.Intern(keys[i]) == i);  // found, not added again
  }
  CHECK(index.size() == keys.size());
  for (size_t i = 0; i < keys.size(); ++i) REQUIRE(index.Intern(keys[i]) == i);
  CHECK(index.size() == keys.size());
}

TEST_CASE("keys that differ only in their top or bottom bits are told apart") {
  HashIndex index;
  for (uint32_t i = 0; i < 64; ++i) {
    REQUIRE(index.Intern(uint64_t{1} << i) == 2 * i);
    REQUIRE(index.Intern(~(uint64_t{1} << i)) == 2 * i + 1);
  }
  CHECK(index.size() == 128);
}
