// Amazon Personalize's filter language for item recommendations, parsed into a tree that
// filter_evaluator.h binds to one request and applies to candidates. The grammar is the one AWS
// documents in "Filter expression structure and elements" and "Guidelines and requirements"
// (docs.aws.amazon.com/personalize/latest/dg/creating-filter-expressions.html and
// filter-expression-guidelines-requirements.html), written out because AWS gives it only by
// example:
//
//   filter     := expression ( "|" expression )*
//   expression := ( INCLUDE | EXCLUDE ) ItemID WHERE where [ IF user ]
//   where      := and_group ( OR and_group )*          AND binds tighter than OR, as in SQL
//   and_group  := condition ( AND condition )*
//   user       := user_cond ( AND user_cond )*          "you can extend an IF condition using AND"
//   condition  := Items.F ( IN | NOT IN ) ( list | CurrentItem.F | "(" CurrentItem.F ")" )
//               | Items.F compare scalar
//               | Interactions.EVENT_TYPE IN list
//   user_cond  := CurrentUser.F ( IN | NOT IN ) list | CurrentUser.F compare scalar
//   list       := "(" value ( "," value )* ")"          value: "quoted string" or $PARAM
//   compare    := = | != | < | <= | > | >=
//   scalar     := number | $PARAM | CurrentItem.F (Items only), optionally in parentheses
//
// Keywords and dataset names are case-insensitive (AWS's own SDK example writes
// `EXCLUDE itemId WHERE INTERACTIONS.EVENT_TYPE in ("Purchase")`); field names are kept as written.
// Refused rather than guessed at, each with the column where it goes wrong:
// - an expression mixing datasets ("Conditions chained together using AND or OR can only affect
//   fields of the dataset used in the first condition"; Items and Interactions need `|`);
// - a placeholder with NOT IN (AWS: "Placeholders are not allowed with NOT_IN operator");
// - "*" anywhere but Interactions.EVENT_TYPE; an Interactions field other than EVENT_TYPE;
// - CurrentUser outside IF, IF more than once or before the end, OR inside IF;
// - more than 10 distinct dataset fields in one filter;
// - UserID and ActionID expressions (user segments and actions: meshsim recommends items only),
//   and Users.F in an item filter (AWS tests the user through IF CurrentUser.F).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

// CreateFilter's filterExpression: botocore's FilterExpression shape (min 1, max 2500).
inline constexpr size_t kMaxFilterExpressionLength = 2500;
// "The maximum number of distinct dataset fields for a filter, either in one expression or across
// multiple expressions chained together, is 10."
inline constexpr size_t kMaxDistinctFilterFields = 10;

enum class FilterDataset { kItems, kInteractions, kCurrentItem, kCurrentUser };

enum class FilterOp { kIn, kNotIn, kEq, kNe, kLt, kLe, kGt, kGe };

// One test of a field against a right-hand side. Exactly one right-hand side is set:
// `values` and/or `params` for IN and NOT IN; `number`, `params` (one) or `current_item_field`
// for a comparison; `current_item_field` alone for IN CurrentItem.F.
struct FilterCondition {
  FilterDataset dataset = FilterDataset::kItems;  // kItems, kInteractions or kCurrentUser
  std::string field;
  FilterOp op = FilterOp::kIn;
  std::vector<std::string> values;  // quoted literals, unescaped; "*" only for EVENT_TYPE
  std::vector<std::string> params;  // placeholder names without the '$'
  std::optional<double> number;
  std::optional<std::string> current_item_field;
  size_t column = 0;  // 1-based column of the condition's dataset name
};

struct FilterClause {
  bool include = false;   // INCLUDE, else EXCLUDE
  FilterDataset dataset;  // of every WHERE condition: kItems or kInteractions
  // The WHERE conditions as an OR of AND-groups; never empty, nor is any group.
  std::vector<std::vector<FilterCondition>> where;
  std::vector<FilterCondition> if_conditions;  // AND-ed CurrentUser tests; empty without IF
};

struct FilterExpression {
  std::vector<FilterClause> clauses;  // in written order; the order does not change the result
  std::vector<std::string> params;    // distinct placeholder names, in order of first use
  bool uses_current_item = false;     // only related-items requests can apply it
};

// The tree of `text`, or InvalidInputException naming the 1-based column and what was expected:
//   filterExpression: at column 27: expected IN, NOT IN or a comparison after Items.GENRE
Result<FilterExpression> ParseFilterExpression(std::string_view text);

}  // namespace meshsim::fakes::personalize
