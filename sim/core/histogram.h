// A latency histogram with bounded memory and relative error (log-linear buckets, as in
// HdrHistogram): values up to 2^7 us are exact, larger ones land in one of 64 sub-buckets per
// power of two, so a percentile is within 1/64 (1.6%) of the true sample. Deterministic and
// mergeable, so a report built from it is byte-identical across runs of one seed.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

namespace meshsim {

class LatencyHistogram {
 public:
  // Records one sample in microseconds; negative values count as 0.
  void Record(int64_t us);
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  int64_t min() const { return count_ ? min_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }

  // The smallest recorded bucket's upper value at or below which `percent` (0..100] of the samples
  // fall, clamped to [min, max]. 0 when empty.
  int64_t Percentile(double percent) const;

  // Calls fn(lower_us, upper_us, count) for each non-empty bucket, in increasing order.
  void ForEachBucket(const std::function<void(int64_t, int64_t, uint64_t)>& fn) const;

 private:
  static constexpr int kSubBucketBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kExactBits = kSubBucketBits + 1;
  static constexpr int kBuckets = (64 - kExactBits + 2)
                                  << kSubBucketBits;  // 2^7 exact + 57 octaves
  static int BucketOf(uint64_t v);
  static int64_t LowerOf(int bucket);
  static int64_t UpperOf(int bucket);

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t max_ = 0;
  int64_t min_ = 0;
};

}  // namespace meshsim
