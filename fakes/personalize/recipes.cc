// The recipe registry behind model.h: which recipes exist, the check of their hyperparameters,
// their automatic-update interval, and training.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "fakes/personalize/model.h"
#include "fakes/personalize/recipe_internal.h"
#include "sim/text/ascii.h"

namespace meshsim::fakes::personalize {

using internal::HyperparameterSpec;
using internal::HyperparameterValues;
using internal::RecipeDefinition;
using internal::ValueType;

namespace {

// In name order, as ImplementedRecipes promises.
const std::array<const RecipeDefinition*, 5>& Definitions() {
  static const std::array<const RecipeDefinition*, 5> kDefinitions = {
      &internal::PersonalizedRankingRecipe(), &internal::PopularityCountRecipe(),
      &internal::SimsRecipe(), &internal::TrendingNowRecipe(),
      &internal::UserPersonalizationRecipe()};
  return kDefinitions;
}

const RecipeDefinition* Find(std::string_view recipe) {
  for (const RecipeDefinition* d : Definitions()) {
    if (d->info.name == recipe) return d;
  }
  return nullptr;
}

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The value of `text` for `spec`, or why it is not one. `where` names the hyperparameter.
Result<double> ParseValue(const HyperparameterSpec& spec, const std::string& text,
                          const std::string& where) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  double value = 0;
  switch (spec.type) {
    case ValueType::kInteger: {
      int64_t n = 0;
      const auto [ptr, ec] = std::from_chars(begin, end, n);
      if (ec != std::errc() || ptr != end || text.empty()) {
        return Invalid(where + ": '" + text + "' is not an integer");
      }
      value = static_cast<double>(n);
      break;
    }
    case ValueType::kFloat: {
      const auto [ptr, ec] = std::from_chars(begin, end, value);
      if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(value)) {
        return Invalid(where + ": '" + text + "' is not a number");
      }
      break;
    }
    case ValueType::kBoolean:
      if (EqualsIgnoreAsciiCase(text, "true")) return 1.0;
      if (EqualsIgnoreAsciiCase(text, "false")) return 0.0;
      return Invalid(where + ": '" + text + "' is not true or false");
    case ValueType::kChoice: {
      std::string allowed;
      for (const internal::Choice& c : spec.choices) {
        if (EqualsIgnoreAsciiCase(text, c.text)) return c.value;
        allowed.append(allowed.empty() ? "'" : ", '").append(c.text).append("'");
      }
      return Invalid(where + ": '" + text + "' is not one of " + allowed);
    }
  }
  if (value < spec.min || value > spec.max) {
    std::string range;
    if (std::isinf(spec.max)) {
      range.append("at least ").append(Number(spec.min));
    } else {
      range.append("[").append(Number(spec.min)).append(", ").append(Number(spec.max)).append("]");
    }
    return Invalid(where + ": " + text + " is out of range (" + range + ")");
  }
  return value;
}

Result<HyperparameterValues> Parse(const RecipeDefinition& d, const Hyperparameters& given) {
  HyperparameterValues values;
  for (const HyperparameterSpec& spec : d.hyperparameters)
    values.Set(spec.name, spec.default_value);
  for (const auto& entry : given) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& name = entry.first;
    const std::string& text = entry.second;
    const auto spec = std::find_if(d.hyperparameters.begin(), d.hyperparameters.end(),
                                   [&](const HyperparameterSpec& s) { return s.name == name; });
    const std::string where = "hyperparameter " + name + " of recipe " + std::string(d.info.name);
    if (spec == d.hyperparameters.end()) {
      return Invalid(where + " is not one the recipe accepts");
    }
    Result<double> value = ParseValue(*spec, text, where);
    if (!value.ok()) return value.status();
    values.Set(spec->name, *value);
  }
  // The percentile pairs AWS documents must leave some users (and items) in.
  for (const char* kind : {"user_history_length", "item_interaction_count"}) {
    const std::string min = "min_" + std::string(kind) + "_percentile";
    const std::string max = "max_" + std::string(kind) + "_percentile";
    const bool declared = std::any_of(d.hyperparameters.begin(), d.hyperparameters.end(),
                                      [&](const HyperparameterSpec& s) { return s.name == min; });
    if (declared && values.Get(min) > values.Get(max)) {
      return Invalid("hyperparameter " + min + " of recipe " + std::string(d.info.name) +
                     " is above " + max);
    }
  }
  return values;
}

}  // namespace

std::span<const RecipeInfo> ImplementedRecipes() {
  static const std::vector<RecipeInfo> kInfos = [] {
    std::vector<RecipeInfo> infos;
    for (const RecipeDefinition* d : Definitions()) infos.push_back(d->info);
    return infos;
  }();
  return kInfos;
}

Status ValidateHyperparameters(std::string_view recipe, const Hyperparameters& hyperparameters) {
  const RecipeDefinition* d = Find(recipe);
  if (d == nullptr) return Invalid("recipe " + std::string(recipe) + " is not implemented");
  Result<HyperparameterValues> values = Parse(*d, hyperparameters);
  return values.ok() ? Status::Ok() : values.status();
}

int64_t AutomaticUpdateSeconds(std::string_view recipe, const Hyperparameters& hyperparameters) {
  const RecipeDefinition* d = Find(recipe);
  if (d == nullptr || d->update_seconds == nullptr) return 0;
  Result<HyperparameterValues> values = Parse(*d, hyperparameters);
  if (!values.ok()) values = Parse(*d, {});  // a solution that failed validation: the defaults
  return d->update_seconds(*values);
}

Result<std::unique_ptr<Model>> TrainModel(std::string_view recipe,
                                          const Hyperparameters& hyperparameters,
                                          const TrainingData& data, const Model* previous) {
  const RecipeDefinition* d = Find(recipe);
  if (d == nullptr) return Invalid("recipe " + std::string(recipe) + " is not implemented");
  Result<HyperparameterValues> values = Parse(*d, hyperparameters);
  if (!values.ok()) return values.status();
  for (const Interaction& i : data.interactions) {
    if (i.user >= data.user_count || i.item >= data.item_count) {
      return Status(Code::kInternal,
                    "an interaction's user or item id is beyond TrainingData's counts");
    }
  }
  if (previous != nullptr && d->update != nullptr) return d->update(*values, data, *previous);
  return d->train(*values, data);
}

}  // namespace meshsim::fakes::personalize
