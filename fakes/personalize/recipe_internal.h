// What the recipes share behind model.h: a recipe's definition (its hyperparameters and trainer),
// users' histories and item popularity in flat arrays, each item's neighbour table, and the
// scratch a query scores into. Private to fakes/personalize: the data plane sees only model.h.
//
// Everything is laid out for the target scale (100k users, 100k items, 10M interactions):
// counting sorts instead of maps, one dense score array per model instead of a hash map per query.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/personalize/model.h"

namespace meshsim::fakes::personalize::internal {

// ---- Hyperparameters ----

enum class ValueType { kInteger, kFloat, kBoolean, kChoice };

// One allowed text of a kChoice hyperparameter and the number it stands for.
struct Choice {
  std::string_view text;
  double value = 0;
};

// One hyperparameter a recipe accepts, as AWS's Developer Guide lists it. min/max are inclusive;
// a kBoolean is 0 or 1.
struct HyperparameterSpec {
  std::string_view name;
  ValueType type = ValueType::kFloat;
  double default_value = 0;
  double min = 0;
  double max = 0;
  std::span<const Choice> choices = {};
};

// A recipe's hyperparameters after validation: every one it declares, defaults filled in.
class HyperparameterValues {
 public:
  void Set(std::string_view name, double value);
  // REQUIRES: `name` is declared by the recipe (Set was called for it).
  double Get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, double>> values_;
};

struct RecipeDefinition {
  RecipeInfo info;
  std::span<const HyperparameterSpec> hyperparameters;
  std::unique_ptr<Model> (*train)(const HyperparameterValues&, const TrainingData&) = nullptr;
  // AutomaticUpdateSeconds; null for a recipe that changes only when retrained.
  int64_t (*update_seconds)(const HyperparameterValues&) = nullptr;
  // trainingMode UPDATE and the automatic updates, from the solution's last model; null: a full
  // training. (AWS: an update brings new items in for exploration without a full retraining.)
  std::unique_ptr<Model> (*update)(const HyperparameterValues&, const TrainingData&,
                                   const Model& previous) = nullptr;
};

// One file per recipe defines its own.
const RecipeDefinition& PersonalizedRankingRecipe();
const RecipeDefinition& PopularityCountRecipe();
const RecipeDefinition& SimsRecipe();
const RecipeDefinition& TrendingNowRecipe();
const RecipeDefinition& UserPersonalizationRecipe();

// aws-user-personalization's training (user_personalization.cc), which aws-personalized-ranking
// shares without exploration, and the hyperparameters they share.
std::unique_ptr<Model> TrainSequenceModel(const HyperparameterValues& hp, const TrainingData& data,
                                          bool explore);
std::span<const HyperparameterSpec> SequenceHyperparameters();

// ---- Training data in flat arrays ----

// The co-occurrence recipes read each user's last kHistoryCap distinct items (training costs
// ~kHistoryCap^2 adds a user at most) and keep each item's best kNeighbours (a query's cost and
// the model's size: 8 bytes a neighbour).
inline constexpr size_t kHistoryCap = 50;
inline constexpr size_t kNeighbours = 64;

// Each user's distinct items, most recent last (ordered by the user's last interaction with
// each), user u's at [offsets[u], offsets[u + 1]) of `items` and `last_seen`.
struct UserHistories {
  std::vector<uint32_t> offsets;   // user_count + 1
  std::vector<uint32_t> items;     //
  std::vector<int64_t> last_seen;  // by entry: the user's last interaction with the item
  std::span<const uint32_t> Of(uint32_t user) const {
    return {items.data() + offsets[user], items.data() + offsets[user + 1]};
  }
};

// Histories of the users whose history length (their interaction count) lies within the
// percentiles, the others left empty ("left out of training"). A user is left out below when
// every user as short or shorter makes at most `min_percentile` of the users, above when every
// user as long or longer makes at most 1 - `max_percentile`: users of one length stay together,
// so 0 and 1 keep everyone and a small dataset is not cut by the 0.995 default.
UserHistories BuildHistories(const TrainingData& data, double min_percentile,
                             double max_percentile);

// By item: how many distinct users of `histories` interacted with it.
std::vector<uint32_t> DistinctUsers(const UserHistories& histories, size_t item_count);

// The items with a count above zero, most first, ties by the lower id.
std::vector<uint32_t> ByCountDescending(std::span<const uint32_t> counts);

// Item -> the users whose (capped) history holds it, with the item's position there: the
// inverted index the co-occurrence count walks. Each user's last `cap` items only.
struct ItemOccurrences {
  std::vector<uint32_t> offsets;  // item_count + 1
  std::vector<uint32_t> users;
  std::vector<uint32_t> positions;  // within the user's capped history, 0 = oldest kept
};
ItemOccurrences BuildOccurrences(const UserHistories& histories, size_t item_count, size_t cap);

// The last `cap` items of a user's history (what BuildOccurrences indexed).
inline std::span<const uint32_t> Capped(const UserHistories& h, uint32_t user, size_t cap) {
  std::span<const uint32_t> all = h.Of(user);
  return all.size() <= cap ? all : all.last(cap);
}

// ---- Query-time scoring ----

// True when `a` goes before `b`: higher score, ties by the lower id.
inline bool Better(const ScoredItem& a, const ScoredItem& b) {
  return a.score > b.score || (a.score == b.score && a.item < b.item);
}

// Appends to `out`, best first, the best of `candidates` that `keep` accepts until `out` holds
// `want`. Selects in rounds (nth_element, then sorts only what it returns), so asking for 25 of
// 3,000 candidates sorts 25, not 3,000. Reorders `candidates`.
void AppendBest(std::vector<ScoredItem>& candidates, size_t want, KeepItem keep,
                std::vector<ScoredItem>& out);

// A dense score per item plus the list of items touched, so a query adds in O(1) and clears in
// O(touched) without hashing. Owned by a model and reused by every query: a model is queried from
// the simulation's single thread, so a const query may use it (not thread-safe).
class ScoreScratch {
 public:
  explicit ScoreScratch(size_t item_count) : score_(item_count, 0.0f) {}
  // REQUIRES: weight > 0, item < item_count.
  void Add(uint32_t item, float weight) {
    if (score_[item] == 0.0f) touched_.push_back(item);
    score_[item] += weight;
  }
  float Get(uint32_t item) const { return item < score_.size() ? score_[item] : 0.0f; }
  std::span<const uint32_t> touched() const { return touched_; }
  // AppendBest over the touched items, their scores mapped onto (low, high] with the best at
  // `high`. Selects on the raw sums and maps only what it appends (the map is monotonic).
  void AppendBest(size_t want, KeepItem keep, double low, double high,
                  std::vector<ScoredItem>& out);
  void Clear();
  size_t MemoryBytes() const;

 private:
  std::vector<float> score_;
  std::vector<uint32_t> touched_;
  std::vector<ScoredItem> candidates_;
};

// Each item's best neighbours, best first, item i's at [offsets[i], offsets[i + 1]); the best of
// each item scores 1 and every score is in (0, 1].
struct NeighbourTable {
  std::vector<uint32_t> offsets;  // item_count + 1
  std::vector<uint32_t> ids;
  std::vector<float> scores;
  size_t item_count() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  size_t MemoryBytes() const;
};

// Builds the table item by item: `accumulate(item, scratch)` adds each candidate's raw weight,
// `score(item, candidate, raw)` turns it into the ranking score (<= 0 drops the candidate).
template <typename Accumulate, typename Score>
NeighbourTable BuildNeighbours(size_t item_count, size_t max_neighbours, Accumulate accumulate,
                               Score score) {
  NeighbourTable table;
  table.offsets.reserve(item_count + 1);
  table.offsets.push_back(0);
  ScoreScratch scratch(item_count);
  std::vector<ScoredItem> candidates;
  std::vector<ScoredItem> best;
  for (uint32_t item = 0; item < item_count; ++item) {
    accumulate(item, scratch);
    candidates.clear();
    for (uint32_t other : scratch.touched()) {
      if (other == item) continue;
      const double s = score(item, other, scratch.Get(other));
      if (s > 0) candidates.push_back({other, s});
    }
    scratch.Clear();
    best.clear();
    AppendBest(
        candidates, max_neighbours, [](uint32_t) { return true; }, best);
    const double top = best.empty() ? 1.0 : best.front().score;
    for (const ScoredItem& b : best) {
      table.ids.push_back(b.item);
      // Floored so a tiny but real neighbour keeps a score above 0.
      table.scores.push_back(
          std::max(static_cast<float>(b.score / top), std::numeric_limits<float>::min()));
    }
    table.offsets.push_back(static_cast<uint32_t>(table.ids.size()));
  }
  return table;
}

// ---- The two model shapes every recipe is made of ----

// A list that is the same for every user (aws-popularity-count, aws-trending-now). `list` is
// best first with scores in (0, 1]; Rank reads an item's score from it, 0 for one not listed.
std::unique_ptr<Model> MakeRankedListModel(std::vector<ScoredItem> list, size_t item_count);

// How a neighbour model answers a user (aws-sims, aws-user-personalization,
// aws-personalized-ranking).
struct NeighbourQueryOptions {
  size_t seeds = 20;      // how many of the user's most recent items a query reads
  double seed_decay = 1;  // the k-th most recent (k = 0 the latest) weighs seed_decay^k
  // Exploration (aws-user-personalization): this share of each list goes to
  // `exploration_items` (new, little-seen items, most deserving first), after the relevant ones.
  double exploration_weight = 0;
  std::vector<uint32_t> exploration_items;
};

// Scores a user's candidates as the neighbours of their recent items, summed with the seed
// weights; popular items fill a list the neighbours cannot. `popularity` is DistinctUsers.
std::unique_ptr<Model> MakeNeighbourModel(NeighbourTable neighbours,
                                          std::vector<uint32_t> popularity,
                                          NeighbourQueryOptions options);

// `previous`'s neighbour table, unchanged (items new since it was built have no neighbours), with
// new popularity and query options; null when `previous` is not a neighbour model.
std::unique_ptr<Model> ExtendNeighbourModel(const Model& previous, std::vector<uint32_t> popularity,
                                            NeighbourQueryOptions options);

}  // namespace meshsim::fakes::personalize::internal
