// Universally unique identifiers (RFC 4122) as Glue uses them for schema version ids, in their
// canonical text form "8-4-4-4-12" lowercase hex, and as the 16 bytes the Glue Schema Registry wire
// format carries. New ids are version 4 (random) drawn from the run's Rng, so a seed gives the
// same ids on every run.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/rng.h"

namespace meshsim {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID, all zero
  explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // A version-4, variant-1 UUID: 122 bits from `rng`.
  static Uuid Random(Rng& rng);
  // Accepts exactly the canonical form (36 characters, hex digits of either case); nullopt else.
  static std::optional<Uuid> Parse(std::string_view text);
  // From the 16 wire bytes. REQUIRES: bytes.size() == 16.
  static Uuid FromBytes(std::string_view bytes);

  // "a1b2c3d4-..." lowercase, as Glue returns SchemaVersionId.
  std::string ToString() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  int version() const { return bytes_[6] >> 4; }

  auto operator<=>(const Uuid&) const = default;
  // Two 8-byte compares: a record's schema version id is compared on every decode.
  bool operator==(const Uuid& other) const {
    uint64_t a[2], b[2];
    std::memcpy(a, bytes_.data(), sizeof a);
    std::memcpy(b, other.bytes_.data(), sizeof b);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace meshsim
