#include "sim/core/zipf.h"

#include <algorithm>
#include <cmath>

namespace meshsim {

ZipfSampler::ZipfSampler(uint64_t n, double s) : s_(s) { Resize(n); }

void ZipfSampler::Resize(uint64_t n) {
  if (n <= cumulative_.size()) {
    cumulative_.resize(n);
    return;
  }
  cumulative_.reserve(n);
  double total = cumulative_.empty() ? 0 : cumulative_.back();
  for (uint64_t k = cumulative_.size(); k < n; ++k) {
    total += 1.0 / std::pow(static_cast<double>(k + 1), s_);
    cumulative_.push_back(total);
  }
}

uint64_t ZipfSampler::Sample(Rng& rng) const {
  const double u = rng.Uniform() * cumulative_.back();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return std::min<uint64_t>(static_cast<uint64_t>(it - cumulative_.begin()),
                            cumulative_.size() - 1);
}

double ZipfSampler::Probability(uint64_t rank) const {
  if (rank >= cumulative_.size()) return 0;
  const double weight = rank == 0 ? cumulative_[0] : cumulative_[rank] - cumulative_[rank - 1];
  return weight / cumulative_.back();
}

}  // namespace meshsim
