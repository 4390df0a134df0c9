// Applies a parsed filter (filter_expression.h) to candidate items. Binding happens once per
// GetRecommendations call: placeholders are filled from filterValues into sets, the user's
// interactions are gathered, the CurrentItem's values and the IF conditions on CurrentUser are
// read. Keep() then asks only the candidate's own attributes, with no allocation, so a
// recommender can filter hundreds of candidates a call.
//
// Semantics, as AWS documents them:
// - Chained expressions are combined, not applied in turn: "Include A | Include B" keeps A or B,
//   "Include A | Exclude B" keeps A minus B, and the order does not matter
//   (multiple-expression-example.html). With no INCLUDE, every item not excluded is kept.
// - A categorical item field holds several values separated by '|': IN matches when any of them
//   is in the list, NOT IN when none is (so an item without the field is NOT IN anything).
//   Values match exactly; only event types ignore case (filter-expression-guidelines).
// - Interactions.EVENT_TYPE IN (...) matches the items the user interacted with under one of
//   those event types; "*" matches any event type.
// - Comparisons test numbers; a field that is missing or not a number matches no comparison.
// - An expression whose IF conditions fail for the current user (or that has no user) does not
//   take part in the chain at all: it neither restricts nor excludes.
// - Placeholders: "For filter expressions that use an INCLUDE element ..., you must provide values
//   for all parameters that are defined in the expression. For filters with expressions that use
//   an EXCLUDE element ..., you can omit the filter-values. In this case, Amazon Personalize
//   doesn't use that portion of the expression" (GetRecommendations, filterValues). So a missing
//   value is InvalidInputException for an INCLUDE expression, and drops the conditions that use it
//   from an EXCLUDE expression; an EXCLUDE left with no WHERE condition excludes nothing.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fakes/personalize/filter_expression.h"
#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

// GetRecommendations' filterValues: placeholder name (without '$', in matching case) to its
// values, each a quoted string and several separated by commas: {"GENRE": "\"rock\",\"pop\""}.
// A bare value (20, rock) is taken as written. botocore's limits: at most 25 entries, names
// [A-Za-z0-9_]{1,50}, values up to 1,000 characters. Entries the filter does not use are ignored.
using FilterValues = std::map<std::string, std::string>;
inline constexpr size_t kMaxFilterValues = 25;
inline constexpr size_t kMaxFilterValueNameLength = 50;
inline constexpr size_t kMaxFilterValueLength = 1000;

// What a filter reads of the dataset group. Abstract so the in-process recommender serves it from
// its own tables and tests from a literal table; implementations are not required to be
// thread-safe, since a BoundFilter is used by one call.
class FilterData {
 public:
  virtual ~FilterData() = default;
  // The item's value of `field` as imported (a categorical field's values joined by '|'), or
  // nullptr when the item or the field is unknown. Valid until the next call on this object.
  virtual const std::string* ItemAttribute(const std::string& item_id,
                                           const std::string& field) const = 0;
  // The same for the Users dataset.
  virtual const std::string* UserAttribute(const std::string& user_id,
                                           const std::string& field) const = 0;
  // Calls `visit` with each interaction of the user that filters consider. AWS bounds these (the
  // most recent 100 per user and event type, per "Filter expressions"); the implementation picks
  // its window.
  virtual void ForEachInteraction(
      const std::string& user_id,
      const std::function<void(const std::string& item_id, const std::string& event_type)>& visit)
      const = 0;
};

// The request a filter is bound to.
struct FilterContext {
  std::string user_id;  // empty when the request names no user
  // GetRecommendations' itemId in a related-items request; empty otherwise. Required by a filter
  // that uses CurrentItem ("only if your domain use case or custom recipe generates related items
  // recommendations").
  std::string current_item_id;
};

// A filter bound to one request. REQUIRES: the FilterData it was bound to outlives it.
class BoundFilter {
 public:
  // True when `item_id` stays in the recommendations.
  bool Keep(const std::string& item_id) const;

  // One compiled condition. Public only so the .cc's helpers can build them.
  struct Test {
    enum class Kind { kIn, kInteracted, kCompare, kNever };
    Kind kind = Kind::kNever;
    bool negate = false;  // NOT IN
    std::string field;
    std::set<std::string, std::less<>> values;  // kIn: the list; kInteracted: the item ids
    FilterOp op = FilterOp::kEq;                // kCompare
    double number = 0;                          // kCompare
  };
  struct Clause {
    bool include = false;
    std::vector<std::vector<Test>> where;  // OR of AND-groups; none empty
  };

 private:
  friend Result<BoundFilter> BindFilter(const FilterExpression& filter, const FilterValues& values,
                                        const FilterContext& context, const FilterData& data);
  bool Matches(const Test& test, const std::string& item_id) const;

  const FilterData* data_ = nullptr;
  std::vector<Clause> clauses_;  // only the expressions that take part in this request
};

// `filter` bound to `context`, or InvalidInputException for filterValues out of botocore's
// limits, a value that does not parse (an unclosed quote, an empty entry, a comparison's value
// that is not one number), a placeholder missing from an INCLUDE expression, or a CurrentItem
// filter without a current item.
Result<BoundFilter> BindFilter(const FilterExpression& filter, const FilterValues& values,
                               const FilterContext& context, const FilterData& data);

}  // namespace meshsim::fakes::personalize
