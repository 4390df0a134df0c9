#include "fakes/personalize/evaluation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numeric>
#include <unordered_set>

#include "sim/core/rng.h"

namespace meshsim::fakes::personalize {
namespace {

Status Invalid(const std::string& message) { return Status(Code::kValidation, message); }

// UserQuery::recent holds "at most the data plane's history window (the most recent few
// hundred)"; a test user's history is cut to it the same way.
constexpr size_t kHistoryWindow = 500;

// Python's round(): to the nearest integer, a half to the even one. python_stratified_split
// splits at round(ratio * n), so 0.75 of 2 rows trains on 2 and 0.75 of 6 on 4 (4.5 → 4).
size_t RoundHalfEven(double x) { return static_cast<size_t>(std::nearbyint(x)); }

// Fisher-Yates with the project's seeded generator, so a seed means the same split everywhere.
template <typename T>
void Shuffle(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
}

// Distinct items of `rows` (oldest first), most recent last: an item seen again moves to the end.
std::vector<uint32_t> History(const std::vector<const Interaction*>& rows) {
  std::vector<uint32_t> out;
  std::unordered_set<uint32_t> seen;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (seen.insert((*it)->item).second) out.push_back((*it)->item);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<uint32_t> Distinct(const std::vector<const Interaction*>& rows) {
  std::vector<uint32_t> out;
  for (const Interaction* e : rows) out.push_back(e->item);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Relevant(std::span<const uint32_t> relevant, uint32_t item) {
  return std::binary_search(relevant.begin(), relevant.end(), item);
}

size_t Hits(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant, size_t k) {
  size_t hits = 0;
  for (size_t i = 0; i < std::min(k, recommended.size()); ++i)
    hits += Relevant(relevant, recommended[i]);
  return hits;
}

std::string FormatRatio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ratio);
  return buf;
}

}  // namespace

Result<SplitSpec> ParseSplit(std::string_view text) {
  if (text == "personalize") return SplitSpec{SplitKind::kPersonalize, 0.9};
  const size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  SplitSpec spec;
  if (kind == "stratified") {
    spec.kind = SplitKind::kStratified;
  } else if (kind == "chronological") {
    spec.kind = SplitKind::kChronological;
  } else {
    return Invalid("--split must be personalize, stratified:RATIO or chronological:RATIO, got \"" +
                   std::string(text) + "\"");
  }
  const std::string ratio =
      colon == std::string_view::npos ? std::string() : std::string(text.substr(colon + 1));
  char* end = nullptr;
  spec.ratio = std::strtod(ratio.c_str(), &end);
  if (ratio.empty() || end != ratio.c_str() + ratio.size() || !(spec.ratio > 0) ||
      !(spec.ratio < 1)) {
    return Invalid("--split " + std::string(kind) +
                   ":RATIO needs a training share between 0 and 1 (exclusive), got \"" + ratio +
                   "\"");
  }
  return spec;
}

std::string SplitName(const SplitSpec& split) {
  switch (split.kind) {
    case SplitKind::kPersonalize:
      return "personalize";
    case SplitKind::kStratified:
      return "stratified:" + FormatRatio(split.ratio);
    case SplitKind::kChronological:
      return "chronological:" + FormatRatio(split.ratio);
  }
  return "";
}

Split SplitInteractions(const EvalDataset& data, const SplitSpec& spec, uint64_t seed) {
  Rng rng(seed);
  // Each user's interactions, oldest first (data.interactions is).
  std::vector<std::vector<const Interaction*>> by_user(data.user_ids.size());
  for (const Interaction& e : data.interactions) by_user[e.user].push_back(&e);

  Split split;
  std::vector<const Interaction*> train;
  if (spec.kind == SplitKind::kPersonalize) {
    std::vector<uint32_t> eligible;
    for (uint32_t u = 0; u < by_user.size(); ++u) {
      if (by_user[u].size() >= 2) eligible.push_back(u);
    }
    Shuffle(eligible, rng);
    const size_t test_count =
        eligible.empty()
            ? 0
            : std::max<size_t>(
                  1, RoundHalfEven((1 - spec.ratio) * static_cast<double>(eligible.size())));
    std::vector<bool> is_test(by_user.size(), false);
    for (size_t i = 0; i < test_count; ++i) is_test[eligible[i]] = true;
    for (uint32_t u = 0; u < by_user.size(); ++u) {
      const auto& rows = by_user[u];
      if (!is_test[u]) {
        train.insert(train.end(), rows.begin(), rows.end());
        continue;
      }
      const size_t held = std::min(
          rows.size() - 1,
          std::max<size_t>(1, RoundHalfEven((1 - spec.ratio) * static_cast<double>(rows.size()))));
      const std::vector<const Interaction*> input(rows.begin(), rows.end() - held);
      const std::vector<const Interaction*> newest(rows.end() - held, rows.end());
      split.test.push_back({kUnknownId, u, History(input), Distinct(newest)});
    }
  } else {
    split.remove_seen = true;
    for (uint32_t u = 0; u < by_user.size(); ++u) {
      std::vector<const Interaction*> rows = by_user[u];
      if (rows.empty()) continue;
      if (spec.kind == SplitKind::kStratified) Shuffle(rows, rng);
      const size_t keep =
          std::min(rows.size(), RoundHalfEven(spec.ratio * static_cast<double>(rows.size())));
      std::vector<const Interaction*> mine(rows.begin(),
                                           rows.begin() + static_cast<ptrdiff_t>(keep));
      const std::vector<const Interaction*> rest(rows.begin() + static_cast<ptrdiff_t>(keep),
                                                 rows.end());
      // Back to time order (pointers into one oldest-first array compare as the order).
      std::sort(mine.begin(), mine.end());
      train.insert(train.end(), mine.begin(), mine.end());
      if (!rest.empty()) split.test.push_back({u, u, History(mine), Distinct(rest)});
    }
  }
  std::sort(train.begin(), train.end());
  split.train.reserve(train.size());
  for (const Interaction* e : train) split.train.push_back(*e);
  return split;
}

namespace metrics {

double PrecisionAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                   size_t k) {
  return k == 0 ? 0 : static_cast<double>(Hits(recommended, relevant, k)) / static_cast<double>(k);
}

double RecallAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                size_t k) {
  return relevant.empty() ? 0
                          : static_cast<double>(Hits(recommended, relevant, k)) /
                                static_cast<double>(relevant.size());
}

double NdcgAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant, size_t k) {
  double dcg = 0, ideal = 0;
  for (size_t i = 0; i < std::min(k, recommended.size()); ++i) {
    if (Relevant(relevant, recommended[i])) dcg += 1 / std::log(2.0 + static_cast<double>(i));
  }
  for (size_t i = 0; i < std::min(k, relevant.size()); ++i) {
    ideal += 1 / std::log(2.0 + static_cast<double>(i));
  }
  return ideal == 0 ? 0 : dcg / ideal;
}

double ReciprocalRankAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                        size_t k) {
  for (size_t i = 0; i < std::min(k, recommended.size()); ++i) {
    if (Relevant(relevant, recommended[i])) return 1 / static_cast<double>(i + 1);
  }
  return 0;
}

// map_at_k as recommenders defines it since it kept `map` apart (python_evaluation.py: the
// reciprocal-rank sum over min(actual, k), after Spark's RankingMetrics.meanAveragePrecisionAt);
// earlier releases divided by the number of relevant items however large, which is now `map`.
double AveragePrecisionAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                          size_t k) {
  const size_t denominator = std::min(k, relevant.size());
  if (denominator == 0) return 0;
  double sum = 0;
  size_t hits = 0;
  for (size_t i = 0; i < std::min(k, recommended.size()); ++i) {
    if (Relevant(relevant, recommended[i])) {
      ++hits;
      sum += static_cast<double>(hits) / static_cast<double>(i + 1);
    }
  }
  return sum / static_cast<double>(denominator);
}

}  // namespace metrics

Result<EvalReport> Evaluate(const EvalDataset& data, const EvalOptions& options,
                            const Trainer& train) {
  const Split split = SplitInteractions(data, options.split, options.seed);
  if (split.test.empty()) {
    return Invalid("nothing to evaluate: the split " + SplitName(options.split) +
                   " holds out no interactions (too few per user?)");
  }
  int64_t now = 0;
  for (const Interaction& e : data.interactions) now = std::max(now, e.timestamp);
  TrainingData td;
  td.user_count = data.user_ids.size();
  td.item_count = data.item_ids.size();
  td.interactions = split.train;
  td.event_types = data.event_types;
  td.item_creation = data.item_creation;
  td.now = now;
  auto model = train(td);
  if (!model.ok()) return model.status();

  constexpr size_t kPersonalizeDepth = 25;
  const size_t want = std::max(kPersonalizeDepth, options.k);
  std::vector<uint32_t> all_items(data.item_ids.size());
  std::iota(all_items.begin(), all_items.end(), 0u);

  struct Sum {
    const char* name;
    double total = 0;
  };
  std::vector<Sum> sums = {{"precision_at_5"},
                           {"precision_at_10"},
                           {"precision_at_25"},
                           {"normalized_discounted_cumulative_gain_at_5"},
                           {"normalized_discounted_cumulative_gain_at_10"},
                           {"normalized_discounted_cumulative_gain_at_25"},
                           {"mean_reciprocal_rank_at_25"}};
  const size_t personalize_metrics = sums.size();
  const bool recommenders = options.split.kind != SplitKind::kPersonalize;
  if (recommenders) {
    for (const char* name : {"precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k"}) {
      sums.push_back({name});
    }
  }
  std::vector<bool> recommended_once(data.item_ids.size(), false);
  std::vector<bool> seen(data.item_ids.size(), false);  // the test user's history, when removed
  std::vector<ScoredItem> scored;
  std::vector<double> scores;
  std::vector<uint32_t> list;
  for (const TestUser& t : split.test) {
    if (split.remove_seen) {
      for (uint32_t item : t.history) seen[item] = true;
    }
    const auto keep = [&](uint32_t item) { return !seen[item]; };
    UserQuery q;
    q.user = t.query_user;
    // As the data plane passes it: the most recent part of the history, within its window.
    q.recent =
        std::span<const uint32_t>(t.history).last(std::min(t.history.size(), kHistoryWindow));
    q.want = want;
    q.now = now;
    list.clear();
    if (options.type == RecipeType::kPersonalizedRanking) {
      scores.clear();
      (*model)->Rank(q, all_items, scores);
      std::vector<uint32_t> order;
      for (uint32_t item : all_items) {
        if (keep(item)) order.push_back(item);
      }
      std::stable_sort(order.begin(), order.end(),
                       [&](uint32_t a, uint32_t b) { return scores[a] > scores[b]; });
      order.resize(std::min(order.size(), want));
      list = std::move(order);
    } else {
      scored.clear();
      (*model)->Recommend(q, keep, scored);
      for (const ScoredItem& s : scored) {
        if (list.size() < want && s.item < recommended_once.size()) list.push_back(s.item);
      }
    }
    for (size_t i = 0; i < std::min(list.size(), kPersonalizeDepth); ++i) {
      recommended_once[list[i]] = true;
    }
    for (uint32_t item : t.history) seen[item] = false;
    const std::span<const uint32_t> rel = t.held_out;
    size_t m = 0;
    for (size_t k : {5, 10, 25}) sums[m++].total += metrics::PrecisionAt(list, rel, k);
    for (size_t k : {5, 10, 25}) sums[m++].total += metrics::NdcgAt(list, rel, k);
    sums[m++].total += metrics::ReciprocalRankAt(list, rel, kPersonalizeDepth);
    if (recommenders) {
      sums[m++].total += metrics::PrecisionAt(list, rel, options.k);
      sums[m++].total += metrics::RecallAt(list, rel, options.k);
      sums[m++].total += metrics::NdcgAt(list, rel, options.k);
      sums[m++].total += metrics::AveragePrecisionAt(list, rel, options.k);
    }
  }

  EvalReport report;
  report.split = SplitName(options.split);
  report.k = options.k;
  report.users_evaluated = split.test.size();
  const double n = static_cast<double>(split.test.size());
  const auto covered = std::count(recommended_once.begin(), recommended_once.end(), true);
  for (size_t i = 0; i < sums.size(); ++i) {
    report.metrics.emplace_back(sums[i].name, sums[i].total / n);
    if (i + 1 == personalize_metrics) {  // GetSolutionMetrics' last one
      report.metrics.emplace_back(
          "coverage", static_cast<double>(covered) /
                          static_cast<double>(std::max<size_t>(1, data.item_ids.size())));
    }
  }
  return report;
}

}  // namespace meshsim::fakes::personalize
