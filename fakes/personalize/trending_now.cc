// aws-trending-now: "identifies the top trending items by calculating the increase in
// interactions that each item has over configurable intervals of time. The items with highest
// rate of increase are considered trending items." Its one setting is the Trend discovery
// frequency, featureTransformationParameters' `trend_discovery_frequency`: "Possible values: 30
// minutes, 1 hour, 2 hours, 3 hours, and 1 day", default 2 hours when CreateSolution gives none;
// "For any parameter values that are greater than 2 hours, Amazon Personalize automatically
// refreshes the trending item recommendations every 2 hours" (Developer Guide,
// native-recipe-trending-now.md). The contract has one map of hyperparameters, so the data plane
// passes it there; the older page's spellings ("30 min", "1h", "3h") are accepted too.
//
// The model: with T the frequency and `now` the training time, each item's interactions in
// (now - T, now] against those in (now - 2T, now - T]. An item trends when it gained, by how
// many standard deviations of a Poisson count its gain is: (current - previous) /
// sqrt(previous + 1). That ranks a rise from 0 to 10 above a steadily popular item's noise
// (100 to 105) and above a single new interaction. Trending items score in (0.5, 1]; the rest
// follow by distinct users in (0, 0.5], which is all there is when the last two intervals are
// empty ("Amazon Personalize will recommend only popular items").
#include <algorithm>
#include <cmath>

#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

constexpr int64_t kTwoHours = 2 * 3600;

constexpr Choice kFrequencies[] = {
    {"30 minutes", 1800}, {"1 hour", 3600}, {"2 hours", 7200}, {"3 hours", 10800}, {"1 day", 86400},
    {"30 min", 1800},     {"1h", 3600},     {"2h", 7200},      {"3h", 10800},
};

constexpr HyperparameterSpec kHyperparameters[] = {
    {"trend_discovery_frequency", ValueType::kChoice, kTwoHours, 0, 0, kFrequencies},
};

std::unique_ptr<Model> Train(const HyperparameterValues& hp, const TrainingData& data) {
  const auto interval = static_cast<int64_t>(hp.Get("trend_discovery_frequency"));
  std::vector<uint32_t> current(data.item_count, 0);
  std::vector<uint32_t> previous(data.item_count, 0);
  for (const Interaction& i : data.interactions) {
    const int64_t age = data.now - i.timestamp;
    if (age < 0) continue;
    if (age < interval) {
      ++current[i.item];
    } else if (age < 2 * interval) {
      ++previous[i.item];
    }
  }
  std::vector<ScoredItem> trending;
  for (uint32_t item = 0; item < data.item_count; ++item) {
    if (current[item] <= previous[item]) continue;
    const double gain = static_cast<double>(current[item] - previous[item]);
    trending.push_back({item, gain / std::sqrt(previous[item] + 1.0)});
  }
  std::sort(trending.begin(), trending.end(), Better);
  std::vector<ScoredItem> list;
  for (const ScoredItem& t : trending) {
    list.push_back({t.item, 0.5 + 0.5 * t.score / trending.front().score});
  }
  const std::vector<uint32_t> users = DistinctUsers(BuildHistories(data, 0, 1), data.item_count);
  const std::vector<uint32_t> popular = ByCountDescending(users);
  for (uint32_t item : popular) {
    if (current[item] > previous[item]) continue;  // listed above
    list.push_back({item, 0.5 * users[item] / users[popular.front()]});
  }
  return MakeRankedListModel(std::move(list), data.item_count);
}

int64_t UpdateSeconds(const HyperparameterValues& hp) {
  return std::min(static_cast<int64_t>(hp.Get("trend_discovery_frequency")), kTwoHours);
}

}  // namespace

const RecipeDefinition& TrendingNowRecipe() {
  static const RecipeDefinition kRecipe = {{"aws-trending-now", RecipeType::kUserPersonalization},
                                           kHyperparameters,
                                           &Train,
                                           &UpdateSeconds};
  return kRecipe;
}

}  // namespace meshsim::fakes::personalize::internal
