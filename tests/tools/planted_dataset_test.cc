// The shipped data set is exactly what the generator makes, and its tastes are planted: users'
// interactions concentrate in their cluster's genres.
#include "tools/planted_dataset.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "sim/scenario/dataset.h"
#include "sim/text/json_source.h"

namespace meshsim::tools {
namespace {

const std::string kShipped = MESHSIM_SOURCE_DIR "/scenarios/data/small";

// The files in `dir` are exactly what the generator makes from `options`.
void CheckShipped(const std::string& dir, const PlantedDatasetOptions& options,
                  const std::string& regenerate) {
  const PlantedDataset d = MakePlantedDataset(options);
  for (const auto& [name, text] :
       {std::pair{"users.csv", &d.users_csv}, std::pair{"items.csv", &d.items_csv},
        std::pair{"interactions.csv", &d.interactions_csv}}) {
    INFO(name << ": regenerate with build/tools/make_dataset " << regenerate);
    auto shipped = ReadTextFile(dir + "/" + name);
    REQUIRE(shipped.ok());
    CHECK(*shipped == *text);
  }
}

TEST_CASE("planted data set: the shipped files are the generator's output", "[tools]") {
  CheckShipped(kShipped, {}, "scenarios/data/small");
}

TEST_CASE("planted data set: the evaluation set under scenarios/data/planted is the generator's",
          "[tools]") {
  CheckShipped(MESHSIM_SOURCE_DIR "/scenarios/data/planted", EvalPlantedDatasetOptions(),
               "--eval scenarios/data/planted");
}

TEST_CASE("planted data set: users' interactions concentrate in their cluster's genres",
          "[tools]") {
  auto d = LoadDataset(kShipped, 1.0);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  const PlantedDatasetOptions o;
  CHECK(d->users.size() == static_cast<size_t>(o.users));
  CHECK(d->interactions.size() == static_cast<size_t>(o.interactions));
  CHECK(d->items.size() ==
        kPlantedSongGenres.size() * static_cast<size_t>(o.songs_per_genre + o.podcasts_per_genre +
                                                        o.late_podcasts_per_genre));
  double loyal = 0;
  for (const auto& e : d->interactions) {
    const std::string& genres = d->users[e.user].genres;  // "song-genre|podcast-genre"
    const std::string& genre = d->items[e.item].genre;
    loyal +=
        genres.substr(0, genres.find('|')) == genre || genres.substr(genres.find('|') + 1) == genre;
  }
  // Loyal draws, plus the disloyal ones that land in the cluster's genre by chance.
  const double p = o.loyalty + (1 - o.loyalty) / static_cast<double>(kPlantedSongGenres.size());
  const double n = static_cast<double>(d->interactions.size());
  CHECK(std::abs(loyal / n - p) < 5 * std::sqrt(p * (1 - p) / n));
  // The late podcasts are published half way through and only then interacted with.
  size_t late = 0;
  for (size_t i = 0; i < d->items.size(); ++i) {
    if (d->items[i].created_us == 0) continue;
    ++late;
    CHECK(d->items[i].created_us == o.span_s / 2 * 1'000'000);
    for (const auto& e : d->interactions) {
      if (e.item == i) REQUIRE(e.at_us >= d->items[i].created_us);
    }
  }
  CHECK(late == kPlantedPodcastGenres.size() * static_cast<size_t>(o.late_podcasts_per_genre));
}

}  // namespace
}  // namespace meshsim::tools
