#include "fakes/personalize/filter_expression.h"

#include <catch2/catch.hpp>
#include <string>

namespace meshsim::fakes::personalize {
namespace {

TEST_CASE("A chain parses into clauses, AND-groups and its placeholders") {
  auto f = ParseFilterExpression(
      "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE, \"jazz\") OR Items.PRICE < 10 AND "
      "Items.PRICE > ($MIN) IF CurrentUser.AGE >= $AGE AND CurrentUser.TIER NOT IN (\"free\") | "
      "EXCLUDE ItemID WHERE Interactions.event_type IN (\"*\", $GENRE)");
  REQUIRE(f.ok());
  REQUIRE(f->clauses.size() == 2);

  const FilterClause& include = f->clauses[0];
  CHECK(include.include);
  CHECK(include.dataset == FilterDataset::kItems);
  REQUIRE(include.where.size() == 2);  // AND binds tighter than OR
  REQUIRE(include.where[0].size() == 1);
  CHECK(include.where[0][0].values == std::vector<std::string>{"jazz"});
  CHECK(include.where[0][0].params == std::vector<std::string>{"GENRE"});
  REQUIRE(include.where[1].size() == 2);
  CHECK(include.where[1][0].op == FilterOp::kLt);
  CHECK(include.where[1][0].number == 10);
  CHECK(include.where[1][1].op == FilterOp::kGt);
  CHECK(include.where[1][1].params == std::vector<std::string>{"MIN"});
  REQUIRE(include.if_conditions.size() == 2);
  CHECK(include.if_conditions[0].dataset == FilterDataset::kCurrentUser);
  CHECK(include.if_conditions[0].op == FilterOp::kGe);
  CHECK(include.if_conditions[1].op == FilterOp::kNotIn);

  const FilterClause& exclude = f->clauses[1];
  CHECK_FALSE(exclude.include);
  CHECK(exclude.dataset == FilterDataset::kInteractions);
  CHECK(exclude.where[0][0].field == "EVENT_TYPE");  // the one Interactions field, canonical
  CHECK(exclude.where[0][0].values == std::vector<std::string>{"*"});

  CHECK(f->params == std::vector<std::string>{"GENRE", "MIN", "AGE"});
  CHECK_FALSE(f->uses_current_item);
}

TEST_CASE("Keywords and dataset names are case-insensitive, field names kept as written") {
  // The form of AWS's own SDK example.
  auto f = ParseFilterExpression("EXCLUDE itemId WHERE INTERACTIONS.EVENT_TYPE in (\"Purchase\")");
  REQUIRE(f.ok());
  CHECK(f->clauses[0].dataset == FilterDataset::kInteractions);

  auto g = ParseFilterExpression("include ItemID where items.Genre not in (\"a\")");
  REQUIRE(g.ok());
  CHECK(g->clauses[0].where[0][0].field == "Genre");
  CHECK(g->clauses[0].where[0][0].op == FilterOp::kNotIn);
}

TEST_CASE("CurrentItem on the right of IN and of a comparison marks the filter related-items") {
  auto f = ParseFilterExpression(
      "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE "
      "AND Items.STUDIO IN (CurrentItem.STUDIO)");
  REQUIRE(f.ok());
  CHECK(f->uses_current_item);
  const auto& group = f->clauses[0].where[0];
  REQUIRE(group.size() == 3);
  CHECK(group[0].current_item_field == "PRICE");
  CHECK(group[1].current_item_field == "GENRE");
  CHECK(group[2].current_item_field == "STUDIO");
  CHECK(group[2].values.empty());
}

TEST_CASE("Quoted strings unescape and numbers may be negative or fractional") {
  auto f = ParseFilterExpression(
      "INCLUDE ItemID WHERE Items.T IN (\"say \\\"hi\\\"\", \"a|b, c\") AND Items.N > -2.5");
  REQUIRE(f.ok());
  const auto& group = f->clauses[0].where[0];
  CHECK(group[0].values == std::vector<std::string>{"say \"hi\"", "a|b, c"});
  CHECK(group[1].number == -2.5);
}

TEST_CASE("The length limit is CreateFilter's: 1 to 2500 characters") {
  std::string at_limit = "INCLUDE ItemID WHERE Items.GENRE IN (\"";
  at_limit += std::string(kMaxFilterExpressionLength - at_limit.size() - 2, 'x') + "\")";
  REQUIRE(at_limit.size() == kMaxFilterExpressionLength);
  CHECK(ParseFilterExpression(at_limit).ok());

  auto over = ParseFilterExpression(at_limit + " ");
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().code() == Code::kInvalidInput);
  CHECK(over.status().message() ==
        "filterExpression: length must be between 1 and 2500 characters, got 2501");
  CHECK(ParseFilterExpression("").status().message() ==
        "filterExpression: length must be between 1 and 2500 characters, got 0");
}

struct ParseErrorCase {
  const char* text;
  const char* message;  // after "filterExpression: "
};

TEST_CASE("A parse error names its column and what was expected") {
  const ParseErrorCase cases[] = {
      {"INCLUD ItemID WHERE Items.GENRE IN (\"a\")",
       "at column 1: expected INCLUDE or EXCLUDE, got INCLUD"},
      {"INCLUDE Item WHERE Items.GENRE IN (\"a\")",
       "at column 9: expected ItemID after INCLUDE, got Item"},
      {"INCLUDE UserID WHERE Users.AGE > 18",
       "at column 9: UserID filters user segments or actions, which meshsim does not recommend; "
       "expected ItemID"},
      {"EXCLUDE ItemID Items.GENRE IN (\"a\")",
       "at column 16: expected WHERE after ItemID, got Items"},
      {"INCLUDE ItemID WHERE Items.GENRE (\"rock\")",
       "at column 34: expected IN, NOT IN or a comparison after Items.GENRE, got ("},
      {"INCLUDE ItemID WHERE Items.GENRE NOT (\"rock\")",
       "at column 38: expected IN after NOT, got ("},
      {"INCLUDE ItemID WHERE Items.GENRE IN \"rock\"",
       "at column 37: expected ( after IN, got \"rock\""},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"rock\" \"pop\")",
       "at column 45: expected , or ) in the value list, got \"pop\""},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"rock)", "at column 38: unterminated string"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (rock)",
       "at column 38: expected a quoted string or $PARAM, got rock"},
      {"INCLUDE ItemID WHERE Items.GENRE IN ()",
       "at column 38: expected a quoted string or $PARAM, got )"},
      {"INCLUDE ItemID WHERE Items.GENRE IN ($)",
       "at column 38: expected a parameter name after $"},
      {"INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)",
       "at column 42: Invalid input symbol: $GENRE. Placeholders are not allowed with NOT_IN "
       "operator; use IN with the opposite action (INCLUDE for EXCLUDE)"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") AND Interactions.EVENT_TYPE IN (\"click\")",
       "at column 49: conditions joined by AND or OR must use the first condition's dataset "
       "(Items); chain another expression with | to filter on Interactions"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"a\") OR Items.GENRE IN (\"b\")",
       "at column 58: conditions joined by AND or OR must use the first condition's dataset "
       "(Interactions); chain another expression with | to filter on Items"},
      {"INCLUDE ItemID WHERE Interactions.ITEM_ID IN (\"x\")",
       "at column 22: Interactions filters only on EVENT_TYPE, got Interactions.ITEM_ID"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN (\"click\")",
       "at column 46: expected IN after Interactions.EVENT_TYPE, got NOT"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"*\")",
       "at column 38: * (every event type) goes only with Interactions.EVENT_TYPE"},
      {"INCLUDE ItemID WHERE CurrentUser.AGE > 18",
       "at column 22: CurrentUser goes in an IF condition at the end of the expression"},
      {"INCLUDE ItemID WHERE CurrentItem.GENRE IN (\"a\")",
       "at column 22: CurrentItem goes on the right-hand side, as in Items.GENRE IN "
       "CurrentItem.GENRE"},
      {"INCLUDE ItemID WHERE Users.AGE > 18",
       "at column 22: Users fields filter user segments; an item filter tests the user with IF "
       "CurrentUser.FIELD"},
      {"INCLUDE ItemID WHERE Stock.LEVEL > 1",
       "at column 22: expected Items.FIELD or Interactions.EVENT_TYPE, got Stock"},
      {"INCLUDE ItemID WHERE Items.",
       "at column 28: expected a field name after Items., got the "
       "end of the expression"},
      {"INCLUDE ItemID WHERE Items GENRE IN (\"a\")",
       "at column 28: expected . after Items, got GENRE"},
      {"INCLUDE ItemID WHERE Items.PRICE < \"10\"",
       "at column 36: expected a number, $PARAM or CurrentItem.FIELD after <, got \"10\""},
      {"INCLUDE ItemID WHERE Items.PRICE < ($MAX",
       "at column 41: expected ), got the end of the "
       "expression"},
      {"INCLUDE ItemID WHERE Items.PRICE ! 10", "at column 34: expected = after !"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 # x", "at column 39: unexpected character '#'"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 LIMIT 5",
       "at column 39: expected AND, OR, IF, | or the end of the expression, got LIMIT"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 IF Items.PRICE > 1",
       "at column 42: an IF condition tests CurrentUser.FIELD, got Items.PRICE"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 IF CurrentUser.AGE > 1 OR CurrentUser.AGE < 9",
       "at column 62: only AND extends an IF condition"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 IF CurrentUser.AGE > 1 IF CurrentUser.AGE < 9",
       "at column 62: IF may appear only once, at the end of an expression"},
      {"INCLUDE ItemID WHERE Items.PRICE < 10 IF CurrentUser.AGE > CurrentItem.AGE",
       "at column 60: expected a number or $PARAM after >, got CurrentItem"},
      {"INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.T IN CurrentItem.T",
       "at column 59: expected ( after IN, got CurrentItem"},
      {"INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.T IN (\"x\") Items.B",
       "at column 65: expected AND, | or the end of the expression, got Items"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"a\") |",
       "at column 44: expected INCLUDE or EXCLUDE, got the end of the expression"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"a\") | INCLUDE ItemID Items.B IN (\"b\")",
       "at column 60: expected WHERE after ItemID, got Items"},
  };
  for (const ParseErrorCase& c : cases) {
    INFO(c.text);
    auto f = ParseFilterExpression(c.text);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == Code::kInvalidInput);
    CHECK(f.status().message() == std::string("filterExpression: ") + c.message);
  }
}

TEST_CASE("A filter may use at most 10 distinct dataset fields, across the whole chain") {
  std::string ten = "INCLUDE ItemID WHERE Items.F1 IN (\"a\")";
  for (int i = 2; i <= 9; ++i) ten += " AND Items.F" + std::to_string(i) + " IN (\"a\")";
  // Repeating a field does not count twice; CurrentItem.F10 is the tenth field.
  ten += " AND Items.F1 IN (\"b\") AND Items.F9 < CurrentItem.F10";
  REQUIRE(ParseFilterExpression(ten).ok());

  const std::string eleven = ten + " | EXCLUDE ItemID WHERE Items.F11 IN (\"a\")";
  auto f = ParseFilterExpression(eleven);
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message() ==
        "filterExpression: at column " + std::to_string(eleven.find("Items.F11") + 1) +
            ": a filter may use at most 10 distinct dataset fields; Items.F11 is one more");
}

}  // namespace
}  // namespace meshsim::fakes::personalize
