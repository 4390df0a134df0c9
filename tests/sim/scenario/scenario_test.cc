#include "sim/scenario/scenario.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "sim/text/json_source.h"
#include "tests/support/temp_dir.h"

namespace meshsim {
namespace {

using meshsim::testing::TempDir;

using Catch::Matchers::Contains;

// Parses `text` as "test.json" and returns the validation message. Asserts nothing itself, so it
// can sit inside a CHECK: a file that parses, or fails otherwise, gives a message no check expects.
std::string ErrorOf(const std::string& text) {
  auto result = ParseScenario(text, "test.json");
  if (result.ok()) return "<parsed without error>";
  if (result.status().code() != Code::kValidation)
    return "<not kValidation> " + result.status().ToString();
  return result.status().message();
}

// The number of lines (errors) in a message.
size_t LineCount(const std::string& message) {
  return static_cast<size_t>(std::count(message.begin(), message.end(), '\n')) + 1;
}

// A minimal valid scenario plus `extra` members (each starting with a comma).
std::string Minimal(const std::string& extra = "") {
  return R"({"name": "m", "duration_s": 30)" + extra + "}";
}

// ---------------------------------------------------------------------------------------------
// Valid files

TEST_CASE("scenario: a minimal file takes every default", "[scenario]") {
  auto parsed = ParseScenario(Minimal(), "min.json");
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  const Scenario& s = *parsed;
  const Scenario defaults;
  CHECK(s.name == "m");
  CHECK(s.description.empty());
  CHECK(s.file == "min.json");
  CHECK(s.seed == 1);
  CHECK(s.duration_us == 30 * kMicrosPerSecond);
  CHECK(s.partitions == 4);
  CHECK(s.population.users == defaults.population.users);
  CHECK(s.population.songs == defaults.population.songs);
  CHECK(s.population.podcasts == defaults.population.podcasts);
  CHECK(s.population.song_genres == defaults.population.song_genres);
  CHECK(s.population.podcast_genres == defaults.population.podcast_genres);
  CHECK(s.population.favourite_genres == 2);
  CHECK(s.population.taste_focus == 0.8);
  CHECK(s.traffic.rate.Describe() == "constant 100/s");
  CHECK(s.traffic.popularity_skew == 1.0);
  CHECK(s.traffic.podcast_share == 0.2);
  CHECK(s.traffic.session_length.Describe() == "geometric mean 8");
  CHECK(s.traffic.think_time.Describe() == "exponential mean 15000000us");
  CHECK(s.traffic.event_types == defaults.traffic.event_types);
  CHECK(s.recipe == "co-occurrence");
  CHECK(s.history_length == 50);
  CHECK(s.consumers.batch_size == 100);
  CHECK(s.consumers.batching_window_us == 500'000);
  CHECK(s.consumers.max_retries == 3);
  CHECK(s.analytics_window_us == 60 * kMicrosPerSecond);
  CHECK(s.analytics_top_n == 10);
  CHECK(s.latency.produce.Describe() == "constant 2000us");
  CHECK(s.latency.invoke.Describe() == "constant 15000us");
  CHECK(s.latency.recommender.Describe() == "constant 25000us");
  CHECK(s.timeline.empty());
}

// The shape of scenarios/music_streaming.json, with values moved off the defaults so that each
// check proves the field was read.
constexpr const char* kFull = R"({
  "name": "music_streaming",
  "description": "Songs, podcasts and a cold start.",
  "seed": 42,
  "duration_s": 600,
  "population": {
    "users": 2000,
    "songs": 5000,
    "podcasts": 300,
    "song_genres": ["pop", "rock", "jazz"],
    "podcast_genres": ["news", "true-crime"],
    "favourite_genres": 3,
    "taste_focus": 0.75
  },
  "traffic": {
    "events_per_second": 200,
    "popularity_skew": 1.1,
    "podcast_share": 0.25,
    "session": {"mean_events": 6, "mean_think_time_ms": 20000},
    "event_types": {"play": 0.6, "skip": 0.3, "like": 0.1}
  },
  "topics": {"partitions": 12},
  "recommender": {"recipe": "popularity", "history_length": 25},
  "consumers": {"batch_size": 50, "batching_window_ms": 250, "max_retries": 5},
  "analytics": {"window_s": 30, "top_n": 20},
  "latency": {
    "produce": {"model": "lognormal", "median_us": 3000, "sigma": 0.4},
    "invoke": {"model": "constant", "us": 12000},
    "recommender": {"model": "uniform", "min_us": 10000, "max_us": 20000}
  },
  "timeline": [
    {"at_s": 450, "action": "set_rate", "events_per_second": 400},
    {"at_s": 300, "action": "publish_items", "item_type": "PODCAST", "count": 40,
     "genre": "true-crime", "popularity_rank": 0.0},
    {"at_s": 300, "action": "publish_items", "item_type": "SONG", "count": 7}
  ]
})";

TEST_CASE("scenario: a full file sets every field", "[scenario]") {
  auto parsed = ParseScenario(kFull, "full.json");
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  const Scenario& s = *parsed;
  CHECK(s.name == "music_streaming");
  CHECK(s.description == "Songs, podcasts and a cold start.");
  CHECK(s.seed == 42);
  CHECK(s.duration_us == 600 * kMicrosPerSecond);
  CHECK(s.population.users == 2000);
  CHECK(s.population.songs == 5000);
  CHECK(s.population.podcasts == 300);
  CHECK(s.population.song_genres == std::vector<std::string>{"pop", "rock", "jazz"});
  CHECK(s.population.podcast_genres == std::vector<std::string>{"news", "true-crime"});
  CHECK(s.population.favourite_genres == 3);
  CHECK(s.population.taste_focus == 0.75);
  CHECK(s.traffic.rate.Describe() == "constant 200/s");
  CHECK(s.traffic.popularity_skew == 1.1);
  CHECK(s.traffic.podcast_share == 0.25);
  CHECK(s.traffic.session_length.Describe() == "geometric mean 6");
  CHECK(s.traffic.think_time.Describe() == "exponential mean 20000000us");
  // Sorted by name (the reader's order), each with its probability.
  const std::vector<std::pair<std::string, double>> types = {
      {"like", 0.1}, {"play", 0.6}, {"skip", 0.3}};
  CHECK(s.traffic.event_types == types);
  CHECK(s.partitions == 12);
  CHECK(s.recipe == "popularity");
  CHECK(s.history_length == 25);
  CHECK(s.consumers.batch_size == 50);
  CHECK(s.consumers.batching_window_us == 250'000);
  CHECK(s.consumers.max_retries == 5);
  CHECK(s.analytics_window_us == 30 * kMicrosPerSecond);
  CHECK(s.analytics_top_n == 20);
  CHECK(s.latency.produce.Describe() == "lognormal median 3000us sigma 0.400000");
  CHECK(s.latency.invoke.Describe() == "constant 12000us");
  CHECK(s.latency.recommender.Describe() == "uniform 10000us..20000us");

  // Sorted by time, stable for equal times.
  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].at_us == 300 * kMicrosPerSecond);
  CHECK(s.timeline[0].action == "publish_items");
  CHECK(s.timeline[0].describe == "publish 40 PODCAST (true-crime)");
  CHECK(s.timeline[1].at_us == 300 * kMicrosPerSecond);
  CHECK(s.timeline[1].describe == "publish 7 SONG");
  CHECK(s.timeline[2].at_us == 450 * kMicrosPerSecond);
  CHECK(s.timeline[2].action == "set_rate");
  CHECK(s.timeline[2].describe == "set rate to 400 events/s");
  // The actions are data the mesh interprets: their parameters are what the file said.
  const auto* podcasts = std::get_if<action::PublishItems>(&s.timeline[0].params);
  REQUIRE(podcasts != nullptr);
  CHECK(podcasts->type == ItemType::kPodcast);
  CHECK(podcasts->count == 40);
  CHECK(podcasts->genre == "true-crime");
  const auto* songs = std::get_if<action::PublishItems>(&s.timeline[1].params);
  REQUIRE(songs != nullptr);
  CHECK(songs->type == ItemType::kSong);
  CHECK(songs->count == 7);
  CHECK(songs->genre.empty());
  const auto* rate = std::get_if<action::SetRate>(&s.timeline[2].params);
  REQUIRE(rate != nullptr);
  CHECK(rate->events_per_second == 400);
}

TEST_CASE("scenario: the shipped music_streaming.json loads", "[scenario]") {
  const std::string path = std::string(MESHSIM_SOURCE_DIR) + "/scenarios/music_streaming.json";
  auto parsed = LoadScenario(path);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  CHECK(parsed->name == "music_streaming");
  CHECK(parsed->file == path);
  CHECK(parsed->seed == 42);
  CHECK(parsed->timeline.size() == 2);
}

// ---------------------------------------------------------------------------------------------
// One test per kind of error. Each message is "FILE:LINE:COL: at POINTER: WHAT".

TEST_CASE("scenario error: a second expectations block is refused, not silently the only one",
          "[scenario]") {
  // Once the last one won: a red expectation followed by an empty block passed.
  const std::string message = ErrorOf(
      "{\"name\": \"d\", \"duration_s\": 10,\n"
      " \"expectations\": [{\"metric\": \"e2e_latency_p99_ms\", \"op\": \"<\", \"value\": 0}],\n"
      " \"expectations\": []}");
  CHECK_THAT(message, Contains("test.json:3:2: key \"expectations\" given twice in the object at "
                               "/ (first at 2:2)"));
}

TEST_CASE("scenario error: invalid JSON names the line and column of the syntax error",
          "[scenario][errors]") {
  SECTION("a missing value") {
    const std::string message = ErrorOf("{\n  \"name\": \"x\",\n  \"duration_s\": ,\n}");
    CHECK_THAT(message, Contains("test.json:3:17: invalid JSON"));
    CHECK_THAT(message, Contains("unexpected ','"));
    CHECK(LineCount(message) == 1);
  }
  SECTION("a trailing comma") {
    const std::string message = ErrorOf("{\n \"name\": \"x\",\n \"duration_s\": 1,\n}");
    CHECK_THAT(message, Contains("test.json:4:1: invalid JSON"));
    CHECK_THAT(message, Contains("unexpected '}'"));
  }
  SECTION("end of input") {
    CHECK_THAT(ErrorOf("{\n \"name\": \"x\""), Contains("test.json:2:13: invalid JSON"));
    CHECK_THAT(ErrorOf(""), Contains("test.json:1:1: invalid JSON"));
  }
}

TEST_CASE("scenario error: an unknown top-level key", "[scenario][errors]") {
  const std::string message = ErrorOf(Minimal(R"(, "bogus": 2)"));
  CHECK(message ==
        "test.json:1:33: at /bogus: unknown key \"bogus\"; expected one of: $schema, analytics, "
        "backends, consumers, data, description, duration_s, expectations, latency, name, "
        "population, "
        "recommender, schemas, seed, stores, timeline, topics, traffic");
}

TEST_CASE("scenario error: an unknown nested key", "[scenario][errors]") {
  const std::string message = ErrorOf(
      "{\"name\": \"x\", \"duration_s\": 1,\n"
      " \"traffic\": {\"session\": {\"mean_events\": 3, \"oops\": 1}}}");
  CHECK(message ==
        "test.json:2:44: at /traffic/session/oops: unknown key \"oops\"; expected one of: "
        "length, mean_events, mean_think_time_ms, think_time");
  CHECK_THAT(ErrorOf(Minimal(R"(, "consumers": {"batch": 5})")),
             Contains("at /consumers/batch: unknown key \"batch\"; expected one of: batch_size, "
                      "batching_window_ms, concurrent_calls, max_retries"));
}

TEST_CASE("scenario error: a value of the wrong type", "[scenario][errors]") {
  SECTION("string and number") {
    const std::string message = ErrorOf(R"({"name": 5, "duration_s": "ten"})");
    CHECK_THAT(message, Contains("test.json:1:2: at /name: expected a string, got an integer"));
    CHECK_THAT(message,
               Contains("test.json:1:13: at /duration_s: expected a number, got a string"));
    CHECK(LineCount(message) == 2);
  }
  SECTION("an integer field given a fraction") {
    CHECK_THAT(
        ErrorOf(Minimal(R"(, "topics": {"partitions": 2.5})")),
        Contains("test.json:1:44: at /topics/partitions: expected an integer, got 2.5"));
  }
  SECTION("an object given an array") {
    CHECK_THAT(ErrorOf(Minimal(R"(, "traffic": [1])")),
               Contains("test.json:1:33: at /traffic: expected an object, got an array"));
  }
  SECTION("an array element") {
    CHECK_THAT(ErrorOf(Minimal(R"(, "population": {"song_genres": ["pop", 7]})")),
               Contains("at /population/song_genres/1: expected a string, got an integer"));
  }
  SECTION("the root") {
    CHECK_THAT(ErrorOf("[1, 2]"),
               Contains("test.json:1:1: at /: expected an object, got an array"));
  }
}

TEST_CASE("scenario error: a missing required field", "[scenario][errors]") {
  SECTION("name") {
    CHECK(ErrorOf(R"({"duration_s": 1})") ==
          "test.json:1:1: at /: missing required field \"name\" (a string)");
  }
  SECTION("duration_s") {
    CHECK(ErrorOf("\n  {\"name\": \"x\"}") ==
          "test.json:2:3: at /: missing required field \"duration_s\" (a number)");
  }
  SECTION("both") {
    const std::string message = ErrorOf("{}");
    CHECK_THAT(message, Contains("missing required field \"name\""));
    CHECK_THAT(message, Contains("missing required field \"duration_s\""));
    CHECK(LineCount(message) == 2);
  }
}

TEST_CASE("scenario error: a value out of range", "[scenario][errors]") {
  CHECK(ErrorOf(Minimal(R"(, "topics": {"partitions": 0})")) ==
        "test.json:1:44: at /topics/partitions: value 0 is out of range [1, 1024]");
  CHECK_THAT(ErrorOf(Minimal(R"(, "traffic": {"podcast_share": 1.5})")),
             Contains("at /traffic/podcast_share: value 1.5 is out of range [0, 1]"));
  CHECK_THAT(ErrorOf(R"({"name": "x", "duration_s": 0})"),
             Contains("test.json:1:15: at /duration_s: value 0 is out of range"));
  CHECK_THAT(
      ErrorOf(Minimal(R"(, "consumers": {"batching_window_ms": 300001})")),
      Contains("at /consumers/batching_window_ms: value 300001 is out of range [0, 300000]"));
}

TEST_CASE("scenario error: an unknown enum value", "[scenario][errors]") {
  CHECK(ErrorOf(Minimal(R"(, "recommender": {"recipe": "magic"})")) ==
        "test.json:1:49: at /recommender/recipe: unknown value \"magic\"; expected one of "
        "\"popularity\", \"co-occurrence\", \"aws-user-personalization\", "
        "\"aws-popularity-count\", \"aws-trending-now\"");
}

TEST_CASE("an aws-* recipe takes Personalize's settings", "[scenario]") {
  auto s = ParseScenario(
      Minimal(
          R"(, "recommender": {"recipe": "aws-user-personalization",)"
          R"( "hyperparameters": {"exploration_weight": 0.1, "bptt": "16", "recency_mask": true},)"
          R"( "min_provisioned_tps": 20,)"
          R"( "deploy_times": {"import_s": 10, "training_s": 60.5, "campaign_s": 0}})"),
      "test.json");
  REQUIRE(s.ok());
  CHECK(IsPersonalizeRecipe(s->recipe));
  CHECK(s->personalize.hyperparameters ==
        std::map<std::string, std::string>{
            {"bptt", "16"}, {"exploration_weight", "0.1"}, {"recency_mask", "true"}});
  CHECK(s->personalize.min_provisioned_tps == 20);
  CHECK(s->personalize.import_us == 10'000'000);
  CHECK(s->personalize.training_us == 60'500'000);
  CHECK(s->personalize.campaign_us == 0);
}

TEST_CASE("scenario error: Personalize's settings with a real-time recipe", "[scenario][errors]") {
  CHECK_THAT(
      ErrorOf(Minimal(R"(, "recommender": {"recipe": "popularity", "min_provisioned_tps": 5})")),
      Contains("at /recommender/min_provisioned_tps: min_provisioned_tps applies to the "
               "aws-* recipes (Personalize), not \"popularity\""));
  CHECK_THAT(ErrorOf(Minimal(R"(, "recommender": {"recipe": "aws-sims"})")),
             Contains("unknown value \"aws-sims\""));  // related items: no user to recommend for
  CHECK_THAT(ErrorOf(Minimal(R"(, "recommender": {"recipe": "aws-popularity-count",)"
                             R"( "hyperparameters": {"x": [1]}})")),
             Contains("hyperparameter \"x\" must be a string, a number or a boolean"));
}

TEST_CASE("scenario error: deploy_recommender needs Personalize, and products need stores",
          "[scenario][errors]") {
  CHECK_THAT(
      ErrorOf(Minimal(R"(, "timeline": [{"at_s": 1, "action": "deploy_recommender"}])")),
      Contains("at /timeline/0/action: deploy_recommender deploys a Personalize campaign: set "
               "recommender.recipe to an aws-* recipe, not \"co-occurrence\""));
  CHECK_THAT(ErrorOf(Minimal(R"(, "recommender": {"recipe": "aws-user-personalization"},)"
                             R"( "timeline": [{"at_s": 1, "action": "deploy_recommender",)"
                             R"( "source": "products"}])")),
             Contains("at /timeline/0/source: the products come from the producers' stores, "
                      "which are off"));
  auto ok = ParseScenario(Minimal(R"(, "recommender": {"recipe": "aws-user-personalization"},)"
                                  R"( "timeline": [{"at_s": 1, "action": "deploy_recommender"}])"),
                          "test.json");
  CHECK(ok.ok());  // from the events, without stores
}

TEST_CASE("scenario error: event types that do not add up to 1", "[scenario][errors]") {
  CHECK(ErrorOf(Minimal(R"(, "traffic": {"event_types": {"play": 0.5, "skip": 0.4}})")) ==
        "test.json:1:45: at /traffic/event_types: probabilities must add up to 1 (they add up to "
        "0.9)");
  CHECK_THAT(ErrorOf(Minimal(R"(, "traffic": {"event_types": {}})")),
             Contains("at /traffic/event_types: at least one event type is needed"));
  CHECK_THAT(ErrorOf(Minimal(R"(, "traffic": {"event_types": {"play": 1.5}})")),
             Contains("at /traffic/event_types/play: value 1.5 is out of range [0, 1]"));
}

TEST_CASE("scenario error: population rules", "[scenario][errors]") {
  CHECK_THAT(ErrorOf(Minimal(R"(, "population": {"songs": 0, "podcasts": 0})")),
             Contains("at /population: the population needs at least one song or podcast"));
  CHECK_THAT(
      ErrorOf(Minimal(R"(, "population": {"song_genres": ["pop"], "podcast_genres": ["pop"]})")),
      Contains("at /population/podcast_genres: genre \"pop\" is listed twice"));
  CHECK_THAT(ErrorOf(Minimal(R"(, "population": {"song_genres": []})")),
             Contains("at /population/song_genres: expected at least 1 entries"));
}

TEST_CASE("scenario error: a timeline entry with an unknown action", "[scenario][errors]") {
  const std::string message = ErrorOf(
      Minimal(",\n \"timeline\": [\n  {\"at_s\": 1, \"action\": \"explode\", \"power\": 9}\n ]"));
  // Its other keys are not reported: which keys are known depends on the action.
  CHECK(
      message ==
      "test.json:3:15: at /timeline/0/action: unknown action \"explode\"; expected one of "
      "publish_items, set_rate, set_curve, retire_items, pause_domain, resume_domain, "
      "stop_consumer, restart_consumer, broker_down, broker_errors, broker_latency, leader_change, "
      "poison_record, publish_record, evolve_schema, revoke_access, read_product, etl, "
      "deploy_recommender, duplicate_delivery, slow_consumer");
}

TEST_CASE("scenario error: a timeline entry past the end", "[scenario][errors]") {
  CHECK(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [)"
                R"({"at_s": 11, "action": "set_rate", "events_per_second": 5}]})") ==
        "test.json:1:47: at /timeline/0/at_s: time 11 s is past the end of the scenario (10 s)");
  // Exactly at the end is allowed.
  CHECK(ParseScenario(R"({"name": "x", "duration_s": 10, "timeline": [)"
                      R"({"at_s": 10, "action": "set_rate", "events_per_second": 5}]})",
                      "t.json")
            .ok());
}

TEST_CASE("scenario error: a timeline entry without at_s", "[scenario][errors]") {
  CHECK(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [)"
                R"({"action": "set_rate", "events_per_second": 5}]})") ==
        "test.json:1:46: at /timeline/0: missing required field \"at_s\" (a number)");
}

TEST_CASE("scenario error: timeline action parameters", "[scenario][errors]") {
  SECTION("an unknown genre in publish_items") {
    CHECK(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [{"at_s": 2, "action": )"
                  R"("publish_items", "item_type": "SONG", "count": 3, "genre": "polka"}]})") ==
          "test.json:1:118: at /timeline/0/genre: unknown SONG genre \"polka\"");
    // A podcast genre is not a song genre.
    CHECK_THAT(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [{"at_s": 2, "action": )"
                       R"("publish_items", "item_type": "SONG", "count": 3, "genre": "news"}]})"),
               Contains("unknown SONG genre \"news\""));
  }
  SECTION("an unknown key in an action") {
    CHECK_THAT(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [{"at_s": 2, "action": )"
                       R"("set_rate", "events_per_second": 5, "rate": 3}]})"),
               Contains("at /timeline/0/rate: unknown key \"rate\""));
  }
  SECTION("a missing parameter") {
    CHECK_THAT(ErrorOf(R"({"name": "x", "duration_s": 10, "timeline": [{"at_s": 2, "action": )"
                       R"("publish_items", "item_type": "SONG"}]})"),
               Contains("at /timeline/0: missing required field \"count\" (an integer)"));
  }
  SECTION("the timeline is not an array") {
    CHECK_THAT(ErrorOf(Minimal(R"(, "timeline": {})")),
               Contains("at /timeline: expected an array, got an object"));
  }
}

TEST_CASE("scenario error: every error is reported, in one message", "[scenario][errors]") {
  const std::string message = ErrorOf(R"({
  "duration_s": 10,
  "bogus": true,
  "topics": {"partitions": 0},
  "recommender": {"recipe": "magic"},
  "traffic": {"event_types": {"play": 0.5}},
  "timeline": [
    {"at_s": 20, "action": "set_rate", "events_per_second": 5},
    {"at_s": 1, "action": "nope"}
  ]
})");
  CHECK(LineCount(message) == 7);
  CHECK_THAT(message, Contains("test.json:1:1: at /: missing required field \"name\""));
  CHECK_THAT(message, Contains("test.json:3:3: at /bogus: unknown key"));
  CHECK_THAT(message, Contains("test.json:4:14: at /topics/partitions: value 0 is out of range"));
  CHECK_THAT(message, Contains("test.json:5:19: at /recommender/recipe: unknown value \"magic\""));
  CHECK_THAT(message, Contains("test.json:6:15: at /traffic/event_types: probabilities must add"));
  CHECK_THAT(message, Contains("test.json:8:6: at /timeline/0/at_s: time 20 s is past the end"));
  CHECK_THAT(message, Contains("test.json:9:17: at /timeline/1/action: unknown action \"nope\""));
}

// A missing or invalid duration_s is its own error; it should not also make every timeline entry
// "past the end" of the 1 ms duration the reader falls back to.
TEST_CASE("scenario error: a bad duration_s is not blamed on the timeline", "[scenario][errors]") {
  const std::string message =
      ErrorOf(R"({"name": "x", "timeline": [)"
              R"({"at_s": 1, "action": "set_rate", "events_per_second": 5}]})");
  CHECK_THAT(message, Contains("missing required field \"duration_s\""));
  CHECK(LineCount(message) == 1);
  CHECK_THAT(message, !Contains("past the end"));
}

TEST_CASE("scenario error: keys with '/' and '~' are escaped in the JSON pointer",
          "[scenario][errors]") {
  const std::string message = ErrorOf(Minimal(R"(, "population": {"a/b": 1, "c~d": 2})"));
  CHECK_THAT(message, Contains("test.json:1:48: at /population/a~1b: unknown key \"a/b\""));
  CHECK_THAT(message, Contains("test.json:1:58: at /population/c~0d: unknown key \"c~d\""));
  // An event type named with both, out of range: the pointer reaches the right member.
  CHECK_THAT(ErrorOf(Minimal(R"(, "traffic": {"event_types": {"~/x": 2}})")),
             Contains("test.json:1:61: at /traffic/event_types/~0~1x: value 2 is out of range"));
}

// ---------------------------------------------------------------------------------------------
// Files

TEST_CASE("scenario: LoadScenario of a missing file is kResourceNotFound", "[scenario][files]") {
  TempDir dir("meshsim_scenario_test_");
  const std::string path = (dir.path() / "absent.json").string();
  auto loaded = LoadScenario(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == Code::kResourceNotFound);
  CHECK_THAT(loaded.status().message(), Contains(path));
}

TEST_CASE("scenario: LoadScenario names the file in its errors", "[scenario][files]") {
  TempDir dir("meshsim_scenario_test_");
  const std::string good = dir.Write("good.json", Minimal());
  auto loaded = LoadScenario(good);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->file == good);

  const std::string bad = dir.Write("bad.json", "{\n  \"name\": \"x\",\n  \"duration_s\": -1\n}\n");
  auto failed = LoadScenario(bad);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == Code::kValidation);
  CHECK_THAT(failed.status().message(), Contains(bad + ":3:3: at /duration_s: value -1"));
}

// ---------------------------------------------------------------------------------------------
// JsonSource positions, directly.

JsonSource MustParse(const std::string& text) {
  auto source = JsonSource::Parse(text, "pos.json");
  INFO(source.status().ToString());
  REQUIRE(source.ok());
  return std::move(source).value();
}

std::pair<int, int> At(const JsonSource& source, const std::string& pointer) {
  const SourcePosition p = source.PositionOf(pointer);
  return {p.line, p.column};
}

TEST_CASE("json source: positions in nested objects and arrays over several lines",
          "[scenario][json_source]") {
  const JsonSource source = MustParse(
      "{\n"
      "  \"a\": {\"b\": [1, {\"c\": true}]},\n"
      "  \"d\": \"x\",\n"
      "  \"e\": [\n"
      "    [],\n"
      "    {},\n"
      "    -1.5e3\n"
      "  ]\n"
      "}\n");
  using P = std::pair<int, int>;
  CHECK(At(source, "") == P{1, 1});
  CHECK(At(source, "/a") == P{2, 3});  // a member: where its key starts
  CHECK(At(source, "/a/b") == P{2, 9});
  CHECK(At(source, "/a/b/0") == P{2, 15});  // an element: where its value starts
  CHECK(At(source, "/a/b/1") == P{2, 18});
  CHECK(At(source, "/a/b/1/c") == P{2, 19});
  CHECK(At(source, "/d") == P{3, 3});
  CHECK(At(source, "/e") == P{4, 3});
  CHECK(At(source, "/e/0") == P{5, 5});
  CHECK(At(source, "/e/1") == P{6, 5});
  CHECK(At(source, "/e/2") == P{7, 5});
}

TEST_CASE("json source: a missing pointer falls back to its nearest ancestor",
          "[scenario][json_source]") {
  const JsonSource source = MustParse("{\n  \"a\": {\"b\": 1}\n}");
  using P = std::pair<int, int>;
  CHECK(At(source, "/a/zzz") == P{2, 3});
  CHECK(At(source, "/a/b/deeper/still") == P{2, 9});
  CHECK(At(source, "/nope") == P{1, 1});
}

TEST_CASE("json source: strings with escapes and brackets do not confuse positions",
          "[scenario][json_source]") {
  const JsonSource source =
      MustParse(R"({"s": "a\"}{[\\", "t": "\u00e9", "n": 2, "k\"q": {"z": null}})");
  using P = std::pair<int, int>;
  CHECK(At(source, "/s") == P{1, 2});
  CHECK(At(source, "/t") == P{1, 19});
  CHECK(At(source, "/n") == P{1, 34});
  CHECK(At(source, "/k\"q") == P{1, 42});
  CHECK(At(source, "/k\"q/z") == P{1, 51});
}

TEST_CASE("json source: keys with '/' and '~' use RFC 6901 escapes", "[scenario][json_source]") {
  CHECK(JsonPointerEscape("plain") == "plain");
  CHECK(JsonPointerEscape("a/b") == "a~1b");
  CHECK(JsonPointerEscape("c~d") == "c~0d");
  CHECK(JsonPointerEscape("~/") == "~0~1");
  CHECK(JsonPointerEscape("") == "");

  const JsonSource source = MustParse("{\"a/b\": 1,\n \"c~d\": {\"~1\": 2}}");
  using P = std::pair<int, int>;
  CHECK(At(source, "/a~1b") == P{1, 2});
  CHECK(At(source, "/c~0d") == P{2, 2});
  CHECK(At(source, "/c~0d/~01") == P{2, 10});
}

TEST_CASE("json source: Describe formats FILE:LINE:COL: at POINTER: MESSAGE",
          "[scenario][json_source]") {
  const JsonSource source = MustParse("{\n  \"x\": [10, 20]\n}");
  CHECK(source.filename() == "pos.json");
  CHECK(source.Describe("/x/1", "too big") == "pos.json:2:13: at /x/1: too big");
  CHECK(source.Describe("", "bad root") == "pos.json:1:1: at /: bad root");
  CHECK(source.root()["x"][1] == 20);
}

TEST_CASE("json source: Load of a missing file is kResourceNotFound", "[scenario][json_source]") {
  auto loaded = JsonSource::Load("/nonexistent/meshsim/none.json");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == Code::kResourceNotFound);
  CHECK_THAT(loaded.status().message(), Contains("/nonexistent/meshsim/none.json"));
}

TEST_CASE("scenario: the producers' stores are off unless asked for", "[scenario][stores]") {
  auto off = ParseScenario(Minimal(), "min.json");
  REQUIRE(off.ok());
  CHECK_FALSE(off->stores.enabled);
  auto on = ParseScenario(Minimal(R"(, "stores": {"enabled": true, "landing_interval_s": 10},
 "timeline": [{"at_s": 1, "action": "etl", "domain": "all"}])"),
                          "on.json");
  REQUIRE(on.ok());
  CHECK(on->stores.enabled);
  CHECK(on->stores.landing_interval_us == 10'000'000);
  REQUIRE(on->timeline.size() == 1);
  CHECK(on->timeline[0].describe == "every producer's ETL job");
}

TEST_CASE("scenario error: an etl action without the stores, or of no domain",
          "[scenario][errors][stores]") {
  CHECK(ErrorOf(Minimal(R"(,
 "timeline": [{"at_s": 1, "action": "etl", "domain": "users"}])")) ==
        "test.json:2:27: at /timeline/0/action: etl reads the producers' stores, which are off: "
        "set \"stores\": {\"enabled\": true}");
  CHECK_THAT(ErrorOf(Minimal(R"(, "stores": {"enabled": true},
 "timeline": [{"at_s": 1, "action": "etl", "domain": "analytics"}])")),
             Contains("at /timeline/0/domain: unknown value \"analytics\"; expected one of "
                      "\"users\", \"songs\", \"podcasts\", \"interactions\", \"all\""));
  CHECK_THAT(ErrorOf(Minimal(R"(, "stores": {"enabled": "yes", "landing_interval_s": 0})")),
             Contains("at /stores/enabled: expected a boolean") &&
                 Contains("at /stores/landing_interval_s:"));
}

}  // namespace
}  // namespace meshsim

TEST_CASE("scenario error: JSON nested deeper than 64 levels is refused before it is walked") {
  // Regression: 200,000 nested '[' overflowed the stack of the position scanner.
  const std::string deep =
      "{\"name\": \"x\", \"duration_s\": 1, \"description\": " + std::string(200'000, '[') +
      std::string(200'000, ']') + "}";
  auto s = meshsim::ParseScenario(deep, "deep.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("deep.json:1:") == 0);
  CHECK(s.status().message().find("nested deeper than 64 levels") != std::string::npos);
}
