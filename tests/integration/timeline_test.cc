// Each timeline action's effect on the whole mesh, through the harness: publishing and retiring
// items, changing the rate and the rate curve, pausing and resuming a producer domain, and
// stopping and restarting a consumer function (lag grows, then drains, and nothing is lost).
#include <catch2/catch.hpp>
#include <set>

#include "apps/harness/harness.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"
#include "tests/support/read_topic.h"

using namespace meshsim;

namespace {

// A small mesh whose timeline is `timeline` (a JSON array's contents). `session` replaces the
// traffic's session settings (a key may be given once).
std::unique_ptr<Harness> Make(
    const std::string& timeline,
    const std::string& session = R"({"mean_events": 4, "mean_think_time_ms": 2000})") {
  const std::string text = R"({
    "name": "timeline", "seed": 9, "duration_s": 120,
    "population": {"users": 200, "songs": 300, "podcasts": 40},
    "traffic": {"events_per_second": 50, "popularity_skew": 1.1,
                "session": )" +
                           session + R"(},
    "topics": {"partitions": 3},
    "analytics": {"window_s": 10},
    "timeline": [)" + timeline +
                           "]}";
  auto scenario = ParseScenario(text, "timeline.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  return std::move(*h);
}

// Every interaction in the topic, read by a consumer group of the test's own.
std::vector<Interaction> Observed(Mesh& mesh) {
  std::vector<Interaction> out;
  for (const auto& r : testing::ReadTopic(*mesh.ports().stream, kInteractionsTopic)) {
    auto framed = UnframeRecord(r.value);
    REQUIRE(framed.ok());
    REQUIRE(DecodeInteraction(framed->payload, &out.emplace_back()));
  }
  return out;
}

// Events per analytics window (10 s), by window start in seconds.
std::map<int, uint64_t> EventsPerWindow(Mesh& mesh) {
  std::map<int, uint64_t> out;
  for (const auto& w : mesh.analytics().Windows())
    out[static_cast<int>(w.start_us / 1'000'000)] = w.events;
  return out;
}

void CheckNothingLost(Harness& h) {
  const auto report = h.Report();
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["counts"]["rejected"] == 0);
  CHECK(report["passed"] == true);
}

TEST_CASE("timeline: publish_items adds items that traffic then reaches", "[timeline]") {
  auto h = Make(R"({"at_s": 30, "action": "publish_items", "item_type": "PODCAST", "count": 10,
                    "genre": "news", "popularity_rank": 0})");
  REQUIRE(h->Run().ok());
  CheckNothingLost(*h);
  CHECK(h->mesh().metrics().topic(kPodcastsTopic).applied == 50);
  const auto& items = h->mesh().workload().items();
  REQUIRE(items.size() == 350);
  std::set<std::string> launched;
  for (size_t i = 340; i < 350; ++i) {
    CHECK(items[i].genre == "news");
    CHECK(items[i].created_us == 30'000'000);
    launched.insert(items[i].item_id);
  }
  size_t plays = 0;
  for (const auto& e : Observed(h->mesh())) {
    if (!launched.count(e.item_id)) continue;
    ++plays;
    CHECK(e.timestamp_us >= 30'000'000);
  }
  CHECK(plays > 20);
}

TEST_CASE("timeline: retire_items takes items out of the traffic", "[timeline]") {
  auto h = Make(R"({"at_s": 40, "action": "retire_items", "item_type": "SONG", "count": 12,
                    "pick": "most_popular"})");
  REQUIRE(h->Run().ok());
  CheckNothingLost(*h);
  const Workload& w = h->mesh().workload();
  std::set<std::string> retired;
  for (size_t i = 0; i < w.items().size(); ++i) {
    if (w.retired(i)) retired.insert(w.items()[i].item_id);
  }
  REQUIRE(retired.size() == 12);
  size_t before = 0, after = 0;
  for (const auto& e : Observed(h->mesh())) {
    if (retired.count(e.item_id)) ++(e.timestamp_us < 40'000'000 ? before : after);
  }
  CHECK(before > 100);  // the most popular songs, while they lasted
  CHECK(after == 0);
}

TEST_CASE("timeline: set_rate and set_curve change the rate from their time", "[timeline]") {
  SECTION("set_rate") {
    auto h = Make(R"({"at_s": 60, "action": "set_rate", "events_per_second": 250})");
    REQUIRE(h->Run().ok());
    CheckNothingLost(*h);
    const auto windows = EventsPerWindow(h->mesh());
    // Steady windows before (after a warm-up) and after (once sessions have caught up).
    for (int t : {20, 30, 40, 50}) {
      INFO("window " << t);
      CHECK(windows.at(t) > 300);
      CHECK(windows.at(t) < 700);
    }
    for (int t : {80, 90, 100, 110}) {
      INFO("window " << t);
      CHECK(windows.at(t) > 2000);
      CHECK(windows.at(t) < 3000);
    }
  }
  SECTION("set_curve: a burst on the action's clock") {
    auto h = Make(R"({"at_s": 30, "action": "set_curve",
                      "rate": {"curve": "burst", "base": 50, "peak": 600, "at_s": 30,
                               "duration_s": 20}})",
                  R"({"length": {"model": "constant", "events": 1}})");
    REQUIRE(h->Run().ok());
    CheckNothingLost(*h);
    const auto windows = EventsPerWindow(h->mesh());
    for (int t : {0, 10, 20, 30, 40, 50, 80, 90, 100, 110}) {
      INFO("window " << t);
      CHECK(windows.at(t) > 300);
      CHECK(windows.at(t) < 700);
    }
    for (int t : {60, 70}) {  // 30 s after the action, for 20 s
      INFO("window " << t);
      CHECK(windows.at(t) > 5000);
      CHECK(windows.at(t) < 7000);
    }
  }
}

TEST_CASE("timeline: a paused domain publishes nothing until it resumes", "[timeline]") {
  auto h = Make(R"({"at_s": 30, "action": "pause_domain", "domain": "interactions"},
                   {"at_s": 30, "action": "pause_domain", "domain": "songs"},
                   {"at_s": 40, "action": "publish_items", "item_type": "SONG", "count": 5},
                   {"at_s": 60, "action": "resume_domain", "domain": "interactions"},
                   {"at_s": 60, "action": "resume_domain", "domain": "songs"},
                   {"at_s": 70, "action": "publish_items", "item_type": "SONG", "count": 3})");
  REQUIRE(h->Run().ok());
  CheckNothingLost(*h);  // nothing generated while paused, so nothing dead-lettered either
  const auto windows = EventsPerWindow(h->mesh());
  CHECK(windows.at(20) > 300);
  CHECK(windows.count(30) == 0);
  CHECK(windows.count(40) == 0);
  CHECK(windows.count(50) == 0);
  CHECK(windows.at(70) > 300);
  CHECK(h->mesh().metrics().topic(kSongsTopic).applied == 303);  // the 5 were never made
  const auto report = h->Report();
  CHECK(report["timeline"].size() == 6);
  CHECK(report["timeline"][0]["describe"] == "pause the interactions domain");
}

// Interactions the broker acknowledged that the function has not yet applied. Negative when a
// batch in flight at a stop was applied twice (at least once).
int64_t Lag(Mesh& mesh) {
  const TopicCounts& c = mesh.metrics().topic(kInteractionsTopic);
  return static_cast<int64_t>(c.produced) - static_cast<int64_t>(c.applied);
}

TEST_CASE("timeline: a stopped consumer's lag grows, then drains after the restart", "[timeline]") {
  auto h = Make(R"({"at_s": 30, "action": "stop_consumer", "function": "InteractionsUpdate"},
                   {"at_s": 60, "action": "restart_consumer", "function": "InteractionsUpdate"},
                   {"at_s": 30, "action": "stop_consumer", "function": "InteractionsIngestor"},
                   {"at_s": 70, "action": "restart_consumer",
                    "function": "InteractionsIngestor"})");
  Mesh& mesh = h->mesh();
  Runtime& rt = h->runtime();
  rt.RunUntil(29'000'000);
  CHECK(Lag(mesh) < 200);  // a batching window's worth
  rt.RunUntil(31'000'000);
  const uint64_t applied = mesh.metrics().topic(kInteractionsTopic).applied;
  const uint64_t consumed = mesh.analytics().consumed();
  rt.RunUntil(45'000'000);
  const int64_t lag_45 = Lag(mesh);
  rt.RunUntil(59'000'000);
  const int64_t lag_59 = Lag(mesh);
  CHECK(mesh.metrics().topic(kInteractionsTopic).applied == applied);
  CHECK(mesh.analytics().consumed() == consumed);
  CHECK(lag_45 > 500);
  CHECK(lag_59 > lag_45 + 500);
  rt.RunUntil(65'000'000);
  CHECK(Lag(mesh) < lag_59 / 2);  // draining: each batch's PutEvents calls go one at a time
  CHECK(mesh.analytics().consumed() == consumed);  // the ingestor restarts at 70 s
  rt.RunUntil(80'000'000);
  CHECK(Lag(mesh) < 200);
  CHECK(Lag(mesh) > -300);  // redelivered: at most the batch in flight per partition (3 x 100)
  const uint64_t produced = mesh.metrics().topic(kInteractionsTopic).produced;
  CHECK(mesh.analytics().consumed() + 200 > produced);

  REQUIRE(h->Run().ok());
  CheckNothingLost(*h);
  // At least once: a batch in flight at the stop may come again after the restart.
  const TopicCounts& c = mesh.metrics().topic(kInteractionsTopic);
  CHECK(c.applied >= c.produced);
  CHECK(mesh.analytics().consumed() >= c.produced);
}

}  // namespace
