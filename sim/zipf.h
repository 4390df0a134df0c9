// Zipf-distributed ranks: P(rank k) proportional to 1 / (k+1)^s over n ranks, sampled by binary
// search of a precomputed CDF (O(log n) a draw, no allocation).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/rng.h"

namespace meshsim {

class ZipfSampler {
 public:
  ZipfSampler() = default;
  // REQUIRES: n >= 1, s >= 0 (s = 0 is uniform).
  ZipfSampler(uint64_t n, double s);
  uint64_t size() const { return cdf_.size(); }
  // A rank in [0, n); 0 is the most popular.
  uint64_t Sample(Rng& rng) const;
  // The probability of `rank`.
  double Probability(uint64_t rank) const;

 private:
  std::vector<double> cdf_;
};

}  // namespace meshsim
