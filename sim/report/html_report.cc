#include "sim/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "sim/ports/topics.h"
#include "sim/report/report_charts.h"
#include "sim/report/report_json.h"
#include "sim/report/svg_chart.h"
#include "sim/report/verdict.h"
#include "sim/text/escape.h"

namespace meshsim {
namespace {

using Json = nlohmann::ordered_json;

// Hops in pipeline order; hops the report names beyond these follow in its order.
constexpr const char* kHopOrder[] = {"produce", "deliver", "apply"};

constexpr const char* kCss = R"(
:root{color-scheme:light}*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:#1f2328;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
main{max-width:1240px;margin:0 auto;padding:20px}
header,section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin-bottom:16px;overflow-x:auto}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid #eaeef2}
h3{font-size:14px;margin:18px 0 6px}.muted,.kind{color:#59636e;font-weight:400}.kind{font-size:12px;display:block}
.title{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.reasons{margin:4px 0 12px;padding-left:20px;color:#b42318}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:13px;color:#fff;white-space:nowrap}
.pass{background:#1a7f37}.fail{background:#cf222e}.unknown{background:#6e7781}
dl.meta{display:flex;flex-wrap:wrap;gap:8px 28px;margin:12px 0}dl.meta dt{font-size:12px;color:#59636e}
dl.meta dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:2px 6px}
nav{margin-top:10px}nav a{margin-right:14px;color:#0969da;text-decoration:none;white-space:nowrap}nav a:hover{text-decoration:underline}
details{margin-top:10px;font-size:13px}summary{cursor:pointer;color:#59636e}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:5px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
th{font-size:12px;color:#59636e;font-weight:600;background:#f6f8fa;white-space:nowrap}.n{text-align:right}
tr.total td{font-weight:600;border-top:2px solid #d0d7de}.wrap td{overflow-wrap:anywhere}.wrap td:nth-child(2){min-width:14em}.bad{color:#cf222e;font-weight:600}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:12px 20px}
figure{margin:0}figcaption{font-size:12px;color:#59636e}.wide{grid-column:1/-1}
svg.chart{width:100%;height:auto;display:block}
.chart .bars rect:hover{fill:#56B4E9}.chart .hover rect:hover{fill:rgba(9,105,218,.07)}
.legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:2px 16px;font-size:12px}
.swatch{display:inline-block;width:14px;height:3px;margin-right:6px;vertical-align:middle}
.note{color:#59636e;font-style:italic;margin:6px 0}footer{color:#59636e;font-size:12px;text-align:center}
)";

// Short names for the tolerant readers of sim/report/report_json.h.
const Json* Get(const Json* j, std::initializer_list<const char*> path) { return JsonAt(j, path); }
std::optional<double> Num(const Json* j) { return JsonNumber(j); }
std::string Text(const Json* j) { return JsonText(j); }

std::string Count(const Json* j) {
  const auto v = Num(j);
  return v ? FormatCount(*v) : "—";
}

std::string Ms(std::optional<double> us) { return us ? FormatMs(*us) : "—"; }

std::string Seconds(std::optional<double> s) { return s ? FormatTick(*s) + " s" : "—"; }

std::string Note(std::string_view text) { return "<p class=\"note\">" + HtmlEscape(text) + "</p>"; }

// ---- Sections.

// One term of a <dl class="meta">; nothing when `value` is empty.
void MetaItem(std::ostringstream& out, const std::string& label, const std::string& value) {
  if (!value.empty()) {
    out << "<div><dt>" << HtmlEscape(label) << "</dt><dd>" << HtmlEscape(value) << "</dd></div>";
  }
}

void TitleAndVerdict(std::ostringstream& out, const Json& r) {
  const std::string name = Text(Get(&r, {"scenario"}));
  const Json* passed = Get(&r, {"passed"});
  out << "<div class=\"title\"><h1>" << HtmlEscape(name.empty() ? "(unnamed scenario)" : name)
      << "</h1>";
  if (passed && passed->is_boolean()) {
    out << (passed->get<bool>() ? "<span class=\"badge pass\">✓ PASSED</span>"
                                : "<span class=\"badge fail\">✗ FAILED</span>");
  } else {
    out << "<span class=\"badge unknown\">? NO VERDICT</span>";
  }
  out << "</div>";
  // Why it failed, at the top: once the page showed only red cells further down.
  if (passed && passed->is_boolean() && !passed->get<bool>()) {
    std::vector<std::string> why;
    try {
      why = FailureReasons(r);
    } catch (const std::exception&) {  // a report of another shape: the badge alone
    }
    out << "<ul class=\"reasons\">";
    for (const std::string& reason : why) out << "<li>" << HtmlEscape(reason) << "</li>";
    out << "</ul>";
  }
}

void RunFacts(std::ostringstream& out, const Json& r) {
  out << "<dl class=\"meta\">";
  const auto sim = Num(Get(&r, {"sim_seconds"})), wall = Num(Get(&r, {"wall_seconds"}));
  MetaItem(out, "seed", Text(Get(&r, {"seed"})));
  MetaItem(out, "clock", Text(Get(&r, {"clock"})));
  MetaItem(out, "simulated", sim ? fmt::format("{:.1f} s", *sim) : "");
  MetaItem(out, "wall", wall ? fmt::format("{:.3f} s", *wall) : "");
  if (sim && wall && *wall > 0) {
    const double speed_up = *sim / *wall;
    MetaItem(out, "speed-up", fmt::format("{:.{}f}×", speed_up, speed_up >= 10 ? 0 : 1));
  }
  if (const Json* m = Get(&r, {"latency", "modelled"}); m && m->is_boolean()) {
    MetaItem(out, "latency", m->get<bool>() ? "modelled (virtual clock)" : "measured (real clock)");
  }
  out << "</dl>";
}

void ReplayCommand(std::ostringstream& out, const Json& r) {
  const Json* file = Get(&r, {"file"});
  std::string cmd =
      "meshsim run " + (file && file->is_string() ? ShellWord(file->get<std::string>())
                                                  : std::string("SCENARIO.json"));
  if (const Json* seed = Get(&r, {"seed"}); seed && seed->is_number_integer())
    cmd += " --seed " + Text(seed);
  if (Text(Get(&r, {"clock"})) == "real") cmd += " --clock real";
  out << "<div>Replay: <code>" << HtmlEscape(cmd) << "</code></div>";
}

// Settings and workload, flattened one level, for the curious.
void SettingsDetails(std::ostringstream& out, const Json& r) {
  out << "<details><summary>Settings and workload</summary><dl class=\"meta\">";
  for (const char* group : {"settings", "workload"}) {
    const Json* g = Get(&r, {group});
    if (!g || !g->is_object()) continue;
    for (const auto& [key, value] : g->items()) {
      if (value.is_object()) {
        for (const auto& [sub, v] : value.items()) MetaItem(out, key + "." + sub, Text(&v));
      } else {
        MetaItem(out, key, Text(&value));
      }
    }
  }
  out << "</dl></details>";
}

void Header(std::ostringstream& out, const Json& r) {
  out << "<header>";
  TitleAndVerdict(out, r);
  RunFacts(out, r);
  ReplayCommand(out, r);
  SettingsDetails(out, r);
  out << "<nav><a href=\"#counts\">Counts</a><a href=\"#latency\">Latency</a>"
      << "<a href=\"#series\">Over time</a><a href=\"#expectations\">Expectations</a>"
      << "<a href=\"#analytics\">Analytics</a><a href=\"#timeline\">Timeline</a>"
      << "<a href=\"#dead-letters\">Dead letters</a></nav></header>";
}

void Counts(std::ostringstream& out, const Json& r) {
  out << "<section id=\"counts\"><h2>Counts</h2>";
  const Json* counts = Get(&r, {"counts"});
  if (!counts || !counts->is_object()) {
    out << Note("This report has no counts.") << "</section>";
    return;
  }
  static constexpr const char* kCols[] = {"produced", "delivered", "applied", "rejected", "lost"};
  out << "<table><tr><th>topic</th>";
  for (const char* col : kCols) out << "<th class=\"n\">" << col << "</th>";
  out << "</tr>";
  auto row = [&](const std::string& name, const Json* c, bool total) {
    out << (total ? "<tr class=\"total\">" : "<tr>") << "<td>" << HtmlEscape(name) << "</td>";
    for (const char* col : kCols) {
      // Rejected and lost records are what a reader looks for.
      const std::string_view k = col;
      const bool bad = (k == "rejected" || k == "lost") && Num(Get(c, {col})).value_or(0) > 0;
      out << "<td class=\"n" << (bad ? " bad" : "") << "\">" << Count(Get(c, {col})) << "</td>";
    }
    out << "</tr>";
  };
  if (const Json* by = Get(counts, {"by_topic"}); by && by->is_object()) {
    for (const auto& [topic, c] : by->items()) row(topic, &c, false);
  }
  row("total", counts, true);
  out << "</table></section>";
}

struct Percentile {
  const char* label;
  const char* key;
  double percent;
};
constexpr Percentile kPercentiles[] = {{"p50", "p50_us", 50},
                                       {"p90", "p90_us", 90},
                                       {"p99", "p99_us", 99},
                                       {"p99.9", "p999_us", 99.9}};

// Histogram (log-binned) and CDF of one latency histogram, side by side.
void HistogramPanel(std::ostringstream& out, const std::string& name, const Json& h) {
  out << "<h3>" << HtmlEscape(name) << " <span class=\"muted\">" << Count(Get(&h, {"count"}))
      << " samples</span></h3>";
  const auto buckets = LatencyBucketsOf(&h);
  if (buckets.empty()) {
    out << Note(Get(&h, {"buckets"}) ? "No samples."
                                     : "No bucket data in this report; charts skipped.");
    return;
  }
  std::vector<PercentileMark> marks;
  for (const Percentile& p : kPercentiles) {
    if (const auto us = Num(Get(&h, {p.key}))) marks.push_back({p.label, p.percent, *us});
  }
  const LatencyCharts charts = MakeLatencyCharts(name, buckets, marks);
  out << "<div class=\"grid2\"><figure>" << RenderSvg(charts.histogram)
      << "<figcaption>Histogram, log-spaced bins; dashed lines at p50, p99 and "
         "p99.9.</figcaption></figure><figure>"
      << RenderSvg(charts.cdf)
      << "<figcaption>CDF; dots at p50, p90, p99 and p99.9.</figcaption></figure></div>";
}

using LatencyRow = std::pair<std::string, const Json*>;  // (label, histogram)

// The hops in pipeline order, then any others in the report's order.
std::vector<LatencyRow> HopRows(const Json& hops) {
  std::vector<std::string> names;
  for (const char* known : kHopOrder) {
    if (hops.contains(known)) names.push_back(known);
  }
  for (const auto& [hop, h] : hops.items()) {
    if (std::find(names.begin(), names.end(), hop) == names.end()) names.push_back(hop);
  }
  std::vector<LatencyRow> rows;
  for (const auto& hop : names) {
    if (hops.at(hop).is_object()) rows.emplace_back("hop: " + hop, &hops.at(hop));
  }
  return rows;
}

void LatencyTable(std::ostringstream& out, const std::vector<LatencyRow>& rows) {
  out << "<table><tr><th>latency (ms)</th><th class=\"n\">count</th><th class=\"n\">min</th>";
  for (const Percentile& p : kPercentiles) out << "<th class=\"n\">" << p.label << "</th>";
  out << "<th class=\"n\">max</th><th class=\"n\">mean</th></tr>";
  for (const auto& [label, h] : rows) {
    // No samples: a dash, not 0.00 for a latency nothing measured.
    const bool empty = Num(Get(h, {"count"})).value_or(0) == 0;
    auto cell = [&](const char* key) {
      return "<td class=\"n\">" + (empty ? std::string("—") : Ms(Num(Get(h, {key})))) + "</td>";
    };
    out << "<tr><td>" << HtmlEscape(label) << "</td><td class=\"n\">" << Count(Get(h, {"count"}))
        << "</td>" << cell("min_us");
    for (const Percentile& p : kPercentiles) out << cell(p.key);
    out << cell("max_us") << cell("mean_us") << "</tr>";
  }
  out << "</table>";
}

// A table of every histogram: end to end, hops, then catalogue topics; charts of all but the
// catalogue topics.
void Latency(std::ostringstream& out, const Json& r) {
  out << "<section id=\"latency\"><h2>Latency</h2>";
  const Json* latency = Get(&r, {"latency"});
  if (!latency || !latency->is_object()) {
    out << Note("This report has no latency.") << "</section>";
    return;
  }
  std::vector<LatencyRow> rows;
  if (const Json* e2e = Get(latency, {"event_to_recommendation"}); e2e && e2e->is_object()) {
    rows.emplace_back("event → recommendation", e2e);
  }
  if (const Json* hops = Get(latency, {"hops"}); hops && hops->is_object()) {
    for (auto& row : HopRows(*hops)) rows.push_back(std::move(row));
  }
  const std::vector<LatencyRow> charted = rows;
  if (const Json* by = Get(latency, {"by_topic"}); by && by->is_object()) {
    for (const auto& [topic, h] : by->items()) {
      if (topic != kInteractionsTopic && h.is_object())
        rows.emplace_back(topic + " → recommender", &h);
    }
  }
  LatencyTable(out, rows);
  for (const auto& [label, h] : charted) HistogramPanel(out, label, *h);
  out << "</section>";
}

// The timeline's actions, to mark on charts over time.
std::vector<ChartMarker> TimelineMarkers(const Json& r) {
  std::vector<ChartMarker> markers;
  if (const Json* tl = Get(&r, {"timeline"}); tl && tl->is_array()) {
    for (const Json& a : *tl) {
      if (const auto at = Num(Get(&a, {"at_s"}))) {
        markers.push_back(
            {*at, Text(Get(&a, {"action"})), Seconds(at) + ": " + Text(Get(&a, {"describe"}))});
      }
    }
  }
  return markers;
}

double MaxOf(const std::vector<double>& values) {
  double m = 0;
  for (double v : values) m = std::isfinite(v) ? std::max(m, v) : m;
  return m;
}

void Figure(std::ostringstream& out, const Chart& c, const std::vector<ChartLine>& legend,
            const std::string& caption, bool wide = false) {
  out << (wide ? "<figure class=\"wide\">" : "<figure>") << RenderSvg(c) << RenderLegend(legend)
      << "<figcaption>" << HtmlEscape(caption) << "</figcaption></figure>";
}

// The series' time axis and the timeline's actions marked on it, which every chart of the
// series shares.
struct TimeAxis {
  const Json* series;
  std::vector<double> t;
  std::vector<ChartMarker> markers;
};

// The top of the throughput axis. A burst (the catalogues published at start) would flatten the
// rest, so the axis stops at a round value above the 95th percentile when the peak is far above.
double ThroughputCap(const std::vector<ChartLine>& rate) {
  std::vector<double> all;
  for (const ChartLine& l : rate) {
    std::copy_if(l.y.begin(), l.y.end(), std::back_inserter(all),
                 [](double v) { return std::isfinite(v); });
  }
  std::sort(all.begin(), all.end());
  const double cap = MaxOf(all);
  const double p95 = all.empty() ? 0 : all[(all.size() - 1) * 95 / 100];
  const bool clip = all.size() >= 10 && p95 > 0 && cap > 2.5 * p95;
  return clip ? NiceCeil(p95 * 1.4) : cap;
}

// Throughput: produced wide and light under applied, as the two mostly coincide; points above
// the axis's cap are marked as dots on its top edge and told.
void ThroughputFigure(std::ostringstream& out, const TimeAxis& axis) {
  const std::vector<double>& t = axis.t;
  std::vector<ChartLine> rate = {
      {"produced", t, JsonNumbers(Get(axis.series, {"produced_per_s"}), t.size()), 1, 3.5},
      {"applied", t, JsonNumbers(Get(axis.series, {"applied_per_s"}), t.size()), 0, 1.4}};
  auto per_s = [](double v) { return FormatCount(std::round(v * 10) / 10) + "/s"; };
  Chart tp = MakeTimeChart("throughput", "Throughput", t, rate, "records per second",
                           ThroughputCap(rate), axis.markers, per_s);
  for (const auto& l : rate) {
    for (size_t i = 0; i < l.y.size(); ++i) {
      if (l.y[i] > tp.y.max) {
        tp.dots.push_back(
            {t[i], tp.y.max, l.name + " " + per_s(l.y[i]) + " at " + Seconds(t[i]), 3});
      }
    }
  }
  std::string caption = "Records produced and applied per second, all topics.";
  if (!tp.dots.empty()) {
    caption += " " + std::to_string(tp.dots.size()) + " value(s) above " + per_s(tp.y.max) +
               " are drawn as dots on the top edge; hover for their values.";
  }
  Figure(out, tp, rate, caption);
}

// Interval p99, with gaps where an interval had no samples.
void P99Figure(std::ostringstream& out, const TimeAxis& axis) {
  std::vector<double> p99 = JsonNumbers(Get(axis.series, {"e2e_p99_us"}), axis.t.size());
  for (double& v : p99) v = v > 0 ? v / 1000 : NAN;
  std::vector<ChartLine> p99_line = {{"event → recommendation p99", axis.t, p99, 0}};
  auto ms = [](double v) { return FormatMs(v * 1000) + " ms"; };
  Figure(out,
         MakeTimeChart("p99", "Event to recommendation p99 per interval", axis.t, p99_line,
                       "p99 (ms)", MaxOf(p99), axis.markers, ms),
         p99_line, "p99 of the samples recorded in each interval; gaps where there were none.");
}

// Consumer lag per function; the legend tells each maximum, as idle lines overlap at 0.
void LagFigure(std::ostringstream& out, const TimeAxis& axis) {
  const Json* lag = Get(axis.series, {"lag"});
  if (!lag || !lag->is_object() || lag->empty()) {
    out << Note("No consumer lag in this report.");
    return;
  }
  std::vector<ChartLine> lines, legend;
  double max = 0;
  for (const auto& [fn, values] : lag->items()) {
    lines.push_back(
        {fn, axis.t, JsonNumbers(&values, axis.t.size()), static_cast<int>(lines.size())});
    legend.push_back(lines.back());
    legend.back().name += " (max " + FormatCount(MaxOf(lines.back().y)) + ")";
    max = std::max(max, MaxOf(lines.back().y));
  }
  auto records = [](double v) { return FormatCount(v) + " records"; };
  Chart c = MakeTimeChart("lag", "Consumer lag", axis.t, lines, "records behind", max, axis.markers,
                          records);
  c.width = 1200;
  Figure(out, c, legend,
         "Records between each event-source mapping's committed offsets and the log ends.", true);
}

void Series(std::ostringstream& out, const Json& r) {
  out << "<section id=\"series\"><h2>Over simulated time</h2>";
  const Json* s = Get(&r, {"series"});
  const Json* t_json = Get(s, {"t_s"});
  if (!t_json || !t_json->is_array() || t_json->empty()) {
    out << Note("This report has no time series.") << "</section>";
    return;
  }
  const TimeAxis axis = {s, JsonNumbers(t_json, t_json->size()), TimelineMarkers(r)};
  out << "<p class=\"muted\">One point per " << HtmlEscape(Seconds(Num(Get(s, {"interval_s"}))))
      << " of simulated time; dashed lines mark the timeline's actions. Hover for values.</p>"
      << "<div class=\"grid2\">";
  ThroughputFigure(out, axis);
  P99Figure(out, axis);
  LagFigure(out, axis);
  out << "</div></section>";
}

void Expectations(std::ostringstream& out, const Json& r) {
  out << "<section id=\"expectations\"><h2>Expectations</h2>";
  const Json* e = Get(&r, {"expectations"});
  if (!e || !e->is_array()) {
    out << Note(e ? "The expectations in this report are malformed."
                  : "This report has no expectations.")
        << "</section>";
    return;
  }
  size_t passed = 0;
  for (const Json& x : *e) passed += Get(&x, {"passed"}) && *Get(&x, {"passed"}) == true;
  out << "<p>" << passed << " of " << e->size()
      << " passed.</p><table class=\"wrap\"><tr><th>result</th><th>expectation</th>"
      << "<th>observed</th><th>expected</th><th class=\"n\">checked at</th></tr>";
  for (const Json& x : *e) {
    const Json* p = Get(&x, {"passed"});
    const std::string status = Text(Get(&x, {"status"}));
    const std::string badge = p && p->is_boolean()
                                  ? (p->get<bool>() ? "<span class=\"badge pass\">✓ pass</span>"
                                                    : "<span class=\"badge fail\">✗ fail</span>")
                                  : "<span class=\"badge unknown\">" +
                                        HtmlEscape(status.empty() ? "?" : status) + "</span>";
    std::string about = Text(Get(&x, {"kind"}));
    if (const std::string when = Text(Get(&x, {"when"})); !when.empty()) {
      about += (about.empty() ? "" : " · ") + when;
    }
    const std::string detail = JsonProse(Get(&x, {"detail"}));
    const auto checks = Num(Get(&x, {"checks"}));
    out << "<tr><td>" << badge << "</td><td>" << HtmlEscape(Text(Get(&x, {"name"})))
        << "<span class=\"kind\">" << HtmlEscape(about) << "</span></td><td>"
        << HtmlEscape(JsonProse(Get(&x, {"observed"})))
        << (Get(&x, {"observed_as"}) ? " (" + HtmlEscape(Text(Get(&x, {"observed_as"}))) + ")"
                                     : std::string())
        << (detail.empty() ? "" : "<span class=\"kind\">" + HtmlEscape(detail) + "</span>")
        << "</td><td>" << HtmlEscape(JsonProse(Get(&x, {"expected"}))) << "</td><td class=\"n\">"
        << HtmlEscape(Seconds(Num(Get(&x, {"checked_at_s"}))))
        << (checks && *checks > 1
                ? "<span class=\"kind\">" + FormatCount(*checks) + " checks</span>"
                : "")
        << "</td></tr>";
  }
  out << "</table></section>";
}

std::vector<LabelledValue> CountsOf(const Json* object) {
  std::vector<LabelledValue> rows;
  if (object && object->is_object()) {
    for (const auto& [key, n] : object->items()) {
      rows.push_back({key, Num(&n).value_or(0), Count(&n)});
    }
  }
  return rows;
}

void Analytics(std::ostringstream& out, const Json& r) {
  out << "<section id=\"analytics\"><h2>Analytics</h2>";
  const Json* a = Get(&r, {"analytics"});
  if (!a || !a->is_object()) {
    out << Note("This report has no analytics.") << "</section>";
    return;
  }
  out << "<dl class=\"meta\"><div><dt>events consumed</dt><dd>" << Count(Get(a, {"consumed"}))
      << "</dd></div><div><dt>peak events/s</dt><dd>" << Count(Get(a, {"peak_events_per_second"}))
      << "</dd></div><div><dt>mean events/s</dt><dd>"
      << HtmlEscape(Text(Get(a, {"mean_events_per_second"})))
      << "</dd></div></dl><div class=\"grid2\"><figure><h3>Events by type</h3>";
  const auto types = CountsOf(Get(a, {"by_event_type"}));
  out << (types.empty() ? Note("No events.")
                        : RenderBarList(types, "event-types", "Events by type"));
  out << "</figure><figure>";
  const Json* windows = Get(a, {"windows"});
  if (windows && windows->is_array() && !windows->empty()) {
    const Json& last = windows->back();
    out << "<h3>Top items of the last window <span class=\"muted\">from "
        << HtmlEscape(Seconds(Num(Get(&last, {"start_s"})))) << ", "
        << Count(Get(&last, {"events"})) << " events</span></h3>";
    std::vector<LabelledValue> top;
    if (const Json* items = Get(&last, {"top_items"}); items && items->is_array()) {
      for (const Json& it : *items) {
        top.push_back({Text(Get(&it, {"item_id"})), Num(Get(&it, {"count"})).value_or(0),
                       Count(Get(&it, {"count"}))});
      }
    }
    out << (top.empty() ? Note("No items.")
                        : RenderBarList(top, "top-items", "Top items of the last window"));
  } else {
    out << "<h3>Top items</h3>" << Note("No analytics windows in this report.");
  }
  out << "</figure></div></section>";
}

void Timeline(std::ostringstream& out, const Json& r) {
  out << "<section id=\"timeline\"><h2>Timeline</h2>";
  const Json* tl = Get(&r, {"timeline"});
  if (!tl || !tl->is_array() || tl->empty()) {
    out << Note("No timeline actions ran.") << "</section>";
    return;
  }
  out << "<table><tr><th class=\"n\">at</th><th>action</th><th>what</th></tr>";
  for (const Json& a : *tl) {
    out << "<tr><td class=\"n\">" << HtmlEscape(Seconds(Num(Get(&a, {"at_s"}))))
        << "</td><td><code>" << HtmlEscape(Text(Get(&a, {"action"}))) << "</code></td><td>"
        << HtmlEscape(Text(Get(&a, {"describe"}))) << "</td></tr>";
  }
  out << "</table></section>";
}

void DeadLetters(std::ostringstream& out, const Json& r) {
  out << "<section id=\"dead-letters\"><h2>Dead letters <span class=\"muted\">"
      << Count(Get(&r, {"dead_letters", "count"})) << "</span></h2>";
  const auto reasons = CountsOf(Get(&r, {"dead_letters", "by_reason"}));
  out << (reasons.empty() ? Note("No dead letters.")
                          : RenderBarList(reasons, "dead-letters", "Dead letters by reason"));
  out << "</section>";
}

void Samples(std::ostringstream& out, const Json& r) {
  const Json* s = Get(&r, {"sample_recommendations"});
  if (!s || !s->is_array() || s->empty()) return;
  out << "<section id=\"recommendations\"><h2>Sample "
         "recommendations</h2><table><tr><th>user</th><th>items, best first</th></tr>";
  for (const Json& u : *s) {
    std::string items;
    if (const Json* list = Get(&u, {"items"}); list && list->is_array()) {
      for (const Json& it : *list)
        items += (items.empty() ? "" : ", ") + Text(Get(&it, {"item_id"}));
    }
    out << "<tr><td>" << HtmlEscape(Text(Get(&u, {"user_id"}))) << "</td><td>" << HtmlEscape(items)
        << "</td></tr>";
  }
  out << "</table></section>";
}

std::string Page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         // The page must never fetch or run anything, even if a report string slipped through.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
         "'unsafe-inline'\">"
         "<title>" +
         HtmlEscape(title) + "</title><style>" + kCss + "</style></head><body><main>" + body +
         "</main></body></html>\n";
}

}  // namespace

std::string RenderHtml(const nlohmann::ordered_json& report) {
  try {
    std::ostringstream out;
    Header(out, report);
    Counts(out, report);
    Latency(out, report);
    Series(out, report);
    Expectations(out, report);
    Analytics(out, report);
    Timeline(out, report);
    DeadLetters(out, report);
    Samples(out, report);
    out << "<footer>meshsim report · drawn from the run's JSON report; nothing on this page is "
           "fetched.</footer>";
    return Page("meshsim · " + Text(Get(&report, {"scenario"})), out.str());
  } catch (const std::exception& e) {
    // A bug here must not cost the run its report: degrade to a page that says what went wrong.
    return Page("meshsim report",
                Note(std::string("The report could not be rendered: ") + e.what()));
  }
}

}  // namespace meshsim
