// Expectations run against the whole mesh on the fakes: each kind passing and failing with what it
// observed, each "when" form checked at the right simulated times, and the report's verdict.
#include "sim/scenario/expectations.h"

#include <catch2/catch.hpp>

#include "apps/harness/expectation_runner.h"
#include "apps/harness/harness.h"
#include "sim/report/report.h"

using namespace meshsim;

namespace {

// 60 s of 100 users on 200 songs and 20 podcasts, 5 podcasts launched at 20 s.
std::string Small(const std::string& expectations) {
  return R"({
  "name": "small", "seed": 5, "duration_s": 60,
  "population": {"users": 100, "songs": 200, "podcasts": 20},
  "traffic": {"events_per_second": 50},
  "timeline": [{"at_s": 20, "action": "publish_items", "item_type": "PODCAST", "count": 5}],
  "expectations": [)" +
         expectations + "]}";
}

std::unique_ptr<Harness> Make(const std::string& text) {
  auto scenario = ParseScenario(text, "small.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  return std::move(*h);
}

// Runs the scenario and returns its report's "expectations" section, checking the verdict.
nlohmann::ordered_json RunExpectations(const std::string& expectations) {
  auto h = Make(Small(expectations));
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  REQUIRE(report["counts"]["lost"] == 0);
  bool all = true;
  for (const auto& x : report["expectations"]) all = all && x["passed"].get<bool>();
  CHECK(report["passed"] == all);
  return report["expectations"];
}

}  // namespace

TEST_CASE("a metric threshold on the final report passes or fails with the observed value") {
  auto h = Make(Small(R"({"metric": "counts.lost", "op": "==", "value": 0},
      {"name": "p99 under a millisecond", "metric": "latency.event_to_recommendation.p99_us",
       "op": "<", "value": 1000})"));
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  const auto& x = report["expectations"];
  REQUIRE(x.size() == 2);
  CHECK(x[0]["name"] == "counts.lost == 0");
  CHECK(x[0]["kind"] == "metric");
  CHECK(x[0]["passed"] == true);
  CHECK(x[0]["status"] == "passed");
  CHECK(x[0]["observed"] == 0);
  CHECK(x[0]["when"] == "at the end");
  CHECK(x[0]["checked_at_s"] == report["sim_seconds"]);  // after the drain
  CHECK(x[1]["name"] == "p99 under a millisecond");
  CHECK(x[1]["passed"] == false);
  CHECK(x[1]["status"] == "failed");
  CHECK(x[1]["observed"] == report["latency"]["event_to_recommendation"]["p99_us"]);
  CHECK(x[1]["expected"] == "< 1000 (1 ms)");
  CHECK(x[1]["observed_as"] == MicrosAsDuration(x[1]["observed"].get<double>()));
  // Nothing was lost, yet a failed expectation fails the run.
  CHECK(report["invariants"]["nothing_lost"] == true);
  CHECK(report["passed"] == false);
}

TEST_CASE("every metric the catalogue names is a number in a real report and a metrics report") {
  auto h = Make(Small(""));
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  // Checks during a run read the cheaper metrics report: the same numbers at the same paths.
  const auto metrics = BuildMetricsReport(h->mesh());
  for (const auto& path : ReportMetricPaths()) {
    INFO(path);
    CHECK(MetricValue(report, path).has_value());
    CHECK(MetricValue(metrics, path) == MetricValue(report, path));
  }
  CHECK_FALSE(metrics.contains("sample_recommendations"));
  CHECK(report["expectations"].empty());
  CHECK(report["passed"] == true);
}

TEST_CASE("\"at\" checks once at its time") {
  const auto x = RunExpectations(R"(
      {"metric": "sim_seconds", "op": "==", "value": 10, "when": {"at_s": 10}},
      {"metric": "sim_seconds", "op": ">", "value": 10, "when": {"at_s": 10}})");
  CHECK(x[0]["passed"] == true);
  CHECK(x[0]["observed"] == 10.0);
  CHECK(x[0]["checked_at_s"] == 10.0);
  CHECK(x[0]["checks"] == 1);
  CHECK(x[1]["passed"] == false);
  CHECK(x[1]["observed"] == 10.0);
  CHECK(x[1]["checked_at_s"] == 10.0);
}

TEST_CASE("\"eventually\" passes at the first check that holds, fails at its deadline") {
  const auto x = RunExpectations(R"(
      {"metric": "sim_seconds", "op": ">=", "value": 25, "when": {"eventually_within_s": 20, "from_s": 10}},
      {"metric": "sim_seconds", "op": ">=", "value": 50, "when": {"eventually_within_s": 10, "from_s": 10, "poll_s": 2}})");
  CHECK(x[0]["passed"] == true);
  CHECK(x[0]["checked_at_s"] == 25.0);
  CHECK(x[0]["observed"] == 25.0);
  CHECK(x[0]["checks"] == 16);  // 10, 11, ..., 25
  CHECK(x[1]["passed"] == false);
  CHECK(x[1]["checked_at_s"] == 20.0);
  CHECK(x[1]["observed"] == 20.0);
  CHECK(x[1]["checks"] == 6);  // 10, 12, ..., 20
  CHECK_THAT(x[1]["detail"].get<std::string>(),
             Catch::Matchers::Contains("did not hold from 10 s to 20 s (6 checks)"));
}

TEST_CASE("\"always\" fails at the first violation and passes after its last check") {
  const auto x = RunExpectations(R"(
      {"metric": "sim_seconds", "op": "<", "value": 15, "when": {"always": true, "until_s": 30, "poll_s": 5}},
      {"metric": "sim_seconds", "op": "<=", "value": 30, "when": {"always": true, "until_s": 30, "poll_s": 5}},
      {"metric": "dead_letters.count", "op": "==", "value": 0, "when": {"always": true, "from_s": 3, "until_s": 10, "poll_s": 5}})");
  CHECK(x[0]["passed"] == false);
  CHECK(x[0]["checked_at_s"] == 15.0);
  CHECK(x[0]["observed"] == 15.0);
  CHECK(x[0]["checks"] == 4);  // 0, 5, 10, 15
  CHECK_THAT(x[0]["detail"].get<std::string>(),
             Catch::Matchers::Contains("first violated at 15 s"));
  CHECK(x[1]["passed"] == true);
  CHECK(x[1]["checked_at_s"] == 30.0);
  CHECK(x[1]["checks"] == 7);  // 0, 5, ..., 30
  // A span that is not a whole number of polls still ends with a check at its end.
  CHECK(x[2]["passed"] == true);
  CHECK(x[2]["checks"] == 3);  // 3, 8, 10
  CHECK(x[2]["checked_at_s"] == 10.0);
}

TEST_CASE("recommendation assertions see the interaction the expectation makes") {
  // Learn u3's top item at 29 s from a run without expectations: checks never change a run, and
  // the injected interaction comes after 29 s, so the second run is the same until then.
  std::string top;
  {
    auto probe = Make(Small(""));
    probe->mesh().RunFor(29 * kMicrosPerSecond);
    auto recs = probe->mesh().Recommend("u3", 10);
    REQUIRE(recs.ok());
    REQUIRE_FALSE(recs->item_list.empty());
    top = recs->item_list[0].item_id;
  }
  const auto x = RunExpectations(R"(
      {"recommendations": {"user": "u3", "num_results": 10, "contain": ")" +
                                 top + R"("}, "when": {"at_s": 29}},
      {"recommendations": {"user": "u3", "num_results": 10, "after_interaction": {"item": ")" +
                                 top + R"(", "at_s": 30}, "exclude": ")" + top +
                                 R"("}, "when": {"eventually_within_s": 10}},
      {"recommendations": {"user": "u3", "num_results": 10, "contain": ")" +
                                 top + R"("}, "when": {"at_s": 45}},
      {"recommendations": {"user": "u3", "num_results": 10, "at_least": {"count": 1, "item_type": "SONG"}}},
      {"recommendations": {"user": "u3", "num_results": 10, "at_least": {"count": 10, "item_type": "PODCAST"}}})");
  INFO(x.dump(2));
  // Before the interaction the item is recommended...
  CHECK(x[0]["passed"] == true);
  CHECK(x[0]["observed"]["items"][0] == top);
  // ...and once the user has played it, it no longer is: not at once (the event takes its
  // modelled path to the recommender), but within the window.
  CHECK(x[1]["passed"] == true);
  CHECK(x[1]["checked_at_s"].get<double>() > 30.0);
  CHECK(x[1]["checks"].get<int>() > 1);
  CHECK(x[1]["name"] ==
        "recommendations for u3 after play " + top + ": no " + top + " in the top 10");
  // The same "contain" fails afterwards, and says what the list held instead.
  CHECK(x[2]["passed"] == false);
  CHECK(x[2]["observed"]["items"].size() == 10);
  for (const auto& item : x[2]["observed"]["items"]) CHECK(item != top);
  // Item types come from the catalogue.
  CHECK(x[3]["passed"] == true);
  CHECK(x[3]["observed"]["SONG"].get<int>() >= 1);
  CHECK(x[4]["passed"] == false);
  CHECK(x[4]["observed"]["PODCAST"].get<int>() < 10);
  CHECK(x[4]["observed"]["items"].size() == 10);
}

TEST_CASE("an injected interaction goes through the Interactions domain") {
  auto plain = Make(Small(""));
  REQUIRE(plain->Run().ok());
  auto with = Make(Small(
      R"({"recommendations": {"user": "u3", "after_interaction": {"item": "s1", "at_s": 59.9}, "exclude": "s1"}})"));
  REQUIRE(with->Run().ok());
  CHECK(with->Report()["counts"]["by_topic"]["interactions"]["applied"].get<uint64_t>() ==
        plain->Report()["counts"]["by_topic"]["interactions"]["applied"].get<uint64_t>() + 1);
}

TEST_CASE("analytics assertions judge the top item of a window") {
  std::string top;
  uint64_t count = 0;
  {
    auto probe = Make(Small(""));
    REQUIRE(probe->Run().ok());
    const auto w = probe->mesh().analytics().WindowAt(10 * kMicrosPerSecond);
    REQUIRE_FALSE(w.top_items.empty());
    top = w.top_items[0].item_id;
    count = w.top_items[0].count;
  }
  const std::string other = top == "s0" ? "s1" : "s0";
  const auto x = RunExpectations(R"(
      {"analytics": {"window_at_s": 10, "top_item": ")" +
                                 top + R"("}},
      {"analytics": {"window_at_s": 10, "top_item": ")" +
                                 other + R"("}},
      {"analytics": {"window_at_s": 10, "top_item_in": [")" +
                                 other + R"(", ")" + top + R"("]}},
      {"analytics": {"window_at_s": 10, "top_count_at_least": )" +
                                 std::to_string(count) + R"(}},
      {"analytics": {"window_at_s": 10, "top_count_at_least": )" +
                                 std::to_string(count + 1) + R"(}})");
  INFO(x.dump(2));
  CHECK(x[0]["passed"] == true);
  CHECK(x[0]["observed"]["top_item"] == top);
  CHECK(x[0]["observed"]["count"] == count);
  CHECK(x[0]["observed"]["window_start_s"] == 0.0);
  CHECK(x[1]["passed"] == false);
  CHECK(x[1]["observed"]["top_item"] == top);
  CHECK(x[2]["passed"] == true);
  CHECK(x[3]["passed"] == true);
  CHECK(x[4]["passed"] == false);
  CHECK(x[4]["observed"]["count"] == count);
}

TEST_CASE("an expectation whose time has not come is reported pending, and fails the report") {
  auto h = Make(Small(R"({"metric": "sim_seconds", "op": ">", "value": 0, "when": {"at_s": 30}})"));
  h->mesh().RunFor(10 * kMicrosPerSecond);
  const auto report = h->Report();
  const auto& x = report["expectations"][0];
  CHECK(x["status"] == "pending");
  CHECK(x["passed"] == false);
  CHECK(x["checked_at_s"].is_null());
  CHECK(x["observed"].is_null());
  CHECK_THAT(x["detail"].get<std::string>(), Catch::Matchers::Contains("not checked"));
  CHECK(report["passed"] == false);
  REQUIRE(h->Run().ok());  // the rest of the run checks it
  CHECK(h->Report()["expectations"][0]["status"] == "passed");
}

TEST_CASE("the summary lists each expectation and what a failed one observed") {
  auto h = Make(Small(R"({"metric": "counts.lost", "op": "==", "value": 0},
      {"name": "impossible", "metric": "counts.produced", "op": "<", "value": 1})"));
  REQUIRE(h->Run().ok());
  const std::string summary = FormatSummary(h->Report());
  CHECK_THAT(summary, Catch::Matchers::Contains("expectations: 1 of 2 passed"));
  CHECK_THAT(summary, Catch::Matchers::Contains("pass  counts.lost == 0 (at the end; checked at"));
  CHECK_THAT(summary, Catch::Matchers::Contains("FAIL  impossible: observed "));
  CHECK_THAT(summary, Catch::Matchers::Contains(", expected < 1 (at the end"));
  // The verdict says why (once a run that failed said only FAILED).
  CHECK_THAT(summary, Catch::Matchers::Contains("\nFAILED\n  expectation impossible: observed "));
}

TEST_CASE("a scenario with expectations gives the same report for the same seed") {
  const std::string text = Small(R"(
      {"metric": "sim_seconds", "op": ">=", "value": 25, "when": {"eventually_within_s": 20, "from_s": 10}},
      {"recommendations": {"user": "u3", "after_interaction": {"item": "p21", "at_s": 30}, "exclude": "p21"}, "when": {"eventually_within_s": 5}})");
  auto report_of = [&] {
    auto h = Make(text);
    REQUIRE(h->Run().ok());
    auto r = h->Report();
    r.erase("wall_seconds");
    r.erase("compute");
    return r.dump();
  };
  CHECK(report_of() == report_of());
}
