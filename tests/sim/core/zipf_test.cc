#include "sim/core/zipf.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace meshsim {
namespace {

constexpr int kDraws = 200'000;

std::vector<int> Counts(const ZipfSampler& zipf, uint64_t seed, int draws = kDraws) {
  Rng rng(seed);
  std::vector<int> counts(zipf.size(), 0);
  for (int i = 0; i < draws; ++i) {
    const uint64_t rank = zipf.Sample(rng);
    REQUIRE(rank < zipf.size());
    ++counts[rank];
  }
  return counts;
}

TEST_CASE("zipf: s = 0 is uniform", "[zipf]") {
  const ZipfSampler zipf(20, 0.0);
  REQUIRE(zipf.size() == 20);
  for (uint64_t k = 0; k < 20; ++k) CHECK(zipf.Probability(k) == Approx(0.05));
  const auto counts = Counts(zipf, 1);
  const double expected = static_cast<double>(kDraws) / 20;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
  CHECK(chi2 < 43.8);
}

TEST_CASE("zipf: probabilities follow 1/(k+1)^s and sum to 1", "[zipf]") {
  const ZipfSampler zipf(100, 1.1);
  double total = 0;
  for (uint64_t k = 0; k < 100; ++k) total += zipf.Probability(k);
  CHECK(total == Approx(1.0));
  for (uint64_t k = 1; k < 100; ++k) {
    INFO("rank " << k);
    CHECK(zipf.Probability(k) < zipf.Probability(k - 1));
    CHECK(zipf.Probability(k) / zipf.Probability(0) == Approx(std::pow(k + 1.0, -1.1)));
  }
  CHECK(zipf.Probability(100) == 0.0);  // out of range
  CHECK(zipf.Probability(1'000'000) == 0.0);
}

TEST_CASE("zipf: empirical frequencies match Probability for s = 1.1", "[zipf]") {
  const ZipfSampler zipf(1000, 1.1);
  const auto counts = Counts(zipf, 42);
  // Rank 0 is the most frequent.
  for (size_t k = 1; k < counts.size(); ++k) REQUIRE(counts[k] <= counts[0]);
  // The head ranks, each within 5 standard errors of its probability.
  for (uint64_t k = 0; k < 10; ++k) {
    const double p = zipf.Probability(k);
    const double se = std::sqrt(p * (1 - p) / kDraws);
    INFO("rank " << k << ": p " << p);
    CHECK(std::abs(static_cast<double>(counts[k]) / kDraws - p) < 5 * se);
  }
  // And the tail as a whole.
  double tail_p = 0;
  int tail_count = 0;
  for (uint64_t k = 100; k < 1000; ++k) {
    tail_p += zipf.Probability(k);
    tail_count += counts[k];
  }
  CHECK(static_cast<double>(tail_count) / kDraws == Approx(tail_p).margin(0.005));
}

TEST_CASE("zipf: one rank always samples 0", "[zipf]") {
  const ZipfSampler zipf(1, 2.0);
  CHECK(zipf.Probability(0) == 1.0);
  Rng rng(3);
  for (int i = 0; i < 1000; ++i) REQUIRE(zipf.Sample(rng) == 0);
}

TEST_CASE("zipf: every sample is below n, for several n and s", "[zipf]") {
  Rng rng(8);
  for (uint64_t n : {2, 3, 17, 1000}) {
    for (double s : {0.0, 0.5, 1.0, 2.5, 10.0}) {
      const ZipfSampler zipf(n, s);
      for (int i = 0; i < 5000; ++i) REQUIRE(zipf.Sample(rng) < n);
    }
  }
}

TEST_CASE("zipf: one seed gives one sequence", "[zipf]") {
  const ZipfSampler zipf(500, 1.0);
  const auto a = Counts(zipf, 5, 1000), b = Counts(zipf, 5, 1000), c = Counts(zipf, 6, 1000);
  CHECK(a == b);
  CHECK(a != c);
}

}  // namespace
}  // namespace meshsim
