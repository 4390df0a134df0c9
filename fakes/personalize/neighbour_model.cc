// The model aws-sims, aws-user-personalization and aws-personalized-ranking share: a table of
// each item's neighbours, queried with the user's most recent items.
//
// A query adds, for each of the user's `seeds` most recent items known to the model (the k-th
// most recent weighing seed_decay^k), that weight times each neighbour's score into a dense
// scratch array; the touched items are the candidates. So a user's next PutEvents changes the
// very next answer. Scores: the neighbours of the seeds in (0.5, 1] (the best at 1), popular
// items that fill a list the neighbours cannot in (0, 0.5] by distinct users, then the
// exploration picks below the last of those. The model recommends what the user already has
// like AWS does: `keep` (the filter, the items the data plane must not repeat) decides.
//
// Cost of a Recommend of 25 with 32 seeds (decay 0.85) and 64 neighbours: ~600 adds (an older
// seed reads fewer neighbours), an nth_element over the touched items, and a sort of 25.
#include <cmath>
#include <memory>

#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

constexpr uint32_t kMinNeighboursRead = 8;

class NeighbourModel : public Model {
 public:
  NeighbourModel(std::shared_ptr<const NeighbourTable> neighbours, std::vector<uint32_t> popularity,
                 NeighbourQueryOptions options)
      : table_(std::move(neighbours)),
        neighbours_(*table_),
        popularity_(std::move(popularity)),
        popular_(ByCountDescending(popularity_)),
        options_(std::move(options)),
        scratch_(popularity_.size()) {}

  void Recommend(const UserQuery& query, KeepItem keep,
                 std::vector<ScoredItem>& out) const override {
    const size_t start = out.size();
    ScoreSeeds(query.recent);
    PickExploration(query.user, query.want, keep);
    const auto keep_unpicked = [&](uint32_t item) {
      return keep(item) && std::find(picks_.begin(), picks_.end(), item) == picks_.end();
    };
    const size_t relevant = query.want - picks_.size();
    scratch_.AppendBest(relevant, keep_unpicked, 0.5, 1.0, out);
    FillPopular(kUnknownId, start + relevant, keep_unpicked, out);
    double score = out.size() > start ? out.back().score : 0.5;
    for (uint32_t item : picks_) {
      score *= 0.9;  // below the relevant ones, in the order they were picked
      out.push_back({item, score});
    }
    scratch_.Clear();
  }

  void Related(uint32_t item, size_t want, KeepItem keep,
               std::vector<ScoredItem>& out) const override {
    const size_t start = out.size();
    const uint32_t seed[] = {item};
    ScoreSeeds(seed);
    scratch_.AppendBest(want, keep, 0.5, 1.0, out);
    FillPopular(item, start + want, keep, out);
    scratch_.Clear();
  }

  void Rank(const UserQuery& query, std::span<const uint32_t> items,
            std::vector<double>& scores) const override {
    ScoreSeeds(query.recent);
    float top = 0;
    for (uint32_t item : items) top = std::max(top, scratch_.Get(item));
    scores.clear();
    for (uint32_t item : items) {
      const float s = scratch_.Get(item);
      if (s > 0) {
        scores.push_back(0.5 + 0.5 * s / top);
      } else {
        scores.push_back(item < popularity_.size() ? PopularScore(item) : 0.0);
      }
    }
    scratch_.Clear();
  }

  // The table, for an update that keeps it.
  const std::shared_ptr<const NeighbourTable>& table() const { return table_; }

  size_t MemoryBytes() const override {
    return sizeof(*this) + neighbours_.MemoryBytes() +  // shared with updates, counted by each
           (popularity_.capacity() + popular_.capacity() + options_.exploration_items.capacity() +
            picks_.capacity()) *
               sizeof(uint32_t) +
           scratch_.MemoryBytes();
  }

 private:
  void ScoreSeeds(std::span<const uint32_t> recent) const {
    const size_t n = std::min(recent.size(), options_.seeds);
    float weight = 1;
    for (size_t k = 0; k < n; ++k, weight *= static_cast<float>(options_.seed_decay)) {
      const uint32_t seed = recent[recent.size() - 1 - k];
      if (seed >= neighbours_.item_count()) continue;  // new since training
      // An older seed reads only its best neighbours, in proportion to its weight: what it
      // would add further down is below what the newer seeds add, and it would cost as much.
      const uint32_t begin = neighbours_.offsets[seed];
      const uint32_t all = neighbours_.offsets[seed + 1] - begin;
      const auto read = std::min<uint32_t>(
          all,
          std::max<uint32_t>(kMinNeighboursRead, static_cast<uint32_t>(std::ceil(all * weight))));
      for (uint32_t e = begin; e < begin + read; ++e) {
        scratch_.Add(neighbours_.ids[e], weight * neighbours_.scores[e]);
      }
    }
  }

  // round(want * exploration_weight) of the exploration items that are not already relevant,
  // starting at a place of the list that depends on the user, so different users explore
  // different items (deterministically: no random numbers).
  void PickExploration(uint32_t user, size_t want, KeepItem keep) const {
    picks_.clear();
    const std::vector<uint32_t>& items = options_.exploration_items;
    const auto share = static_cast<size_t>(std::llround(want * options_.exploration_weight));
    if (items.empty() || share == 0) return;
    const size_t offset = user == kUnknownId ? 0 : (uint64_t{user} * 2654435761u) % items.size();
    for (size_t k = 0; k < items.size() && picks_.size() < std::min(share, want); ++k) {
      const uint32_t item = items[(offset + k) % items.size()];
      if (scratch_.Get(item) > 0 || !keep(item)) continue;
      picks_.push_back(item);
    }
  }

  template <typename Keep>
  void FillPopular(uint32_t skip, size_t until, const Keep& keep,
                   std::vector<ScoredItem>& out) const {
    for (uint32_t item : popular_) {
      if (out.size() >= until) break;
      if (item == skip || scratch_.Get(item) > 0 || !keep(item)) continue;
      out.push_back({item, PopularScore(item)});
    }
  }

  double PopularScore(uint32_t item) const {
    return popularity_[item] == 0 ? 0.0 : 0.5 * popularity_[item] / popularity_[popular_[0]];
  }

  // Shared by the versions an UPDATE makes of this model, which keep the table as it is.
  std::shared_ptr<const NeighbourTable> table_;
  const NeighbourTable& neighbours_;
  std::vector<uint32_t> popularity_;  // by item: distinct users in training
  std::vector<uint32_t> popular_;     // items by popularity, most first
  NeighbourQueryOptions options_;
  // Per-query state, reused so a query does not allocate; see ScoreScratch on threads.
  mutable ScoreScratch scratch_;
  mutable std::vector<uint32_t> picks_;
};

}  // namespace

std::unique_ptr<Model> MakeNeighbourModel(NeighbourTable neighbours,
                                          std::vector<uint32_t> popularity,
                                          NeighbourQueryOptions options) {
  return std::make_unique<NeighbourModel>(
      std::make_shared<const NeighbourTable>(std::move(neighbours)), std::move(popularity),
      std::move(options));
}

std::unique_ptr<Model> ExtendNeighbourModel(const Model& previous, std::vector<uint32_t> popularity,
                                            NeighbourQueryOptions options) {
  const auto* model = dynamic_cast<const NeighbourModel*>(&previous);
  if (model == nullptr) return nullptr;
  return std::make_unique<NeighbourModel>(model->table(), std::move(popularity),
                                          std::move(options));
}

}  // namespace meshsim::fakes::personalize::internal
