// The population-side generators with fixed seeds and tolerances: taste profiles (interactions
// concentrate in the favoured genres), Zipf popularity, event types (follow only for songs,
// subscribe only for podcasts), arrivals of new users and items, and what retiring items and
// pausing a domain do to the generators.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/core/zipf.h"
#include "sim/workload/workload.h"
#include "tests/sim/workload/workload_rig.h"

namespace meshsim {
namespace {

using testing::Rig;

std::string Json(const std::string& population, const std::string& traffic) {
  return R"({"name": "w", "seed": 11, "duration_s": 3600, "population": {)" + population +
         R"(}, "traffic": {)" + traffic + "}}";
}

void CheckCount(double observed, double expected) {
  INFO("observed " << observed << ", expected " << expected);
  CHECK(std::abs(observed - expected) <= 5 * std::sqrt(expected) + 3);
}

// A share of n draws is within five standard errors of p.
void CheckShare(double count, double n, double p) {
  INFO("share " << count / n << ", expected " << p << " of " << n);
  CHECK(std::abs(count / n - p) <= 5 * std::sqrt(p * (1 - p) / n) + 1e-9);
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t bar; (bar = s.find('|', from)) != std::string::npos; from = bar + 1) {
    out.push_back(s.substr(from, bar - from));
  }
  if (from < s.size()) out.push_back(s.substr(from));
  return out;
}

constexpr const char* kSixSongGenres =
    R"("songs": 600, "podcasts": 0,
       "song_genres": ["pop", "rock", "hiphop", "electronic", "jazz", "classical"])";

TEST_CASE("taste: favourites put focus on the favourite genres", "[workload][taste]") {
  Rig rig(Json(
      std::string(R"("users": 200, "favourite_genres": 2, "taste_focus": 0.8, )") + kSixSongGenres,
      R"("events_per_second": 200)"));
  // Each user's weights: focus / 2 on each favourite plus (1 - focus) / 6 on every genre.
  const auto taste = rig.workload->TasteOf(0, ItemType::kSong);
  REQUIRE(taste.size() == 6);
  int favourites = 0;
  for (double w : taste) {
    if (std::abs(w - (0.4 + 0.2 / 6)) < 1e-12) {
      ++favourites;
    } else {
      CHECK(w == Approx(0.2 / 6));
    }
  }
  CHECK(favourites == 2);

  rig.workload->Start();
  rig.RunUntil(300);
  std::map<std::string, std::set<std::string>> favourite;  // user -> favourite song genres
  const std::set<std::string> songs_genres = {"pop",        "rock", "hiphop",
                                              "electronic", "jazz", "classical"};
  for (const auto& u : rig.Users()) {
    for (const auto& g : Split(u.genres)) {
      if (songs_genres.count(g)) favourite[u.user_id].insert(g);
    }
    REQUIRE(favourite[u.user_id].size() == 2);
  }
  const auto genre_of = rig.GenreOf();
  double in_favourites = 0, n = 0;
  for (const auto& e : rig.Interactions()) {
    in_favourites += favourite[e.value.user_id].count(genre_of.at(e.value.item_id));
    ++n;
  }
  REQUIRE(n > 30'000);
  CheckShare(in_favourites, n, 0.8 + 0.2 * 2 / 6);
}

// The share of each user's interactions in their heaviest genre against the mean heaviest weight.
void CheckDirichlet(double concentration, double min_top, double max_top) {
  Rig rig(Json(R"("users": 300, "taste": {"model": "dirichlet", "concentration": )" +
                   std::to_string(concentration) + "}, " + kSixSongGenres,
               R"("events_per_second": 200)"));
  const std::vector<std::string> genres = rig.scenario->population.song_genres;
  std::vector<std::string> top(300);
  double mean_top = 0;
  for (size_t u = 0; u < 300; ++u) {
    const auto w = rig.workload->TasteOf(u, ItemType::kSong);
    double sum = 0;
    for (double x : w) sum += x;
    REQUIRE(sum == Approx(1.0));
    const auto heaviest = std::max_element(w.begin(), w.end());
    top[u] = genres[static_cast<size_t>(heaviest - w.begin())];
    mean_top += *heaviest / 300;
    // GENRES names the genres weighted above 1/6, heaviest first.
    std::vector<std::string> listed;  // the song genres of GENRES, which lists podcasts' too
    for (const auto& g : Split(rig.workload->users()[u].genres)) {
      if (std::find(genres.begin(), genres.end(), g) != genres.end()) listed.push_back(g);
    }
    std::vector<std::string> want;
    for (size_t g = 0; g < 6; ++g) {
      if (w[g] > 1.0 / 6) want.push_back(genres[g]);
    }
    CHECK(std::set<std::string>(listed.begin(), listed.end()) ==
          std::set<std::string>(want.begin(), want.end()));
    if (!listed.empty()) CHECK(listed.front() == top[u]);
  }
  INFO("concentration " << concentration << ": mean heaviest weight " << mean_top);
  CHECK(mean_top > min_top);
  CHECK(mean_top < max_top);

  rig.workload->Start();
  rig.RunUntil(300);
  const auto genre_of = rig.GenreOf();
  double in_top = 0, expected = 0, n = 0;
  for (const auto& e : rig.Interactions()) {
    const size_t u = std::stoul(e.value.user_id.substr(1));
    in_top += genre_of.at(e.value.item_id) == top[u];
    const auto w = rig.workload->TasteOf(u, ItemType::kSong);
    expected += *std::max_element(w.begin(), w.end());
    ++n;
  }
  CheckShare(in_top, n, expected / n);
}

TEST_CASE("taste: dirichlet weights concentrate as the concentration falls", "[workload][taste]") {
  // Symmetric Dirichlet over 6 genres: E[max weight] is about 0.63 at alpha 0.2, 0.25 at 20.
  SECTION("0.2: most weight on one genre") { CheckDirichlet(0.2, 0.5, 0.8); }
  SECTION("20: nearly uniform") { CheckDirichlet(20, 1.0 / 6, 0.32); }
}

TEST_CASE("popularity: picks within a genre follow Zipf", "[workload][zipf]") {
  Rig rig(Json(R"("users": 50, "songs": 1000, "podcasts": 0, "song_genres": ["only"])",
               R"("events_per_second": 300, "popularity_skew": 1.1)"));
  rig.workload->Start();
  rig.RunUntil(200);
  std::map<std::string, double> counts;
  double n = 0;
  for (const auto& e : rig.Interactions()) {
    ++counts[e.value.item_id];
    ++n;
  }
  std::vector<double> sorted;
  for (const auto& [item, c] : counts) sorted.push_back(c);
  std::sort(sorted.rbegin(), sorted.rend());
  const ZipfSampler zipf(1000, 1.1);
  for (size_t k = 0; k < 3; ++k) {
    INFO("rank " << k);
    CheckShare(sorted[k], n, zipf.Probability(k));
  }
  double top10 = 0, p10 = 0;
  for (size_t k = 0; k < 10; ++k) {
    top10 += sorted[k];
    p10 += zipf.Probability(k);
  }
  CheckShare(top10, n, p10);
}

TEST_CASE("event types: follow only for songs, subscribe only for podcasts", "[workload][events]") {
  Rig rig(Json(R"("users": 100, "songs": 300, "podcasts": 300)",
               R"("events_per_second": 300, "podcast_share": 0.5,
                  "event_types": {"play": 0.5, "skip": 0.2, "like": 0.1, "follow": 0.1,
                                  "subscribe": 0.1})"));
  rig.workload->Start();
  rig.RunUntil(200);
  std::map<std::string, double> songs, podcasts;
  double n_songs = 0, n_podcasts = 0;
  for (const auto& e : rig.Interactions()) {
    const bool song = e.value.item_id[0] == 's';
    ++(song ? songs : podcasts)[e.value.event_type];
    ++(song ? n_songs : n_podcasts);
  }
  CheckShare(n_podcasts, n_songs + n_podcasts, 0.5);
  CHECK(songs.count("subscribe") == 0);
  CHECK(podcasts.count("follow") == 0);
  // The rest rescaled by 1 / 0.9.
  for (const auto& [type, p] : std::map<std::string, double>{
           {"play", 0.5}, {"skip", 0.2}, {"like", 0.1}, {"follow", 0.1}}) {
    INFO("songs: " << type);
    CheckShare(songs[type], n_songs, p / 0.9);
  }
  for (const auto& [type, p] : std::map<std::string, double>{
           {"play", 0.5}, {"skip", 0.2}, {"like", 0.1}, {"subscribe", 0.1}}) {
    INFO("podcasts: " << type);
    CheckShare(podcasts[type], n_podcasts, p / 0.9);
  }
}

TEST_CASE("arrivals: new users and items arrive over time and take part", "[workload][arrivals]") {
  Rig rig(Json(R"("users": 100, "songs": 200, "podcasts": 50)",
               R"("events_per_second": 100, "session": {"mean_events": 4,
                  "mean_think_time_ms": 1000},
                  "arrivals": {"users_per_hour": 3600, "songs_per_hour": 1800,
                               "podcasts_per_hour": 720})"));
  rig.workload->Start();
  rig.RunUntil(600);
  const uint64_t users = rig.workload->users_arrived();
  CheckCount(static_cast<double>(users), 600);
  CHECK(rig.Users().size() == 100 + users);
  CHECK(rig.workload->users().size() == 100 + users);

  // Every new user started a session on arrival.
  std::set<std::string> active;
  for (const auto& e : rig.Interactions()) active.insert(e.value.user_id);
  for (size_t u = 100; u < 100 + users; ++u) {
    INFO("u" << u);
    REQUIRE(active.count("u" + std::to_string(u)));
  }
  // New items, by type, published and picked.
  size_t songs = 0, podcasts = 0;
  for (const auto& item : rig.Items()) ++(item.type == ItemType::kSong ? songs : podcasts);
  CheckCount(static_cast<double>(songs - 200), 300);
  CheckCount(static_cast<double>(podcasts - 50), 120);
  CHECK(rig.workload->items_arrived() == songs + podcasts - 250);
  std::set<std::string> picked;
  for (const auto& e : rig.Interactions(300'000'000)) picked.insert(e.value.item_id);
  size_t new_picked = 0;
  for (size_t i = 250; i < rig.workload->items().size(); ++i) {
    new_picked += picked.count(rig.workload->items()[i].item_id);
  }
  CHECK(new_picked > 50);
}

TEST_CASE("retire: the generator stops picking retired items", "[workload][retire]") {
  Rig rig(Json(R"("users": 100, "songs": 200, "podcasts": 20, "song_genres": ["pop", "rock"])",
               R"("events_per_second": 200, "popularity_skew": 1.2)"));
  rig.workload->Start();
  rig.RunUntil(60);
  Workload& w = *rig.workload;
  CHECK(w.RetireItems(ItemType::kSong, 10, "rock", RetirePick::kMostPopular) == 10);
  CHECK(w.RetireItemIds({"p3", "p3", "nope"}) == 1);
  std::set<std::string> retired;
  for (size_t i = 0; i < w.items().size(); ++i) {
    if (w.retired(i)) retired.insert(w.items()[i].item_id);
  }
  REQUIRE(retired.size() == 11);
  // The most popular rock songs were being picked before.
  double before = 0;
  for (const auto& e : rig.Interactions()) before += retired.count(e.value.item_id);
  CHECK(before > 500);
  const int64_t retired_at = rig.runtime->NowMicros();
  rig.RunUntil(180);
  double after = 0, rock_after = 0;
  const auto genre_of = rig.GenreOf();
  for (const auto& e : rig.Interactions(retired_at)) {
    after += retired.count(e.value.item_id);
    rock_after += genre_of.at(e.value.item_id) == "rock";
  }
  CHECK(after == 0);
  CHECK(rock_after > 1000);  // the rest of rock is still played

  SECTION("retiring every item leaves sessions running with nothing to play") {
    CHECK(w.RetireItems(ItemType::kSong, 1000, "", RetirePick::kRandom) == 190);
    CHECK(w.RetireItems(ItemType::kPodcast, 1000, "", RetirePick::kLeastPopular) == 19);
    const uint64_t emitted = w.interactions_emitted();
    const uint64_t sessions = w.sessions_started();
    rig.RunUntil(240);
    CHECK(w.interactions_emitted() == emitted);
    CHECK(w.sessions_started() > sessions);
    // Published items are picked again.
    w.PublishItems(ItemType::kPodcast, 3, "news", 0);
    rig.RunUntil(300);
    CHECK(w.interactions_emitted() > emitted);
  }
}

TEST_CASE("pause: a paused domain gets nothing from the workload", "[workload][pause]") {
  Rig rig(Json(R"("users": 100, "songs": 200, "podcasts": 20)",
               R"("events_per_second": 100, "session": {"mean_events": 5,
                  "mean_think_time_ms": 2000},
                  "arrivals": {"users_per_hour": 3600, "songs_per_hour": 3600})"));
  rig.workload->Start();
  rig.RunUntil(100);
  for (const char* topic : {kUsersTopic, kSongsTopic, kInteractionsTopic}) {
    rig.producer(topic).set_paused(true);
  }
  const size_t sent = rig.stream->sent.size();
  const uint64_t users = rig.workload->users().size();
  rig.workload->PublishItems(ItemType::kSong, 5, "", 0);
  rig.RunUntil(200);
  CHECK(rig.stream->sent.size() == sent);  // not sent, and not dead-lettered either
  CHECK(rig.metrics.dead_letters().empty());
  CHECK(rig.workload->users().size() == users);
  for (const char* topic : {kUsersTopic, kSongsTopic, kInteractionsTopic}) {
    rig.producer(topic).set_paused(false);
  }
  rig.RunUntil(300);
  const auto after = rig.Interactions(200'000'000);
  // Sessions arrive again (about 100 s at 100/s, a little less while they ramp up, a little more
  // from new users' first sessions).
  CHECK(after.size() > 8'000);
  CHECK(after.size() < 12'000);
  CHECK(rig.workload->users().size() > users + 50);
}

}  // namespace
}  // namespace meshsim
