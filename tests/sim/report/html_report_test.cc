#include "sim/report/html_report.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

namespace meshsim {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kEvil = "<script>alert(1)</script>";
constexpr const char* kEvilImg = "<img src=x onerror=alert(2)>";

// A lognormal-ish spread of samples over the histogram's bucket scheme, from lo_us to hi_us.
Json Buckets(int64_t lo_us, int64_t hi_us, int64_t count) {
  Json b = Json::array();
  int64_t left = count;
  for (int64_t v = lo_us; v < hi_us && left > 0; v = v * 17 / 16 + 1) {
    const double mid =
        std::log(static_cast<double>(v)) -
        (std::log(static_cast<double>(lo_us)) + std::log(static_cast<double>(hi_us))) / 2;
    const auto n =
        std::min<int64_t>(left, 1 + static_cast<int64_t>(count / 40.0 * std::exp(-mid * mid)));
    b.push_back({v, v * 17 / 16, n});
    left -= n;
  }
  if (left > 0) b.push_back({hi_us, hi_us, left});
  return b;
}

Json Histogram(int64_t lo_us, int64_t hi_us, int64_t count) {
  return {{"count", count},
          {"p50_us", (lo_us + hi_us) / 2},
          {"p90_us", hi_us * 8 / 10},
          {"p99_us", hi_us * 9 / 10},
          {"p999_us", hi_us},
          {"max_us", hi_us},
          {"min_us", lo_us},
          {"mean_us", (lo_us + hi_us) / 2.0},
          {"buckets", Buckets(lo_us, hi_us, count)}};
}

// A report shaped like BuildReport's, with two hops, a hostile scenario name and hostile strings
// wherever the report carries user-authored text.
Json SampleReport() {
  Json r;
  r["scenario"] = kEvil;
  r["seed"] = 42;
  r["clock"] = "virtual";
  r["sim_seconds"] = 60.0;
  r["wall_seconds"] = 0.25;
  r["passed"] = false;
  Json topic = {
      {"produced", 1000}, {"delivered", 1000}, {"applied", 990}, {"rejected", 10}, {"lost", 0}};
  r["counts"] = topic;
  r["counts"]["by_topic"] = {{"interactions", topic}};
  r["latency"]["event_to_recommendation"] = Histogram(20'000, 1'500'000, 1000);
  r["latency"]["hops"] = {{"produce", Histogram(400, 16'000, 1000)},
                          {kEvilImg, Histogram(5'000, 900'000, 1000)}};
  r["latency"]["by_topic"] = {{"songs", Histogram(30'000, 1'000'000, 50)}};
  r["latency"]["modelled"] = true;
  r["dead_letters"] = {{"count", 10}, {"by_reason", {{kEvilImg, 10}}}};
  r["settings"] = {{"recipe", "co-occurrence"}, {kEvilImg, 1}};
  r["analytics"] = {{"consumed", 1000},
                    {"by_event_type", {{"play", 700}, {"skip", 300}}},
                    {"peak_events_per_second", 40},
                    {"mean_events_per_second", 16.7},
                    {"windows",
                     {{{"start_s", 0.0},
                       {"events", 1000},
                       {"top_items", {{{"item_id", kEvilImg}, {"count", 9}}}}}}}};
  r["timeline"] = {{{"at_s", 30.0}, {"action", "set_rate"}, {"describe", kEvilImg}}};
  Json t = Json::array(), produced = Json::array(), applied = Json::array(), p99 = Json::array(),
       lag = Json::array();
  for (int i = 1; i <= 30; ++i) {
    t.push_back(2.0 * i);
    produced.push_back(i == 1 ? 3600.0 : 20.0 + i);  // a start-up burst
    applied.push_back(i == 1 ? 3500.0 : 19.0 + i);
    p99.push_back(i % 7 == 0 ? 0 : 500'000 + 1000 * i);  // some intervals without samples
    lag.push_back(i % 5);
  }
  r["series"] = {
      {"interval_s", 2.0},          {"t_s", t},
      {"produced_per_s", produced}, {"applied_per_s", applied},
      {"e2e_p99_us", p99},          {"lag", {{"InteractionsUpdate", lag}, {kEvilImg, lag}}}};
  // As the expectations runner writes them.
  r["expectations"] = {{{"name", "nothing lost"},
                        {"kind", "metric"},
                        {"when", "at the end"},
                        {"expected", "== 0"},
                        {"passed", true},
                        {"status", "passed"},
                        {"observed", 0},
                        {"checked_at_s", 60.0},
                        {"checks", 1},
                        {"detail", ""}},
                       {{"name", kEvil},
                        {"kind", "recommendation"},
                        {"when", "eventually within 180 s from 30 s (every 1 s)"},
                        {"expected", "p339 in the top 25"},
                        {"passed", false},
                        {"status", "failed"},
                        {"observed", {{"items", {"s1", kEvilImg, "p2"}}}},
                        {"checked_at_s", nullptr},
                        {"checks", 181},
                        {"detail", kEvilImg}}};
  return r;
}

size_t Occurrences(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Every opened html/head/body/svg/table/section (and a few more) is closed, properly nested.
bool TagsBalanced(const std::string& html, std::string* why) {
  static const std::vector<std::string> kTracked = {"html",   "head",    "body", "svg",
                                                    "table",  "section", "main", "header",
                                                    "figure", "details", "g",    "tr"};
  std::vector<std::string> open;
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const size_t end = html.find('>', at);
    if (end == std::string::npos) return *why = "unterminated tag", false;
    const bool closing = html[at + 1] == '/';
    size_t p = at + (closing ? 2 : 1);
    std::string name;
    while (p < end && std::isalnum(static_cast<unsigned char>(html[p])))
      name += static_cast<char>(std::tolower(html[p++]));
    if (std::find(kTracked.begin(), kTracked.end(), name) == kTracked.end()) continue;
    if (closing) {
      if (open.empty() || open.back() != name) return *why = "unexpected </" + name + ">", false;
      open.pop_back();
    } else if (html[end - 1] != '/') {
      open.push_back(name);
    }
  }
  if (!open.empty()) return *why = "unclosed <" + open.back() + ">", false;
  return true;
}

void CheckSelfContained(const std::string& html) {
  std::string s = Lower(html);
  // The SVG namespace is a name, not a fetch; allow exactly that one.
  const std::string ns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (size_t at = s.find(ns); at != std::string::npos; at = s.find(ns)) s.erase(at, ns.size());
  for (const char* banned :
       {"http://", "https://", "<script", "@import", "url(", "javascript:", "<img", "<link"}) {
    INFO(banned);
    CHECK(s.find(banned) == std::string::npos);
  }
  for (size_t at = s.find("href=\""); at != std::string::npos; at = s.find("href=\"", at + 1)) {
    CHECK(s[at + 6] == '#');  // in-page links only
  }
}

void CheckWellFormed(const std::string& html) {
  std::string why;
  const bool balanced = TagsBalanced(html, &why);
  INFO(why);
  CHECK(balanced);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("could not be rendered") == std::string::npos);
}

// The svg elements of one kind, each from "<svg" to "</svg>".
std::vector<std::string> Charts(const std::string& html, const std::string& kind) {
  std::vector<std::string> out;
  const std::string marker = "class=\"chart " + kind + "\"";
  for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
    const size_t begin = html.rfind("<svg", at), end = html.find("</svg>", at);
    out.push_back(html.substr(begin, end - begin));
  }
  return out;
}

double Attribute(const std::string& element, const std::string& name) {
  const size_t at = element.find(" " + name + "=\"");
  REQUIRE(at != std::string::npos);
  return std::stod(element.substr(at + name.size() + 3));
}

TEST_CASE("html report: one self-contained, well-formed page", "[html_report]") {
  const std::string html = RenderHtml(SampleReport());
  CheckWellFormed(html);
  CheckSelfContained(html);
  CHECK(html.find("<style>") != std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
}

TEST_CASE("html report: escapes every string from the report", "[html_report]") {
  const std::string html = RenderHtml(SampleReport());
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  CHECK(Lower(html).find("<script") == std::string::npos);
  CHECK(html.find(kEvilImg) == std::string::npos);
}

TEST_CASE("html report: header, verdict, replay command and tables", "[html_report]") {
  Json r = SampleReport();
  std::string html = RenderHtml(r);
  CHECK(html.find("FAILED") != std::string::npos);
  // Why, under the verdict: the failed expectation, before any table.
  const size_t reasons = html.find("<ul class=\"reasons\"><li>expectation ");
  CHECK(reasons != std::string::npos);
  CHECK(reasons < html.find("<table"));
  CHECK(html.find("meshsim run SCENARIO.json --seed 42") != std::string::npos);
  CHECK(html.find("1 of 2 passed") != std::string::npos);
  CHECK(html.find("items: s1, &lt;img src=x onerror=alert(2)&gt;, p2") != std::string::npos);
  CHECK(html.find("181 checks") != std::string::npos);
  CHECK(html.find("recommendation · eventually within 180 s") != std::string::npos);
  CHECK(html.find("set_rate") != std::string::npos);
  CHECK(html.find("p99.9") != std::string::npos);

  r["file"] = "scenarios/my run.json";
  r["passed"] = true;
  html = RenderHtml(r);
  CHECK(html.find("meshsim run &#39;scenarios/my run.json&#39; --seed 42") != std::string::npos);
  CHECK(html.find("PASSED") != std::string::npos);
}

TEST_CASE("html report: a histogram and a CDF for the end to end latency and each hop",
          "[html_report]") {
  const std::string html = RenderHtml(SampleReport());
  CHECK(Charts(html, "histogram").size() == 3);  // event_to_recommendation + 2 hops
  CHECK(Charts(html, "cdf").size() == 3);
  CHECK(Charts(html, "series throughput").size() == 1);
  CHECK(Charts(html, "series lag").size() == 1);
  CHECK(Occurrences(html, "<rect x=") > 20);  // histogram bars
}

TEST_CASE("html report: each CDF climbs from 0% to 100%", "[html_report]") {
  for (const std::string& svg : Charts(RenderHtml(SampleReport()), "cdf")) {
    const size_t plot = svg.find("class=\"plot-area\"");
    REQUIRE(plot != std::string::npos);
    const std::string rect = svg.substr(plot, svg.find('>', plot) - plot);
    const double top = Attribute(rect, "y"), bottom = top + Attribute(rect, "height");
    const size_t d = svg.find(" d=\"M", svg.find("class=\"line\""));
    REQUIRE(d != std::string::npos);
    const std::string path = svg.substr(d + 5, svg.find('"', d + 5) - d - 5);
    const double first_y = std::stod(path.substr(path.find(',') + 1));
    const double last_y = std::stod(path.substr(path.rfind(',') + 1));
    CHECK(first_y == Approx(bottom));  // 0%
    CHECK(last_y == Approx(top));      // 100%
  }
}

TEST_CASE("html report: sections whose data is missing are skipped with a note", "[html_report]") {
  Json r = SampleReport();
  r.erase("series");
  r.erase("expectations");
  r["latency"]["event_to_recommendation"].erase("buckets");
  for (auto& [hop, h] : r["latency"]["hops"].items()) h.erase("buckets");
  const std::string html = RenderHtml(r);
  CheckWellFormed(html);
  CheckSelfContained(html);
  CHECK(html.find("no time series") != std::string::npos);
  CHECK(html.find("no expectations") != std::string::npos);
  CHECK(Occurrences(html, "No bucket data") == 3);
  CHECK(Charts(html, "histogram").empty());
  CHECK(Charts(html, "cdf").empty());
  CHECK(html.find("p99.9") != std::string::npos);  // the percentile table stays
}

TEST_CASE("html report: a latency with no samples is a dash, not 0.00", "[html_report]") {
  Json r = SampleReport();
  r["latency"]["hops"]["produce"] = {{"count", 0},  {"min_us", 0},  {"p50_us", 0}, {"p90_us", 0},
                                     {"p99_us", 0}, {"p999_us", 0}, {"max_us", 0}, {"mean_us", 0}};
  const std::string html = RenderHtml(r);
  const size_t row = html.find("<tr><td>hop: produce</td>");
  REQUIRE(row != std::string::npos);
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  CHECK(cells.find("0.00") == std::string::npos);
  CHECK(Occurrences(cells, "—") == 7);  // min, four percentiles, max, mean
}

TEST_CASE("html report: never throws, whatever the JSON", "[html_report]") {
  std::vector<Json> reports = {Json(), Json::array({1, 2}), Json(7), Json("report"),
                               Json::object()};
  Json odd = SampleReport();
  odd["scenario"] = {{"nested", true}};
  odd["seed"] = -3;
  odd["sim_seconds"] = NAN;
  odd["wall_seconds"] = 0;
  odd["counts"] = {{"produced", "many"}, {"by_topic", {{"t", 5}}}};
  odd["latency"]["hops"]["produce"]["buckets"] = {{1},        {2, "x", 3}, "y",
                                                  {-5, 3, 1}, {5, 3, 1},   {0, 0, 4}};
  odd["latency"]["hops"]["deliver"] = 17;
  odd["latency"]["event_to_recommendation"]["buckets"] = {{7, 7, 0}};
  odd["series"] = {{"t_s", {1, "a", nullptr, 4}},
                   {"produced_per_s", "no"},
                   {"e2e_p99_us", {1e300, -1}},
                   {"lag", {{"f", {1}}, {"g", "x"}}}};
  odd["expectations"] = {{"not", "an array"}};
  odd["timeline"] = {1, {{"at_s", "x"}}, {{"at_s", 1e308}}};
  odd["analytics"] = {{"windows", {5}}, {"by_event_type", {1, 2}}};
  odd["dead_letters"] = "none";
  reports.push_back(odd);
  Json constant = SampleReport();  // every sample in one bucket
  constant["latency"]["event_to_recommendation"]["buckets"] = {{500, 500, 1000}};
  constant["series"]["t_s"] = {5.0};
  reports.push_back(constant);
  for (const Json& r : reports) {
    std::string html;
    REQUIRE_NOTHROW(html = RenderHtml(r));
    CheckWellFormed(html);
    CheckSelfContained(html);
  }
}

}  // namespace
}  // namespace meshsim
