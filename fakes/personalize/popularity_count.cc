// aws-popularity-count: "recommends the most popular items based on all of your user behavioral
// data. The most popular items have the most interactions with unique users. The recipe returns
// the same popular items for all users." ... "Popularity-Count has no exposed hyperparameters."
// (Developer Guide, native-recipe-popularity.md). A score is the item's distinct users over the
// most popular item's, so the top item scores 1.
#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

std::unique_ptr<Model> Train(const HyperparameterValues&, const TrainingData& data) {
  const std::vector<uint32_t> users = DistinctUsers(BuildHistories(data, 0, 1), data.item_count);
  const std::vector<uint32_t> order = ByCountDescending(users);
  std::vector<ScoredItem> list;
  for (uint32_t item : order) {
    list.push_back({item, static_cast<double>(users[item]) / users[order.front()]});
  }
  return MakeRankedListModel(std::move(list), data.item_count);
}

}  // namespace

const RecipeDefinition& PopularityCountRecipe() {
  static const RecipeDefinition kRecipe = {
      {"aws-popularity-count", RecipeType::kUserPersonalization}, {}, &Train, nullptr};
  return kRecipe;
}

}  // namespace meshsim::fakes::personalize::internal
