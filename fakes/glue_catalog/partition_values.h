// Partition values as their key's type, for GetPartitions' expressions
// (fakes/glue_catalog/partition_expression.h): which key types Glue can filter on, reading a value
// or literal as one, ordering two, and SQL's LIKE. Not for use elsewhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshsim::fakes::internal {

enum class Kind { kString, kInteger, kDecimal, kDate, kTimestamp };

// A value of one key's type: integers, dates and timestamps order by (whole, nanos).
struct Typed {
  int64_t whole = 0;
  int64_t nanos = 0;
  double decimal = 0;
  std::string text;
};

// -1, 0 or 1 as `a` orders before, with or after `b`.
int Compare(Kind kind, const Typed& a, const Typed& b);

// The types Glue's GetPartitions documents as filterable (string, int, bigint, long, smallint,
// tinyint, decimal, date, timestamp), plus char and varchar as text; nullopt for the rest.
std::optional<Kind> KindOf(std::string_view type);

// Reads `text` as a value of `kind` into `out`; nullopt, or why not ("is not an integer").
std::optional<std::string> Convert(Kind kind, std::string_view text, Typed* out);

// The name Glue gives a type in "<Type> data type doesn't support operation 'LIKE'".
std::string_view KindName(Kind kind);

// SQL LIKE: '%' matches any run of characters, '_' one (UTF-8) character, the rest itself.
bool Like(std::string_view text, std::string_view pattern);

std::string LowerAscii(std::string_view text);

}  // namespace meshsim::fakes::internal
