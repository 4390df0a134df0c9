// The shipped data set replayed through the whole mesh (scenarios/dataset_replay.json): every
// interaction arrives at its scaled time and is applied, the podcasts created half way through the
// data are published then, and the recommender recovers the tastes planted in the data.
#include <catch2/catch.hpp>
#include <map>

#include "apps/harness/harness.h"
#include "sim/ports/topics.h"
#include "sim/report/report.h"
#include "sim/scenario/dataset.h"
#include "tests/support/temp_dir.h"

using namespace meshsim;

namespace {

const std::string kScenario = MESHSIM_SOURCE_DIR "/scenarios/dataset_replay.json";

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t bar; (bar = s.find('|', from)) != std::string::npos; from = bar + 1) {
    out.push_back(s.substr(from, bar - from));
  }
  out.push_back(s.substr(from));
  return out;
}

TEST_CASE("dataset replay: every interaction is replayed at its time and applied", "[replay]") {
  auto h = Harness::FromFile(kScenario);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  Harness& harness = **h;
  const Dataset& data = *harness.scenario().data.dataset;
  const double scale = harness.scenario().data.time_scale;
  Mesh& mesh = harness.mesh();

  // Half way through the data (3600 s at 0.05 = 180 s) the late podcasts are published.
  const int64_t launch = static_cast<int64_t>(3600 * scale * 1e6);
  harness.runtime().RunUntil(launch - 1);
  CHECK(mesh.workload().items().size() == 300);
  const uint64_t before = mesh.workload().interactions_emitted();
  size_t due = 0;
  for (const auto& e : data.interactions) due += e.at_us < launch;
  CHECK(before == due);
  harness.runtime().RunUntil(launch);
  CHECK(mesh.workload().items().size() == 312);

  REQUIRE(harness.Run().ok());
  const auto report = harness.Report();
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["counts"]["by_topic"]["interactions"]["applied"] == 4000);
  CHECK(report["counts"]["by_topic"]["users"]["applied"] == 300);
  CHECK(report["counts"]["by_topic"]["songs"]["applied"] == 240);
  CHECK(report["counts"]["by_topic"]["podcasts"]["applied"] == 72);
  CHECK(report["workload"]["interactions"] == 4000);
  // The data's event types, as they were written.
  CHECK(report["analytics"]["by_event_type"]["subscribe"].get<uint64_t>() > 0);
  CHECK(report["analytics"]["by_event_type"]["follow"].get<uint64_t>() > 0);
}

TEST_CASE("dataset replay: recommendations recover the planted tastes", "[replay]") {
  auto h = Harness::FromFile(kScenario);
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const Dataset& data = *(*h)->scenario().data.dataset;
  std::map<std::string, std::string> genre_of;
  for (const auto& item : data.items) genre_of[item.item_id] = item.genre;
  double in_cluster = 0, total = 0;
  for (const auto& user : data.users) {
    const auto genres = Split(user.genres);  // the user's cluster: a song and a podcast genre
    auto recs = (*h)->mesh().Recommend(user.user_id, 10);
    REQUIRE(recs.ok());
    for (const auto& item : recs->item_list) {
      in_cluster +=
          std::find(genres.begin(), genres.end(), genre_of.at(item.item_id)) != genres.end();
      ++total;
    }
  }
  REQUIRE(total == 3000);
  // A quarter of the catalogue is in a user's cluster; the planted taste lifts it far above.
  INFO("share of recommendations in the user's cluster: " << in_cluster / total);
  CHECK(in_cluster / total > 0.7);
}

TEST_CASE("dataset replay: rows past the run's end are counted and named, not dropped silently",
          "[replay]") {
  // One early TIMESTAMP: the times count from it, so the other 60 rows land a day later, past a
  // 60 s run. Once 1 of 61 rows replayed and the run passed without a word.
  meshsim::testing::TempDir dir;
  dir.Write("d/items.csv", "ITEM_ID,ITEM_TYPE,GENRE\ns1,SONG,pop\n");
  dir.Write("d/users.csv", "USER_ID,GENRES\nu1,pop\n");
  std::string rows = "USER_ID,ITEM_ID,TIMESTAMP\nu1,s1,1000\n";
  for (int i = 0; i < 60; ++i) rows += "u1,s1," + std::to_string(87'400 + i) + "\n";
  dir.Write("d/interactions.csv", rows);
  const std::string scenario =
      dir.Write("s.json", R"({"name": "early", "duration_s": 60, "data": {"dir": "d"}})");
  auto h = Harness::FromFile(scenario);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  const auto& replay = report["workload"]["replay"];
  CHECK(replay["rows"] == 61);
  CHECK(replay["replayed"] == 1);
  CHECK(replay["past_end"] == 60);
  CHECK(replay["first_past_end_s"] == 86'400.0);
  const std::string summary = FormatSummary(report);
  CHECK(summary.find("replay: 1 of 61 data set interactions replayed\n") != std::string::npos);
  CHECK(summary.find("warning: 60 of the data set's interactions fall after the run's end (the "
                     "first 86400 s into the replay)") != std::string::npos);
}

}  // namespace
