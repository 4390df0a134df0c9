#include "sim/report/report_charts.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "sim/report/report_json.h"

namespace meshsim {
namespace {

TEST_CASE("report charts: number formats", "[report_charts]") {
  CHECK(FormatMs(3199) == "3.20");
  CHECK(FormatMs(557055) == "557.1");
  CHECK(FormatCount(107392) == "107,392");
  CHECK(FormatCount(-1234) == "-1,234");
  CHECK(FormatCount(999) == "999");
  CHECK(FormatCount(12.5) == "12.5");
  CHECK(FormatCount(NAN) == "—");
}

TEST_CASE("report charts: latency histogram keeps every sample, CDF ends at 100%",
          "[report_charts]") {
  const std::vector<LatencyBucket> buckets = {
      {0, 0, 2}, {416, 419, 1}, {3136, 3199, 50}, {3200, 3263, 40}, {15872, 15999, 7}};
  const auto charts = MakeLatencyCharts("produce", buckets, {{"p50", 50, 3199}, {"p90", 90, 3263}});
  double in_bars = 0;
  for (const auto& b : charts.histogram.bars) in_bars += b.y;
  CHECK(in_bars == 100);
  CHECK(charts.histogram.x.log);
  CHECK(charts.histogram.x.min <= 0.001);  // the 0 us sample sits at the 1 us edge
  CHECK(charts.histogram.x.max >= 16);
  REQUIRE(charts.cdf.lines.size() == 1);
  const auto& cdf = charts.cdf.lines[0];
  CHECK(cdf.y.front() == 0);
  CHECK(cdf.y.back() == 100);
  CHECK(std::is_sorted(cdf.y.begin(), cdf.y.end()));
  CHECK(std::is_sorted(cdf.x.begin(), cdf.x.end()));
  CHECK(charts.histogram.markers.size() == 1);  // p90 is left to the CDF
  CHECK(charts.cdf.dots.size() == 2);
}

TEST_CASE("report charts: buckets from a report, malformed entries left out", "[report_charts]") {
  const nlohmann::ordered_json h = {
      {"buckets", {{9, 9, 1}, {1, 1, 2}, {1}, "x", {5, 3, 1}, {-1, 2, 1}, {7, 7, 0}, {2, "y", 1}}}};
  const auto buckets = LatencyBucketsOf(&h);
  REQUIRE(buckets.size() == 2);
  CHECK(buckets[0].lo_us == 1);  // sorted
  CHECK(buckets[1].count == 1);
  CHECK(LatencyBucketsOf(nullptr).empty());
}

TEST_CASE("report charts: time chart with a hover column per sample", "[report_charts]") {
  const std::vector<double> t = {2, 4, 6};
  const Chart c = MakeTimeChart("lag", "Lag", t, {{"f", t, {1, NAN, 3}, 0}}, "records", 3,
                                {{4, "set_rate", ""}}, [](double v) { return std::to_string(v); });
  CHECK(c.kind == "series lag");
  CHECK(c.x.max == 6);
  CHECK(c.y.max >= 3);
  REQUIRE(c.columns.size() == 3);
  CHECK(c.columns[1].x0 == 2);
  CHECK(c.columns[1].tooltip.find("f: —") != std::string::npos);
  CHECK(c.markers.size() == 1);
}

TEST_CASE("report json: tolerant readers", "[report_json]") {
  const nlohmann::ordered_json j = {{"a", {{"b", 2}}}, {"s", "x"}, {"arr", {1, "y", 3.5}}};
  CHECK(JsonAt(&j, {"a", "b"})->get<int>() == 2);
  CHECK(JsonAt(&j, {"a", "c"}) == nullptr);
  CHECK(JsonAt(&j, {"s", "b"}) == nullptr);  // through a non-object
  CHECK(JsonAt(nullptr, {"a"}) == nullptr);
  CHECK(JsonNumber(JsonAt(&j, {"a", "b"})) == 2.0);
  CHECK_FALSE(JsonNumber(JsonAt(&j, {"s"})));
  CHECK(JsonText(JsonAt(&j, {"s"})) == "x");
  CHECK(JsonText(JsonAt(&j, {"a"})) == "{\"b\":2}");
  CHECK(JsonText(nullptr).empty());
  const auto v = JsonNumbers(JsonAt(&j, {"arr"}), 4);
  REQUIRE(v.size() == 4);
  CHECK(v[0] == 1);
  CHECK(std::isnan(v[1]));
  CHECK(v[2] == 3.5);
  CHECK(std::isnan(v[3]));
  const nlohmann::ordered_json bad_utf8 = {{"k", std::string("\xff\xfe")}};
  CHECK_NOTHROW(JsonText(&bad_utf8));
}

}  // namespace
}  // namespace meshsim
