// The scenario fields of the generators and of the timeline actions that steer them: rate curves,
// sessions, tastes, arrivals, event types, and each action's parameters — what they read into, and
// one test per kind of error.
#include <catch2/catch.hpp>
#include <string>

#include "sim/scenario/scenario.h"

namespace meshsim {
namespace {

using Catch::Matchers::Contains;

std::string ErrorOf(const std::string& text) {
  auto result = ParseScenario(text, "test.json");
  if (result.ok()) return "<parsed without error>";
  return result.status().message();
}

Scenario Parse(const std::string& text) {
  auto result = ParseScenario(text, "test.json");
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return std::move(*result);
}

std::string WithTraffic(const std::string& traffic) {
  return R"({"name": "t", "duration_s": 600, "traffic": {)" + traffic + "}}";
}

std::string WithTimeline(const std::string& entries) {
  return R"({"name": "t", "duration_s": 600, "timeline": [)" + entries + "]}";
}

TEST_CASE("scenario traffic: rate curves", "[scenario][traffic]") {
  CHECK(Parse(WithTraffic(R"("events_per_second": 40)")).traffic.rate.Describe() ==
        "constant 40/s");
  CHECK(Parse(WithTraffic(R"("rate": {"curve": "constant", "events_per_second": 5})"))
            .traffic.rate.Describe() == "constant 5/s");
  CHECK(Parse(WithTraffic(R"("rate": {"curve": "ramp", "from": 10, "to": 90, "over_s": 60})"))
            .traffic.rate.Describe() == "ramp 10/s to 90/s over 60 s");
  CHECK(Parse(WithTraffic(R"("rate": {"curve": "diurnal", "mean": 100, "amplitude": 80,
                                      "period_s": 86400, "phase_s": 50400})"))
            .traffic.rate.Describe() == "diurnal 100/s +- 80/s, period 86400 s, peak at 50400 s");
  CHECK(Parse(WithTraffic(R"("rate": {"curve": "diurnal", "mean": 10, "amplitude": 5,
                                      "period_s": 60})"))
            .traffic.rate.At(0) == Approx(15));  // phase_s defaults to 0: the peak at the start
  CHECK(Parse(WithTraffic(R"("rate": {"curve": "burst", "base": 100, "peak": 1000, "at_s": 120,
                                      "duration_s": 60})"))
            .traffic.rate.Describe() == "burst 100/s, 1000/s from 120 s for 60 s");
}

TEST_CASE("scenario traffic: sessions, tastes, arrivals", "[scenario][traffic]") {
  const Scenario s = Parse(R"({"name": "t", "duration_s": 600,
    "population": {"taste": {"model": "dirichlet", "concentration": 0.3}},
    "traffic": {
      "session": {"length": {"model": "uniform", "min": 2, "max": 9},
                  "think_time": {"model": "lognormal", "median_us": 4000000, "sigma": 0.5}},
      "arrivals": {"users_per_hour": 120, "podcasts_per_hour": 6},
      "event_types": {"play": 0.8, "follow": 0.1, "subscribe": 0.1}}})");
  CHECK(s.population.taste_model == TasteModel::kDirichlet);
  CHECK(s.population.taste_concentration == 0.3);
  CHECK(s.traffic.session_length.Describe() == "uniform 2..9");
  CHECK(s.traffic.session_length.Mean() == 5.5);
  CHECK(s.traffic.think_time.Describe() == "lognormal median 4000000us sigma 0.500000");
  CHECK(s.traffic.arrivals.users_per_hour == 120);
  CHECK(s.traffic.arrivals.songs_per_hour == 0);
  CHECK(s.traffic.arrivals.podcasts_per_hour == 6);

  const Scenario f = Parse(R"({"name": "t", "duration_s": 600, "population": {
    "taste": {"model": "favourites", "favourite_genres": 3, "focus": 0.6}}})");
  CHECK(f.population.taste_model == TasteModel::kFavourites);
  CHECK(f.population.favourite_genres == 3);
  CHECK(f.population.taste_focus == 0.6);
  CHECK(Parse(WithTraffic(R"("session": {"length": {"model": "constant", "events": 4}})"))
            .traffic.session_length.Mean() == 4);
}

TEST_CASE("scenario traffic error: a field and its shorthand together", "[scenario][errors]") {
  CHECK_THAT(ErrorOf(WithTraffic(R"("events_per_second": 5, "rate": {"curve": "constant",
                                                               "events_per_second": 5})")),
             Contains("at /traffic/rate: give either \"rate\" or its shorthand events_per_second"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("session": {"mean_events": 3,
                                    "length": {"model": "constant", "events": 3}})")),
             Contains("at /traffic/session/length: give either \"length\" or its shorthand"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("session": {"mean_think_time_ms": 3,
                                    "think_time": {"model": "constant", "us": 3}})")),
             Contains("at /traffic/session/think_time: give either \"think_time\""));
  CHECK_THAT(ErrorOf(R"({"name": "t", "duration_s": 1, "population": {"taste_focus": 0.5,
                         "taste": {"model": "dirichlet"}}})"),
             Contains("at /population/taste: give either \"taste\" or its shorthand"));
}

TEST_CASE("scenario traffic error: bad curves", "[scenario][errors]") {
  CHECK(ErrorOf(WithTraffic(R"("rate": {"curve": "sawtooth"})")) ==
        "test.json:1:55: at /traffic/rate/curve: unknown value \"sawtooth\"; expected one of "
        "\"constant\", \"ramp\", \"diurnal\", \"burst\"");
  CHECK_THAT(ErrorOf(WithTraffic(R"("rate": {"curve": "diurnal", "mean": 10, "amplitude": 20,
                                            "period_s": 60})")),
             Contains("at /traffic/rate/amplitude: the amplitude must not exceed the mean"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("rate": {"curve": "ramp", "from": 1, "to": 2})")),
             Contains("at /traffic/rate: missing required field \"over_s\" (a number)"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("rate": {"curve": "burst", "base": 1, "peak": 2, "at_s": 1,
                                            "duration_s": 1, "width": 3})")),
             Contains("at /traffic/rate/width: unknown key \"width\""));
  CHECK_THAT(ErrorOf(WithTraffic(R"("rate": {"curve": "constant", "events_per_second": -1})")),
             Contains("at /traffic/rate/events_per_second: value -1 is out of range"));
}

TEST_CASE("scenario traffic error: bad sessions", "[scenario][errors]") {
  CHECK_THAT(ErrorOf(WithTraffic(R"("session": {"length": {"model": "uniform", "min": 5,
                                                           "max": 2}})")),
             Contains("at /traffic/session/length/max: max must be at least min"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("session": {"length": {"model": "geometric", "mean": 0.5}})")),
             Contains("at /traffic/session/length/mean: value 0.5 is out of range"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("session": {"think_time": {"model": "exponential"}})")),
             Contains("at /traffic/session/think_time: missing required field \"mean_us\""));
}

TEST_CASE("scenario traffic error: event types a song or a podcast cannot have",
          "[scenario][errors]") {
  CHECK_THAT(ErrorOf(WithTraffic(R"("event_types": {"subscribe": 1})")),
             Contains("at /traffic/event_types: songs and podcasts each need an event type: "
                      "\"subscribe\" applies only to podcasts"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("event_types": {"follow": 1})")),
             Contains("\"follow\" applies only to songs"));
}

TEST_CASE("scenario traffic error: bad arrivals and tastes", "[scenario][errors]") {
  CHECK_THAT(ErrorOf(WithTraffic(R"("arrivals": {"users_per_hour": -2})")),
             Contains("at /traffic/arrivals/users_per_hour: value -2 is out of range"));
  CHECK_THAT(ErrorOf(WithTraffic(R"("arrivals": {"items_per_hour": 2})")),
             Contains("at /traffic/arrivals/items_per_hour: unknown key \"items_per_hour\"; "
                      "expected one of: podcasts_per_hour, songs_per_hour, users_per_hour"));
  CHECK_THAT(ErrorOf(R"({"name": "t", "duration_s": 1, "population": {
                         "taste": {"model": "dirichlet", "concentration": 0}}})"),
             Contains("at /population/taste/concentration: value 0 is out of range"));
  CHECK_THAT(ErrorOf(R"({"name": "t", "duration_s": 1, "population": {
                         "taste": {"model": "psychic"}}})"),
             Contains("at /population/taste/model: unknown value \"psychic\""));
}

TEST_CASE("scenario timeline: the actions and what they say they do", "[scenario][timeline]") {
  const Scenario s = Parse(WithTimeline(R"(
    {"at_s": 1, "action": "set_curve", "rate": {"curve": "ramp", "from": 0, "to": 50,
                                                 "over_s": 30}},
    {"at_s": 2, "action": "retire_items", "item_type": "SONG", "count": 5, "genre": "rock",
     "pick": "most_popular"},
    {"at_s": 3, "action": "retire_items", "item_ids": ["s1", "s2"]},
    {"at_s": 4, "action": "retire_items", "item_type": "PODCAST", "count": 1},
    {"at_s": 5, "action": "pause_domain", "domain": "interactions"},
    {"at_s": 6, "action": "resume_domain", "domain": "interactions"},
    {"at_s": 7, "action": "stop_consumer", "function": "InteractionsIngestor"},
    {"at_s": 8, "action": "restart_consumer", "function": "InteractionsIngestor"})"));
  const std::vector<std::string> want = {"set the rate curve to ramp 0/s to 50/s over 30 s",
                                         "retire 5 SONG (rock, most_popular)",
                                         "retire 2 named items",
                                         "retire 1 PODCAST (random)",
                                         "pause the interactions domain",
                                         "resume the interactions domain",
                                         "stop InteractionsIngestor",
                                         "restart InteractionsIngestor"};
  REQUIRE(s.timeline.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) CHECK(s.timeline[i].describe == want[i]);
  // And the data the mesh applies.
  CHECK(std::holds_alternative<action::SetCurve>(s.timeline[0].params));
  const auto* retire = std::get_if<action::RetireItems>(&s.timeline[1].params);
  REQUIRE(retire != nullptr);
  CHECK(retire->type == ItemType::kSong);
  CHECK(retire->count == 5);
  CHECK(retire->genre == "rock");
  CHECK(retire->pick == RetirePick::kMostPopular);
  const auto* named = std::get_if<action::RetireItemIds>(&s.timeline[2].params);
  REQUIRE(named != nullptr);
  CHECK(named->item_ids == std::vector<std::string>{"s1", "s2"});
  const auto* random = std::get_if<action::RetireItems>(&s.timeline[3].params);
  REQUIRE(random != nullptr);
  CHECK(random->pick == RetirePick::kRandom);
  const auto* pause = std::get_if<action::PauseDomain>(&s.timeline[4].params);
  REQUIRE(pause != nullptr);
  CHECK((pause->domain == "interactions" && pause->paused));
  const auto* resume = std::get_if<action::PauseDomain>(&s.timeline[5].params);
  REQUIRE(resume != nullptr);
  CHECK(!resume->paused);
  const auto* stop = std::get_if<action::StopConsumer>(&s.timeline[6].params);
  REQUIRE(stop != nullptr);
  CHECK(stop->function == "InteractionsIngestor");
  CHECK(std::holds_alternative<action::RestartConsumer>(s.timeline[7].params));
}

TEST_CASE("scenario timeline error: action parameters", "[scenario][errors]") {
  CHECK(ErrorOf(WithTimeline(R"({"at_s": 1, "action": "pause_domain", "domain": "billing"})")) ==
        "test.json:1:85: at /timeline/0/domain: unknown value \"billing\"; expected one of "
        "\"users\", \"songs\", \"podcasts\", \"interactions\"");
  CHECK_THAT(
      ErrorOf(WithTimeline(R"({"at_s": 1, "action": "stop_consumer", "function": "Foo"})")),
      Contains("at /timeline/0/function: unknown value \"Foo\"; expected one of \"UsersUpdate\", "
               "\"SongsUpdate\", \"PodcastsUpdate\", \"InteractionsUpdate\", "
               "\"InteractionsIngestor\""));
  CHECK_THAT(ErrorOf(WithTimeline(R"({"at_s": 1, "action": "set_curve"})")),
             Contains("at /timeline/0: missing required field \"rate\" (an object)"));
  CHECK_THAT(ErrorOf(WithTimeline(R"({"at_s": 1, "action": "retire_items", "item_type": "SONG",
                                      "count": 1, "genre": "news"})")),
             Contains("at /timeline/0/genre: unknown SONG genre \"news\""));
  CHECK_THAT(ErrorOf(WithTimeline(R"({"at_s": 1, "action": "retire_items", "item_ids": ["s1"],
                                      "count": 1})")),
             Contains("at /timeline/0/count: unknown key \"count\"; expected one of: action, "
                      "at_s, item_ids"));
  CHECK_THAT(ErrorOf(WithTimeline(R"({"at_s": 1, "action": "retire_items", "item_type": "SONG",
                                      "count": 1, "pick": "worst"})")),
             Contains("at /timeline/0/pick: unknown value \"worst\""));
}

}  // namespace
}  // namespace meshsim
