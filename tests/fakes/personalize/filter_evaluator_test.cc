#include "fakes/personalize/filter_evaluator.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace meshsim::fakes::personalize {
namespace {

using Row = std::map<std::string, std::string>;

// A dataset group as literal tables; it counts the lookups a filter makes.
class TableData : public FilterData {
 public:
  std::map<std::string, Row> items = {
      {"i1", {{"GENRE", "rock|pop"}, {"PRICE", "10"}, {"STUDIO", "A"}}},
      {"i2", {{"GENRE", "jazz"}, {"PRICE", "25"}, {"STUDIO", "B"}}},
      {"i3", {{"GENRE", "pop"}, {"PRICE", "5.5"}, {"STUDIO", "A"}}},
      {"i4", {{"GENRE", "classical"}, {"STUDIO", "B"}}},               // no PRICE
      {"i5", {{"GENRE", "Rock"}, {"PRICE", "n/a"}, {"STUDIO", "C"}}},  // case, not a number
  };
  std::map<std::string, Row> users = {
      {"u1", {{"AGE", "25"}, {"TIER", "Premium"}}},
      {"u2", {{"AGE", "17"}, {"TIER", "Basic"}}},
  };
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> interactions = {
      {"u1", {{"i1", "click"}, {"i2", "Purchase"}, {"i3", "stream"}}},
      {"u2", {{"i4", "click"}}},
  };
  mutable int item_lookups = 0;
  mutable int interaction_scans = 0;

  const std::string* ItemAttribute(const std::string& item_id,
                                   const std::string& field) const override {
    ++item_lookups;
    return Find(items, item_id, field);
  }
  const std::string* UserAttribute(const std::string& user_id,
                                   const std::string& field) const override {
    return Find(users, user_id, field);
  }
  void ForEachInteraction(
      const std::string& user_id,
      const std::function<void(const std::string&, const std::string&)>& visit) const override {
    ++interaction_scans;
    auto it = interactions.find(user_id);
    if (it == interactions.end()) return;
    for (const auto& [item, type] : it->second) visit(item, type);
  }

 private:
  static const std::string* Find(const std::map<std::string, Row>& table, const std::string& id,
                                 const std::string& field) {
    auto row = table.find(id);
    if (row == table.end()) return nullptr;
    auto cell = row->second.find(field);
    return cell == row->second.end() ? nullptr : &cell->second;
  }
};

// The candidates `expression` keeps, space-separated.
std::string Kept(const TableData& data, const std::string& expression, const FilterValues& values,
                 const FilterContext& context) {
  auto parsed = ParseFilterExpression(expression);
  if (!parsed.ok()) return "parse: " + parsed.status().message();
  auto bound = BindFilter(*parsed, values, context, data);
  if (!bound.ok()) return "bind: " + bound.status().message();
  std::string kept;
  for (const auto& [id, row] : data.items) {
    if (bound->Keep(id)) kept += (kept.empty() ? "" : " ") + id;
  }
  return kept;
}

struct Case {
  const char* expression;
  FilterValues values;
  FilterContext context;
  const char* kept;
};

TEST_CASE("Filters keep the items AWS documents them to keep") {
  const FilterContext u1{"u1", ""};
  const FilterContext u2{"u2", ""};
  const FilterContext nobody{"", ""};
  const Case cases[] = {
      // Items: IN over '|'-separated categorical values, exact case.
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"rock\")", {}, u1, "i1"},
      {"EXCLUDE ItemID WHERE Items.GENRE IN (\"rock\", \"jazz\")", {}, u1, "i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.GENRE NOT IN (\"pop\")", {}, u1, "i2 i4 i5"},
      {"INCLUDE ItemID WHERE Items.MOOD NOT IN (\"sad\")", {}, u1, "i1 i2 i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.MOOD IN (\"sad\")", {}, u1, ""},
      // Numeric comparisons; a missing or non-numeric value matches none, not even !=.
      {"INCLUDE ItemID WHERE Items.PRICE < 20", {}, u1, "i1 i3"},
      {"INCLUDE ItemID WHERE Items.PRICE <= 5.5", {}, u1, "i3"},
      {"INCLUDE ItemID WHERE Items.PRICE > 24.9", {}, u1, "i2"},
      {"INCLUDE ItemID WHERE Items.PRICE >= 10", {}, u1, "i1 i2"},
      {"INCLUDE ItemID WHERE Items.PRICE = 10", {}, u1, "i1"},
      {"INCLUDE ItemID WHERE Items.PRICE != 10", {}, u1, "i2 i3"},
      {"INCLUDE ItemID WHERE Items.PRICE > -1", {}, u1, "i1 i2 i3"},
      // AND, OR, and AND binding tighter: classical OR (pop AND > 8).
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") AND Items.PRICE < 8", {}, u1, "i3"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"jazz\") OR Items.PRICE < 8", {}, u1, "i2 i3"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"classical\") OR Items.GENRE IN (\"pop\") AND "
       "Items.PRICE > 8",
       {},
       u1,
       "i1 i4"},
      // Interactions: the user's items by event type, case-insensitively; "*" for any type.
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\", \"stream\")",
       {},
       u1,
       "i2 i4 i5"},
      {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")", {}, u1, "i2"},
      {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")", {}, u1, "i1 i2 i3"},
      {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\") OR Interactions.EVENT_TYPE IN "
       "(\"stream\")",
       {},
       u1,
       "i1 i3"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")", {}, u2, "i1 i2 i3 i5"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")", {}, nobody, "i1 i2 i3 i4 i5"},
      // Placeholders, filled from filterValues.
      {"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
       {{"GENRE", "\"jazz\",\"classical\""}},
       u1,
       "i2 i4"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"jazz\", $G)",
       {{"G", " \"classical\" "}},
       u1,
       "i2 i4"},
      {"INCLUDE ItemID WHERE Items.PRICE < $MAX", {{"MAX", "\"12\""}}, u1, "i1 i3"},
      {"INCLUDE ItemID WHERE Items.PRICE < $MAX", {{"MAX", "12"}}, u1, "i1 i3"},
      {"INCLUDE ItemID WHERE Items.PRICE > ($MIN)", {{"MIN", "20"}}, u1, "i2"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
       {{"EVENT_TYPE", "\"CLICK\""}},
       u1,
       "i2 i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
       {{"GENRE", "\"pop\""}, {"UNUSED", "\"x\""}},
       u1,
       "i1 i3"},
      // A missing value drops its part of an EXCLUDE expression.
      {"EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)", {}, u1, "i1 i2 i3 i4 i5"},
      {"EXCLUDE ItemID WHERE Items.GENRE IN (\"pop\") AND Items.PRICE < $MAX", {}, u1, "i2 i4 i5"},
      {"EXCLUDE ItemID WHERE Items.GENRE IN ($G) OR Items.STUDIO IN (\"B\")", {}, u1, "i1 i3 i5"},
      {"EXCLUDE ItemID WHERE Items.GENRE IN (\"jazz\") IF CurrentUser.AGE > $AGE",
       {},
       u2,
       "i1 i3 i4 i5"},
      // Chains combine: INCLUDEs as a union, minus the union of the EXCLUDEs, in any order.
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") | EXCLUDE ItemID WHERE "
       "Interactions.EVENT_TYPE IN (\"stream\")",
       {},
       u1,
       "i1"},
      {"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"stream\") | INCLUDE ItemID WHERE "
       "Items.GENRE IN (\"pop\")",
       {},
       u1,
       "i1"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"jazz\") | INCLUDE ItemID WHERE "
       "Interactions.EVENT_TYPE IN (\"stream\")",
       {},
       u1,
       "i2 i3"},
      {"EXCLUDE ItemID WHERE Items.STUDIO IN (\"A\") | EXCLUDE ItemID WHERE Items.GENRE IN "
       "(\"jazz\")",
       {},
       u1,
       "i4 i5"},
      {"INCLUDE ItemID WHERE Items.STUDIO IN (\"A\") | INCLUDE ItemID WHERE Items.STUDIO IN "
       "(\"B\") | EXCLUDE ItemID WHERE Items.PRICE < 8 | EXCLUDE ItemID WHERE Items.GENRE IN "
       "(\"jazz\")",
       {},
       u1,
       "i1 i4"},
      // IF CurrentUser: an expression whose IF fails takes no part, INCLUDE or EXCLUDE.
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") IF CurrentUser.AGE > 18", {}, u1, "i1 i3"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") IF CurrentUser.AGE > 18",
       {},
       u2,
       "i1 i2 i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"pop\") IF CurrentUser.AGE > 18",
       {},
       nobody,
       "i1 i2 i3 i4 i5"},
      {"EXCLUDE ItemID WHERE Items.PRICE < 20 IF CurrentUser.AGE > 18 AND CurrentUser.TIER IN "
       "(\"Premium\")",
       {},
       u1,
       "i2 i4 i5"},
      {"EXCLUDE ItemID WHERE Items.PRICE < 20 IF CurrentUser.AGE > 18 AND CurrentUser.TIER IN "
       "(\"Premium\")",
       {},
       u2,
       "i1 i2 i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"jazz\") IF CurrentUser.TIER IN ($TIER)",
       {{"TIER", "\"Basic\""}},
       u2,
       "i2"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"jazz\") IF CurrentUser.TIER NOT IN (\"Basic\")",
       {},
       u2,
       "i1 i2 i3 i4 i5"},
      {"INCLUDE ItemID WHERE Items.STUDIO IN (\"C\") | INCLUDE ItemID WHERE Items.GENRE IN "
       "(\"jazz\") IF CurrentUser.AGE < 18",
       {},
       u1,
       "i5"},
      // CurrentItem, for related-items requests.
      {"INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE",
       {},
       {"", "i1"},
       "i3"},
      {"INCLUDE ItemID WHERE Items.STUDIO IN (CurrentItem.STUDIO)", {}, {"", "i2"}, "i2 i4"},
      {"EXCLUDE ItemID WHERE Items.STUDIO NOT IN CurrentItem.STUDIO", {}, {"", "i1"}, "i1 i3"},
      {"INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", {}, {"", "i4"}, ""},
      {"INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE", {}, {"", "unknown"}, ""},
      // Keywords in any case, as AWS's own examples write them.
      {"include itemId where items.GENRE in (\"jazz\")", {}, u1, "i2"},
  };
  for (const Case& c : cases) {
    TableData data;
    INFO(c.expression << " for user \"" << c.context.user_id << "\", item \""
                      << c.context.current_item_id << "\"");
    CHECK(Kept(data, c.expression, c.values, c.context) == c.kept);
  }
}

struct BindErrorCase {
  const char* expression;
  FilterValues values;
  FilterContext context;
  std::string message;
};

TEST_CASE("Bad filterValues, a missing INCLUDE value and CurrentItem without an item are refused") {
  FilterValues too_many;
  for (int i = 0; i < 26; ++i) too_many["P" + std::to_string(i)] = "\"x\"";
  const char* genre_in = "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)";
  const char* price_lt = "INCLUDE ItemID WHERE Items.PRICE < $MAX";
  const BindErrorCase cases[] = {
      {genre_in,
       {},
       {"u1", ""},
       "filterValues: no value for $GENRE; an INCLUDE expression needs a value for every "
       "placeholder it uses"},
      {"INCLUDE ItemID WHERE Items.GENRE IN (\"a\") IF CurrentUser.AGE > $AGE",
       {},
       {"u1", ""},
       "filterValues: no value for $AGE; an INCLUDE expression needs a value for every "
       "placeholder it uses"},
      {genre_in, too_many, {"u1", ""}, "filterValues: at most 25 entries, got 26"},
      {genre_in,
       {{"GEN-RE", "\"a\""}},
       {"u1", ""},
       "filterValues: key \"GEN-RE\" must match [A-Za-z0-9_]{1,50}"},
      {genre_in,
       {{std::string(51, 'G'), "\"a\""}},
       {"u1", ""},
       "filterValues: key \"" + std::string(51, 'G') + "\" must match [A-Za-z0-9_]{1,50}"},
      {genre_in,
       {{"GENRE", std::string(1001, 'a')}},
       {"u1", ""},
       "filterValues: GENRE: at most 1000 characters, got 1001"},
      {genre_in,
       {{"GENRE", "\"rock"}},
       {"u1", ""},
       "filterValues: GENRE: unterminated string at character 1"},
      {genre_in,
       {{"GENRE", "\"rock\",,\"pop\""}},
       {"u1", ""},
       "filterValues: GENRE: empty value at character 8"},
      {genre_in, {{"GENRE", ""}}, {"u1", ""}, "filterValues: GENRE: empty value at character 1"},
      {genre_in,
       {{"GENRE", "\"rock\" \"pop\""}},
       {"u1", ""},
       "filterValues: GENRE: expected , between values at character 8"},
      {price_lt,
       {{"MAX", "\"cheap\""}},
       {"u1", ""},
       "filterValues: MAX: expected one number for the comparison with PRICE, got \"\"cheap\"\""},
      {price_lt,
       {{"MAX", "1,2"}},
       {"u1", ""},
       "filterValues: MAX: expected one number for the comparison with PRICE, got \"1,2\""},
      {"INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE",
       {},
       {"u1", ""},
       "filter uses CurrentItem, which needs the itemId of a related-items recommendation"},
  };
  for (const BindErrorCase& c : cases) {
    INFO(c.expression);
    TableData data;
    auto parsed = ParseFilterExpression(c.expression);
    REQUIRE(parsed.ok());
    auto bound = BindFilter(*parsed, c.values, c.context, data);
    REQUIRE_FALSE(bound.ok());
    CHECK(bound.status().code() == Code::kInvalidInput);
    CHECK(bound.status().message() == c.message);
  }
}

TEST_CASE("Binding reads the user's interactions once; candidates cost only their own lookups") {
  TableData data;
  auto parsed = ParseFilterExpression(
      "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\") OR Interactions.EVENT_TYPE IN "
      "(\"stream\") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\") IF CurrentUser.AGE "
      "> 99");
  REQUIRE(parsed.ok());
  auto bound = BindFilter(*parsed, {}, {"u1", ""}, data);
  REQUIRE(bound.ok());
  CHECK(data.interaction_scans == 1);
  for (int round = 0; round < 100; ++round) {
    CHECK_FALSE(bound->Keep("i1"));
    CHECK(bound->Keep("i2"));
  }
  CHECK(data.interaction_scans == 1);
  CHECK(data.item_lookups == 0);  // an interactions filter never reads item metadata

  auto items = ParseFilterExpression("INCLUDE ItemID WHERE Items.GENRE IN (\"pop\")");
  REQUIRE(items.ok());
  auto by_genre = BindFilter(*items, {}, {"u1", ""}, data);
  REQUIRE(by_genre.ok());
  CHECK(data.interaction_scans == 1);  // nor an items filter the interactions
  CHECK(by_genre->Keep("i3"));
  CHECK(data.item_lookups == 1);
}

TEST_CASE("A bound filter sees item metadata as it is when asked, not as it was at binding") {
  TableData data;
  auto parsed = ParseFilterExpression("EXCLUDE ItemID WHERE Items.GENRE IN (\"jazz\")");
  REQUIRE(parsed.ok());
  auto bound = BindFilter(*parsed, {}, {"u1", ""}, data);
  REQUIRE(bound.ok());
  CHECK(bound->Keep("i1"));
  data.items["i1"]["GENRE"] = "rock|jazz";  // a PutItems between two candidates
  CHECK_FALSE(bound->Keep("i1"));
}

}  // namespace
}  // namespace meshsim::fakes::personalize
