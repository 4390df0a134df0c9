#include "sim/core/rng.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

namespace meshsim {
namespace {

// Every statistical check uses a fixed seed, so a pass is reproducible, and a tolerance of many
// standard errors, so it would take a real defect to fail.
constexpr uint64_t kSeed = 20240611;
constexpr int kDraws = 200'000;

TEST_CASE("rng: one seed gives one stream", "[rng]") {
  Rng a(123), b(123), c(124);
  std::vector<uint64_t> sa, sb, sc;
  for (int i = 0; i < 1000; ++i) {
    sa.push_back(a.Next());
    sb.push_back(b.Next());
    sc.push_back(c.Next());
  }
  CHECK(sa == sb);
  CHECK(sa != sc);

  // Reseed restarts the stream.
  a.Reseed(123);
  CHECK(a.Next() == sa[0]);
}

TEST_CASE("rng: known first outputs", "[rng]") {
  // Pins the stream: a seed must mean the same run on every platform and library. Expected values
  // computed independently from Blackman & Vigna's published splitmix64 and xoshiro256**.
  Rng rng(0);
  CHECK(rng.Next() == 0x99ec5f36cb75f2b4ULL);
  CHECK(rng.Next() == 0xbf6e1f784956452aULL);
  CHECK(rng.Next() == 0x1a5f849d4933e6e0ULL);
}

TEST_CASE("rng: Uniform is in [0, 1) and its mean is 1/2", "[rng]") {
  Rng rng(kSeed);
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.Uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // Standard error of the mean is sqrt(1/12 / n) ~ 0.00065.
  CHECK(sum / kDraws == Approx(0.5).margin(0.005));
  CHECK(lo < 0.001);
  CHECK(hi > 0.999);
}

TEST_CASE("rng: Uniform(lo, hi) stays in [lo, hi)", "[rng]") {
  Rng rng(kSeed);
  for (int i = 0; i < 10'000; ++i) {
    const double u = rng.Uniform(-3.0, 5.0);
    REQUIRE(u >= -3.0);
    REQUIRE(u < 5.0);
  }
}

TEST_CASE("rng: Below(n) is below n and roughly uniform", "[rng]") {
  Rng rng(kSeed);
  SECTION("n = 1 is always 0") {
    for (int i = 0; i < 100; ++i) REQUIRE(rng.Below(1) == 0);
  }
  SECTION("chi-square over 10 buckets") {
    constexpr uint64_t kN = 10;
    std::array<int, kN> counts{};
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t v = rng.Below(kN);
      REQUIRE(v < kN);
      ++counts[v];
    }
    const double expected = static_cast<double>(kDraws) / kN;
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    // 9 degrees of freedom: P(chi2 > 27.9) = 0.001.
    CHECK(chi2 < 27.9);
  }
  SECTION("a large n that is not a power of two") {
    const uint64_t n = 1'000'000'007;
    double sum = 0;
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t v = rng.Below(n);
      REQUIRE(v < n);
      sum += static_cast<double>(v);
    }
    CHECK(sum / kDraws / static_cast<double>(n) == Approx(0.5).margin(0.005));
  }
}

TEST_CASE("rng: Bernoulli hits p", "[rng]") {
  Rng rng(kSeed);
  int hits = 0;
  for (int i = 0; i < kDraws; ++i) hits += rng.Bernoulli(0.3) ? 1 : 0;
  CHECK(static_cast<double>(hits) / kDraws == Approx(0.3).margin(0.005));
  for (int i = 0; i < 1000; ++i) {
    REQUIRE_FALSE(rng.Bernoulli(0.0));
    REQUIRE(rng.Bernoulli(1.0));
  }
}

TEST_CASE("rng: Exponential has the given mean and is never negative", "[rng]") {
  Rng rng(kSeed);
  const double mean = 250.0;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = rng.Exponential(mean);
    REQUIRE(x >= 0.0);
    REQUIRE(std::isfinite(x));
    sum += x;
    sum_sq += x * x;
  }
  const double m = sum / kDraws;
  // Standard error is mean / sqrt(n) ~ 0.56; the stddev of an exponential equals its mean.
  CHECK(m == Approx(mean).margin(3.0));
  CHECK(std::sqrt(sum_sq / kDraws - m * m) == Approx(mean).epsilon(0.02));
}

TEST_CASE("rng: Normal has the given mean and standard deviation", "[rng]") {
  Rng rng(kSeed);
  const double mean = -40.0, stddev = 7.5;
  double sum = 0, sum_sq = 0;
  int within_one_sd = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = rng.Normal(mean, stddev);
    REQUIRE(std::isfinite(x));
    sum += x;
    sum_sq += x * x;
    if (std::abs(x - mean) <= stddev) ++within_one_sd;
  }
  const double m = sum / kDraws;
  CHECK(m == Approx(mean).margin(0.1));  // standard error ~ 0.017
  CHECK(std::sqrt(sum_sq / kDraws - m * m) == Approx(stddev).epsilon(0.01));
  CHECK(static_cast<double>(within_one_sd) / kDraws == Approx(0.6827).margin(0.005));
}

TEST_CASE("rng: GeometricAtLeastOne is at least one with the given mean", "[rng]") {
  Rng rng(kSeed);
  SECTION("mean 8") {
    double sum = 0;
    int ones = 0;
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t x = rng.GeometricAtLeastOne(8.0);
      REQUIRE(x >= 1);
      sum += static_cast<double>(x);
      if (x == 1) ++ones;
    }
    // Variance (1-p)/p^2 = 56, standard error ~ 0.017.
    CHECK(sum / kDraws == Approx(8.0).margin(0.1));
    // P(X = 1) = p = 1/8.
    CHECK(static_cast<double>(ones) / kDraws == Approx(0.125).margin(0.005));
  }
  SECTION("mean 1.5") {
    double sum = 0;
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t x = rng.GeometricAtLeastOne(1.5);
      REQUIRE(x >= 1);
      sum += static_cast<double>(x);
    }
    CHECK(sum / kDraws == Approx(1.5).margin(0.02));
  }
  SECTION("mean 1 (and below) is always 1") {
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(rng.GeometricAtLeastOne(1.0) == 1);
      REQUIRE(rng.GeometricAtLeastOne(0.5) == 1);
    }
  }
}

}  // namespace
}  // namespace meshsim
