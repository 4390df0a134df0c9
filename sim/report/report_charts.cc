#include "sim/report/report_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/report/report_json.h"

namespace meshsim {
std::string FormatMs(double us) {
  const double ms = us / 1000.0;
  return fmt::format("{:.{}f}", ms, std::abs(ms) < 10 ? 2 : 1);
}

std::string FormatCount(double v) {
  if (!std::isfinite(v)) return "—";
  if (std::abs(v) >= 1e15 || v != std::floor(v)) return fmt::format("{:.6g}", v);
  const std::string digits = fmt::format("{:.0f}", std::abs(v));
  std::string out = v < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::vector<LatencyBucket> LatencyBucketsOf(const nlohmann::ordered_json* histogram) {
  std::vector<LatencyBucket> out;
  const auto* buckets = JsonAt(histogram, {"buckets"});
  if (buckets == nullptr || !buckets->is_array()) return out;
  for (const auto& e : *buckets) {
    if (!e.is_array() || e.size() < 3) continue;
    const auto lo = JsonNumber(&e[0]), hi = JsonNumber(&e[1]), n = JsonNumber(&e[2]);
    if (lo && hi && n && *n > 0 && *lo >= 0 && *hi >= *lo) out.push_back({*lo, *hi, *n});
  }
  std::stable_sort(out.begin(), out.end(), [](const LatencyBucket& x, const LatencyBucket& y) {
    return x.lo_us < y.lo_us;
  });
  return out;
}

LatencyCharts MakeLatencyCharts(const std::string& name, const std::vector<LatencyBucket>& buckets,
                                const std::vector<PercentileMark>& marks) {
  LatencyCharts charts;
  if (buckets.empty()) return charts;
  double total = 0;
  for (const LatencyBucket& b : buckets) total += b.count;
  // Milliseconds between round bounds; a 0 us sample sits at the 1 us left edge.
  const double lo = Nice125Floor(std::max(buckets.front().lo_us, 1.0) / 1000);
  double hi = Nice125Ceil((buckets.back().hi_us + 1) / 1000);
  if (hi <= lo) hi = lo * 10;
  const double decades = std::log10(hi / lo);
  const int bins = std::clamp(static_cast<int>(std::lround(25 * decades)), 20, 100);
  std::vector<double> counts(bins, 0.0);
  for (const LatencyBucket& b : buckets) {
    // The report's buckets are at most 1.6% wide, so each goes whole to the bin of its middle.
    const double mid_ms = std::sqrt(std::max(b.lo_us, 0.5) * (b.hi_us + 1)) / 1000;
    const int i = static_cast<int>(std::floor(std::log10(mid_ms / lo) / decades * bins));
    counts[std::clamp(i, 0, bins - 1)] += b.count;
  }
  auto edge = [&](int i) { return lo * std::pow(10, decades * i / bins); };

  Chart& hist = charts.histogram;
  hist.kind = "histogram";
  hist.title = name + ": distribution of latency";
  hist.x = {"latency (ms, log scale)", lo, hi, true, ""};
  hist.y = {"samples", 0, NiceCeil(*std::max_element(counts.begin(), counts.end())), false, ""};
  for (int i = 0; i < bins; ++i) {
    if (counts[i] == 0) continue;
    std::string tip = FormatMs(edge(i) * 1000);
    tip += "–" + FormatMs(edge(i + 1) * 1000) + " ms\n" + FormatCount(counts[i]) + " samples (" +
           fmt::format("{:.2f}%)", 100 * counts[i] / total);
    hist.bars.push_back({edge(i), edge(i + 1), counts[i], tip});
  }

  Chart& cdf = charts.cdf;
  cdf.kind = "cdf";
  cdf.title = name + ": cumulative distribution";
  cdf.x = hist.x;
  cdf.y = {"samples at or below", 0, 100, false, "%"};
  ChartLine line{"share of samples at or below a latency", {}, {}, 0};
  line.x.push_back(std::max(buckets.front().lo_us, 1.0) / 1000);
  line.y.push_back(0);
  double seen = 0;
  for (const LatencyBucket& b : buckets) {
    seen += b.count;
    line.x.push_back(std::max(b.hi_us, 1.0) / 1000);
    line.y.push_back(seen == total ? 100.0 : 100 * seen / total);
  }
  cdf.lines.push_back(std::move(line));

  for (const PercentileMark& m : marks) {
    const std::string text = m.label + " = " + FormatMs(m.us) + " ms";
    if (m.label != "p90") hist.markers.push_back({m.us / 1000, m.label, text});
    cdf.dots.push_back({m.us / 1000, m.percent, text, 1});
  }
  return charts;
}

Chart MakeTimeChart(const std::string& kind, const std::string& title, const std::vector<double>& t,
                    std::vector<ChartLine> lines, const std::string& y_label, double y_max,
                    std::vector<ChartMarker> markers,
                    const std::function<std::string(double)>& format) {
  Chart c;
  c.kind = "series " + kind;
  c.title = title;
  double t_max = 0;
  for (double v : t) t_max = std::isfinite(v) ? std::max(t_max, v) : t_max;
  c.x = {"simulated time (s)", 0, t_max > 0 ? t_max : 1, false, ""};
  c.y = {y_label, 0, NiceCeil(y_max), false, ""};
  for (size_t i = 0; i < t.size(); ++i) {
    std::string tip = "t = ";
    tip += FormatTick(t[i]) + " s";
    for (const ChartLine& l : lines) {
      if (i >= l.y.size()) continue;
      tip += "\n" + l.name + ": ";
      tip += std::isfinite(l.y[i]) ? format(l.y[i]) : "—";
    }
    c.columns.push_back({i == 0 ? 0 : t[i - 1], t[i], tip});
  }
  c.lines = std::move(lines);
  c.markers = std::move(markers);
  return c;
}

}  // namespace meshsim
