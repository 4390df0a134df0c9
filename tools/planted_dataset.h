// A small data set in Personalize's CSV layout with tastes planted in it, for the replay scenario
// (scenarios/dataset_replay.json) and its tests: users fall into clusters, each cluster prefers
// one song genre and one podcast genre, and most of a user's interactions are with items of their
// cluster's genres. A recommender that learns from the interactions should recover the clusters.
//
// Deterministic: the same options give the same bytes, so the shipped files under
// scenarios/data/small/ are checked against a fresh generation (tests/tools/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace meshsim::tools {

struct PlantedDatasetOptions {
  uint64_t seed = 2024;
  int users = 300;
  int songs_per_genre = 60;
  int podcasts_per_genre = 15;
  int interactions = 4000;
  int64_t start = 1'700'000'000;  // the first possible TIMESTAMP, seconds since the epoch
  int64_t span_s = 2 * 3600;      // interactions fall in [start, start + span_s)
  double loyalty = 0.85;          // chance an interaction is in the user's cluster's genre
  double podcast_share = 0.2;
  // Podcasts per genre created half way through the span, at the top of their genre's
  // popularity: cold start inside the data.
  int late_podcasts_per_genre = 3;
};

// The larger set `meshsim eval` scores recipes on (scenarios/data/planted/): 2,000 users, 1,000
// items, 50,000 interactions over 30 days. Popularity within a genre is Zipf-skewed, so
// aws-popularity-count is a real baseline, and the clusters are what a personalized recipe must
// find to beat it.
PlantedDatasetOptions EvalPlantedDatasetOptions();

// One cluster per song genre; cluster c prefers kPlantedSongGenres[c] and kPlantedPodcastGenres[c].
inline const std::vector<std::string> kPlantedSongGenres = {"pop", "rock", "jazz", "classical"};
inline const std::vector<std::string> kPlantedPodcastGenres = {"news", "comedy", "true-crime",
                                                               "technology"};

struct PlantedDataset {
  std::string users_csv;         // USER_ID,GENRES — GENRES names the cluster's two genres
  std::string items_csv;         // ITEM_ID,ITEM_TYPE,GENRE,CREATION_TIMESTAMP
  std::string interactions_csv;  // USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE, by TIMESTAMP
};

PlantedDataset MakePlantedDataset(const PlantedDatasetOptions& options = {});

}  // namespace meshsim::tools
