// aws-sims: "SIMS identifies the co-occurrence of the item in user histories in your Interaction
// dataset to recommend similar items" and "In the absence of sufficient user behavior data for
// an item, this recipe recommends popular items" (Developer Guide, native-recipe-sims.md).
//
// Hyperparameters, from that page's table:
//   popularity_discount_factor  Float [0.0, 1.0], default 0.5: "a value of 0 makes the most
//     popular items appear as recommendations regardless of their correlation. A value of 1
//     makes most items that have co-interactions ... appear ... regardless of their popularity".
//   min_cointeraction_count  Integer [0, 10], default 3: "a value of 3 means that you need three
//     or more users who interacted with both items".
//   min/max_user_history_length_percentile  Float [0.0, 1.0], defaults 0.005 / 0.995: users
//     outside them are left out of training (see BuildHistories for the tie rule).
//   min/max_item_interaction_count_percentile  Float [0.0, 1.0], defaults 0.01 / 0.9: accepted
//     and validated but not applied: leaving the most interacted tenth of the catalog out of
//     training would make the fake's related items worse, not more faithful in any way a
//     simulation can check.
//
// The model: co(i, j) = the users who have both i and j among their last kHistoryCap distinct
// items (a cap that bounds training at ~kHistoryCap^2 adds per user); a pair below
// max(min_cointeraction_count, 1) is dropped; score(i, j) = co(i, j) / users(j)^discount, so
// at 0 the co-count (popular items win), at 1 the share of j's users who also have i. Each item
// keeps its best kNeighbours.
//
// Recommend for a user (RELATED_ITEMS has no user query at AWS; `meshsim eval` scores it per
// user): the neighbours of the user's kSeeds most recent items, the k-th most recent weighing
// kSeedDecay^k, summed (see neighbour_model.cc).
#include <cmath>

#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

constexpr size_t kSeeds = 20;
constexpr double kSeedDecay = 0.9;

constexpr HyperparameterSpec kHyperparameters[] = {
    {"popularity_discount_factor", ValueType::kFloat, 0.5, 0, 1},
    {"min_cointeraction_count", ValueType::kInteger, 3, 0, 10},
    {"min_user_history_length_percentile", ValueType::kFloat, 0.005, 0, 1},
    {"max_user_history_length_percentile", ValueType::kFloat, 0.995, 0, 1},
    {"min_item_interaction_count_percentile", ValueType::kFloat, 0.01, 0, 1},
    {"max_item_interaction_count_percentile", ValueType::kFloat, 0.9, 0, 1},
};

std::unique_ptr<Model> Train(const HyperparameterValues& hp, const TrainingData& data) {
  const UserHistories h = BuildHistories(data, hp.Get("min_user_history_length_percentile"),
                                         hp.Get("max_user_history_length_percentile"));
  std::vector<uint32_t> users = DistinctUsers(h, data.item_count);
  const ItemOccurrences occ = BuildOccurrences(h, data.item_count, kHistoryCap);
  const double discount = hp.Get("popularity_discount_factor");
  std::vector<float> discounted(data.item_count, 0.0f);  // users(j)^-discount
  for (size_t j = 0; j < data.item_count; ++j) {
    if (users[j] > 0) discounted[j] = static_cast<float>(std::pow(users[j], -discount));
  }
  const float min_co = std::max<float>(1, static_cast<float>(hp.Get("min_cointeraction_count")));
  NeighbourTable table = BuildNeighbours(
      data.item_count, kNeighbours,
      [&](uint32_t item, ScoreScratch& scratch) {
        for (uint32_t e = occ.offsets[item]; e < occ.offsets[item + 1]; ++e) {
          for (uint32_t other : Capped(h, occ.users[e], kHistoryCap)) scratch.Add(other, 1);
        }
      },
      [&](uint32_t, uint32_t other, float co) {
        return co < min_co ? 0.0 : static_cast<double>(co) * discounted[other];
      });
  NeighbourQueryOptions options;
  options.seeds = kSeeds;
  options.seed_decay = kSeedDecay;
  return MakeNeighbourModel(std::move(table), std::move(users), std::move(options));
}

}  // namespace

const RecipeDefinition& SimsRecipe() {
  static const RecipeDefinition kRecipe = {
      {"aws-sims", RecipeType::kRelatedItems}, kHyperparameters, &Train, nullptr};
  return kRecipe;
}

}  // namespace meshsim::fakes::personalize::internal
