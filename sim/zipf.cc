#include "sim/zipf.h"

#include <algorithm>
#include <cmath>

namespace meshsim {

ZipfSampler::ZipfSampler(uint64_t n, double s) : s_(s) { Resize(n); }

void ZipfSampler::Resize(uint64_t n) {
  guide_stale_ = true;
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

void ZipfSampler::BuildGuide() const {
  const size_t n = cumulative_.size();
  const double slice = cumulative_.back() / static_cast<double>(n);
  guide_.resize(n);
  size_t k = 0;
  for (size_t b = 0; b < n; ++b) {
    const double lower = static_cast<double>(b) * slice;
    while (k < n && cumulative_[k] <= lower) ++k;
    guide_[b] = static_cast<uint32_t>(k);
  }
  guide_stale_ = false;
}

uint64_t ZipfSampler::Sample(Rng& rng) const {
  if (guide_stale_) BuildGuide();
  const size_t n = cumulative_.size();
  const double u = rng.Uniform() * cumulative_.back();
  const size_t b =
      std::min(n - 1, static_cast<size_t>(u * static_cast<double>(n) / cumulative_.back()));
  // The guide only gives a start: rounding may put u in a neighbouring slice, so walk back while
  // the rank before also exceeds u, then on while this one does not.
  size_t k = guide_[b];
  while (k > 0 && cumulative_[k - 1] > u) --k;
  while (k < n && cumulative_[k] <= u) ++k;
  return std::min<uint64_t>(k, n - 1);
}

double ZipfSampler::Probability(uint64_t rank) const {
  if (rank >= cumulative_.size()) return 0;
  const double weight = rank == 0 ? cumulative_[0] : cumulative_[rank] - cumulative_[rank - 1];
  return weight / cumulative_.back();
}

}  // namespace meshsim
