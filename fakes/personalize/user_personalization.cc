// aws-user-personalization: "predicts the items that a user will most likely interact with",
// with real-time personalization, exploration of new items, and automatic updates: "Amazon
// Personalize automatically updates the latest model (solution version) every two hours to
// include new data" (Developer Guide, native-recipe-new-item-USER_PERSONALIZATION.md).
//
// Hyperparameters, from that page's table (aws-personalized-ranking takes the first five, the
// same names, ranges and defaults: native-recipe-search.md):
//   hidden_dimension  Integer [32, 256], default 149: accepted, no effect (no latent factors).
//   bptt  Integer [2, 32], default 32: how far a sequence connects; here both the distance in a
//     user's history over which items count as co-occurring and how many recent items a query
//     reads.
//   recency_mask  Boolean, default True: "To train a model that places more weight on recent
//     events, set recency_mask to true": a pair's weight halves every half of the data's time
//     span, and a query weighs its k-th most recent item 0.85^k (False: all equal).
//   min/max_user_history_length_percentile  Float [0.0, 1.0], defaults 0.0 / 0.99.
//   exploration_weight  Float [0.0, 1.0], default 0.3: "The closer the value is to 1.0, the more
//     exploration. At zero, no exploration occurs".
//   exploration_item_age_cut_off  Float, days, default 30.0, "The minimum is 1 day": "the maximum
//     item age in days since the latest interaction across all items ... based on its creation
//     timestamp or, if creation timestamp data is missing, item interaction data".
//
// The model, trained: in each user's last kHistoryCap distinct items, a pair d <= bptt places
// apart adds (the recency weight of the later one) / d; score(i, j) = that sum / sqrt(users(j))
// (a fixed popularity discount); each item keeps its best kNeighbours. Exploration: the items
// no older than the cut-off with fewer than kColdUsers users, fewest users first, then newest;
// each list gives round(numResults * exploration_weight) places to them, after the relevant
// items (neighbour_model.cc). Queried: see neighbour_model.cc.
#include <algorithm>
#include <cmath>
#include <limits>

#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

constexpr double kSeedDecay = 0.85;
constexpr uint32_t kColdUsers = 5;
constexpr double kSecondsPerDay = 86400;
constexpr double kUnbounded = std::numeric_limits<double>::infinity();

constexpr HyperparameterSpec kHyperparameters[] = {
    {"hidden_dimension", ValueType::kInteger, 149, 32, 256},
    {"bptt", ValueType::kInteger, 32, 2, 32},
    {"recency_mask", ValueType::kBoolean, 1, 0, 1},
    {"min_user_history_length_percentile", ValueType::kFloat, 0.0, 0, 1},
    {"max_user_history_length_percentile", ValueType::kFloat, 0.99, 0, 1},
    // aws-user-personalization only:
    {"exploration_weight", ValueType::kFloat, 0.3, 0, 1},
    {"exploration_item_age_cut_off", ValueType::kFloat, 30.0, 1, kUnbounded},
};

// By history entry: how much an interaction at that time counts.
std::vector<float> RecencyWeights(const UserHistories& h, const TrainingData& data, bool mask) {
  std::vector<float> w(h.items.size(), 1.0f);
  if (!mask || data.interactions.empty()) return w;
  const int64_t newest = data.interactions.back().timestamp;
  const int64_t oldest = data.interactions.front().timestamp;
  const double half_life = std::max<double>(1, static_cast<double>(newest - oldest) / 2);
  for (size_t e = 0; e < w.size(); ++e) {
    w[e] = static_cast<float>(std::exp2(-static_cast<double>(newest - h.last_seen[e]) / half_life));
  }
  return w;
}

std::vector<uint32_t> ExplorationItems(const TrainingData& data, std::span<const uint32_t> users,
                                       double cut_off_days) {
  std::vector<int64_t> born(data.item_count, kNoTimestamp);
  for (const Interaction& i : data.interactions) {  // oldest first: the first sets it
    if (born[i.item] == kNoTimestamp) born[i.item] = i.timestamp;
  }
  for (size_t i = 0; i < data.item_creation.size() && i < data.item_count; ++i) {
    if (data.item_creation[i] != kNoTimestamp) born[i] = data.item_creation[i];
  }
  const int64_t latest = data.interactions.empty() ? data.now : data.interactions.back().timestamp;
  std::vector<uint32_t> items;
  for (uint32_t i = 0; i < data.item_count; ++i) {
    if (born[i] == kNoTimestamp || users[i] >= kColdUsers) continue;
    if (static_cast<double>(latest - born[i]) <= cut_off_days * kSecondsPerDay) items.push_back(i);
  }
  std::sort(items.begin(), items.end(), [&](uint32_t a, uint32_t b) {
    if (users[a] != users[b]) return users[a] < users[b];
    if (born[a] != born[b]) return born[a] > born[b];
    return a < b;
  });
  return items;
}

std::unique_ptr<Model> TrainUserPersonalization(const HyperparameterValues& hp,
                                                const TrainingData& data) {
  return TrainSequenceModel(hp, data, /*explore=*/true);
}

NeighbourQueryOptions QueryOptions(const HyperparameterValues& hp, const TrainingData& data,
                                   const std::vector<uint32_t>& users, bool explore);

// "Amazon Personalize automatically updates your latest solution version ... to include new
// items in recommendations with exploration", without a full retraining: the neighbour table
// stays as trained; popularity and the exploration items come from the current data.
std::unique_ptr<Model> UpdateUserPersonalization(const HyperparameterValues& hp,
                                                 const TrainingData& data, const Model& previous) {
  const UserHistories h = BuildHistories(data, hp.Get("min_user_history_length_percentile"),
                                         hp.Get("max_user_history_length_percentile"));
  std::vector<uint32_t> users = DistinctUsers(h, data.item_count);
  NeighbourQueryOptions options = QueryOptions(hp, data, users, /*explore=*/true);
  std::unique_ptr<Model> updated =
      ExtendNeighbourModel(previous, std::move(users), std::move(options));
  return updated ? std::move(updated) : TrainUserPersonalization(hp, data);
}

NeighbourQueryOptions QueryOptions(const HyperparameterValues& hp, const TrainingData& data,
                                   const std::vector<uint32_t>& users, bool explore) {
  NeighbourQueryOptions options;
  options.seeds = static_cast<uint32_t>(hp.Get("bptt"));
  options.seed_decay = hp.Get("recency_mask") != 0 ? kSeedDecay : 1.0;
  if (explore) {
    options.exploration_weight = hp.Get("exploration_weight");
    if (options.exploration_weight > 0) {
      options.exploration_items =
          ExplorationItems(data, users, hp.Get("exploration_item_age_cut_off"));
    }
  }
  return options;
}

}  // namespace

std::unique_ptr<Model> TrainSequenceModel(const HyperparameterValues& hp, const TrainingData& data,
                                          bool explore) {
  const UserHistories h = BuildHistories(data, hp.Get("min_user_history_length_percentile"),
                                         hp.Get("max_user_history_length_percentile"));
  std::vector<uint32_t> users = DistinctUsers(h, data.item_count);
  const ItemOccurrences occ = BuildOccurrences(h, data.item_count, kHistoryCap);
  const bool recency_mask = hp.Get("recency_mask") != 0;
  const std::vector<float> recency = RecencyWeights(h, data, recency_mask);
  const auto bptt = static_cast<uint32_t>(hp.Get("bptt"));
  std::vector<float> discounted(data.item_count, 0.0f);  // 1 / sqrt(users(j))
  for (size_t j = 0; j < data.item_count; ++j) {
    if (users[j] > 0) discounted[j] = 1.0f / std::sqrt(static_cast<float>(users[j]));
  }
  std::vector<float> inverse(bptt + 1, 0.0f);  // 1 / distance, without a division a pair
  for (uint32_t d = 1; d <= bptt; ++d) inverse[d] = 1.0f / static_cast<float>(d);
  NeighbourTable table = BuildNeighbours(
      data.item_count, kNeighbours,
      [&](uint32_t item, ScoreScratch& scratch) {
        for (uint32_t e = occ.offsets[item]; e < occ.offsets[item + 1]; ++e) {
          const uint32_t user = occ.users[e];
          const std::span<const uint32_t> items = Capped(h, user, kHistoryCap);
          const size_t first_entry = h.offsets[user + 1] - items.size();
          const uint32_t p = occ.positions[e];
          const uint32_t from = p > bptt ? p - bptt : 0;
          const uint32_t to = std::min<uint32_t>(static_cast<uint32_t>(items.size()), p + bptt + 1);
          // Before p the later one is p itself; after it, q.
          const float at_p = recency[first_entry + p];
          for (uint32_t q = from; q < p; ++q) scratch.Add(items[q], at_p * inverse[p - q]);
          for (uint32_t q = p + 1; q < to; ++q) {
            scratch.Add(items[q], recency[first_entry + q] * inverse[q - p]);
          }
        }
      },
      [&](uint32_t, uint32_t other, float weight) {
        return static_cast<double>(weight) * discounted[other];
      });
  NeighbourQueryOptions options = QueryOptions(hp, data, users, explore);
  return MakeNeighbourModel(std::move(table), std::move(users), std::move(options));
}

std::span<const HyperparameterSpec> SequenceHyperparameters() {
  return std::span<const HyperparameterSpec>(kHyperparameters).first(5);
}

const RecipeDefinition& UserPersonalizationRecipe() {
  static const RecipeDefinition kRecipe = {
      {"aws-user-personalization", RecipeType::kUserPersonalization},
      kHyperparameters,
      &TrainUserPersonalization,
      [](const HyperparameterValues&) -> int64_t { return 2 * 3600; },
      &UpdateUserPersonalization};
  return kRecipe;
}

}  // namespace meshsim::fakes::personalize::internal
