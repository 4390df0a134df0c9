// Offline metrics for a recipe, as `meshsim eval` reports them: a data set in Personalize's CSV
// layout is split into a part to train on and a part held out, a Model is trained on the first,
// and its recommendations for each test user are scored against what that user really did next.
//
// Two families of splits, because two audiences compare numbers:
// - kPersonalize: what GetSolutionMetrics reports (Personalize Developer Guide, "Evaluating a
//   solution version with metrics"): 90% of the users train the model; for the other 10% the
//   model is given each user's oldest 90% of interactions and scored on the newest 10%.
// - kStratified / kChronological: Microsoft Recommenders' python_stratified_split and
//   python_chrono_split (recommenders/datasets/python_splitters.py): every user's interactions
//   split RATIO / 1 - RATIO, at random (seeded) or oldest first; the items a user trained on are
//   removed from their recommendations, and precision_at_k, recall_at_k, ndcg_at_k and map_at_k
//   are reported as recommenders/evaluation/python_evaluation.py defines them, so the figures
//   compare with that library's benchmark table.
//
// Everything is deterministic: the same data, split, k and seed give the same figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/personalize/model.h"
#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

// One CSV file's name (for messages) and text.
struct CsvText {
  std::string name;
  std::string text;
};

// A data set with its ids interned to dense ids in first-seen order (interactions, then items,
// then users), as the dataset group's tables do it.
struct EvalDataset {
  std::vector<std::string> user_ids;
  std::vector<std::string> item_ids;
  std::vector<std::string> event_types;   // "" when the file has no EVENT_TYPE column
  std::vector<Interaction> interactions;  // oldest first; equal timestamps in file order
  std::vector<int64_t> item_creation;     // by item; empty when there is no items file
};

// Reads the interactions file (header USER_ID, ITEM_ID, TIMESTAMP required, EVENT_TYPE and
// EVENT_VALUE optional, names matched ignoring case, other columns ignored), and optionally the
// items file (ITEM_ID required, CREATION_TIMESTAMP optional: its items count in `coverage` even
// when nobody touched them) and the users file (USER_ID required). kValidation
// "FILE:LINE:COL: message" at the first bad cell: a missing column, a number that does not parse,
// an empty id, a row of the wrong width, a file with no header or no rows.
Result<EvalDataset> ReadEvalDataset(const CsvText& interactions, const CsvText* items,
                                    const CsvText* users);

enum class SplitKind { kPersonalize, kStratified, kChronological };

struct SplitSpec {
  SplitKind kind = SplitKind::kPersonalize;
  double ratio = 0.9;  // the training share; for kPersonalize, of the users (and of a test user's)
};

// "personalize", "stratified:RATIO" or "chronological:RATIO" with 0 < RATIO < 1. kValidation.
Result<SplitSpec> ParseSplit(std::string_view text);
// The inverse, for reports: "personalize", "stratified:0.75".
std::string SplitName(const SplitSpec& split);

struct TestUser {
  // The user's dense id when the model trained on them; kUnknownId for a Personalize test user,
  // whom the model never saw (they come to it as a new user with a history).
  uint32_t query_user = kUnknownId;
  uint32_t user = 0;               // the dense id in the data set, always
  std::vector<uint32_t> history;   // distinct items given as input, most recent last
  std::vector<uint32_t> held_out;  // distinct items to find, ascending
};

struct Split {
  std::vector<Interaction> train;  // oldest first, as TrainingData wants
  std::vector<TestUser> test;      // by user id; only users with something held out
  bool remove_seen = false;        // Recommenders' way: a user's history is not recommended back
};

// kPersonalize: the users with at least two interactions are shuffled (seeded) and the first
// round(10%) of them (at least one) are the test users; each holds out their newest
// max(1, round(10%)) interactions and gives the rest as history; the other users train.
// kStratified: each user's interactions are shuffled (seeded) and the first round(RATIO * n)
// train, as python_stratified_split does (round half to even, Python's round); kChronological:
// the oldest round(RATIO * n). A user whose split leaves nothing held out is not a test user.
Split SplitInteractions(const EvalDataset& data, const SplitSpec& spec, uint64_t seed);

// Per-user metrics over a recommendation list (best first) and the distinct relevant items
// (ascending). Binary relevance; positions count from 1.
namespace metrics {
// Relevant items among the first k, over k (the list may be shorter: Spark's precisionAt).
double PrecisionAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                   size_t k);
// Relevant items among the first k, over all relevant items.
double RecallAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                size_t k);
// DCG with gain 1 / log(1 + position) over the first k, over the DCG of an ideal list that has
// min(k, |relevant|) relevant items first. The log's base cancels.
double NdcgAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant, size_t k);
// 1 / the position of the first relevant item among the first k; 0 when there is none.
double ReciprocalRankAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                        size_t k);
// Recommenders' map_at_k for one user: the sum, over the relevant items among the first k, of
// the precision at their position, over min(k, |relevant|).
double AveragePrecisionAt(std::span<const uint32_t> recommended, std::span<const uint32_t> relevant,
                          size_t k);
}  // namespace metrics

struct EvalOptions {
  SplitSpec split;
  size_t k = 10;       // the cutoff of the Recommenders metrics. Default: 10, as Recommenders'.
  uint64_t seed = 42;  // Default: 42, Recommenders' default seed.
  RecipeType type = RecipeType::kUserPersonalization;
};

struct EvalReport {
  std::string split;  // SplitName()
  size_t k = 0;
  size_t users_evaluated = 0;
  // In report order: GetSolutionMetrics' names, then (for the Recommenders splits) theirs.
  std::vector<std::pair<std::string, double>> metrics;
};

// Trains a model on the training part of a split; the CLI binds it to TrainModel(recipe, ...).
using Trainer = std::function<Result<std::unique_ptr<Model>>(const TrainingData&)>;

// Splits `data`, trains, asks the model for max(25, k) items per test user (Recommend; for a
// PERSONALIZED_RANKING recipe, Rank over every item) and averages each metric over the test
// users. coverage is the distinct items recommended to anyone over the items of the data set.
// The trainer's error is returned as it is; kValidation when no user has anything held out.
Result<EvalReport> Evaluate(const EvalDataset& data, const EvalOptions& options,
                            const Trainer& train);

}  // namespace meshsim::fakes::personalize
