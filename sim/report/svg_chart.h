// Charts for the HTML report as inline SVG, drawn here so that the page fetches nothing: a plot
// area with round-valued ticks on linear or log axes, bars, lines with gaps, dashed markers, dots
// and tooltips (SVG <title>). Coordinates are viewBox units, so a chart scales to its container
// while its text keeps its size relative to the chart. Every string is escaped; numbers that are
// not finite are dropped, and values outside the axes are clamped to the plot area.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/text/escape.h"  // HtmlEscape, which the charts and the page use

namespace meshsim {

// A short label for a tick or a value: 0.5, 12, 2500, 15k, 3.2M.
std::string FormatTick(double v);

// Colour i of the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies),
// cycling; the yellow is left out as it is unreadable on white.
std::string_view PaletteColor(int i);

// The smallest "round" value (1, 2 or 5 times a power of ten) at or above v; 1 when v <= 0.
double NiceCeil(double v);
// Round values (1, 2 or 5 times a power of ten) at or below / at or above v > 0, for log bounds.
double Nice125Floor(double v);
double Nice125Ceil(double v);

// About `target` evenly spaced round tick values within [lo, hi].
std::vector<double> LinearTicks(double lo, double hi, int target);
// Tick values within [lo, hi] (0 < lo < hi) for a log axis: 1-2-5 steps over up to three decades,
// powers of ten beyond, thinned so that about a dozen remain.
std::vector<double> LogTicks(double lo, double hi);

struct ChartAxis {
  std::string label;
  double min = 0;
  double max = 1;
  bool log = false;         // base 10; REQUIRES: 0 < min when set
  std::string tick_suffix;  // appended to each tick label, e.g. "%"
};

struct ChartBar {
  double x0 = 0, x1 = 0, y = 0;  // from y = 0 (or the axis minimum) up to y
  std::string tooltip;
};

struct ChartLine {
  std::string name;
  std::vector<double> x, y;  // equal lengths; a NaN y breaks the line
  int color = 0;             // palette index
  double width = 1.8;        // stroke width
};

// A vertical dashed line across the plot, labelled at its top (unless too close to the previous).
struct ChartMarker {
  double x = 0;
  std::string label;
  std::string tooltip;
};

struct ChartDot {
  double x = 0, y = 0;
  std::string tooltip;
  int color = 0;
};

// An invisible full-height band that shows its tooltip on hover, e.g. all series at one time.
struct ChartColumn {
  double x0 = 0, x1 = 0;
  std::string tooltip;
};

struct Chart {
  std::string kind;   // CSS class next to "chart": "histogram", "cdf", "series", ...
  std::string title;  // the accessible name and the whole chart's tooltip
  double width = 600, height = 260;
  ChartAxis x, y;
  std::vector<ChartBar> bars;
  std::vector<ChartLine> lines;
  std::vector<ChartMarker> markers;
  std::vector<ChartDot> dots;
  std::vector<ChartColumn> columns;
};

// <svg class="chart KIND" viewBox="0 0 W H">...</svg>. Its plot area is the
// <rect class="plot-area" x= y= width= height=>, which tests use to locate values.
std::string RenderSvg(const Chart& chart);

// A legend for a chart's lines, as an HTML list.
std::string RenderLegend(const std::vector<ChartLine>& lines);

struct LabelledValue {
  std::string label;
  double value = 0;
  std::string shown;  // the value as displayed; FormatTick(value) when empty
};

// Horizontal bars, one labelled row each, for small categorical counts (events by type, ...).
std::string RenderBarList(const std::vector<LabelledValue>& rows, std::string_view kind,
                          std::string_view title);

}  // namespace meshsim
