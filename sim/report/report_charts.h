// The run report's data as charts for sim/report/svg_chart.h: a latency histogram's buckets as a
// log-binned histogram and a CDF on one log axis in milliseconds, and lines over simulated time.
// Pure functions of their inputs; the HTML report (sim/report/html_report.h) reads the JSON and
// lays the charts out.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/report/svg_chart.h"

namespace meshsim {

// Microseconds as milliseconds: two decimals under 10 ms, one above ("3.20", "557.1").
std::string FormatMs(double us);
// A count with thousands separators ("107,392"); other numbers as "%.6g"; "—" if not finite.
std::string FormatCount(double v);

// One bucket of a latency histogram, as the report lists them: `count` samples in [lo_us, hi_us].
struct LatencyBucket {
  double lo_us = 0, hi_us = 0, count = 0;
};

// The "buckets" of a report's latency histogram object ([[lower_us, upper_us, count], ...]),
// sorted, leaving out malformed entries and empty buckets. Empty if there are none.
std::vector<LatencyBucket> LatencyBucketsOf(const nlohmann::ordered_json* histogram);

// A percentile to mark, e.g. {"p99", 99, 1163263}.
struct PercentileMark {
  std::string label;
  double percent = 0;
  double us = 0;
};

struct LatencyCharts {
  Chart histogram;  // kind "histogram"
  Chart cdf;        // kind "cdf"
};

// REQUIRES: `buckets` non-empty, increasing, with positive counts. Both charts share a log x axis
// with round bounds. The histogram sums the buckets into bins of equal width on that axis (about
// 25 a decade) and draws dashed markers at the marks except p90 (which crowds p50 and p99). The
// CDF rises through every bucket's upper bound, from 0% to exactly 100%, with a dot per mark.
LatencyCharts MakeLatencyCharts(const std::string& name, const std::vector<LatencyBucket>& buckets,
                                const std::vector<PercentileMark>& marks);

// Lines over simulated time `t` (seconds, one per sample): x from 0 to the last time, y from 0 to
// a round value at or above `y_max` (higher values are clamped to the top edge), `markers` as
// dashed lines, and a hover column per sample that lists each line's value as `format` prints it.
// The chart's kind is "series " + `kind`.
Chart MakeTimeChart(const std::string& kind, const std::string& title, const std::vector<double>& t,
                    std::vector<ChartLine> lines, const std::string& y_label, double y_max,
                    std::vector<ChartMarker> markers,
                    const std::function<std::string(double)>& format);

}  // namespace meshsim
