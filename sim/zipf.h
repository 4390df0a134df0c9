// Zipf-distributed ranks: P(rank k) proportional to 1 / (k+1)^s over n ranks, sampled by inverting
// precomputed cumulative weights: the rank is the first whose cumulative weight exceeds a uniform
// draw. A guide table (one entry per rank: where the search for a draw in each of n equal slices
// of the total weight starts) makes that search a step or two instead of a binary search's
// log2(n) dependent loads, and finds exactly the rank a binary search would. The weights are kept
// unnormalised, so a ranking that gains or loses items resizes in time proportional to the
// change; the guide is rebuilt, in O(n), at the first draw after a resize.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/rng.h"

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
  void BuildGuide() const;

  double s_ = 0;
  std::vector<double> cumulative_;  // sum of the weights of ranks 0..k
  // A cache of cumulative_, so mutable: by slice b, the first rank whose weight sum exceeds b / n
  // of the total.
  mutable std::vector<uint32_t> guide_;
  mutable bool guide_stale_ = true;
};

}  // namespace meshsim
