#include "sim/report/svg_chart.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace meshsim {
namespace {

TEST_CASE("svg chart: escapes the five HTML specials", "[svg_chart]") {
  CHECK(HtmlEscape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(HtmlEscape("plain") == "plain");
}

TEST_CASE("svg chart: round tick values", "[svg_chart]") {
  CHECK(LinearTicks(0, 500, 5) == std::vector<double>{0, 100, 200, 300, 400, 500});
  CHECK(LinearTicks(0, 602, 6) == std::vector<double>{0, 100, 200, 300, 400, 500, 600});
  const auto fifths = LinearTicks(0, 1, 4);
  REQUIRE(fifths.size() == 6);
  CHECK(fifths[3] == Approx(0.6));
  CHECK(LinearTicks(3, 3, 5) == std::vector<double>{3});  // degenerate range
  CHECK(NiceCeil(438) == 500);
  CHECK(NiceCeil(3671) == 4000);
  CHECK(NiceCeil(0) == 1);
  CHECK(Nice125Floor(0.416) == Approx(0.2));
  CHECK(Nice125Floor(23.9) == Approx(20));
  CHECK(Nice125Ceil(15.9) == Approx(20));
  CHECK(Nice125Ceil(1634) == Approx(2000));
  CHECK(Nice125Ceil(100) == Approx(100));
}

TEST_CASE("svg chart: log ticks are 1-2-5 when narrow, decades when wide", "[svg_chart]") {
  const auto narrow = LogTicks(0.2, 20);
  REQUIRE(narrow.size() == 7);
  CHECK(narrow.front() == Approx(0.2));
  CHECK(narrow[2] == Approx(1));
  CHECK(narrow.back() == Approx(20));
  const auto wide = LogTicks(0.001, 1e6);
  CHECK(wide.size() == 10);
  CHECK(wide.front() == Approx(0.001));
  CHECK(LogTicks(1e-9, 1e30).size() <= 12);
  CHECK(LogTicks(0, 10).empty());
}

TEST_CASE("svg chart: short tick labels", "[svg_chart]") {
  CHECK(FormatTick(0) == "0");
  CHECK(FormatTick(0.5) == "0.5");
  CHECK(FormatTick(2500) == "2500");
  CHECK(FormatTick(15000) == "15k");
  CHECK(FormatTick(3.2e6) == "3.2M");
  CHECK(FormatTick(NAN) == "-");
}

TEST_CASE("svg chart: draws what it is given and nothing that is not a number", "[svg_chart]") {
  Chart c;
  c.kind = "test";
  c.title = "<t>";
  c.x = {"x", 0, 10, false, ""};
  c.y = {"y", 0, 100, false, "%"};
  c.lines.push_back({"a", {0, 5, 6, 10}, {0, NAN, 50, 100}, 0});
  c.bars.push_back({1, 2, 30, "bar"});
  c.bars.push_back({NAN, 2, 30, "skipped"});
  c.markers.push_back({5, "m", ""});
  const std::string svg = RenderSvg(c);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart test\"", 0) == 0);
  CHECK(svg.find("&lt;t&gt;") != std::string::npos);
  CHECK(svg.find("<t>") == std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("skipped") == std::string::npos);
  CHECK(svg.find("100%") != std::string::npos);
  // The NaN breaks the line into two pieces.
  const size_t d = svg.find(" d=\"");
  const std::string path = svg.substr(d, svg.find('"', d + 4) - d);
  CHECK(std::count(path.begin(), path.end(), 'M') == 2);
  CHECK(svg.substr(svg.size() - 6) == "</svg>");
}

TEST_CASE("svg chart: a log axis survives values at or below zero", "[svg_chart]") {
  Chart c;
  c.x = {"x", 1, 1000, true, ""};
  c.y = {"y", 0, 1, false, ""};
  c.lines.push_back({"a", {0, -5, 1, 1e9}, {0, 0.5, 1, 2}, 0});
  const std::string svg = RenderSvg(c);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
}

TEST_CASE("svg chart: bar lists escape labels and shorten long ones", "[svg_chart]") {
  const std::string svg =
      RenderBarList({{"<b>", 3, ""}, {std::string(40, 'x'), 1, "1 thing"}}, "k", "title");
  CHECK(svg.find("&lt;b&gt;") != std::string::npos);
  CHECK(svg.find("1 thing") != std::string::npos);
  CHECK(svg.find(std::string(25, 'x') + "...") == std::string::npos);
  CHECK(svg.find(std::string(24, 'x') + "...") != std::string::npos);
}

}  // namespace
}  // namespace meshsim
