// Reading expectations from a scenario file: each kind and "when" form, their defaults, and every
// kind of error, each at its file, line and column.
#include "sim/scenario/expectations.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "sim/scenario/scenario.h"

namespace meshsim {
namespace {

using Catch::Matchers::Contains;

// A 60 s scenario of 50 users, 80 songs and 10 podcasts with `expectations` as its array's body,
// after `extra` top-level members (each starting with a comma).
std::string WithExpectations(const std::string& expectations, const std::string& extra = "") {
  return "{\n  \"name\": \"x\",\n  \"duration_s\": 60,\n"
         "  \"population\": {\"users\": 50, \"songs\": 80, \"podcasts\": 10}" +
         extra + ",\n  \"expectations\": [\n    " + expectations + "\n  ]\n}\n";
}

Scenario Parse(const std::string& text) {
  auto s = ParseScenario(text, "x.json");
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(*s);
}

std::string ErrorOf(const std::string& text) {
  auto s = ParseScenario(text, "x.json");
  if (s.ok()) return "<parsed without error>";
  return s.status().message();
}

// "x.json:LINE:COL: at POINTER: " where LINE:COL is the first occurrence of `needle` in `text`.
std::string At(const std::string& text, const std::string& needle, const std::string& pointer) {
  const size_t offset = text.find(needle);
  REQUIRE(offset != std::string::npos);
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n');
  const size_t line_start =
      text.rfind('\n', offset) == std::string::npos ? 0 : text.rfind('\n', offset) + 1;
  return "x.json:" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1) +
         ": at " + pointer + ": ";
}

size_t LineCount(const std::string& message) {
  return static_cast<size_t>(std::count(message.begin(), message.end(), '\n')) + 1;
}

TEST_CASE("expectations: a metric threshold reads its path, operator and value") {
  const Scenario s = Parse(WithExpectations(
      R"({"metric": "latency.event_to_recommendation.p99_us", "op": "<", "value": 800000},
    {"name": "nothing lost", "metric": "counts.lost", "op": "==", "value": 0})"));
  REQUIRE(s.expectations.size() == 2);
  const Expectation& p99 = s.expectations[0];
  CHECK(p99.kind == ExpectationKind::kMetric);
  CHECK(p99.metric.path == "latency.event_to_recommendation.p99_us");
  CHECK(p99.metric.op == CompareOp::kLess);
  CHECK(p99.metric.value == 800000);
  CHECK(p99.when.kind == When::Kind::kFinal);  // no "when": on the final report
  CHECK(p99.name == "latency.event_to_recommendation.p99_us < 800000 (800 ms)");
  CHECK(p99.Expected() == "< 800000 (800 ms)");
  CHECK(MicrosAsDuration(27262975) == "27.3 s");
  CHECK(MicrosAsDuration(800) == "800 us");
  CHECK(p99.DescribeWhen() == "at the end");
  CHECK(s.expectations[1].name == "nothing lost");
  CHECK(s.expectations[1].pointer == "/expectations/1");
}

TEST_CASE("expectations: recommendation and analytics checks read every assertion") {
  const Scenario s = Parse(WithExpectations(
      R"({"recommendations": {"user": "u3", "after_interaction": {"item": "p2", "at_s": 30, "event_type": "like"}, "exclude": "p2"}, "when": {"eventually_within_s": 10}},
    {"recommendations": {"user": "u4", "num_results": 10, "contain": "s7"}, "when": {"at_s": 20}},
    {"recommendations": {"user": "u5", "at_least": {"count": 2, "item_type": "SONG"}}},
    {"analytics": {"window_at_s": 30, "top_item": "s1"}},
    {"analytics": {"window_at_s": 30, "top_item_in": ["s1", "p2"]}},
    {"analytics": {"window_at_s": 30, "top_count_at_least": 12}, "when": {"at_s": 59}})"));
  REQUIRE(s.expectations.size() == 6);
  const RecommendationCheck& after = s.expectations[0].recommendation;
  CHECK(s.expectations[0].kind == ExpectationKind::kRecommendation);
  CHECK(after.user_id == "u3");
  CHECK(after.interact_item == "p2");
  CHECK(after.interact_event_type == "like");
  CHECK(after.interact_at_us == 30 * kMicrosPerSecond);
  CHECK(after.assertion == RecommendationCheck::Assert::kExclude);
  CHECK(after.num_results == 25);
  // "eventually" starts at the interaction it follows unless told otherwise.
  CHECK(s.expectations[0].when.kind == When::Kind::kEventually);
  CHECK(s.expectations[0].when.from_us == 30 * kMicrosPerSecond);
  CHECK(s.expectations[0].when.until_us == 40 * kMicrosPerSecond);
  CHECK(s.expectations[0].when.poll_us == kMicrosPerSecond);
  CHECK(s.expectations[0].name == "recommendations for u3 after like p2: no p2 in the top 25");

  CHECK_FALSE(s.expectations[1].recommendation.interact_item.has_value());
  CHECK(s.expectations[1].recommendation.num_results == 10);
  CHECK(s.expectations[1].Expected() == "s7 in the top 10");
  CHECK(s.expectations[2].recommendation.assertion == RecommendationCheck::Assert::kAtLeast);
  CHECK(s.expectations[2].recommendation.at_least == 2);
  CHECK(s.expectations[2].recommendation.item_type == ItemType::kSong);
  CHECK(s.expectations[2].Expected() == "at least 2 SONG in the top 25");

  CHECK(s.expectations[3].kind == ExpectationKind::kAnalytics);
  CHECK(s.expectations[3].analytics.window_at_us == 30 * kMicrosPerSecond);
  CHECK(s.expectations[3].analytics.assertion == AnalyticsCheck::Assert::kTopIs);
  CHECK(s.expectations[3].name == "analytics window at 30 s: top item s1");
  CHECK(s.expectations[4].analytics.items == std::vector<std::string>{"s1", "p2"});
  CHECK(s.expectations[4].Expected() == "top item among [s1, p2]");
  CHECK(s.expectations[5].analytics.min_count == 12);
  CHECK(s.expectations[5].when.at_us == 59 * kMicrosPerSecond);
}

TEST_CASE("expectations: each when form reads its times and defaults") {
  const Scenario s = Parse(WithExpectations(
      R"({"metric": "sim_seconds", "op": ">=", "value": 1, "when": {"at_s": 12.5}},
    {"metric": "sim_seconds", "op": ">=", "value": 1, "when": {"eventually_within_s": 20, "from_s": 5, "poll_s": 0.5}},
    {"metric": "sim_seconds", "op": ">=", "value": 1, "when": {"always": true}},
    {"metric": "sim_seconds", "op": ">=", "value": 1, "when": {"always": true, "from_s": 10, "until_s": 50, "poll_s": 5}})"));
  REQUIRE(s.expectations.size() == 4);
  CHECK(s.expectations[0].when.kind == When::Kind::kAt);
  CHECK(s.expectations[0].when.at_us == 12'500'000);
  CHECK(s.expectations[0].DescribeWhen() == "at 12.5 s");
  CHECK(s.expectations[1].when.kind == When::Kind::kEventually);
  CHECK(s.expectations[1].when.from_us == 5 * kMicrosPerSecond);
  CHECK(s.expectations[1].when.until_us == 25 * kMicrosPerSecond);
  CHECK(s.expectations[1].when.poll_us == 500'000);
  CHECK(s.expectations[1].DescribeWhen() == "eventually within 20 s from 5 s (every 0.5 s)");
  // "always" runs from the start to the end unless told otherwise.
  CHECK(s.expectations[2].when.kind == When::Kind::kAlways);
  CHECK(s.expectations[2].when.from_us == 0);
  CHECK(s.expectations[2].when.until_us == 60 * kMicrosPerSecond);
  CHECK(s.expectations[3].DescribeWhen() == "always from 10 s until 50 s (every 5 s)");
}

TEST_CASE("expectations: an unknown metric is an error at its position, with a suggestion") {
  const std::string text =
      WithExpectations(R"({"metric": "latency.event_to_recommendation.p99", "op": "<", "value": 1},
    {"metric": "throughput", "op": "<", "value": 1})");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains(At(text, "\"metric\"", "/expectations/0/metric") +
                         "unknown metric \"latency.event_to_recommendation.p99\"; did you mean "
                         "\"latency.event_to_recommendation.p99_us\"?"));
  CHECK_THAT(e, Contains(At(text, "\"metric\": \"throughput\"", "/expectations/1/metric") +
                         "unknown metric \"throughput\"; metrics are report paths"));
  CHECK(LineCount(e) == 2);
}

TEST_CASE("expectations: an unknown operator is an error listing the operators") {
  const std::string text = WithExpectations(R"({"metric": "counts.lost", "op": "=~", "value": 0})");
  CHECK_THAT(ErrorOf(text), Contains(At(text, "\"op\": \"=~\"", "/expectations/0/op") +
                                     "unknown value \"=~\"; expected one of \"<\", \"<=\", "
                                     "\">\", \">=\", \"==\", \"!=\""));
}

TEST_CASE("expectations: a time past the end is an error") {
  const std::string text = WithExpectations(
      R"({"metric": "counts.lost", "op": "==", "value": 0, "when": {"at_s": 61}},
    {"analytics": {"window_at_s": 75, "top_count_at_least": 1}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"always": true, "until_s": 90}},
    {"recommendations": {"user": "u1", "after_interaction": {"item": "s1", "at_s": 65}, "contain": "s2"}})");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains(At(text, "\"at_s\": 61", "/expectations/0/when/at_s") +
                         "time 61 s is past the end of the scenario (60 s)"));
  CHECK_THAT(e, Contains(At(text, "\"window_at_s\": 75", "/expectations/1/analytics/window_at_s") +
                         "time 75 s is past the end"));
  CHECK_THAT(e, Contains(At(text, "\"until_s\"", "/expectations/2/when/until_s") +
                         "time 90 s is past the end"));
  CHECK_THAT(e, Contains(At(text, "\"at_s\": 65",
                            "/expectations/3/recommendations/after_interaction/at_s") +
                         "time 65 s is past the end"));
  CHECK(LineCount(e) == 4);
}

TEST_CASE("expectations: an expectation that can never be checked or hold is an error") {
  const std::string text = WithExpectations(
      R"({"metric": "counts.lost", "op": "==", "value": 0, "when": {"eventually_within_s": 10, "from_s": 70}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"eventually_within_s": 30, "from_s": 45}},
    {"recommendations": {"user": "u1", "after_interaction": {"item": "s1", "at_s": 30}, "contain": "s2"}, "when": {"at_s": 20}},
    {"analytics": {"window_at_s": 59, "top_count_at_least": 1}, "when": {"at_s": 10}},
    {"recommendations": {"user": "u1", "num_results": 5, "at_least": {"count": 6, "item_type": "SONG"}}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"always": false}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"always": true, "from_s": 30, "until_s": 20}})",
      R"(, "analytics": {"window_s": 10})");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains(At(text, "\"from_s\": 70", "/expectations/0/when/from_s") +
                         "time 70 s is past the end"));
  CHECK_THAT(e, Contains(At(text, "\"eventually_within_s\": 30",
                            "/expectations/1/when/eventually_within_s") +
                         "the window ends at 75 s, past the end of the scenario (60 s)"));
  CHECK_THAT(e, Contains(At(text, "\"at_s\": 20", "/expectations/2/when/at_s") +
                         "the check at 20 s comes before the interaction it follows (at 30 s)"));
  CHECK_THAT(e, Contains("at /expectations/3/when: can never hold: the last check (10 s) comes "
                         "before the window at 59 s starts (50 s)"));
  CHECK_THAT(e,
             Contains(At(text, "\"count\": 6", "/expectations/4/recommendations/at_least/count") +
                      "can never hold: at least 6 items in a list of num_results 5"));
  CHECK_THAT(e, Contains(At(text, "\"always\": false", "/expectations/5/when/always") +
                         "\"always\" must be true"));
  CHECK_THAT(e,
             Contains("at /expectations/6/when/until_s: until_s (20 s) is before from_s (30 s)"));
  CHECK(LineCount(e) == 7);
}

TEST_CASE("expectations: users and items are checked against the population") {
  const std::string text = WithExpectations(
      R"({"recommendations": {"user": "u50", "contain": "s80"}},
    {"recommendations": {"user": "alice", "exclude": "song-1"}},
    {"analytics": {"window_at_s": 1, "top_item_in": ["p9", "p10", "p09"]}})");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains(At(text, "\"user\": \"u50\"", "/expectations/0/recommendations/user") +
                         "unknown user \"u50\"; users are u0..u49"));
  CHECK_THAT(e,
             Contains(At(text, "\"contain\": \"s80\"", "/expectations/0/recommendations/contain") +
                      "unknown item \"s80\"; the population has songs s0..s79 and neither "
                      "arrivals nor a publish_items action add more"));
  CHECK_THAT(e, Contains("at /expectations/1/recommendations/user: malformed user id \"alice\""));
  CHECK_THAT(e,
             Contains("at /expectations/1/recommendations/exclude: malformed item id \"song-1\""));
  CHECK_THAT(e, Contains("at /expectations/2/analytics/top_item_in: unknown item \"p10\"; the "
                         "population has podcasts p0..p9"));
  CHECK_THAT(e, Contains("at /expectations/2/analytics/top_item_in: malformed item id \"p09\""));
  CHECK(LineCount(e) == 6);

  SECTION("a replayed data set's own ids are the ones that exist") {
    const std::string data = R"("data": {"dir": ")" MESHSIM_SOURCE_DIR R"(/scenarios/data/small"})";
    const std::string replay = "{\"name\": \"r\", \"duration_s\": 60, " + data +
                               ", \"expectations\": [{\"recommendations\": {\"user\": \"%U\", "
                               "\"contain\": \"%I\"}}]}";
    auto with = [&](const std::string& user, const std::string& item) {
      std::string t = replay;
      t.replace(t.find("%U"), 2, user);
      t.replace(t.find("%I"), 2, item);
      return t;
    };
    CHECK(ParseScenario(with("user-001", "song-0001"), "x.json").ok());
    const std::string replay_error = ErrorOf(with("u1", "s1"));
    CHECK_THAT(replay_error, Contains("unknown user \"u1\"; not in the data set"));
    CHECK_THAT(replay_error, Contains("unknown item \"s1\"; not in the data set"));
  }

  SECTION("users and items past the initial population are fine when arrivals may add them") {
    const Scenario s = Parse(WithExpectations(
        R"({"recommendations": {"user": "u70", "contain": "s90"}})",
        R"(, "traffic": {"arrivals": {"users_per_hour": 60, "songs_per_hour": 60}})"));
    CHECK(s.expectations.size() == 1);
    CHECK_THAT(ErrorOf(WithExpectations(R"({"recommendations": {"user": "u70", "contain": "p10"}})",
                                        R"(, "traffic": {"arrivals": {"users_per_hour": 60}})")),
               Contains("unknown item \"p10\""));
  }

  SECTION("items past the initial population are fine when publish_items may add them") {
    const Scenario s = Parse(WithExpectations(
        R"({"recommendations": {"user": "u1", "contain": "p12"}})",
        R"(, "timeline": [{"at_s": 10, "action": "publish_items", "item_type": "PODCAST", "count": 5}])"));
    CHECK(s.expectations.size() == 1);
  }
}

TEST_CASE("expectations: each names one kind, one assertion and one when form") {
  const std::string text = WithExpectations(
      R"({"name": "nothing to check"},
    {"metric": "counts.lost", "op": "==", "value": 0, "analytics": {"window_at_s": 1, "top_item": "s1"}},
    {"recommendations": {"user": "u1", "contain": "s1", "exclude": "s2"}},
    {"analytics": {"window_at_s": 1}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"at_s": 1, "always": true}},
    {"metric": "counts.lost", "op": "==", "value": 0, "when": {"at_s": 1, "poll_s": 2}},
    {"metric": "counts.lost", "op": "==", "value": 0, "threshold": 3})");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains("at /expectations/0: an expectation needs one of \"metric\", "
                         "\"recommendations\", \"analytics\""));
  CHECK_THAT(e, Contains("at /expectations/1: an expectation takes only one of \"metric\", "
                         "\"recommendations\", \"analytics\"; got 2"));
  CHECK_THAT(e,
             Contains("at /expectations/2/recommendations: a recommendation check takes only one "
                      "of \"contain\", \"exclude\", \"at_least\""));
  CHECK_THAT(e, Contains("at /expectations/3/analytics: an analytics check needs one of "
                         "\"top_item\", \"top_item_in\", \"top_count_at_least\""));
  CHECK_THAT(e, Contains("at /expectations/4/when: \"when\" takes only one of \"at_s\", "
                         "\"eventually_within_s\", \"always\""));
  // poll_s belongs to the polled forms only.
  CHECK_THAT(e, Contains(At(text, "\"poll_s\"", "/expectations/5/when/poll_s") +
                         "unknown key \"poll_s\"; expected one of: at_s"));
  CHECK_THAT(e, Contains("at /expectations/6/threshold: unknown key \"threshold\""));
  CHECK(LineCount(e) == 7);
}

TEST_CASE("expectations: wrong types are errors, and nothing loads") {
  const std::string text = WithExpectations(
      R"({"metric": 7, "op": "<", "value": "fast"},
    "counts.lost == 0")");
  const std::string e = ErrorOf(text);
  CHECK_THAT(e, Contains("at /expectations/0/metric: expected a string, got an integer"));
  CHECK_THAT(e, Contains("at /expectations/0/value: expected a number, got a string"));
  CHECK_THAT(e, Contains("at /expectations/1: expected an object, got a string"));
  CHECK_THAT(ErrorOf(R"({"name": "x", "duration_s": 60, "expectations": {"a": 1}})"),
             Contains("at /expectations: expected an array, got an object"));
}

TEST_CASE("expectations: the metric catalogue is the report contract, sorted") {
  const auto& paths = ReportMetricPaths();
  CHECK(std::is_sorted(paths.begin(), paths.end()));
  for (const char* p :
       {"counts.lost", "counts.by_topic.interactions.applied", "counts.by_topic.users.produced",
        "latency.event_to_recommendation.p99_us", "latency.hops.deliver.p50_us",
        "latency.hops.apply.max_us", "latency.by_topic.podcasts.p999_us", "analytics.consumed",
        "analytics.peak_events_per_second", "analytics.mean_events_per_second",
        "workload.interactions", "sim_seconds", "dead_letters.count"}) {
    INFO(p);
    CHECK(std::binary_search(paths.begin(), paths.end(), p));
  }
  CHECK_FALSE(std::binary_search(paths.begin(), paths.end(), "counts.by_topic.videos.lost"));
  CHECK_FALSE(std::binary_search(paths.begin(), paths.end(), "latency.hops.invoke.p50_us"));
}

TEST_CASE("expectations: a metric's value is read from the report by its path") {
  const auto report = nlohmann::ordered_json::parse(
      R"({"sim_seconds": 12.5, "counts": {"lost": 0, "by_topic": {"users": {"lost": 3}}},
          "scenario": "s"})");
  CHECK(MetricValue(report, "sim_seconds") == 12.5);
  CHECK(MetricValue(report, "counts.lost") == 0.0);
  CHECK(MetricValue(report, "counts.by_topic.users.lost") == 3.0);
  CHECK_FALSE(MetricValue(report, "counts.by_topic.songs.lost").has_value());
  CHECK_FALSE(MetricValue(report, "counts").has_value());    // not a number
  CHECK_FALSE(MetricValue(report, "scenario").has_value());  // not a number
  CHECK_FALSE(MetricValue(report, "counts.lost.x").has_value());
}

TEST_CASE("expectations: the operators compare as written") {
  CHECK(Compare(1, CompareOp::kLess, 2));
  CHECK_FALSE(Compare(2, CompareOp::kLess, 2));
  CHECK(Compare(2, CompareOp::kLessEqual, 2));
  CHECK_FALSE(Compare(3, CompareOp::kLessEqual, 2));
  CHECK(Compare(3, CompareOp::kGreater, 2));
  CHECK_FALSE(Compare(2, CompareOp::kGreater, 2));
  CHECK(Compare(2, CompareOp::kGreaterEqual, 2));
  CHECK_FALSE(Compare(1, CompareOp::kGreaterEqual, 2));
  CHECK(Compare(2, CompareOp::kEqual, 2));
  CHECK_FALSE(Compare(2.5, CompareOp::kEqual, 2));
  CHECK(Compare(2.5, CompareOp::kNotEqual, 2));
  CHECK_FALSE(Compare(2, CompareOp::kNotEqual, 2));
}

}  // namespace
}  // namespace meshsim
