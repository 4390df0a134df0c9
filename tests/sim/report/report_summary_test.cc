// The terminal summary of a hand-made report, line for line: its tables' widths and its figures'
// formats are what people and scripts read.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/report/report.h"

namespace meshsim {
namespace {

using Json = nlohmann::ordered_json;

Json Histogram(uint64_t count, int64_t p50_us) {
  return {{"count", count},       {"p50_us", p50_us},      {"p90_us", 2 * p50_us},
          {"p99_us", 3 * p50_us}, {"p999_us", 4 * p50_us}, {"max_us", 5 * p50_us}};
}

Json Counts(uint64_t produced, uint64_t lost) {
  return {{"produced", produced},
          {"delivered", produced},
          {"applied", produced - lost},
          {"rejected", 0},
          {"lost", lost}};
}

Json SmallReport() {
  Json counts = Counts(1234, 1);
  counts["by_topic"] = {{"interactions", Counts(1000, 1)}, {"items", Counts(234, 0)}};
  return {
      {"scenario", "small"},
      {"seed", 42},
      {"clock", "virtual"},
      {"sim_seconds", 60.0},
      {"wall_seconds", 0.25},
      {"passed", false},
      {"counts", counts},
      {"latency",
       {{"event_to_recommendation", Histogram(1000, 1500)},
        {"hops", {{"produce", Histogram(1234, 250)}}},
        {"by_topic", {{"interactions", Histogram(1000, 1500)}, {"items", Histogram(234, 700)}}}}},
      {"compute",
       {{"sample_every", 16},
        {"stages",
         {{"decode",
           {{"calls", 99},
            {"mean_ns", 1234.5},
            {"p50_ns", 1000},
            {"p99_ns", 9000},
            {"estimated_total_s", 0.0001}}}}}}},
      {"schemas", {{"changes", Json::array()}}},
      {"catalog", {{"governed", false}}},
      {"recommender", {{"deploys", Json::array()}}},
      {"stores", {{"enabled", false}}},
      {"dead_letters", {{"count", 0}, {"by_reason", Json::object()}}},
      {"analytics",
       {{"consumed", 1000},
        {"by_event_type", {{"click", 600}, {"play", 400}}},
        {"peak_events_per_second", 40},
        {"mean_events_per_second", 16.667},
        {"windows", {{{"start_s", 50.0}, {"top_items", {{{"item_id", "p1"}, {"count", 9}}}}}}}}},
      {"timeline", {{{"at_s", 12.5}, {"describe", "broker down"}}}},
      {"sample_recommendations", {{{"user_id", "u1"}, {"items", {{{"item_id", "p2"}}}}}}}};
}

TEST_CASE("summary: every section of a small report, character for character") {
  CHECK(FormatSummary(SmallReport()) ==
        "scenario small  seed 42  clock virtual  simulated 60.0 s in 0.250 s wall\n"
        "\n"
        "topic           produced  delivered   applied  rejected   lost\n"
        "interactions        1000       1000       999         0      1\n"
        "items                234        234       234         0      0\n"
        "total               1234       1234      1233         0      1\n"
        "\n"
        "latency (ms)                  count      p50      p90      p99    p99.9      max\n"
        "event -> recommendation        1000      1.5      3.0      4.5      6.0      7.5\n"
        "  hop produce                  1234      0.2      0.5      0.8      1.0      1.2\n"
        "  items -> recommender          234      0.7      1.4      2.1      2.8      3.5\n"
        "\n"
        "compute (us, wall, 1/16)      calls     mean      p50      p99  total s\n"
        "  decode                         99     1.23     1.00     9.00    0.000\n"
        "\n"
        "analytics: 1000 events, peak 40/s, mean 16.667/s; click 600 play 400\n"
        "  top items of the window at 50 s: p1 (9)\n"
        "  recommendations for u1: p2\n"
        "timeline: [12.5 s] broker down;\n"
        "\n"
        "FAILED\n"
        "  invariant nothing lost: 1 records acknowledged by the broker but neither applied nor "
        "dead-lettered\n");
}

TEST_CASE("summary: a failed expectation shows what it observed") {
  Json report = SmallReport();
  report["expectations"] = {{{"name", "few lost"},
                             {"passed", false},
                             {"observed", 1},
                             {"expected", "== 0"},
                             {"when", "at the end"},
                             {"checked_at_s", 60.0}}};
  CHECK_THAT(FormatSummary(report),
             Catch::Matchers::EndsWith("expectations: 0 of 1 passed\n"
                                       "  FAIL  few lost: observed 1, expected == 0 (at the end; "
                                       "checked at 60 s)\n\nFAILED\n"
                                       "  invariant nothing lost: 1 records acknowledged by the "
                                       "broker but neither applied nor dead-lettered\n"
                                       "  expectation few lost: observed 1, expected == 0 (at the "
                                       "end; checked at 60 s)\n"));
}

TEST_CASE(
    "summary: requested against produced traffic, with a warning on a real clock that fell "
    "behind") {
  Json report = SmallReport();  // 60 s simulated
  report["workload"] = {{"rate",
                         {{"requested_per_s", 20000.0},
                          {"achieved_per_s", 7200.0},
                          {"achieved_share", 0.36},
                          {"behind_s", 30.5}}}};
  CHECK_THAT(FormatSummary(report),
             Catch::Matchers::Contains("traffic: 7200.0/s produced of 20000.0/s requested (36%)\n"
                                       "\n"));
  CHECK_THAT(FormatSummary(report), !Catch::Matchers::Contains("warning"));  // the virtual clock
  report["clock"] = "real";
  CHECK_THAT(FormatSummary(report),
             Catch::Matchers::Contains(
                 "traffic: 7200.0/s produced of 20000.0/s requested (36%)\n"
                 "warning: the generator fell 30.5 s behind its schedule on the real clock: this "
                 "host could not keep up (36% of the requested rate made)"));
  // Sessions warming up make 82% of the rate on any clock: no warning while on schedule.
  report["workload"]["rate"]["achieved_share"] = 0.82;
  report["workload"]["rate"]["behind_s"] = 0.2;
  CHECK_THAT(FormatSummary(report), !Catch::Matchers::Contains("warning"));
}

}  // namespace
}  // namespace meshsim
