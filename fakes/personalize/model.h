// What a trained solution version is to the data plane: a Model built by a recipe from a dataset
// group's data, queried by GetRecommendations and GetPersonalizedRanking. Everything is in dense
// ids (0, 1, 2, ... in first-seen order, assigned by the dataset group's tables), so a query never
// hashes a string.
//
// A model is immutable once trained: what changes between trainings comes in with the query. The
// data plane keeps each user's live history (training data plus the PutEvents since), so a
// recipe that answers in real time (aws-user-personalization) reads it from UserQuery::recent,
// and one that changes only when retrained (aws-popularity-count, aws-sims) ignores it. New items
// and trends reach a model through the data plane's retraining (automatic updates, refreshes),
// never through the model itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

inline constexpr uint32_t kUnknownId = std::numeric_limits<uint32_t>::max();
inline constexpr int64_t kNoTimestamp = std::numeric_limits<int64_t>::min();

// A non-owning reference to a callable, cheap to pass by value (absl::FunctionRef's idea):
// the filter test a query calls for each candidate, without std::function's allocation.
template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(const F& f)  // NOLINT: implicit, as a lambda argument
      : object_(&f), call_([](const void* o, Args... args) -> R {
          return (*static_cast<const F*>(o))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  const void* object_;
  R (*call_)(const void*, Args...);
};

// One interaction as a trainer sees it.
struct Interaction {
  uint32_t user = 0;
  uint32_t item = 0;
  int64_t timestamp = 0;    // Unix seconds, as Personalize stores it
  uint32_t event_type = 0;  // index into TrainingData::event_types
  float event_value = std::numeric_limits<float>::quiet_NaN();  // NaN when absent
};

// What a recipe trains on: a dataset group's data at the moment a training starts, already
// filtered by the solution's eventType (and eventValueThreshold).
struct TrainingData {
  size_t user_count = 0;  // every user id is below this
  size_t item_count = 0;  // every item id is below this
  // Oldest first (by timestamp; equal timestamps in arrival order).
  std::span<const Interaction> interactions;
  std::span<const std::string> event_types;
  // By item id: the Items dataset's CREATION_TIMESTAMP in Unix seconds, kNoTimestamp when the
  // item has none; empty when there is no Items dataset. Cold start and exploration read it.
  std::span<const int64_t> item_creation;
  // The time the training runs at, Unix seconds: the "now" that item ages and trends count from.
  int64_t now = 0;
};

// solutionConfig.algorithmHyperParameters: names to values, both strings as the API passes them.
// aws-trending-now's one setting, `trend_discovery_frequency`, which AWS takes in
// solutionConfig.featureTransformationParameters, comes in this map too.
using Hyperparameters = std::map<std::string, std::string>;

struct ScoredItem {
  uint32_t item = 0;
  double score = 0;
  bool operator==(const ScoredItem&) const = default;
};

// Whether an item may be returned: the request's filter, and the items a recipe must not repeat.
using KeepItem = FunctionRef<bool(uint32_t item)>;

struct UserQuery {
  uint32_t user = kUnknownId;  // kUnknownId: a user the dataset group has never seen
  // The user's distinct items, most recent last: as of training, then every PutEvents since.
  // At most the data plane's history window (the most recent few hundred).
  std::span<const uint32_t> recent;
  size_t want = 25;  // numResults
  int64_t now = 0;   // Unix seconds at the query
};

class Model {
 public:
  virtual ~Model() = default;

  // USER_PERSONALIZATION: appends up to `query.want` items that `keep` accepts, best first,
  // ties by the lower item id. Scores are in (0, 1].
  virtual void Recommend(const UserQuery& query, KeepItem keep,
                         std::vector<ScoredItem>& out) const = 0;

  // RELATED_ITEMS: appends up to `want` items related to `item` (kUnknownId or an item the model
  // never saw: the recipe's fallback, e.g. popular items), best first, ties by the lower id.
  virtual void Related(uint32_t item, size_t want, KeepItem keep,
                       std::vector<ScoredItem>& out) const = 0;

  // PERSONALIZED_RANKING (and any recipe asked to rank): scores[i] for items[i]; items the model
  // never saw score 0, so they go last.
  virtual void Rank(const UserQuery& query, std::span<const uint32_t> items,
                    std::vector<double>& scores) const = 0;

  // Bytes held, for the memory report.
  virtual size_t MemoryBytes() const = 0;
};

// The recipes meshsim implements, by name ("aws-user-personalization", ...).
enum class RecipeType { kUserPersonalization, kRelatedItems, kPersonalizedRanking };

struct RecipeInfo {
  std::string_view name;
  RecipeType type;
};

// Every implemented recipe, in name order.
std::span<const RecipeInfo> ImplementedRecipes();

// CreateSolution's check of the recipe's algorithmHyperParameters: InvalidInputException naming
// the hyperparameter for an unknown name, a value that does not parse, or one out of range; for a
// recipe meshsim does not implement, InvalidInputException naming it.
Status ValidateHyperparameters(std::string_view recipe, const Hyperparameters& hyperparameters);

// How often the data plane retrains a campaign's model on the dataset group's current data, in
// seconds of the simulation clock; 0 for a recipe that changes only when a user retrains it.
// aws-user-personalization's automatic update (every 2 hours, bringing new items in) and
// aws-trending-now's refresh of its trends (its own interval) are the ones AWS documents.
int64_t AutomaticUpdateSeconds(std::string_view recipe, const Hyperparameters& hyperparameters);

// Trains `recipe` on `data`. `previous` is the solution's last ACTIVE model when the training is
// an UPDATE (trainingMode UPDATE or an automatic update), null for a FULL training; a recipe may
// reuse what did not change. REQUIRES: ValidateHyperparameters(recipe, hyperparameters) is ok.
Result<std::unique_ptr<Model>> TrainModel(std::string_view recipe,
                                          const Hyperparameters& hyperparameters,
                                          const TrainingData& data, const Model* previous);

}  // namespace meshsim::fakes::personalize
