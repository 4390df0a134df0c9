#include "fakes/personalize/filter_evaluator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "sim/text/ascii.h"

namespace meshsim::fakes::personalize {
namespace {

using Test = BoundFilter::Test;

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

bool ParseNumber(std::string_view s, double* out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, *out);
  return !s.empty() && ec == std::errc() && p == end;
}

bool Compare(FilterOp op, double a, double b) {
  switch (op) {
    case FilterOp::kEq:
      return a == b;
    case FilterOp::kNe:
      return a != b;
    case FilterOp::kLt:
      return a < b;
    case FilterOp::kLe:
      return a <= b;
    case FilterOp::kGt:
      return a > b;
    case FilterOp::kGe:
      return a >= b;
    case FilterOp::kIn:
    case FilterOp::kNotIn:
      break;
  }
  return false;
}

// Calls `f` with each '|'-separated value of a categorical field until it returns true.
template <typename F>
bool AnyValue(std::string_view joined, F f) {
  while (true) {
    const size_t bar = joined.find('|');
    if (f(joined.substr(0, bar))) return true;
    if (bar == std::string_view::npos) return false;
    joined.remove_prefix(bar + 1);
  }
}

// An IN, NOT IN or comparison test of one stored value (nullptr: the field is missing).
bool TestValue(const Test& test, const std::string* value) {
  switch (test.kind) {
    case Test::Kind::kIn: {
      const bool hit = value != nullptr && AnyValue(*value, [&](std::string_view v) {
                         return test.values.find(v) != test.values.end();
                       });
      return hit != test.negate;
    }
    case Test::Kind::kCompare: {
      double v;
      return value != nullptr && ParseNumber(*value, &v) && Compare(test.op, v, test.number);
    }
    case Test::Kind::kInteracted:
    case Test::Kind::kNever:
      break;
  }
  return false;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// One filterValues entry, "\"a\",\"b\"", as its values (quoted ones unescaped, bare ones trimmed).
Status SplitValues(const std::string& name, const std::string& raw, std::vector<std::string>* out) {
  auto fail = [&](const std::string& what, size_t at) {
    return Invalid("filterValues: " + name + ": " + what + " at character " +
                   std::to_string(at + 1));
  };
  auto skip_spaces = [&](size_t i) {
    while (i < raw.size() && std::isspace(static_cast<unsigned char>(raw[i]))) ++i;
    return i;
  };
  size_t i = 0;
  while (true) {
    i = skip_spaces(i);
    const size_t start = i;
    std::string value;
    if (i < raw.size() && raw[i] == '"') {
      for (++i; i < raw.size() && raw[i] != '"'; ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
        value += raw[i];
      }
      if (i == raw.size()) return fail("unterminated string", start);
      i = skip_spaces(i + 1);
    } else {
      const size_t comma = std::min(raw.find(',', i), raw.size());
      value = Trim(std::string_view(raw).substr(i, comma - i));
      if (value.empty()) return fail("empty value", start);
      i = comma;
    }
    out->push_back(std::move(value));
    if (i == raw.size()) return Status::Ok();
    if (raw[i] != ',') return fail("expected , between values", i);
    ++i;
  }
}

Status CheckLimits(const FilterValues& values) {
  if (values.size() > kMaxFilterValues) {
    return Invalid("filterValues: at most " + std::to_string(kMaxFilterValues) + " entries, got " +
                   std::to_string(values.size()));
  }
  for (const auto& [name, value] : values) {
    const bool name_ok = !name.empty() && name.size() <= kMaxFilterValueNameLength &&
                         std::all_of(name.begin(), name.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                         });
    if (!name_ok) {
      return Invalid("filterValues: key \"" + name + "\" must match [A-Za-z0-9_]{1,50}");
    }
    if (value.size() > kMaxFilterValueLength) {
      return Invalid("filterValues: " + name + ": at most " +
                     std::to_string(kMaxFilterValueLength) + " characters, got " +
                     std::to_string(value.size()));
    }
  }
  return Status::Ok();
}

class Binder {
 public:
  Binder(const FilterValues& values, const FilterContext& context, const FilterData& data)
      : values_(values), context_(context), data_(data) {}

  // The clause as it applies to this request, or nullopt when it takes no part: its IF conditions
  // fail, or all its WHERE conditions were dropped for missing placeholders.
  Result<std::optional<BoundFilter::Clause>> Bind(const FilterClause& clause) {
    for (const FilterCondition& c : clause.if_conditions) {
      Test test;
      Result<bool> used = Compile(c, clause.include, &test);
      if (!used.ok()) return used.status();
      if (!*used) continue;
      const std::string* value =
          context_.user_id.empty() ? nullptr : data_.UserAttribute(context_.user_id, c.field);
      if (!TestValue(test, value)) return std::optional<BoundFilter::Clause>();
    }
    BoundFilter::Clause out;
    out.include = clause.include;
    for (const auto& group : clause.where) {
      std::vector<Test> tests;
      for (const FilterCondition& c : group) {
        Test test;
        Result<bool> used = Compile(c, clause.include, &test);
        if (!used.ok()) return used.status();
        if (*used) tests.push_back(std::move(test));
      }
      if (!tests.empty()) out.where.push_back(std::move(tests));
    }
    if (out.where.empty()) return std::optional<BoundFilter::Clause>();
    return std::optional<BoundFilter::Clause>(std::move(out));
  }

 private:
  // `c` as a test; false when it uses a placeholder that filterValues leaves out (an EXCLUDE
  // expression then does without it).
  Result<bool> Compile(const FilterCondition& c, bool include, Test* test) {
    std::vector<std::string> param_values;
    for (const std::string& p : c.params) {
      auto it = values_.find(p);
      if (it == values_.end()) {
        if (!include) return false;
        return Invalid("filterValues: no value for $" + p +
                       "; an INCLUDE expression needs a value for every placeholder it uses");
      }
      if (Status s = SplitValues(p, it->second, &param_values); !s.ok()) return s;
    }
    test->field = c.field;
    if (c.op == FilterOp::kIn || c.op == FilterOp::kNotIn) {
      test->kind = Test::Kind::kIn;
      test->negate = c.op == FilterOp::kNotIn;
      if (c.current_item_field) {
        if (const std::string* v = CurrentItem(*c.current_item_field)) {
          AnyValue(*v, [&](std::string_view one) { return test->values.emplace(one), false; });
        }
      } else if (c.dataset == FilterDataset::kInteractions) {
        CompileInteracted(c.values, param_values, test);
      } else {
        test->values.insert(c.values.begin(), c.values.end());
        test->values.insert(param_values.begin(), param_values.end());
      }
      return true;
    }
    test->kind = Test::Kind::kCompare;
    test->op = c.op;
    if (c.number) {
      test->number = *c.number;
    } else if (c.current_item_field) {
      const std::string* v = CurrentItem(*c.current_item_field);
      if (v == nullptr || !ParseNumber(*v, &test->number)) test->kind = Test::Kind::kNever;
    } else if (param_values.size() != 1 || !ParseNumber(param_values[0], &test->number)) {
      return Invalid("filterValues: " + c.params[0] + ": expected one number for the comparison " +
                     "with " + c.field + ", got \"" + values_.at(c.params[0]) + "\"");
    }
    return true;
  }

  // The items the user interacted with under one of the event types (case-insensitively; "*"
  // for any), gathered once per condition from one pass over the user's interactions.
  void CompileInteracted(const std::vector<std::string>& literals,
                         const std::vector<std::string>& params, Test* test) {
    test->kind = Test::Kind::kInteracted;
    std::set<std::string, std::less<>> types;
    for (const auto* list : {&literals, &params}) {
      for (const std::string& t : *list) types.insert(AsciiLower(t));
    }
    const bool any = types.count("*") > 0;
    for (const auto& [item, type] : Interactions()) {
      if (any || types.count(type) > 0) test->values.insert(item);
    }
  }

  // The user's (item id, lower-cased event type) pairs, read on first use.
  const std::vector<std::pair<std::string, std::string>>& Interactions() {
    if (!interactions_) {
      interactions_.emplace();
      if (!context_.user_id.empty()) {
        data_.ForEachInteraction(context_.user_id,
                                 [&](const std::string& item, const std::string& type) {
                                   interactions_->emplace_back(item, AsciiLower(type));
                                 });
      }
    }
    return *interactions_;
  }

  const std::string* CurrentItem(const std::string& field) const {
    return data_.ItemAttribute(context_.current_item_id, field);
  }

  const FilterValues& values_;
  const FilterContext& context_;
  const FilterData& data_;
  std::optional<std::vector<std::pair<std::string, std::string>>> interactions_;
};

}  // namespace

Result<BoundFilter> BindFilter(const FilterExpression& filter, const FilterValues& values,
                               const FilterContext& context, const FilterData& data) {
  if (Status s = CheckLimits(values); !s.ok()) return s;
  if (filter.uses_current_item && context.current_item_id.empty()) {
    return Invalid(
        "filter uses CurrentItem, which needs the itemId of a related-items recommendation");
  }
  BoundFilter bound;
  bound.data_ = &data;
  Binder binder(values, context, data);
  for (const FilterClause& clause : filter.clauses) {
    auto bound_clause = binder.Bind(clause);
    if (!bound_clause.ok()) return bound_clause.status();
    if (*bound_clause) bound.clauses_.push_back(std::move(**bound_clause));
  }
  return bound;
}

bool BoundFilter::Matches(const Test& test, const std::string& item_id) const {
  switch (test.kind) {
    case Test::Kind::kInteracted:
      return test.values.find(item_id) != test.values.end();
    case Test::Kind::kNever:
      return false;
    case Test::Kind::kIn:
    case Test::Kind::kCompare:
      break;
  }
  return TestValue(test, data_->ItemAttribute(item_id, test.field));
}

bool BoundFilter::Keep(const std::string& item_id) const {
  bool restricted = false;  // some INCLUDE takes part
  bool included = false;
  for (const Clause& clause : clauses_) {
    if (clause.include && included) continue;  // the union already holds it
    const bool match = std::any_of(clause.where.begin(), clause.where.end(), [&](const auto& g) {
      return std::all_of(g.begin(), g.end(), [&](const Test& t) { return Matches(t, item_id); });
    });
    if (!clause.include && match) return false;
    restricted = restricted || clause.include;
    included = included || match;
  }
  return !restricted || included;
}

}  // namespace meshsim::fakes::personalize
