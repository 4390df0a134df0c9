// The Expression of Glue's GetPartitions: an SQL WHERE-like filter over a table's partition keys,
// compiled once against the keys and then evaluated per partition. Glue parses it with
// JSQLParser; this is our own parser for the subset Glue documents:
//
//   expr      := term (OR term)*          term := factor (AND factor)*
//   factor    := NOT factor | '(' expr ')' | predicate
//   predicate := key (= | <> | != | < | <= | > | >=) literal   (or literal op key)
//              | key [NOT] BETWEEN literal AND literal
//              | key [NOT] IN '(' literal (',' literal)* ')'
//              | key [NOT] LIKE 'pattern'                     (% any run, _ one character)
//              | key IS [NOT] NULL
//   literal   := 'text' (a quote doubled inside) | -?digits[.digits]
//
// Keywords and key names are case-blind. Comparisons are typed by the key's type, as Glue's are:
// string, char, varchar as text (byte order); int, bigint, long, smallint, tinyint as integers;
// decimal as a number; date ('yyyy-mm-dd') and timestamp ('yyyy-mm-dd hh:mm:ss[.fffffffff]') in
// time order. SQL's three-valued logic: a NULL value (Hive's __HIVE_DEFAULT_PARTITION__) makes
// every comparison unknown, and unknown is not a match, even under NOT.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/catalog.h"

namespace meshsim::fakes {

// The partition value Hive (and Glue) store for a NULL key value.
inline constexpr std::string_view kHiveNullPartition = "__HIVE_DEFAULT_PARTITION__";

class PartitionExpression {
 public:
  // InvalidInputException, its message naming the position (1-based, in characters), for a
  // syntax error, an unknown key, a key type Glue cannot filter on, LIKE on a key that is not
  // text, or a literal that is not of its key's type. An empty (or all-blank) expression matches
  // every partition. Glue's limit: 2048 characters.
  static Result<PartitionExpression> Compile(std::string_view expression,
                                             const std::vector<Column>& partition_keys);

  PartitionExpression(PartitionExpression&&) noexcept;
  PartitionExpression& operator=(PartitionExpression&&) noexcept;
  ~PartitionExpression();

  // REQUIRES: values.size() is the number of partition keys it was compiled with.
  // InvalidStateException when a value the expression compares cannot be read as its key's type
  // (the key's type changed after the partition was written).
  Result<bool> Matches(const std::vector<std::string>& values) const;

  struct Node;  // public only so that the .cc's helpers can name it

 private:
  PartitionExpression();

  std::vector<Node> nodes_;  // the root is last; empty matches everything
  std::vector<Column> keys_;
};

}  // namespace meshsim::fakes
