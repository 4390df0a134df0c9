// The offline evaluation's reading, splits and metrics, on data small enough to check by hand.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fakes/personalize/evaluation.h"

namespace meshsim::fakes::personalize {
namespace {

using Catch::Matchers::StartsWith;

// `users` users, user u with 10 + u interactions, one a minute, with items (u + i) % items.
std::string Interactions(int users, int items) {
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP\n";
  for (int u = 0; u < users; ++u) {
    for (int i = 0; i < 10 + u; ++i) {
      csv.append("u").append(std::to_string(u)).append(",i");
      csv.append(std::to_string((u + i) % items)).append(",");
      csv.append(std::to_string(1'700'000'000 + 60 * (i * users + u))).append("\n");
    }
  }
  return csv;
}

EvalDataset Read(const std::string& csv) {
  auto d = ReadEvalDataset({"interactions.csv", csv}, nullptr, nullptr);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  return *d;
}

std::string ErrorOf(const std::string& csv, const CsvText* items = nullptr) {
  auto d = ReadEvalDataset({"interactions.csv", csv}, items, nullptr);
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == Code::kValidation);
  return d.status().message();
}

// Recommends every item in ascending id order: a model whose lists are easy to score by hand.
class InOrder : public Model {
 public:
  void Recommend(const UserQuery& q, KeepItem keep, std::vector<ScoredItem>& out) const override {
    queries.push_back(q.user);
    for (uint32_t i = 0; i < items_ && out.size() < q.want; ++i) {
      if (keep(i)) out.push_back({i, 1.0 / (1 + i)});
    }
  }
  void Related(uint32_t, size_t, KeepItem, std::vector<ScoredItem>&) const override {}
  void Rank(const UserQuery&, std::span<const uint32_t> items,
            std::vector<double>& scores) const override {
    for (uint32_t i : items) scores.push_back(1.0 / (1 + i));
  }
  size_t MemoryBytes() const override { return 0; }
  explicit InOrder(uint32_t items) : items_(items) {}
  mutable std::vector<uint32_t> queries;

 private:
  uint32_t items_;
};

TEST_CASE("eval data: ids interned in first-seen order, rows oldest first, header any case",
          "[personalize][eval]") {
  const std::string csv =
      "timestamp,User_Id,item_id,EVENT_TYPE,EVENT_VALUE,EXTRA\n"
      "30,b,x,click,,z\n"
      "10,a,y,watch,2.5,z\n"
      "10,b,y,click,,z\n";
  const CsvText items{"items.csv", "ITEM_ID,GENRE,CREATION_TIMESTAMP\ny,pop,5\nnew,rock,\n"};
  const CsvText users{"users.csv", "USER_ID,AGE\nc,30\n"};
  auto d = ReadEvalDataset({"interactions.csv", csv}, &items, &users);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  CHECK(d->user_ids == std::vector<std::string>{"b", "a", "c"});
  CHECK(d->item_ids == std::vector<std::string>{"x", "y", "new"});
  CHECK(d->event_types == std::vector<std::string>{"click", "watch"});
  REQUIRE(d->interactions.size() == 3);
  // By timestamp, the two at 10 in file order.
  CHECK(d->interactions[0].user == 1);
  CHECK(d->interactions[0].event_value == 2.5f);
  CHECK(d->interactions[1].user == 0);
  CHECK(d->interactions[1].item == 1);
  CHECK(std::isnan(d->interactions[1].event_value));
  CHECK(d->interactions[2].timestamp == 30);
  CHECK(d->item_creation == std::vector<int64_t>{kNoTimestamp, 5, kNoTimestamp});
}

TEST_CASE("eval data: errors name the file, line and column", "[personalize][eval]") {
  CHECK(ErrorOf("USER_ID,TIMESTAMP\nu,1\n") ==
        "interactions.csv:1:1: the header has no ITEM_ID column");
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\nu,i,soon\n") ==
        "interactions.csv:3:5: TIMESTAMP \"soon\" is not a whole number of seconds since the "
        "epoch");
  CHECK(ErrorOf("") ==
        "interactions.csv:1:1: the file is empty: it needs a header row naming USER_ID ITEM_ID "
        "TIMESTAMP");
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\n") ==
        "interactions.csv:2:1: no interactions after the header row");
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\nu,i\n") ==
        "interactions.csv:2:1: expected 3 columns, found 2");
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\n,i,1\n") == "interactions.csv:2:1: USER_ID is empty");
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\nu,i,1,lots\n") ==
        "interactions.csv:2:7: EVENT_VALUE \"lots\" is not a number");
  CHECK(ErrorOf("USER_ID,ITEM_ID,user_id,TIMESTAMP\n") ==
        "interactions.csv:1:17: column user_id appears twice in the header");
  const CsvText items{"items.csv", "ITEM_ID,CREATION_TIMESTAMP\ni,1.5\n"};
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\n", &items) ==
        "items.csv:2:3: CREATION_TIMESTAMP \"1.5\" is not a whole number of seconds since the "
        "epoch");
  const CsvText no_id{"items.csv", "GENRE\npop\n"};
  CHECK(ErrorOf("USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\n", &no_id) ==
        "items.csv:1:1: the header has no ITEM_ID column");
}

TEST_CASE("eval split: parsed and named", "[personalize][eval]") {
  auto p = ParseSplit("personalize");
  REQUIRE(p.ok());
  CHECK(p->kind == SplitKind::kPersonalize);
  auto s = ParseSplit("stratified:0.75");
  REQUIRE(s.ok());
  CHECK(s->kind == SplitKind::kStratified);
  CHECK(s->ratio == 0.75);
  CHECK(SplitName(*s) == "stratified:0.75");
  auto c = ParseSplit("chronological:0.8");
  REQUIRE(c.ok());
  CHECK(SplitName(*c) == "chronological:0.8");
  for (const char* bad : {"stratified", "stratified:", "stratified:1", "stratified:0",
                          "stratified:x", "random:0.5", "chronological:-0.2"}) {
    INFO(bad);
    CHECK_FALSE(ParseSplit(bad).ok());
  }
}

TEST_CASE("eval split personalize: a tenth of the users, each scored on their newest tenth",
          "[personalize][eval]") {
  const EvalDataset d = Read(Interactions(40, 25));
  const Split split = SplitInteractions(d, {SplitKind::kPersonalize, 0.9}, 7);
  CHECK_FALSE(split.remove_seen);
  REQUIRE(split.test.size() == 4);  // 10% of 40
  std::set<uint32_t> test_users;
  for (const TestUser& t : split.test) {
    test_users.insert(t.user);
    CHECK(t.query_user == kUnknownId);  // the model never trained on them
    // User u has 10 + u interactions: round(10%) of them, at least one, are the newest.
    const size_t n = 10 + t.user;
    const size_t held = std::max<size_t>(1, static_cast<size_t>(std::nearbyint(0.1 * n)));
    std::vector<uint32_t> newest, oldest_last;
    for (size_t i = n - held; i < n; ++i)
      newest.push_back(static_cast<uint32_t>((t.user + i) % 25));
    std::sort(newest.begin(), newest.end());
    newest.erase(std::unique(newest.begin(), newest.end()), newest.end());
    CHECK(t.held_out == newest);
    REQUIRE_FALSE(t.history.empty());
    CHECK(t.history.back() == (t.user + n - held - 1) % 25);  // most recent input last
  }
  for (const Interaction& e : split.train) CHECK(test_users.count(e.user) == 0);
  CHECK(std::is_sorted(
      split.train.begin(), split.train.end(),
      [](const Interaction& a, const Interaction& b) { return a.timestamp < b.timestamp; }));

  // The same seed picks the same users; another picks others.
  const Split again = SplitInteractions(d, {SplitKind::kPersonalize, 0.9}, 7);
  const Split other = SplitInteractions(d, {SplitKind::kPersonalize, 0.9}, 8);
  auto users_of = [](const Split& s) {
    std::vector<uint32_t> u;
    for (const TestUser& t : s.test) u.push_back(t.user);
    return u;
  };
  CHECK(users_of(again) == users_of(split));
  CHECK(users_of(other) != users_of(split));
}

TEST_CASE("eval split stratified: each user's share at random, seeded", "[personalize][eval]") {
  const EvalDataset d = Read(Interactions(12, 1000));  // every interaction a distinct item
  const Split split = SplitInteractions(d, {SplitKind::kStratified, 0.75}, 42);
  CHECK(split.remove_seen);
  REQUIRE(split.test.size() == 12);
  std::vector<size_t> trained(12, 0);
  for (const Interaction& e : split.train) ++trained[e.user];
  for (const TestUser& t : split.test) {
    const size_t n = 10 + t.user;
    // Python's round: 0.75 * 10 = 7.5 → 8, 0.75 * 18 = 13.5 → 14, 0.75 * 14 = 10.5 → 10.
    const size_t want = static_cast<size_t>(std::nearbyint(0.75 * static_cast<double>(n)));
    CHECK(trained[t.user] == want);
    CHECK(t.held_out.size() == n - want);
    CHECK(t.history.size() == want);
    CHECK(t.query_user == t.user);
  }
  CHECK(trained[0] == 8);
  CHECK(trained[4] == 10);
  // Random, not the oldest: somebody holds out an item older than one they trained on.
  bool shuffled = false;
  for (const TestUser& t : split.test) {
    const uint32_t oldest_held = t.held_out.front();  // item ids grow with time here
    shuffled |= std::any_of(t.history.begin(), t.history.end(),
                            [&](uint32_t i) { return i > oldest_held; });
  }
  CHECK(shuffled);
  const Split again = SplitInteractions(d, {SplitKind::kStratified, 0.75}, 42);
  const Split other = SplitInteractions(d, {SplitKind::kStratified, 0.75}, 43);
  CHECK(again.test[3].held_out == split.test[3].held_out);
  bool differs = false;
  for (size_t u = 0; u < split.test.size(); ++u) {
    differs |= other.test[u].held_out != split.test[u].held_out;
  }
  CHECK(differs);
}

TEST_CASE("eval split chronological: each user's oldest share trains", "[personalize][eval]") {
  const EvalDataset d = Read(Interactions(6, 1000));
  const Split split = SplitInteractions(d, {SplitKind::kChronological, 0.8}, 1);
  REQUIRE(split.test.size() == 6);
  for (const TestUser& t : split.test) {
    const size_t n = 10 + t.user;
    const size_t keep = static_cast<size_t>(std::nearbyint(0.8 * static_cast<double>(n)));
    REQUIRE(t.history.size() == keep);
    for (size_t i = 0; i < keep; ++i) CHECK(t.history[i] == t.user + i);  // in time order
    CHECK(t.held_out.front() == t.user + keep);
    CHECK(t.held_out.back() == t.user + n - 1);
  }
}

TEST_CASE("eval metrics: hand-computed lists", "[personalize][eval]") {
  // Recommended best first: 7 hits at 1, 3 misses, 5 hits at 3, 9 misses, 2 hits at 5.
  const std::vector<uint32_t> rec = {7, 3, 5, 9, 2};
  const std::vector<uint32_t> rel = {2, 5, 7, 8};  // 8 is never recommended
  using namespace metrics;
  CHECK(PrecisionAt(rec, rel, 5) == Approx(3.0 / 5));
  CHECK(PrecisionAt(rec, rel, 2) == Approx(1.0 / 2));
  CHECK(PrecisionAt(rec, rel, 10) == Approx(3.0 / 10));  // a short list is not padded
  CHECK(RecallAt(rec, rel, 5) == Approx(3.0 / 4));
  CHECK(RecallAt(rec, rel, 1) == Approx(1.0 / 4));
  // DCG = 1/ln2 + 1/ln4 + 1/ln6; ideal (4 relevant, k 5) = 1/ln2 + 1/ln3 + 1/ln4 + 1/ln5.
  const double dcg = 1 / std::log(2.0) + 1 / std::log(4.0) + 1 / std::log(6.0);
  const double ideal =
      1 / std::log(2.0) + 1 / std::log(3.0) + 1 / std::log(4.0) + 1 / std::log(5.0);
  CHECK(NdcgAt(rec, rel, 5) == Approx(dcg / ideal));
  // k 2: one hit at 1 of an ideal two.
  CHECK(NdcgAt(rec, rel, 2) ==
        Approx((1 / std::log(2.0)) / (1 / std::log(2.0) + 1 / std::log(3.0))));
  CHECK(NdcgAt(rec, std::vector<uint32_t>{7}, 5) == Approx(1.0));
  CHECK(ReciprocalRankAt(rec, rel, 25) == Approx(1.0));
  CHECK(ReciprocalRankAt(rec, std::vector<uint32_t>{2, 9}, 25) == Approx(1.0 / 4));
  CHECK(ReciprocalRankAt(rec, std::vector<uint32_t>{2}, 4) == 0);
  // Precision at each hit: 1/1, 2/3, 3/5; over min(k, 4 relevant).
  CHECK(AveragePrecisionAt(rec, rel, 5) == Approx((1.0 + 2.0 / 3 + 3.0 / 5) / 4));
  CHECK(AveragePrecisionAt(rec, rel, 3) == Approx((1.0 + 2.0 / 3) / 3));
  CHECK(AveragePrecisionAt(rec, {}, 3) == 0);
  CHECK(NdcgAt({}, rel, 5) == 0);
}

TEST_CASE("eval: a model's lists scored per test user, seen items removed for Recommenders",
          "[personalize][eval]") {
  // Two users; a chronological 0.5 split holds out each one's newer half.
  const std::string csv =
      "USER_ID,ITEM_ID,TIMESTAMP\n"
      "a,i0,1\na,i1,2\na,i2,3\na,i3,4\n"   // a trains on i0 i1, holds out i2 i3
      "b,i4,1\nb,i0,2\nb,i5,3\nb,i1,4\n";  // b trains on i4 i0, holds out i5 i1
  const EvalDataset d = Read(csv);
  const Trainer train = [&](const TrainingData& td) -> Result<std::unique_ptr<Model>> {
    CHECK(td.interactions.size() == 4);
    CHECK(td.item_count == 6);
    return std::unique_ptr<Model>(std::make_unique<InOrder>(6));
  };
  EvalOptions options;
  options.split = {SplitKind::kChronological, 0.5};
  options.k = 2;
  auto report = Evaluate(d, options, train);
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->split == "chronological:0.5");
  CHECK(report->users_evaluated == 2);
  std::map<std::string, double> m(report->metrics.begin(), report->metrics.end());
  // a's list without i0 i1: i2 i3 i4 i5 → precision@2 = 1. b's without i4 i0: i1 i2 i3 i5 → 1/2.
  CHECK(m.at("precision_at_k") == Approx((1.0 + 0.5) / 2));
  CHECK(m.at("recall_at_k") == Approx((1.0 + 0.5) / 2));
  CHECK(m.at("precision_at_5") == Approx((2.0 / 5 + 2.0 / 5) / 2));
  CHECK(m.at("mean_reciprocal_rank_at_25") == Approx(1.0));
  CHECK(m.at("map_at_k") == Approx((1.0 + 0.5) / 2));
  CHECK(m.at("coverage") == Approx(5.0 / 6));     // i0 was seen by both, so nobody got it
  CHECK(report->metrics[7].first == "coverage");  // after GetSolutionMetrics' others
  CHECK(report->metrics.size() == 12);

  // The Personalize split reports its names only, and the model meets the test user as new.
  const EvalDataset many = Read(Interactions(20, 25));
  options.split = {SplitKind::kPersonalize, 0.9};
  options.type = RecipeType::kPersonalizedRanking;
  auto p = Evaluate(many, options, [&](const TrainingData&) -> Result<std::unique_ptr<Model>> {
    return std::unique_ptr<Model>(std::make_unique<InOrder>(25));
  });
  REQUIRE(p.ok());
  CHECK(p->users_evaluated == 2);
  CHECK(p->metrics.size() == 8);
  CHECK(p->metrics.back().first == "coverage");

  auto failed = Evaluate(d, options, [](const TrainingData&) -> Result<std::unique_ptr<Model>> {
    return Status(Code::kInvalidInput, "no");
  });
  CHECK(failed.status().code() == Code::kInvalidInput);
}

TEST_CASE("eval: nothing held out is an error", "[personalize][eval]") {
  const EvalDataset d = Read("USER_ID,ITEM_ID,TIMESTAMP\na,x,1\nb,y,2\n");
  EvalOptions options;
  auto r = Evaluate(d, options, [](const TrainingData&) -> Result<std::unique_ptr<Model>> {
    return std::unique_ptr<Model>(std::make_unique<InOrder>(2));
  });
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), StartsWith("nothing to evaluate"));
}

}  // namespace
}  // namespace meshsim::fakes::personalize
