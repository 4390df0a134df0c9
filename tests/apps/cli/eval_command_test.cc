// `meshsim eval`: its flags and exit codes, the --json shape, and on the planted data set the
// personalized recipes beating the popularity baseline by a clear margin.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

using namespace meshsim;
using Catch::Matchers::Contains;
using meshsim::testing::Cli;

namespace {

const std::string kSmall = MESHSIM_SOURCE_DIR "/scenarios/data/small";
const std::string kPlanted = MESHSIM_SOURCE_DIR "/scenarios/data/planted";

std::vector<std::string> EvalArgs(const std::string& dir, const std::string& recipe,
                                  std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"eval",
                                   "--interactions",
                                   dir + "/interactions.csv",
                                   "--items",
                                   dir + "/items.csv",
                                   "--users",
                                   dir + "/users.csv",
                                   "--recipe",
                                   recipe};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

nlohmann::json JsonEval(const std::vector<std::string>& args) {
  const auto r = Cli(args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("eval: bad input exits 2 and says what was wrong") {
  const std::string interactions = kSmall + "/interactions.csv";
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const std::vector<Case> cases = {
      {{"eval"}, "--interactions is required"},
      {{"eval", "--interactions", interactions}, "--recipe is required"},
      {{"eval", "--interactions", interactions, "--recipe", "aws-nothing"},
       "unknown recipe \"aws-nothing\" (implemented: "},
      {{"eval", "--interactions", interactions, "--recipe", "aws-popularity-count", "--k", "0"},
       "--k: Value 0 not in range 1 to 500"},
      {{"eval", "--interactions", interactions, "--recipe", "aws-popularity-count", "--seed", "-1"},
       "--seed: must be a non-negative integer, got \"-1\""},
      {{"eval", "--interactions", interactions, "--recipe", "aws-popularity-count", "--split",
        "random:0.5"},
       "--split must be personalize, stratified:RATIO or chronological:RATIO"},
      {{"eval", "--interactions", interactions, "--recipe", "aws-popularity-count", "--frobnicate",
        "1"},
       "unknown option --frobnicate"},
      {{"eval", "--interactions", interactions, "--recipe"}, "--recipe: 1 required NAME missing"},
      {{"eval", "--interactions", "/nonexistent/i.csv", "--recipe", "aws-popularity-count"},
       "/nonexistent/i.csv"},
  };
  for (const auto& c : cases) {
    const auto r = Cli(c.args);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains(c.says));
    CHECK(r.out.empty());
  }
}

TEST_CASE("eval: a data error names the file, line and column") {
  testing::TempDir dir;
  const std::string bad = dir.Write("i.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\nu2,i1,later\n");
  const auto r = Cli({"eval", "--interactions", bad, "--recipe", "aws-popularity-count"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains(bad + ":3:7: TIMESTAMP \"later\" is not a whole number"));
  const std::string no_column = dir.Write("j.csv", "USER_ID,TIMESTAMP\nu1,100\n");
  const auto m = Cli({"eval", "--interactions", no_column, "--recipe", "aws-popularity-count"});
  CHECK(m.status == 2);
  CHECK_THAT(m.err, Contains(no_column + ":1:1: the header has no ITEM_ID column"));
  const std::string empty = dir.Write("k.csv", "");
  const auto e = Cli({"eval", "--interactions", empty, "--recipe", "aws-popularity-count"});
  CHECK(e.status == 2);
  CHECK_THAT(e.err, Contains(empty + ":1:1: the file is empty"));
}

TEST_CASE("eval: --json gives recipe, split, k, users_evaluated and the metrics") {
  const auto j = JsonEval(EvalArgs(kSmall, "aws-popularity-count", {"--json"}));
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"k", "metrics", "recipe", "split", "users_evaluated"});
  CHECK(j["recipe"] == "aws-popularity-count");
  CHECK(j["split"] == "personalize");
  CHECK(j["k"] == 10);
  CHECK(j["users_evaluated"].get<int>() > 0);
  std::vector<std::string> metrics;
  for (const auto& [key, value] : j["metrics"].items()) {
    metrics.push_back(key);
    CHECK(value.get<double>() >= 0);
    CHECK(value.get<double>() <= 1);
  }
  CHECK(metrics == std::vector<std::string>{"coverage", "mean_reciprocal_rank_at_25",
                                            "normalized_discounted_cumulative_gain_at_10",
                                            "normalized_discounted_cumulative_gain_at_25",
                                            "normalized_discounted_cumulative_gain_at_5",
                                            "precision_at_10", "precision_at_25",
                                            "precision_at_5"});

  const auto s = JsonEval(EvalArgs(kSmall, "aws-popularity-count",
                                   {"--split", "stratified:0.75", "--k", "5", "--json"}));
  CHECK(s["split"] == "stratified:0.75");
  CHECK(s["k"] == 5);
  for (const char* name : {"precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k"}) {
    CHECK(s["metrics"].contains(name));
  }
  // Seeded: the same run twice gives the same figures.
  CHECK(JsonEval(EvalArgs(kSmall, "aws-popularity-count",
                          {"--split", "stratified:0.75", "--k", "5", "--json"})) == s);
}

TEST_CASE("eval: the table names each metric") {
  const auto r = Cli(EvalArgs(kSmall, "aws-popularity-count", {"--split", "chronological:0.8"}));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("aws-popularity-count on " + kSmall + "/interactions.csv"));
  CHECK_THAT(r.out, Contains("split chronological:0.8"));
  CHECK_THAT(r.out, Contains("  precision_at_10 "));
  CHECK_THAT(r.out, Contains("  map_at_k "));
}

// The planted data set's tastes (scenarios/README.md): a recipe that learns them beats the
// popularity baseline by a clear margin, on Personalize's split and on Recommenders'.
TEST_CASE("eval: on the planted data set, user-personalization and sims beat popularity-count") {
  for (const char* split : {"personalize", "stratified:0.75"}) {
    std::map<std::string, nlohmann::json> m;
    for (const char* recipe : {"aws-popularity-count", "aws-user-personalization", "aws-sims"}) {
      m[recipe] = JsonEval(EvalArgs(kPlanted, recipe, {"--split", split, "--json"}))["metrics"];
      UNSCOPED_INFO(split << " " << recipe << ": " << m[recipe].dump());
    }
    const auto& base = m["aws-popularity-count"];
    REQUIRE(base["precision_at_10"].get<double>() > 0);
    for (const char* recipe : {"aws-user-personalization", "aws-sims"}) {
      INFO(split << ": " << recipe << " against aws-popularity-count");
      for (const char* metric :
           {"precision_at_10", "normalized_discounted_cumulative_gain_at_10"}) {
        INFO(metric);
        CHECK(m[recipe][metric].get<double>() >= 1.3 * base[metric].get<double>());
      }
    }
  }
}
