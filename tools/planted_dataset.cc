#include "tools/planted_dataset.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "sim/core/rng.h"
#include "sim/core/zipf.h"

namespace meshsim::tools {
namespace {

struct Item {
  std::string id;
  bool podcast;
  size_t genre;
  int64_t created;
};

struct Row {
  int64_t ts;
  size_t user;
  size_t item;
  const char* event_type;
};

std::string Numbered(const char* prefix, int n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, width, n);
  return buf;
}

const char* EventType(Rng& rng, bool podcast) {
  const double u = rng.Uniform();
  if (u < 0.70) return "play";
  if (u < 0.85) return "like";
  if (u < 0.95) return "skip";
  return podcast ? "subscribe" : "follow";
}

}  // namespace

PlantedDatasetOptions EvalPlantedDatasetOptions() {
  PlantedDatasetOptions o;
  o.seed = 5;
  o.users = 2000;
  o.songs_per_genre = 200;
  o.podcasts_per_genre = 45;
  o.late_podcasts_per_genre = 5;
  o.interactions = 50'000;
  o.span_s = 30 * 86'400;
  return o;
}

PlantedDataset MakePlantedDataset(const PlantedDatasetOptions& o) {
  Rng rng(o.seed);
  const size_t clusters = kPlantedSongGenres.size();

  // Items, genre by genre, in popularity order within the genre. The late podcasts head theirs.
  std::vector<Item> items;
  std::vector<std::vector<size_t>> song_ranked(clusters), podcast_ranked(clusters);
  int songs = 0, podcasts = 0;
  for (size_t g = 0; g < clusters; ++g) {
    for (int i = 0; i < o.songs_per_genre; ++i) {
      song_ranked[g].push_back(items.size());
      items.push_back({Numbered("song-", ++songs, 4), false, g,
                       o.start - 86'400 * static_cast<int64_t>(1 + rng.Below(365))});
    }
    for (int i = 0; i < o.late_podcasts_per_genre + o.podcasts_per_genre; ++i) {
      const bool late = i < o.late_podcasts_per_genre;
      podcast_ranked[g].push_back(items.size());
      items.push_back({Numbered("pod-", ++podcasts, 3), true, g,
                       late ? o.start + o.span_s / 2
                            : o.start - 86'400 * static_cast<int64_t>(1 + rng.Below(365))});
    }
  }

  // Users, each in a random cluster; activity is skewed (Zipf 0.6 over a shuffled order).
  std::vector<size_t> cluster(static_cast<size_t>(o.users));
  for (auto& c : cluster) c = rng.Below(clusters);
  std::vector<size_t> by_activity(cluster.size());
  std::iota(by_activity.begin(), by_activity.end(), size_t{0});
  for (size_t i = by_activity.size(); i > 1; --i)
    std::swap(by_activity[i - 1], by_activity[rng.Below(i)]);
  const ZipfSampler activity(by_activity.size(), 0.6);
  const ZipfSampler song_zipf(static_cast<uint64_t>(o.songs_per_genre), 0.9);
  const ZipfSampler podcast_zipf(
      static_cast<uint64_t>(o.podcasts_per_genre + o.late_podcasts_per_genre), 0.9);

  std::vector<Row> rows;
  for (int i = 0; i < o.interactions; ++i) {
    const int64_t ts = o.start + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(o.span_s)));
    const size_t user = by_activity[activity.Sample(rng)];
    const bool podcast = rng.Bernoulli(o.podcast_share);
    const size_t genre = rng.Bernoulli(o.loyalty) ? cluster[user] : rng.Below(clusters);
    const auto& ranked = podcast ? podcast_ranked[genre] : song_ranked[genre];
    size_t item;
    do {  // an item not yet created is drawn again
      item = ranked[(podcast ? podcast_zipf : song_zipf).Sample(rng)];
    } while (items[item].created > ts);
    rows.push_back({ts, user, item, EventType(rng, podcast)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.ts < b.ts; });

  auto user_id = [](size_t u) { return Numbered("user-", static_cast<int>(u + 1), 3); };
  PlantedDataset d;
  d.users_csv = "USER_ID,GENRES\n";
  for (size_t u = 0; u < cluster.size(); ++u) {
    d.users_csv += user_id(u) + "," + kPlantedSongGenres[cluster[u]] + "|" +
                   kPlantedPodcastGenres[cluster[u]] + "\n";
  }
  d.items_csv = "ITEM_ID,ITEM_TYPE,GENRE,CREATION_TIMESTAMP\n";
  for (const auto& item : items) {
    d.items_csv += item.id + (item.podcast ? ",PODCAST," : ",SONG,") +
                   (item.podcast ? kPlantedPodcastGenres : kPlantedSongGenres)[item.genre] + "," +
                   std::to_string(item.created) + "\n";
  }
  d.interactions_csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
  for (const auto& r : rows) {
    d.interactions_csv += user_id(r.user) + "," + items[r.item].id + "," + std::to_string(r.ts) +
                          "," + r.event_type + "\n";
  }
  return d;
}

}  // namespace meshsim::tools
