// The flat arrays the recipes train from, and the selection every query ends with.
#include <algorithm>
#include <cassert>

#include "fakes/personalize/recipe_internal.h"

namespace meshsim::fakes::personalize::internal {

void HyperparameterValues::Set(std::string_view name, double value) {
  for (auto& [n, v] : values_) {
    if (n == name) {
      v = value;
      return;
    }
  }
  values_.emplace_back(name, value);
}

double HyperparameterValues::Get(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  assert(false && "hyperparameter not declared by the recipe");
  return 0;
}

namespace {

// By user: whether the user's history length lies within the percentiles (BuildHistories).
std::vector<bool> WithinPercentiles(std::span<const uint32_t> lengths, double min_percentile,
                                    double max_percentile) {
  std::vector<uint32_t> sorted;
  for (uint32_t n : lengths) {
    if (n > 0) sorted.push_back(n);
  }
  std::sort(sorted.begin(), sorted.end());
  const double users = static_cast<double>(sorted.size());
  // A hair of slack so 1 - 0.99 still counts one user in a hundred.
  constexpr double kSlack = 1e-9;
  std::vector<bool> keep(lengths.size(), false);
  for (size_t u = 0; u < lengths.size(); ++u) {
    const uint32_t n = lengths[u];
    if (n == 0) continue;
    const auto at_most = std::upper_bound(sorted.begin(), sorted.end(), n) - sorted.begin();
    const auto at_least = sorted.end() - std::lower_bound(sorted.begin(), sorted.end(), n);
    const bool short_tail = static_cast<double>(at_most) / users <= min_percentile + kSlack;
    const bool long_tail = static_cast<double>(at_least) / users <= 1 - max_percentile + kSlack;
    keep[u] = !short_tail && !long_tail;
  }
  return keep;
}

}  // namespace

UserHistories BuildHistories(const TrainingData& data, double min_percentile,
                             double max_percentile) {
  const size_t users = data.user_count;
  std::vector<uint32_t> lengths(users, 0);
  for (const Interaction& i : data.interactions) ++lengths[i.user];
  const std::vector<bool> keep = WithinPercentiles(lengths, min_percentile, max_percentile);

  // Counting sort by user; stable, so each user's interactions stay oldest first.
  UserHistories h;
  h.offsets.assign(users + 1, 0);
  for (size_t u = 0; u < users; ++u) h.offsets[u + 1] = h.offsets[u] + (keep[u] ? lengths[u] : 0);
  h.items.resize(h.offsets[users]);
  h.last_seen.resize(h.offsets[users]);
  std::vector<uint32_t> next(h.offsets.begin(), h.offsets.end() - 1);
  for (const Interaction& i : data.interactions) {
    if (!keep[i.user]) continue;
    const uint32_t at = next[i.user]++;
    h.items[at] = i.item;
    h.last_seen[at] = i.timestamp;
  }

  // Distinct items, each at its last interaction: walk each user's newest first, keep the first
  // sighting, then write them back oldest first. In place: a user's distinct items never
  // outnumber its interactions, so the write position never passes the read position.
  std::vector<uint32_t> seen_by(data.item_count, kUnknownId);
  std::vector<std::pair<uint32_t, int64_t>> distinct;
  uint32_t write = 0;
  for (uint32_t u = 0; u < users; ++u) {
    const uint32_t begin = h.offsets[u];
    const uint32_t end = h.offsets[u + 1];
    distinct.clear();
    for (uint32_t k = end; k-- > begin;) {
      if (seen_by[h.items[k]] == u) continue;
      seen_by[h.items[k]] = u;
      distinct.emplace_back(h.items[k], h.last_seen[k]);
    }
    h.offsets[u] = write;
    for (auto it = distinct.rbegin(); it != distinct.rend(); ++it, ++write) {
      h.items[write] = it->first;
      h.last_seen[write] = it->second;
    }
  }
  h.offsets[users] = write;
  h.items.resize(write);
  h.items.shrink_to_fit();
  h.last_seen.resize(write);
  h.last_seen.shrink_to_fit();
  return h;
}

std::vector<uint32_t> DistinctUsers(const UserHistories& histories, size_t item_count) {
  std::vector<uint32_t> counts(item_count, 0);
  for (uint32_t item : histories.items) ++counts[item];
  return counts;
}

std::vector<uint32_t> ByCountDescending(std::span<const uint32_t> counts) {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return counts[a] > counts[b] || (counts[a] == counts[b] && a < b);
  });
  return order;
}

ItemOccurrences BuildOccurrences(const UserHistories& histories, size_t item_count, size_t cap) {
  ItemOccurrences occ;
  occ.offsets.assign(item_count + 1, 0);
  const uint32_t users = static_cast<uint32_t>(histories.offsets.size() - 1);
  for (uint32_t u = 0; u < users; ++u) {
    for (uint32_t item : Capped(histories, u, cap)) ++occ.offsets[item + 1];
  }
  for (size_t i = 0; i < item_count; ++i) occ.offsets[i + 1] += occ.offsets[i];
  occ.users.resize(occ.offsets[item_count]);
  occ.positions.resize(occ.offsets[item_count]);
  std::vector<uint32_t> next(occ.offsets.begin(), occ.offsets.end() - 1);
  for (uint32_t u = 0; u < users; ++u) {
    const std::span<const uint32_t> items = Capped(histories, u, cap);
    for (uint32_t p = 0; p < items.size(); ++p) {
      const uint32_t at = next[items[p]]++;
      occ.users[at] = u;
      occ.positions[at] = p;
    }
  }
  return occ;
}

void AppendBest(std::vector<ScoredItem>& candidates, size_t want, KeepItem keep,
                std::vector<ScoredItem>& out) {
  const size_t goal = out.size() + std::min(want, candidates.size());
  size_t done = 0;
  size_t round = std::max<size_t>(want, 1);
  while (out.size() < goal && done < candidates.size()) {
    const size_t upto = std::min(candidates.size(), done + round);
    const auto first = candidates.begin() + static_cast<ptrdiff_t>(done);
    const auto last = candidates.begin() + static_cast<ptrdiff_t>(upto);
    if (upto < candidates.size()) std::nth_element(first, last, candidates.end(), Better);
    std::sort(first, last, Better);
    for (auto it = first; it != last && out.size() < goal; ++it) {
      if (keep(it->item)) out.push_back(*it);
    }
    done = upto;
    round *= 2;  // what keep refused is replaced from a larger slice next round
  }
}

void ScoreScratch::AppendBest(size_t want, KeepItem keep, double low, double high,
                              std::vector<ScoredItem>& out) {
  candidates_.clear();
  double top = 0;
  for (uint32_t item : touched_) {
    candidates_.push_back({item, score_[item]});
    top = std::max(top, static_cast<double>(score_[item]));
  }
  const size_t start = out.size();
  internal::AppendBest(candidates_, want, keep, out);
  for (size_t k = start; k < out.size(); ++k)
    out[k].score = low + (high - low) * out[k].score / top;
}

void ScoreScratch::Clear() {
  for (uint32_t item : touched_) score_[item] = 0.0f;
  touched_.clear();
}

size_t ScoreScratch::MemoryBytes() const {
  return score_.capacity() * sizeof(float) + touched_.capacity() * sizeof(uint32_t) +
         candidates_.capacity() * sizeof(ScoredItem);
}

size_t NeighbourTable::MemoryBytes() const {
  return offsets.capacity() * sizeof(uint32_t) + ids.capacity() * sizeof(uint32_t) +
         scores.capacity() * sizeof(float);
}

}  // namespace meshsim::fakes::personalize::internal
