#include "sim/core/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace meshsim {

int LatencyHistogram::BucketOf(uint64_t v) {
  if (v < (uint64_t{1} << kExactBits)) return static_cast<int>(v);
  const int msb = 63 - std::countl_zero(v);
  const int shift = msb - kSubBucketBits;
  const int sub = static_cast<int>(v >> shift) - (1 << kSubBucketBits);
  return (1 << kExactBits) + ((msb - kExactBits) << kSubBucketBits) + sub;
}

int64_t LatencyHistogram::LowerOf(int bucket) {
  if (bucket < (1 << kExactBits)) return bucket;
  const int k = bucket - (1 << kExactBits);
  const int msb = kExactBits + (k >> kSubBucketBits);
  const int sub = k & ((1 << kSubBucketBits) - 1);
  return static_cast<int64_t>((uint64_t{1} << kSubBucketBits) + sub) << (msb - kSubBucketBits);
}

int64_t LatencyHistogram::UpperOf(int bucket) {
  if (bucket < (1 << kExactBits)) return bucket;
  const int k = bucket - (1 << kExactBits);
  const int msb = kExactBits + (k >> kSubBucketBits);
  return LowerOf(bucket) + (int64_t{1} << (msb - kSubBucketBits)) - 1;
}

void LatencyHistogram::Record(int64_t us) {
  if (us < 0) us = 0;
  ++counts_[BucketOf(static_cast<uint64_t>(us))];
  if (count_ == 0 || us < min_) min_ = us;
  if (us > max_) max_ = us;
  ++count_;
  sum_ += us;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

int64_t LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  percent = std::clamp(percent, 0.0, 100.0);
  // The rank of the sample at `percent`, 1-based: ceil(p/100 * n), at least 1.
  // The epsilon keeps 99.9 / 100 * 1000 (999.0000000000001 in binary) at rank 999.
  auto rank =
      static_cast<uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(UpperOf(i), min_, max_);
  }
  return max_;
}

void LatencyHistogram::ForEachBucket(
    const std::function<void(int64_t, int64_t, uint64_t)>& fn) const {
  for (int i = 0; i < kBuckets; ++i) {
    if (counts_[i] != 0) fn(LowerOf(i), UpperOf(i), counts_[i]);
  }
}

}  // namespace meshsim
