#include "sim/timeline.h"

#include "sim/mesh.h"

namespace meshsim {

const std::vector<ActionSpec>& TimelineActions() {
  static const std::vector<ActionSpec> kActions = {
      {"publish_items", "the Songs or Podcasts domain publishes new items (cold start)",
       [](ObjectReader& r, const Scenario& s, std::string* describe) {
         const std::string type = r.RequiredString("item_type", {"SONG", "PODCAST"});
         const int64_t count = r.RequiredInt("count", 1, 1'000'000);
         const auto& genres = type == "SONG" ? s.population.song_genres
                                             : s.population.podcast_genres;
         std::string genre = r.String("genre", "");
         if (!genre.empty() && std::find(genres.begin(), genres.end(), genre) == genres.end()) {
           r.Error("genre", "unknown " + type + " genre \"" + genre + "\"");
         }
         // Where the new items enter their genre's popularity ranking: 0 = most popular.
         const double rank = r.Number("popularity_rank", 0.0, 0.0, 1.0);
         *describe = "publish " + std::to_string(count) + " " + type +
                     (genre.empty() ? "" : " (" + genre + ")");
         const ItemType item_type = type == "SONG" ? ItemType::kSong : ItemType::kPodcast;
         return std::function<void(Mesh&)>([=](Mesh& mesh) {
           mesh.PublishItems(item_type, count, genre, rank);
         });
       }},
      {"set_rate", "changes the interaction rate (events per second)",
       [](ObjectReader& r, const Scenario&, std::string* describe) {
         const double rate = r.RequiredNumber("events_per_second", 0, 1e7);
         *describe = "set rate to " + std::to_string(static_cast<int64_t>(rate)) + " events/s";
         return std::function<void(Mesh&)>([=](Mesh& mesh) { mesh.SetEventRate(rate); });
       }},
  };
  return kActions;
}

}  // namespace meshsim
