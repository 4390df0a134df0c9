// aws-personalized-ranking: "generates personalized rankings ... a list of recommended items
// that are re-ranked for a specific user" (Developer Guide, native-recipe-search.md). Its
// hyperparameters are aws-user-personalization's without exploration (hidden_dimension, bptt,
// recency_mask, min/max_user_history_length_percentile, the same ranges and defaults), and so is
// its model: Rank scores each given item by the user's recent items' neighbours, popular items
// below them, and an item the model never saw 0, so it goes last. AWS does not update it
// automatically.
#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

std::unique_ptr<Model> Train(const HyperparameterValues& hp, const TrainingData& data) {
  return TrainSequenceModel(hp, data, /*explore=*/false);
}

}  // namespace

const RecipeDefinition& PersonalizedRankingRecipe() {
  static const RecipeDefinition kRecipe = {
      {"aws-personalized-ranking", RecipeType::kPersonalizedRanking},
      SequenceHyperparameters(),
      &Train,
      nullptr};
  return kRecipe;
}

}  // namespace meshsim::fakes::personalize::internal
