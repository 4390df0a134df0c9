#include "sim/latency/latency_model.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sim/text/json_reader.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

using Catch::Matchers::Contains;

constexpr int kDraws = 100'000;

// What reading one model from JSON gives: the model and every error message, joined by newlines.
struct ReadResult {
  LatencyModel model;
  std::string errors;
};

// `json` is placed at /latency/produce, as in a scenario, on line 1 after 24 characters.
ReadResult ReadModel(const std::string& json) {
  // Asserts nothing itself, so it can sit inside a CHECK.
  auto source = JsonSource::Parse(R"({"latency": {"produce": )" + json + "}}", "lat.json");
  if (!source.ok()) return {LatencyModel(), source.status().ToString()};
  JsonErrors errors;
  ObjectReader reader(*source, source->root()["latency"]["produce"], "/latency/produce", &errors);
  ReadResult out{LatencyModel::Read(reader), ""};
  for (const auto& m : errors.messages()) out.errors += (out.errors.empty() ? "" : "\n") + m;
  return out;
}

LatencyModel MustRead(const std::string& json) {
  ReadResult r = ReadModel(json);
  INFO(r.errors);
  REQUIRE(r.errors.empty());
  return r.model;
}

std::vector<int64_t> Draw(const LatencyModel& m, uint64_t seed, int n = kDraws) {
  Rng rng(seed);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(m.Sample(rng));
  return out;
}

double Mean(const std::vector<int64_t>& v) {
  double sum = 0;
  for (int64_t x : v) sum += static_cast<double>(x);
  return sum / static_cast<double>(v.size());
}

double Median(std::vector<int64_t> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(v.size() / 2), v.end());
  return static_cast<double>(v[v.size() / 2]);
}

TEST_CASE("latency: the default model is constant zero", "[latency]") {
  const LatencyModel m;
  CHECK(m.IsZero());
  Rng rng(1);
  CHECK(m.Sample(rng) == 0);
  CHECK(m.Describe() == "constant 0us");
}

TEST_CASE("latency: constant is exact and draws nothing from the generator", "[latency]") {
  SECTION("built") {
    const LatencyModel m = LatencyModel::Constant(2500);
    CHECK_FALSE(m.IsZero());
    CHECK(m.Describe() == "constant 2500us");
    Rng rng(1), untouched(1);
    for (int i = 0; i < 100; ++i) REQUIRE(m.Sample(rng) == 2500);
    CHECK(rng.Next() == untouched.Next());
  }
  SECTION("read") {
    const LatencyModel m = MustRead(R"({"model": "constant", "us": 2000})");
    CHECK(m.Describe() == "constant 2000us");
    Rng rng(1);
    CHECK(m.Sample(rng) == 2000);
  }
  SECTION("read as zero") {
    const LatencyModel m = MustRead(R"({"model": "constant", "us": 0})");
    CHECK(m.IsZero());
  }
}

TEST_CASE("latency: uniform stays within its bounds and covers them", "[latency]") {
  const LatencyModel m = MustRead(R"({"model": "uniform", "min_us": 1000, "max_us": 3000})");
  CHECK(m.Describe() == "uniform 1000us..3000us");
  CHECK_FALSE(m.IsZero());
  const auto draws = Draw(m, 7);
  const auto [lo, hi] = std::minmax_element(draws.begin(), draws.end());
  CHECK(*lo >= 1000);
  CHECK(*hi <= 3000);
  CHECK(*lo < 1010);
  CHECK(*hi > 2990);
  CHECK(Mean(draws) == Approx(2000).margin(10));  // standard error ~ 1.8

  // A degenerate range is the constant.
  const LatencyModel point = MustRead(R"({"model": "uniform", "min_us": 500, "max_us": 500})");
  for (int64_t v : Draw(point, 7, 100)) REQUIRE(v == 500);
}

TEST_CASE("latency: normal has its mean and is never negative", "[latency]") {
  SECTION("far from zero") {
    const LatencyModel m = MustRead(R"({"model": "normal", "mean_us": 20000, "stddev_us": 2000})");
    CHECK(m.Describe() == "normal mean 20000us sd 2000us");
    const auto draws = Draw(m, 11);
    CHECK(Mean(draws) == Approx(20000).margin(50));  // standard error ~ 6.3
    CHECK(Median(draws) == Approx(20000).margin(50));
  }
  SECTION("wide enough to go below zero: clamped to 0") {
    const LatencyModel m = MustRead(R"({"model": "normal", "mean_us": 100, "stddev_us": 1000})");
    const auto draws = Draw(m, 11);
    CHECK(*std::min_element(draws.begin(), draws.end()) == 0);
    const auto zeros = std::count(draws.begin(), draws.end(), 0);
    // P(N(100, 1000) <= 0) = P(Z <= -0.1) = 0.46.
    CHECK(static_cast<double>(zeros) / kDraws == Approx(0.46).margin(0.01));
  }
}

TEST_CASE("latency: lognormal has its median and mean and is never negative", "[latency]") {
  const LatencyModel m = MustRead(R"({"model": "lognormal", "median_us": 15000, "sigma": 0.5})");
  CHECK(m.Describe() == "lognormal median 15000us sigma 0.500000");
  const auto draws = Draw(m, 13);
  CHECK(*std::min_element(draws.begin(), draws.end()) >= 0);
  CHECK(Median(draws) == Approx(15000).epsilon(0.01));
  // Mean of a lognormal: median * exp(sigma^2 / 2).
  CHECK(Mean(draws) == Approx(15000 * std::exp(0.125)).epsilon(0.01));

  // sigma 0 is the median exactly.
  const LatencyModel flat = MustRead(R"({"model": "lognormal", "median_us": 700, "sigma": 0})");
  for (int64_t v : Draw(flat, 13, 100)) REQUIRE(v == 700);
}

TEST_CASE("latency: empirical draws only the given samples, each about equally", "[latency]") {
  const LatencyModel m =
      MustRead(R"({"model": "empirical", "samples_us": [100, 250, 250.4, 9000]})");
  CHECK(m.Describe() == "empirical 4 samples");
  const auto draws = Draw(m, 17);
  std::map<int64_t, int> counts;
  for (int64_t v : draws) ++counts[v];
  // 250.4 is kept as 250 microseconds.
  REQUIRE(counts.size() == 3);
  CHECK(counts.count(100) == 1);
  CHECK(counts.count(250) == 1);
  CHECK(counts.count(9000) == 1);
  CHECK(static_cast<double>(counts[100]) / kDraws == Approx(0.25).margin(0.01));
  CHECK(static_cast<double>(counts[250]) / kDraws == Approx(0.50).margin(0.01));
  CHECK(static_cast<double>(counts[9000]) / kDraws == Approx(0.25).margin(0.01));
}

TEST_CASE("latency: one seed gives one sequence of draws", "[latency]") {
  const LatencyModel m = MustRead(R"({"model": "lognormal", "median_us": 3000, "sigma": 0.4})");
  CHECK(Draw(m, 99, 1000) == Draw(m, 99, 1000));
  CHECK(Draw(m, 99, 1000) != Draw(m, 100, 1000));
}

// ---------------------------------------------------------------------------------------------
// Errors. Columns count the 24 characters ReadModel puts before the model.

TEST_CASE("latency error: max below min", "[latency][errors]") {
  const auto r = ReadModel(R"({"model": "uniform", "min_us": 3000, "max_us": 1000})");
  CHECK(r.errors == "lat.json:1:62: at /latency/produce/max_us: max_us must be at least min_us");
}

TEST_CASE("latency error: an empirical model without samples", "[latency][errors]") {
  SECTION("an empty list") {
    const auto r = ReadModel(R"({"model": "empirical", "samples_us": []})");
    CHECK(r.errors ==
          "lat.json:1:48: at /latency/produce/samples_us: an empirical model needs at least one "
          "sample");
  }
  SECTION("no list") {
    CHECK_THAT(ReadModel(R"({"model": "empirical"})").errors,
               Contains("an empirical model needs at least one sample"));
  }
  SECTION("bad samples are each reported") {
    const auto r = ReadModel(R"({"model": "empirical", "samples_us": [5, -1, "x", 7]})");
    CHECK_THAT(r.errors, Contains("at /latency/produce/samples_us: sample 1 must be a number"));
    CHECK_THAT(r.errors, Contains("at /latency/produce/samples_us: sample 2 must be a number"));
    CHECK_FALSE(Contains("needs at least one sample").match(r.errors));
    CHECK(r.model.Describe() == "empirical 2 samples");
  }
  SECTION("not a list") {
    CHECK_THAT(ReadModel(R"({"model": "empirical", "samples_us": 5})").errors,
               Contains("at /latency/produce/samples_us: expected an array, got an integer"));
  }
}

TEST_CASE("latency error: an unknown model", "[latency][errors]") {
  const auto r = ReadModel(R"({"model": "gaussian"})");
  CHECK(r.errors ==
        "lat.json:1:26: at /latency/produce/model: unknown value \"gaussian\"; expected one of "
        "\"constant\", \"uniform\", \"normal\", \"lognormal\", \"exponential\", \"empirical\"");
  CHECK(r.model.IsZero());
}

TEST_CASE("latency error: missing and out-of-range parameters", "[latency][errors]") {
  CHECK_THAT(ReadModel(R"({})").errors,
             Contains("at /latency/produce: missing required field \"model\""));
  CHECK_THAT(ReadModel(R"({"model": "constant"})").errors,
             Contains("at /latency/produce: missing required field \"us\" (an integer)"));
  CHECK_THAT(ReadModel(R"({"model": "constant", "us": -1})").errors,
             Contains("at /latency/produce/us: value -1 is out of range"));
  CHECK_THAT(ReadModel(R"({"model": "normal", "mean_us": 10})").errors,
             Contains("missing required field \"stddev_us\""));
  CHECK_THAT(ReadModel(R"({"model": "lognormal", "median_us": 0, "sigma": 1})").errors,
             Contains("at /latency/produce/median_us: value 0 is out of range [1, "));
  CHECK_THAT(ReadModel(R"({"model": "lognormal", "median_us": 10, "sigma": 11})").errors,
             Contains("at /latency/produce/sigma: value 11 is out of range [0, 10]"));
}

TEST_CASE("latency error: keys of another model are unknown", "[latency][errors]") {
  CHECK_THAT(
      ReadModel(R"({"model": "constant", "us": 5, "sigma": 1})").errors,
      Contains("at /latency/produce/sigma: unknown key \"sigma\"; expected one of: model, us"));
}

}  // namespace
}  // namespace meshsim
