// Avro's zig-zag varint longs (and ints), shared by the hand-written record codec (codec.h) and the
// generic datum codec (avro/datum.h): an int64 maps to uint64 as (n << 1) ^ (n >> 63), written
// seven bits a byte, low bits first, the high bit set on every byte but the last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace meshsim {

inline void PutZigZagLong(int64_t v, std::string* out) {
  uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (z >= 0x80) {
    out->push_back(static_cast<char>((z & 0x7f) | 0x80));
    z >>= 7;
  }
  out->push_back(static_cast<char>(z));
}

// Reads one long at `*pos` and advances past it. False, reading nothing past `in`, when the input
// ends first or the varint runs past ten bytes.
inline bool ReadZigZagLong(std::string_view in, size_t* pos, int64_t* v) {
  uint64_t z = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= in.size()) return false;
    const auto b = static_cast<uint8_t>(in[(*pos)++]);
    z |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
      return true;
    }
  }
  return false;
}

}  // namespace meshsim
