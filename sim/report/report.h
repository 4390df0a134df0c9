// The run report: the JSON contract (scenario, seed, clock, sim_seconds, wall_seconds, passed,
// counts, latency, ...) that CI and people read, and the terminal summary drawn from it. On the
// virtual clock a report is byte-identical for one scenario and seed, apart from wall_seconds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/core/histogram.h"
#include "sim/mesh/mesh.h"

namespace meshsim {

// {count, p50_us, p90_us, p99_us, p999_us, max_us, min_us, mean_us} and, with `with_buckets`,
// "buckets": [[lower_us, upper_us, count], ...] for charts.
nlohmann::ordered_json HistogramJson(const LatencyHistogram& h, bool with_buckets = true);

// Builds the report of a finished run, all but its "expectations": "passed" says whether the
// invariants held. The harness adds the expectations' section and folds their verdict into
// "passed" (apps/harness/harness.h). `mesh` is non-const: the sample recommendations are asked of
// the recommender.
nlohmann::ordered_json BuildReport(Mesh& mesh, uint64_t seed, double wall_seconds);

// The part of the report that expectations' metrics name (sim_seconds, counts, latency,
// dead_letters, workload, analytics' figures) with the same shape, and nothing costly: no
// analytics windows, series, sample recommendations or expectations. For checks during a run.
nlohmann::ordered_json BuildMetricsReport(Mesh& mesh);

// An observed value for one line of text: compact JSON, cut at `max_chars` with "...".
std::string FormatObserved(const nlohmann::ordered_json& observed, size_t max_chars = 160);

// One result of the report's "expectations" section for one line of text: "NAME (WHEN; checked at
// T s)" when it passed; "NAME: observed X, expected Y (WHEN; checked at T s) - DETAIL" when not.
std::string FormatResult(const nlohmann::ordered_json& result);

// A readable table of a report for the terminal.
std::string FormatSummary(const nlohmann::ordered_json& report);

}  // namespace meshsim
