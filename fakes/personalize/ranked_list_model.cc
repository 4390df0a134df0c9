// A model whose answer is one list for every user: aws-popularity-count and aws-trending-now.
// What they rank changes only when the data plane retrains them.
#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {
namespace {

class RankedListModel : public Model {
 public:
  RankedListModel(std::vector<ScoredItem> list, size_t item_count)
      : list_(std::move(list)), score_of_(item_count, 0.0) {
    for (const ScoredItem& s : list_) score_of_[s.item] = s.score;
  }

  void Recommend(const UserQuery& query, KeepItem keep,
                 std::vector<ScoredItem>& out) const override {
    Walk(kUnknownId, query.want, keep, out);
  }

  // The same list, without the item asked about: these recipes know no item-to-item relation.
  void Related(uint32_t item, size_t want, KeepItem keep,
               std::vector<ScoredItem>& out) const override {
    Walk(item, want, keep, out);
  }

  void Rank(const UserQuery&, std::span<const uint32_t> items,
            std::vector<double>& scores) const override {
    scores.clear();
    for (uint32_t item : items) scores.push_back(item < score_of_.size() ? score_of_[item] : 0.0);
  }

  size_t MemoryBytes() const override {
    return sizeof(*this) + list_.capacity() * sizeof(ScoredItem) +
           score_of_.capacity() * sizeof(double);
  }

 private:
  void Walk(uint32_t skip, size_t want, KeepItem keep, std::vector<ScoredItem>& out) const {
    size_t added = 0;
    for (const ScoredItem& s : list_) {
      if (added == want) break;
      if (s.item == skip || !keep(s.item)) continue;
      out.push_back(s);
      ++added;
    }
  }

  std::vector<ScoredItem> list_;  // best first
  std::vector<double> score_of_;  // by item; 0 for one not in the list
};

}  // namespace

std::unique_ptr<Model> MakeRankedListModel(std::vector<ScoredItem> list, size_t item_count) {
  return std::make_unique<RankedListModel>(std::move(list), item_count);
}

}  // namespace meshsim::fakes::personalize::internal
