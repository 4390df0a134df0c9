#include "fakes/glue_catalog/partition_values.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshsim::fakes::internal {
namespace {

bool ParseInt(std::string_view text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

// Exactly `width` digits at text[at...].
bool Digits(std::string_view text, size_t at, size_t width, int64_t* out) {
  if (at + width > text.size()) return false;
  std::string_view part = text.substr(at, width);
  if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return ParseInt(part, out);
}

// yyyy-mm-dd as yyyymmdd, with real month lengths.
bool ParseDate(std::string_view text, int64_t* out) {
  int64_t y = 0, m = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d)) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return false;
  *out = y * 10000 + m * 100 + d;
  return true;
}

// yyyy-mm-dd hh:mm:ss[.f{1,9}] as (yyyymmddhhmmss, nanoseconds).
bool ParseTimestamp(std::string_view text, Typed* out) {
  int64_t date = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') return false;
  if (!ParseDate(text.substr(0, 10), &date) || !Digits(text, 11, 2, &h) ||
      !Digits(text, 14, 2, &mi) || !Digits(text, 17, 2, &s) || h > 23 || mi > 59 || s > 59) {
    return false;
  }
  int64_t nanos = 0;
  if (text.size() > 19) {
    size_t width = text.size() - 20;
    if (text[19] != '.' || width < 1 || width > 9 || !Digits(text, 20, width, &nanos)) return false;
    for (size_t i = width; i < 9; ++i) nanos *= 10;
  }
  out->whole = ((date * 100 + h) * 100 + mi) * 100 + s;
  out->nanos = nanos;
  return true;
}

}  // namespace

int Compare(Kind kind, const Typed& a, const Typed& b) {
  switch (kind) {
    case Kind::kString:
      return a.text.compare(b.text) < 0 ? -1 : a.text == b.text ? 0 : 1;
    case Kind::kDecimal:
      return a.decimal < b.decimal ? -1 : a.decimal == b.decimal ? 0 : 1;
    default:
      if (a.whole != b.whole) return a.whole < b.whole ? -1 : 1;
      return a.nanos < b.nanos ? -1 : a.nanos == b.nanos ? 0 : 1;
  }
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Kind> KindOf(std::string_view type) {
  std::string base = LowerAscii(type.substr(0, type.find('(')));
  if (base == "string" || base == "char" || base == "varchar") return Kind::kString;
  if (base == "int" || base == "integer" || base == "bigint" || base == "long" ||
      base == "smallint" || base == "tinyint") {
    return Kind::kInteger;
  }
  if (base == "decimal") return Kind::kDecimal;
  if (base == "date") return Kind::kDate;
  if (base == "timestamp") return Kind::kTimestamp;
  return std::nullopt;
}

std::optional<std::string> Convert(Kind kind, std::string_view text, Typed* out) {
  switch (kind) {
    case Kind::kString:
      out->text = std::string(text);
      return std::nullopt;
    case Kind::kInteger:
      if (ParseInt(text, &out->whole)) return std::nullopt;
      return "is not an integer";
    case Kind::kDecimal: {
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, out->decimal);
      if (ec == std::errc() && ptr == end && !text.empty()) return std::nullopt;
      return "is not a decimal";
    }
    case Kind::kDate:
      if (text.size() == 10 && ParseDate(text, &out->whole)) return std::nullopt;
      return "is not a date (yyyy-mm-dd)";
    case Kind::kTimestamp:
      if (ParseTimestamp(text, out)) return std::nullopt;
      return "is not a timestamp (yyyy-mm-dd hh:mm:ss[.fffffffff])";
  }
  return "has no type";
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kInteger:
      return "Integral";
    case Kind::kDecimal:
      return "Decimal";
    case Kind::kDate:
      return "Date";
    case Kind::kTimestamp:
      return "Timestamp";
    case Kind::kString:
      break;
  }
  return "String";
}

// Greedy with one backtrack point, so linear in practice and never exponential.
bool Like(std::string_view text, std::string_view pattern) {
  auto next_char = [&](size_t at) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    return at;
  };
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '_') {
      t = next_char(t);
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++t;
      ++p;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = star_t = next_char(star_t);
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

}  // namespace meshsim::fakes::internal
