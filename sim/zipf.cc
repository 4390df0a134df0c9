#include "sim/zipf.h"

#include <algorithm>
#include <cmath>

namespace meshsim {

ZipfSampler::ZipfSampler(uint64_t n, double s) {
  cdf_.resize(n);
  double total = 0;
  for (uint64_t k = 0; k < n; ++k) {
    total += 1.0 / std::pow(static_cast<double>(k + 1), s);
    cdf_[k] = total;
  }
  for (auto& c : cdf_) c /= total;
  if (!cdf_.empty()) cdf_.back() = 1.0;
}

uint64_t ZipfSampler::Sample(Rng& rng) const {
  const double u = rng.Uniform();
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return std::min<uint64_t>(static_cast<uint64_t>(it - cdf_.begin()), cdf_.size() - 1);
}

double ZipfSampler::Probability(uint64_t rank) const {
  if (rank >= cdf_.size()) return 0;
  return rank == 0 ? cdf_[0] : cdf_[rank] - cdf_[rank - 1];
}

}  // namespace meshsim
