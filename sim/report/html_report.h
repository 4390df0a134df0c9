// The run report as one self-contained HTML page for people: header with the verdict and the
// replay command, counts, latency histograms and CDFs per hop with percentiles, throughput,
// interval p99 and consumer lag over simulated time, expectations, analytics, the timeline and dead
// letters. The page loads nothing from anywhere (inline CSS, SVG drawn by sim/report/svg_chart.h,
// no scripts, and a Content-Security-Policy that forbids fetching), so it can be attached to a CI
// run and opened offline. Every string from the report is HTML-escaped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace meshsim {

// Renders the report built by BuildReport (sim/report/report.h). Tolerates any JSON: a missing or
// malformed field skips its section with a short note. Never throws on malformed input.
std::string RenderHtml(const nlohmann::ordered_json& report);

}  // namespace meshsim
