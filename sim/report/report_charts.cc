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

namespace {

// The buckets summed into bins of equal width on a log axis between round bounds, in ms.
struct LogBins {
  double lo, hi, decades, total = 0;
  std::vector<double> counts;

  double Edge(int i) const {
    return lo * std::pow(10, decades * i / static_cast<int>(counts.size()));
  }
};

LogBins BinOnLogAxis(const std::vector<LatencyBucket>& buckets) {
  LogBins b;
  for (const LatencyBucket& bucket : buckets) b.total += bucket.count;
  // A 0 us sample sits at the 1 us left edge.
  b.lo = Nice125Floor(std::max(buckets.front().lo_us, 1.0) / 1000);
  b.hi = Nice125Ceil((buckets.back().hi_us + 1) / 1000);
  if (b.hi <= b.lo) b.hi = b.lo * 10;
  b.decades = std::log10(b.hi / b.lo);
  const int bins = std::clamp(static_cast<int>(std::lround(25 * b.decades)), 20, 100);
  b.counts.assign(bins, 0.0);
  for (const LatencyBucket& bucket : buckets) {
    // The report's buckets are at most 1.6% wide, so each goes whole to the bin of its middle.
    const double mid_ms = std::sqrt(std::max(bucket.lo_us, 0.5) * (bucket.hi_us + 1)) / 1000;
    const int i = static_cast<int>(std::floor(std::log10(mid_ms / b.lo) / b.decades * bins));
    b.counts[std::clamp(i, 0, bins - 1)] += bucket.count;
  }
  return b;
}

Chart HistogramChart(const std::string& name, const LogBins& b) {
  Chart hist;
  hist.kind = "histogram";
  hist.title = name + ": distribution of latency";
  hist.x = {"latency (ms, log scale)", b.lo, b.hi, true, ""};
  hist.y = {"samples", 0, NiceCeil(*std::max_element(b.counts.begin(), b.counts.end())), false, ""};
  for (int i = 0; i < static_cast<int>(b.counts.size()); ++i) {
    if (b.counts[i] == 0) continue;
    std::string tip = FormatMs(b.Edge(i) * 1000);
    tip += "–" + FormatMs(b.Edge(i + 1) * 1000) + " ms\n" + FormatCount(b.counts[i]) +
           " samples (" + fmt::format("{:.2f}%)", 100 * b.counts[i] / b.total);
    hist.bars.push_back({b.Edge(i), b.Edge(i + 1), b.counts[i], tip});
  }
  return hist;
}

Chart CdfChart(const std::string& name, const std::vector<LatencyBucket>& buckets,
               const ChartAxis& x, double total) {
  Chart cdf;
  cdf.kind = "cdf";
  cdf.title = name + ": cumulative distribution";
  cdf.x = x;
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
  return cdf;
}

}  // namespace

LatencyCharts MakeLatencyCharts(const std::string& name, const std::vector<LatencyBucket>& buckets,
                                const std::vector<PercentileMark>& marks) {
  LatencyCharts charts;
  if (buckets.empty()) return charts;
  const LogBins bins = BinOnLogAxis(buckets);
  charts.histogram = HistogramChart(name, bins);
  charts.cdf = CdfChart(name, buckets, charts.histogram.x, bins.total);
  for (const PercentileMark& m : marks) {
    const std::string text = m.label + " = " + FormatMs(m.us) + " ms";
    if (m.label != "p90") charts.histogram.markers.push_back({m.us / 1000, m.label, text});
    charts.cdf.dots.push_back({m.us / 1000, m.percent, text, 1});
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
