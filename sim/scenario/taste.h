// Users' taste profiles: how much a user likes each genre of one item type, as weights that sum to
// 1. The workload picks the genre of each of the user's interactions from them, and publishes the
// user's favourite genres as their GENRES attribute.
//
// Two ways to draw them:
// - favourites (the default): the user picks `favourite_genres` genres of the type at random,
//   without replacement; an interaction is in one of them with probability `focus` (each equally)
//   and otherwise in any genre of the type (each equally). GENRES lists the favourites.
// - dirichlet: the weights are one draw of a symmetric Dirichlet(concentration): below 1, most of
//   a user's weight sits on one or two genres; at 1, every split is equally likely; far above 1,
//   every user likes every genre about equally. GENRES lists the genres weighted above the uniform
//   share 1/n, heaviest first.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/rng.h"

namespace meshsim {

enum class TasteModel { kFavourites, kDirichlet };

struct TasteParams {
  TasteModel model = TasteModel::kFavourites;
  int64_t favourite_genres = 2;  // favourites: genres each user prefers, per item type
  double focus = 0.8;            // favourites: share of interactions in the favourites
  double concentration = 0.5;    // dirichlet: alpha
};

// Writes one user's weights over `n` genres into weights[0..n) and appends the user's favourite
// genres (indices in [0, n), heaviest first) to `favourites`. Does nothing for n == 0.
void DrawTaste(const TasteParams& params, Rng& rng, size_t n, double* weights,
               std::vector<uint32_t>* favourites);

}  // namespace meshsim
