#include "sim/core/uuid.h"

namespace meshsim {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

Uuid Uuid::Random(Rng& rng) {
  std::array<uint8_t, 16> bytes;
  for (size_t half = 0; half < 2; ++half) {
    const uint64_t word = rng.Next();
    for (size_t i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<uint8_t>(word >> (8 * i));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10xx
  return Uuid(bytes);
}

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int v = HexValue(text[i]);
    if (v < 0) return std::nullopt;
    bytes[nibble / 2] = static_cast<uint8_t>(bytes[nibble / 2] | (nibble % 2 ? v : v << 4));
    ++nibble;
  }
  return Uuid(bytes);
}

Uuid Uuid::FromBytes(std::string_view bytes) {
  std::array<uint8_t, 16> out{};
  for (size_t i = 0; i < out.size() && i < bytes.size(); ++i)
    out[i] = static_cast<uint8_t>(bytes[i]);
  return Uuid(out);
}

std::string Uuid::ToString() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kDigits[bytes_[i] >> 4];
    out += kDigits[bytes_[i] & 0x0f];
  }
  return out;
}

}  // namespace meshsim
