#include "fakes/glue_catalog/partition_expression.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace meshsim::fakes {
namespace {

using Values = std::vector<std::string>;

const std::vector<Column> kKeys = {{"country", "string", ""}, {"year", "int", ""},
                                   {"day", "date", ""},       {"price", "decimal(10,2)", ""},
                                   {"at", "timestamp", ""},   {"flag", "boolean", ""}};

// Six partitions; the last has a NULL country (Hive's default partition).
const std::vector<Values> kPartitions = {
    {"se", "2023", "2023-12-31", "9.5", "2023-12-31 23:59:59", "true"},
    {"se", "2024", "2024-01-01", "10", "2024-01-01 00:00:00", "false"},
    {"no", "2024", "2024-02-29", "100.25", "2024-02-29 12:00:00.5", "true"},
    {"dk", "999", "2024-03-01", "-1", "2024-03-01 00:00:00.000000001", "true"},
    {"de", "10000", "2025-01-01", "0", "2025-01-01 00:00:00", "false"},
    {std::string(kHiveNullPartition), "2024", "2024-06-01", "5", "2024-06-01 00:00:00", "true"},
};

// The indexes of kPartitions that `expression` matches.
std::vector<int> Matching(const std::string& expression) {
  Result<PartitionExpression> compiled = PartitionExpression::Compile(expression, kKeys);
  INFO(expression << ": " << compiled.status().ToString());
  REQUIRE(compiled.ok());
  std::vector<int> out;
  for (size_t i = 0; i < kPartitions.size(); ++i) {
    Result<bool> match = compiled->Matches(kPartitions[i]);
    REQUIRE(match.ok());
    if (*match) out.push_back(static_cast<int>(i));
  }
  return out;
}

TEST_CASE("Each operator compares by the key's type") {
  struct Row {
    const char* expression;
    std::vector<int> expected;
  };
  const Row rows[] = {
      {"", {0, 1, 2, 3, 4, 5}},
      {"   ", {0, 1, 2, 3, 4, 5}},
      {"country = 'se'", {0, 1}},
      {"COUNTRY = 'se'", {0, 1}},      // keys and keywords are case-blind
      {"country <> 'se'", {2, 3, 4}},  // NULL <> 'se' is unknown, not true
      {"country != 'se'", {2, 3, 4}},
      // int: 999 < 2023 < 10000 as numbers, though '999' > '2023' as text.
      {"year > 2023", {1, 2, 4, 5}},
      {"year < 2023", {3}},
      {"year >= 2024", {1, 2, 4, 5}},
      {"year <= 999", {3}},
      {"year = '2024'", {1, 2, 5}},  // a quoted literal is read as the key's type
      {"2024 = year", {1, 2, 5}},    // literal first
      {"2023 < year", {1, 2, 4, 5}},
      // string: text order, so '999' sorts after '2024'.
      {"country > 'dk'", {2, 0, 1}},
      {"day < '2024-01-01'", {0}},
      {"day BETWEEN '2024-01-01' AND '2024-02-29'", {1, 2}},
      {"day NOT BETWEEN '2024-01-01' AND '2024-02-29'", {0, 3, 4, 5}},
      {"year BETWEEN 2024 AND 2023", {}},  // SQL's BETWEEN, not symmetric
      {"price > 9.75", {1, 2}},
      {"price <= 0", {3, 4}},
      {"price = 10.00", {1}},
      {"at > '2024-02-29 12:00:00'", {2, 3, 4, 5}},
      {"at < '2024-03-01 00:00:00.000000002'", {0, 1, 2, 3}},
      {"at = '2024-02-29 12:00:00.500'", {2}},
      {"country IN ('se', 'dk')", {0, 1, 3}},
      {"country NOT IN ('se', 'dk')", {2, 4}},
      {"year IN (999, 10000)", {3, 4}},
      {"country LIKE 's%'", {0, 1}},
      {"country LIKE '_k'", {3}},
      {"country LIKE '%'", {0, 1, 2, 3, 4}},
      {"country NOT LIKE 'd%'", {0, 1, 2}},
      {"country IS NULL", {5}},
      {"country IS NOT NULL", {0, 1, 2, 3, 4}},
      {"country = 'se' AND year = 2024", {1}},
      {"country = 'no' OR year < 2024", {0, 2, 3}},
      {"country = 'de' OR country = 'no' AND year = 2023", {4}},  // AND binds tighter
      {"(country = 'de' OR country = 'no') AND year = 2024", {2}},
      {"NOT country = 'se'", {2, 3, 4}},  // NOT unknown is unknown
      {"NOT (year > 2023 AND country = 'se')", {0, 2, 3, 4}},
      {"country IS NULL OR year = 999", {3, 5}},
      {"((year = 999))", {3}},
  };
  for (const Row& row : rows) {
    std::vector<int> expected = row.expected;
    std::sort(expected.begin(), expected.end());
    INFO(row.expression);
    CHECK(Matching(row.expression) == expected);
  }
}

TEST_CASE("A quote doubled inside a string literal is one quote") {
  std::vector<Column> keys = {{"name", "string", ""}};
  Result<PartitionExpression> compiled = PartitionExpression::Compile("name = 'o''brien'", keys);
  REQUIRE(compiled.ok());
  CHECK(*compiled->Matches({"o'brien"}));
  CHECK_FALSE(*compiled->Matches({"obrien"}));
}

TEST_CASE("LIKE's _ is one character, even a multi-byte one") {
  std::vector<Column> keys = {{"city", "string", ""}};
  Result<PartitionExpression> compiled = PartitionExpression::Compile("city LIKE 'Malm_'", keys);
  REQUIRE(compiled.ok());
  CHECK(*compiled->Matches({"Malm\xC3\xB6"}));
  CHECK_FALSE(*compiled->Matches({"Malmoe"}));
  CHECK(*PartitionExpression::Compile("city LIKE '%a%b%'", keys)->Matches({"xxaxxbxx"}));
  CHECK_FALSE(*PartitionExpression::Compile("city LIKE '%a%b'", keys)->Matches({"xxaxxbxx"}));
}

TEST_CASE("Errors are InvalidInput naming the position") {
  struct Row {
    const char* expression;
    const char* message;
  };
  const Row rows[] = {
      {"country =", "Expression at position 10: expected a value, found the end"},
      {"country = 'se", "Expression at position 11: unterminated string"},
      {"country = 'se' AND", "Expression at position 19: expected a partition key, found the end"},
      {"(country = 'se'", "Expression at position 16: expected ')', found the end"},
      {"country = 'se')", "Expression at position 15: expected AND, OR or the end, found ')'"},
      {"country # 'se'", "Expression at position 9: unexpected character '#'"},
      {"country == 'se'", "Expression at position 9: unexpected '=='"},
      {"city = 'x'", "Expression at position 1: Unknown column 'city'"},
      {"year = 'twenty'",
       "Expression at position 8: 'twenty' is not an integer, the type of partition key year"},
      {"year = 1.5",
       "Expression at position 8: '1.5' is not an integer, the type of partition key year"},
      {"day = '2023-02-29'",
       "Expression at position 7: '2023-02-29' is not a date (yyyy-mm-dd), the type of partition "
       "key day"},
      {"at > '2024-01-01'",
       "Expression at position 6: '2024-01-01' is not a timestamp (yyyy-mm-dd "
       "hh:mm:ss[.fffffffff]), the type of partition key at"},
      {"year LIKE '20%'",
       "Expression at position 6: Integral data type doesn't support operation 'LIKE'"},
      {"day LIKE '2024%'",
       "Expression at position 5: Date data type doesn't support operation 'LIKE'"},
      {"flag = 'true'", "Expression at position 1: Unknown type : 'boolean' of partition key flag"},
      {"country IS 'se'", "Expression at position 12: expected NULL, found 'se'"},
      {"country NOT = 'se'", "Expression at position 13: expected BETWEEN, IN or LIKE, found '='"},
      {"country IN ('se' 'dk')", "Expression at position 18: expected ',' or ')', found 'dk'"},
      {"year BETWEEN 1 OR 2", "Expression at position 16: expected AND, found 'OR'"},
      {"country LIKE s", "Expression at position 14: expected a quoted pattern, found 's'"},
      {"'se' = 'se'", "Expression at position 8: expected a partition key, found 'se'"},
      // Positions count characters: the two-byte ö is one.
      {"country = 'ö' AND ?", "Expression at position 19: unexpected character '?'"},
  };
  for (const Row& row : rows) {
    Result<PartitionExpression> compiled = PartitionExpression::Compile(row.expression, kKeys);
    INFO(row.expression);
    REQUIRE_FALSE(compiled.ok());
    CHECK(compiled.status().code() == Code::kInvalidInput);
    CHECK(compiled.status().message() == row.message);
  }
}

TEST_CASE("An expression longer than Glue's 2048 characters is InvalidInput") {
  std::string expression = "country = '" + std::string(2040, 'x') + "'";
  Result<PartitionExpression> compiled = PartitionExpression::Compile(expression, kKeys);
  REQUIRE_FALSE(compiled.ok());
  CHECK(compiled.status().message() == "Expression must be at most 2048 characters");
}

TEST_CASE("A stored value that no longer fits its key's type is InvalidState") {
  std::vector<Column> keys = {{"year", "int", ""}};
  Result<PartitionExpression> compiled = PartitionExpression::Compile("year > 2000", keys);
  REQUIRE(compiled.ok());
  Result<bool> match = compiled->Matches({"recent"});
  REQUIRE_FALSE(match.ok());
  CHECK(match.status().ToString() ==
        "InvalidStateException: Partition value 'recent' of key year is not an integer");
  // A key the expression does not read is not converted.
  Result<PartitionExpression> any = PartitionExpression::Compile("", keys);
  CHECK(*any->Matches({"recent"}));
}

}  // namespace
}  // namespace meshsim::fakes
