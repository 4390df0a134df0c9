// Expectations: what must hold in a scenario run — thresholds on report metrics, recommendation
// and analytics assertions — each checked at a time, "eventually within T" or "always", and
// reported with passed or failed, the observed value and when it was checked.
//
// This file is the data and its strict reading from the scenario file; ExpectationRunner
// (apps/harness/expectation_runner.h) schedules and evaluates them against a running mesh.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/ports/records.h"
#include "sim/text/json_reader.h"

namespace meshsim {

struct Scenario;

enum class ExpectationKind { kMetric, kRecommendation, kAnalytics };
std::string_view ExpectationKindName(ExpectationKind kind);  // "metric", ...

enum class CompareOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };
std::string_view CompareOpName(CompareOp op);  // "<", "<=", ...
bool Compare(double observed, CompareOp op, double value);

// When an expectation is checked. kFinal: once, on the report after the drain.
struct When {
  enum class Kind { kFinal, kAt, kEventually, kAlways };
  Kind kind = Kind::kFinal;
  int64_t at_us = 0;            // kAt: the one check
  int64_t from_us = 0;          // kEventually, kAlways: the first poll
  int64_t until_us = 0;         // kEventually: the deadline (from + within); kAlways: the last poll
  int64_t poll_us = 1'000'000;  // kEventually, kAlways. Default: 1 s.
};

// A threshold on a report metric named by its dotted path
// ("latency.event_to_recommendation.p99_us").
struct MetricCheck {
  std::string path;
  CompareOp op = CompareOp::kEqual;
  double value = 0;
};

// What a user's recommendations must hold, optionally after the expectation makes the user
// interact with an item.
struct RecommendationCheck {
  enum class Assert { kContain, kExclude, kAtLeast };
  std::string user_id;
  // The interaction the expectation injects (through the Interactions domain) before checking.
  std::optional<std::string> interact_item;
  std::string interact_event_type = "play";
  int64_t interact_at_us = 0;
  int num_results = 25;
  Assert assertion = Assert::kContain;
  std::string item_id;   // kContain, kExclude
  int64_t at_least = 1;  // kAtLeast: this many items of `item_type`
  ItemType item_type = ItemType::kPodcast;
};

// What the top item of the analytics window containing `window_at_us` must be.
struct AnalyticsCheck {
  enum class Assert { kTopIs, kTopAmong, kTopCountAtLeast };
  int64_t window_at_us = 0;
  Assert assertion = Assert::kTopIs;
  std::vector<std::string> items;  // kTopIs: one; kTopAmong: any of these
  uint64_t min_count = 0;          // kTopCountAtLeast
};

struct Expectation {
  std::string name;  // as written, or derived from the check
  ExpectationKind kind = ExpectationKind::kMetric;
  When when;
  MetricCheck metric;
  RecommendationCheck recommendation;
  AnalyticsCheck analytics;
  std::string pointer;  // where it was written ("/expectations/2"), for messages

  // What must hold, for people: "< 800000", "p301 in the top 25", "top item among [s1, s2]".
  std::string Expected() const;
  // When it is checked, for people: "at the end", "at 300 s", "eventually within 30 s from 310 s".
  std::string DescribeWhen() const;
};

// Every metric path a report has, from the report contract (sim/report/report.h): counts.*,
// counts.by_topic.<topic>.*, latency.event_to_recommendation.*, latency.hops.<hop>.*,
// latency.by_topic.<topic>.*, analytics.{consumed, peak_events_per_second,
// mean_events_per_second}, workload.*, dead_letters.count and sim_seconds. Sorted.
const std::vector<std::string>& ReportMetricPaths();

// The value at a dotted path of a report, or nullopt when the report has no number there.
std::optional<double> MetricValue(const nlohmann::ordered_json& report, const std::string& path);

// Reads the scenario's "expectations" array (if present) into `scenario->expectations`, checking
// names against the scenario (metrics, users, items) and times against its duration when
// `duration_known`. The timeline must already be read.
void ReadExpectations(ObjectReader& root, Scenario* scenario, bool duration_known);

// A metric in microseconds as people read it: "800 us", "250 ms", "27.3 s". Metrics whose path
// ends in "_us" show it beside the raw figure.
std::string MicrosAsDuration(double us);

}  // namespace meshsim
