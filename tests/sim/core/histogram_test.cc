#include "sim/core/histogram.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/rng.h"

namespace meshsim {
namespace {

// The exact percentile of the values 1..n: the value of rank ceil(p/100 * n).
int64_t ExactPercentileOf1ToN(int64_t n, double p) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p / 100.0 * static_cast<double>(n))));
}

struct Bucket {
  int64_t lower, upper;
  uint64_t count;
};

std::vector<Bucket> Buckets(const LatencyHistogram& h) {
  std::vector<Bucket> out;
  h.ForEachBucket([&](int64_t lo, int64_t hi, uint64_t n) { out.push_back({lo, hi, n}); });
  return out;
}

TEST_CASE("histogram: empty gives zeros", "[histogram]") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.Percentile(50) == 0);
  CHECK(h.Percentile(100) == 0);
  CHECK(Buckets(h).empty());
}

TEST_CASE("histogram: values below 128 are exact", "[histogram]") {
  LatencyHistogram h;
  for (int64_t v = 0; v < 128; ++v) h.Record(v);
  REQUIRE(h.count() == 128);
  CHECK(h.min() == 0);
  CHECK(h.max() == 127);
  CHECK(h.mean() == Approx(63.5));
  // Each value is its own bucket, so every rank is exact.
  for (int64_t rank = 1; rank <= 128; ++rank) {
    const double p = 100.0 * (static_cast<double>(rank) - 0.5) / 128.0;  // rank = ceil(p/100 * n)
    INFO("rank " << rank);
    CHECK(h.Percentile(p) == rank - 1);
  }
  const auto buckets = Buckets(h);
  REQUIRE(buckets.size() == 128);
  for (int64_t v = 0; v < 128; ++v) {
    CHECK(buckets[v].lower == v);
    CHECK(buckets[v].upper == v);
    CHECK(buckets[v].count == 1);
  }
}

TEST_CASE("histogram: a single value is every percentile", "[histogram]") {
  for (int64_t v :
       {int64_t{0}, int64_t{1}, int64_t{127}, int64_t{128}, int64_t{1000}, int64_t{123'456'789}}) {
    LatencyHistogram h;
    h.Record(v);
    INFO("value " << v);
    // Clamped to [min, max], so even a wide bucket reports the one value exactly.
    CHECK(h.Percentile(0) == v);
    CHECK(h.Percentile(50) == v);
    CHECK(h.Percentile(100) == v);
  }
}

TEST_CASE("histogram: percentiles of 1..100000 are within 1/64", "[histogram]") {
  constexpr int64_t kN = 100'000;
  LatencyHistogram h;
  for (int64_t v = 1; v <= kN; ++v) h.Record(v);
  REQUIRE(h.count() == kN);
  CHECK(h.min() == 1);
  CHECK(h.max() == kN);
  CHECK(h.mean() == Approx((kN + 1) / 2.0));
  for (double p : {0.001, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
    const auto exact = static_cast<double>(ExactPercentileOf1ToN(kN, p));
    const auto got = static_cast<double>(h.Percentile(p));
    INFO("p" << p << ": exact " << exact << ", got " << got);
    CHECK(std::abs(got - exact) <= exact / 64.0);
    // The reported value is the bucket's upper edge: never below the true sample.
    CHECK(got >= exact);
  }
  CHECK(h.Percentile(100) == kN);
}

TEST_CASE("histogram: p100 is the maximum", "[histogram]") {
  Rng rng(5);
  LatencyHistogram h;
  int64_t max = 0;
  for (int i = 0; i < 10'000; ++i) {
    const auto v = static_cast<int64_t>(rng.Exponential(20'000));
    max = std::max(max, v);
    h.Record(v);
  }
  CHECK(h.max() == max);
  CHECK(h.Percentile(100) == max);
  CHECK(h.Percentile(250) == max);  // clamped to 100
}

TEST_CASE("histogram: percentiles of random data are within 1/64", "[histogram]") {
  Rng rng(11);
  LatencyHistogram h;
  std::vector<int64_t> values;
  for (int i = 0; i < 20'000; ++i) {
    const auto v = static_cast<int64_t>(rng.Exponential(1e6)) + 1;
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const auto rank =
        static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    const auto exact = static_cast<double>(values[rank - 1]);
    const auto got = static_cast<double>(h.Percentile(p));
    INFO("p" << p << ": exact " << exact << ", got " << got);
    CHECK(std::abs(got - exact) <= exact / 64.0);
  }
}

TEST_CASE("histogram: very large values are kept", "[histogram]") {
  LatencyHistogram h;
  const int64_t big = INT64_MAX / 4;
  h.Record(1);
  h.Record(big);
  CHECK(h.max() == big);
  CHECK(h.Percentile(100) == big);
  CHECK(h.Percentile(50) == 1);
  uint64_t total = 0;
  for (const auto& b : Buckets(h)) {
    total += b.count;
    CHECK(b.lower <= b.upper);
  }
  CHECK(total == 2);
}

TEST_CASE("histogram: negative values count as 0", "[histogram]") {
  LatencyHistogram h;
  h.Record(-5);
  h.Record(-1'000'000);
  h.Record(10);
  CHECK(h.count() == 3);
  CHECK(h.min() == 0);
  CHECK(h.max() == 10);
  CHECK(h.mean() == Approx(10.0 / 3));
  CHECK(h.Percentile(50) == 0);
  const auto buckets = Buckets(h);
  REQUIRE(buckets.size() == 2);
  CHECK(buckets[0].lower == 0);
  CHECK(buckets[0].count == 2);
}

TEST_CASE("histogram: Merge equals recording both", "[histogram]") {
  Rng rng(3);
  LatencyHistogram a, b, both;
  for (int i = 0; i < 5000; ++i) {
    const auto v = static_cast<int64_t>(rng.Exponential(3000));
    (i % 3 == 0 ? a : b).Record(v);
    both.Record(v);
  }
  // b gets the smallest and the largest value, so min and max must come from the other side.
  b.Record(0);
  both.Record(0);
  a.Record(10'000'000);
  both.Record(10'000'000);

  LatencyHistogram merged = a;
  merged.Merge(b);
  CHECK(merged.count() == both.count());
  CHECK(merged.min() == both.min());
  CHECK(merged.max() == both.max());
  CHECK(merged.mean() == Approx(both.mean()));
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
    CHECK(merged.Percentile(p) == both.Percentile(p));
  const auto mb = Buckets(merged), bb = Buckets(both);
  REQUIRE(mb.size() == bb.size());
  for (size_t i = 0; i < mb.size(); ++i) {
    CHECK(mb[i].lower == bb[i].lower);
    CHECK(mb[i].upper == bb[i].upper);
    CHECK(mb[i].count == bb[i].count);
  }
}

TEST_CASE("histogram: Merge with empty sides", "[histogram]") {
  LatencyHistogram empty, h;
  h.Record(500);
  h.Record(700);

  LatencyHistogram into_empty;
  into_empty.Merge(h);
  CHECK(into_empty.count() == 2);
  CHECK(into_empty.min() == 500);  // not the empty side's 0
  CHECK(into_empty.max() == 700);

  h.Merge(empty);
  CHECK(h.count() == 2);
  CHECK(h.min() == 500);
  CHECK(h.max() == 700);
}

TEST_CASE("histogram: ForEachBucket counts sum to count, in increasing order", "[histogram]") {
  Rng rng(9);
  LatencyHistogram h;
  for (int i = 0; i < 30'000; ++i) h.Record(static_cast<int64_t>(rng.Exponential(50'000)));
  const auto buckets = Buckets(h);
  uint64_t total = 0;
  int64_t previous_upper = -1;
  for (const auto& b : buckets) {
    CHECK(b.count > 0);
    CHECK(b.lower > previous_upper);
    CHECK(b.lower <= b.upper);
    // Width at most 1/64 of the lower edge beyond the exact range.
    if (b.lower >= 128) CHECK(b.upper - b.lower + 1 <= b.lower / 64);
    previous_upper = b.upper;
    total += b.count;
  }
  CHECK(total == h.count());
  CHECK(buckets.front().lower <= h.min());
  CHECK(buckets.back().upper >= h.max());
}

TEST_CASE("histogram: bucket edges around 128 and powers of two", "[histogram]") {
  LatencyHistogram h;
  for (int64_t v : {127, 128, 129, 130, 255, 256, 257, 258, 259, 260}) h.Record(v);
  const auto buckets = Buckets(h);
  // 127 exact; 128-129 and 130-131 (width 2); 254-255; 256-259 and 260-263 (width 4).
  REQUIRE(buckets.size() == 6);
  CHECK(buckets[0].lower == 127);
  CHECK(buckets[0].upper == 127);
  CHECK(buckets[1].lower == 128);
  CHECK(buckets[1].upper == 129);
  CHECK(buckets[1].count == 2);
  CHECK(buckets[2].lower == 130);
  CHECK(buckets[2].upper == 131);
  CHECK(buckets[3].lower == 254);
  CHECK(buckets[3].upper == 255);
  CHECK(buckets[4].lower == 256);
  CHECK(buckets[4].upper == 259);
  CHECK(buckets[4].count == 4);
  CHECK(buckets[5].lower == 260);
  CHECK(buckets[5].upper == 263);
}

}  // namespace
}  // namespace meshsim

TEST_CASE("p99.9 of 1000 samples is the 999th, not the maximum") {
  // Regression: 99.9 / 100 * 1000 is 999.0000000000001 in binary, and ceil made it rank 1000.
  meshsim::LatencyHistogram h;
  for (int i = 0; i < 999; ++i) h.Record(1);
  h.Record(100);
  CHECK(h.Percentile(99.9) == 1);
  CHECK(h.Percentile(100) == 100);
}
