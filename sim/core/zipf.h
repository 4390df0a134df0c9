// Zipf-distributed ranks: P(rank k) proportional to 1 / (k+1)^s over n ranks, sampled by binary
// search of precomputed cumulative weights (O(log n) a draw, no allocation). The weights are kept
// unnormalised, so a ranking that gains or loses items resizes in time proportional to the change.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/rng.h"

namespace meshsim {

class ZipfSampler {
 public:
  ZipfSampler() = default;
  // REQUIRES: s >= 0 (s = 0 is uniform).
  ZipfSampler(uint64_t n, double s);
  uint64_t size() const { return cumulative_.size(); }
  // Grows (appending ranks at the bottom) or shrinks (dropping the bottom ranks) to n ranks.
  void Resize(uint64_t n);
  // A rank in [0, n); 0 is the most popular. REQUIRES: n >= 1.
  uint64_t Sample(Rng& rng) const;
  // The probability of `rank`.
  double Probability(uint64_t rank) const;

 private:
  double s_ = 0;
  std::vector<double> cumulative_;  // sum of the weights of ranks 0..k
};

}  // namespace meshsim
