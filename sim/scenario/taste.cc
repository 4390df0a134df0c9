#include "sim/scenario/taste.h"

#include <algorithm>
#include <numeric>

namespace meshsim {

void DrawTaste(const TasteParams& params, Rng& rng, size_t n, double* weights,
               std::vector<uint32_t>* favourites) {
  if (n == 0) return;
  const double uniform = 1.0 / static_cast<double>(n);
  if (params.model == TasteModel::kFavourites) {
    std::vector<uint32_t> pool(n);
    std::iota(pool.begin(), pool.end(), 0u);
    const size_t k = std::min<size_t>(static_cast<size_t>(params.favourite_genres), n);
    for (size_t i = 0; i < n; ++i) weights[i] = (1 - params.focus) * uniform;
    for (size_t i = 0; i < k; ++i) {
      std::swap(pool[i], pool[i + rng.Below(n - i)]);
      weights[pool[i]] += params.focus / static_cast<double>(k);
      favourites->push_back(pool[i]);
    }
    return;
  }
  double total = 0;
  for (size_t i = 0; i < n; ++i) total += weights[i] = rng.Gamma(params.concentration);
  if (total <= 0) {  // every draw underflowed (a tiny concentration): all weight on one genre
    std::fill(weights, weights + n, 0.0);
    weights[rng.Below(n)] = total = 1;
  }
  for (size_t i = 0; i < n; ++i) weights[i] /= total;
  const size_t first = favourites->size();
  for (uint32_t i = 0; i < n; ++i) {
    if (weights[i] > uniform) favourites->push_back(i);
  }
  std::stable_sort(favourites->begin() + static_cast<std::ptrdiff_t>(first), favourites->end(),
                   [&](uint32_t a, uint32_t b) { return weights[a] > weights[b]; });
}

}  // namespace meshsim
