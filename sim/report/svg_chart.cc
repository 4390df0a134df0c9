#include "sim/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace meshsim {
namespace {

// Margins around the plot area, in viewBox units: room for tick labels and axis titles.
constexpr double kLeft = 58, kRight = 14, kTop = 18, kBottom = 44;
constexpr double kEps = 1e-9;

std::string Fixed(double v) { return fmt::format("{:.1f}", v); }

// The mapping of one axis onto pixels; degenerate or invalid domains fall back to something
// drawable.
class Scale {
 public:
  Scale(const ChartAxis& axis, double from_px, double to_px)
      : log_(axis.log && axis.min > 0 && std::isfinite(axis.min)),
        from_px_(from_px),
        to_px_(to_px) {
    lo_ = std::isfinite(axis.min) ? axis.min : 0;
    hi_ = std::isfinite(axis.max) ? axis.max : lo_ + 1;
    if (log_) {
      lo_ = std::log10(lo_);
      hi_ = hi_ > 0 ? std::log10(hi_) : lo_ + 1;
    }
    if (!(hi_ > lo_)) hi_ = lo_ + 1;
  }
  // Clamped to the axis range.
  double operator()(double v) const {
    double u = log_ ? (v > 0 ? std::log10(v) : lo_) : v;
    const double t = std::clamp((u - lo_) / (hi_ - lo_), 0.0, 1.0);
    return from_px_ + t * (to_px_ - from_px_);
  }
  bool Inside(double v) const {
    const double u = log_ ? (v > 0 ? std::log10(v) : -HUGE_VAL) : v;
    return u >= lo_ - kEps * std::abs(hi_ - lo_) && u <= hi_ + kEps * std::abs(hi_ - lo_);
  }
  std::vector<double> Ticks(int target) const {
    return log_ ? LogTicks(std::pow(10, lo_), std::pow(10, hi_)) : LinearTicks(lo_, hi_, target);
  }

 private:
  bool log_;
  double lo_, hi_, from_px_, to_px_;
};

void Title(std::ostringstream& out, std::string_view text) {
  if (!text.empty()) out << "<title>" << HtmlEscape(text) << "</title>";
}

double NiceStep(double range, int target) {
  const double raw = range / std::max(target, 1);
  const double p = std::pow(10, std::floor(std::log10(raw)));
  const double f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

}  // namespace

std::string FormatTick(double v) {
  if (!std::isfinite(v)) return "-";
  if (std::abs(v) < 1e-12) return "0";
  const char* suffix = "";
  if (std::abs(v) >= 1e6) {
    v /= 1e6, suffix = "M";
  } else if (std::abs(v) >= 1e4) {
    v /= 1e3, suffix = "k";
  }
  return fmt::format("{:.4g}{}", v, suffix);
}

std::string_view PaletteColor(int i) {
  static constexpr std::array<std::string_view, 7> kOkabeIto = {
      "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"};
  const int n = static_cast<int>(kOkabeIto.size());
  return kOkabeIto[((i % n) + n) % n];
}

double NiceCeil(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double step = NiceStep(v, 5);
  return std::ceil(v / step - kEps) * step;
}

double Nice125Floor(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  const double f = v / p * (1 + kEps);
  return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

double Nice125Ceil(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  const double f = v / p * (1 - kEps);
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

std::vector<double> LinearTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return {lo};
  const double step = NiceStep(hi - lo, target);
  std::vector<double> ticks;
  const auto first = static_cast<long long>(std::ceil(lo / step - kEps));
  const auto last = static_cast<long long>(std::floor(hi / step + kEps));
  for (long long i = first; i <= last && ticks.size() < 100; ++i) {
    ticks.push_back(static_cast<double>(i) * step);
  }
  return ticks;
}

std::vector<double> LogTicks(double lo, double hi) {
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return {};
  const bool narrow = std::log10(hi / lo) <= 3;
  std::vector<double> ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo)));
  const int last = static_cast<int>(std::ceil(std::log10(hi)));
  for (int e = first; e <= last; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1 && !narrow) continue;
      const double v = m * std::pow(10, e);
      if (v >= lo * (1 - kEps) && v <= hi * (1 + kEps)) ticks.push_back(v);
    }
  }
  if (ticks.size() > 12) {
    const size_t keep_every = (ticks.size() + 11) / 12;
    std::vector<double> thinned;
    for (size_t i = 0; i < ticks.size(); i += keep_every) thinned.push_back(ticks[i]);
    ticks = std::move(thinned);
  }
  return ticks;
}

namespace {

// Where a chart draws: its size and plot area in viewBox units, its axes' scales onto that area,
// and the ticks of each axis.
struct Plot {
  double w, h, left, right, top, bottom;
  Scale sx, sy;
  std::vector<double> xticks, yticks;
};

Plot PlotOf(const Chart& c) {
  const double w = c.width > 200 ? c.width : 200, h = c.height > 120 ? c.height : 120;
  const double left = kLeft, right = w - kRight, top = kTop, bottom = h - kBottom;
  const Scale sx(c.x, left, right), sy(c.y, bottom, top);
  return {w,          h,   left,
          right,      top, bottom,
          sx,         sy,  sx.Ticks(static_cast<int>((right - left) / 90)),
          sy.Ticks(5)};
}

void Frame(std::ostringstream& out, const Chart& c, const Plot& p) {
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " << HtmlEscape(c.kind)
      << "\" viewBox=\"0 0 " << Fixed(p.w) << " " << Fixed(p.h) << "\" role=\"img\" aria-label=\""
      << HtmlEscape(c.title) << "\">";
  Title(out, c.title);
  out << "<rect class=\"plot-area\" x=\"" << Fixed(p.left) << "\" y=\"" << Fixed(p.top)
      << "\" width=\"" << Fixed(p.right - p.left) << "\" height=\"" << Fixed(p.bottom - p.top)
      << "\" fill=\"#fff\" stroke=\"#d0d7de\"/>";
}

void Grid(std::ostringstream& out, const Plot& p) {
  out << "<g class=\"grid\" stroke=\"#eaeef2\">";
  for (double t : p.xticks) {
    out << "<line x1=\"" << Fixed(p.sx(t)) << "\" x2=\"" << Fixed(p.sx(t)) << "\" y1=\""
        << Fixed(p.top) << "\" y2=\"" << Fixed(p.bottom) << "\"/>";
  }
  for (double t : p.yticks) {
    out << "<line x1=\"" << Fixed(p.left) << "\" x2=\"" << Fixed(p.right) << "\" y1=\""
        << Fixed(p.sy(t)) << "\" y2=\"" << Fixed(p.sy(t)) << "\"/>";
  }
  out << "</g>";
}

// The tick labels and the axes' titles.
void Labels(std::ostringstream& out, const Chart& c, const Plot& p) {
  out << "<g class=\"ticks\" fill=\"#59636e\" font-size=\"11\">";
  for (double t : p.xticks) {
    out << "<text x=\"" << Fixed(p.sx(t)) << "\" y=\"" << Fixed(p.bottom + 15)
        << "\" text-anchor=\"middle\">" << HtmlEscape(FormatTick(t) + c.x.tick_suffix) << "</text>";
  }
  for (double t : p.yticks) {
    out << "<text x=\"" << Fixed(p.left - 6) << "\" y=\"" << Fixed(p.sy(t) + 4)
        << "\" text-anchor=\"end\">" << HtmlEscape(FormatTick(t) + c.y.tick_suffix) << "</text>";
  }
  out << "<text x=\"" << Fixed((p.left + p.right) / 2) << "\" y=\"" << Fixed(p.h - 6)
      << "\" text-anchor=\"middle\" font-size=\"12\">" << HtmlEscape(c.x.label) << "</text>";
  out << "<text transform=\"translate(13 " << Fixed((p.top + p.bottom) / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">" << HtmlEscape(c.y.label)
      << "</text></g>";
}

void Bars(std::ostringstream& out, const Chart& c, const Plot& p) {
  if (c.bars.empty()) return;
  out << "<g class=\"bars\" fill=\"" << PaletteColor(0) << "\">";
  for (const ChartBar& b : c.bars) {
    if (!std::isfinite(b.x0) || !std::isfinite(b.x1) || !std::isfinite(b.y)) continue;
    const double x0 = p.sx(b.x0), x1 = p.sx(b.x1), y = p.sy(b.y), base = p.sy(c.y.min);
    const double bw = std::max(x1 - x0 - 1, 0.6);  // a hairline gap between neighbours
    out << "<rect x=\"" << Fixed(x0 + 0.5) << "\" y=\"" << Fixed(std::min(y, base)) << "\" width=\""
        << Fixed(bw) << "\" height=\"" << Fixed(std::abs(base - y)) << "\">";
    Title(out, b.tooltip);
    out << "</rect>";
  }
  out << "</g>";
}

// Each marker a dashed vertical line with a wider hover target, and its label where it does not
// crowd the previous one.
void Markers(std::ostringstream& out, const Chart& c, const Plot& p) {
  double last_label_x = -1e9;
  for (const ChartMarker& m : c.markers) {
    if (!std::isfinite(m.x) || !p.sx.Inside(m.x)) continue;
    const double x = p.sx(m.x);
    out << "<g class=\"marker\"><line x1=\"" << Fixed(x) << "\" x2=\"" << Fixed(x) << "\" y1=\""
        << Fixed(p.top) << "\" y2=\"" << Fixed(p.bottom)
        << "\" stroke=\"#6e7781\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>";
    out << "<rect x=\"" << Fixed(x - 4) << "\" y=\"" << Fixed(p.top) << "\" width=\"8\" height=\""
        << Fixed(p.bottom - p.top) << "\" fill=\"transparent\">";
    Title(out, m.tooltip.empty() ? m.label : m.tooltip);
    out << "</rect>";
    if (!m.label.empty() && x - last_label_x > 34) {
      const bool flip = x > p.right - 40;
      out << "<text x=\"" << Fixed(flip ? x - 3 : x + 3) << "\" y=\"" << Fixed(p.top + 11)
          << "\" font-size=\"10\" fill=\"#57606a\" stroke=\"#fff\" stroke-width=\"3\" "
             "paint-order=\"stroke\""
          << (flip ? " text-anchor=\"end\"" : "") << ">" << HtmlEscape(m.label) << "</text>";
      last_label_x = x;
    }
    out << "</g>";
  }
}

// A line's path data; the pen lifts over points that are not finite.
std::string PathData(const ChartLine& line, const Plot& p) {
  std::string d;
  bool pen_down = false;
  const size_t n = std::min(line.x.size(), line.y.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(line.x[i]) || !std::isfinite(line.y[i])) {
      pen_down = false;
      continue;
    }
    d += pen_down ? 'L' : 'M';
    d += Fixed(p.sx(line.x[i]));
    d += ',';
    d += Fixed(p.sy(line.y[i]));
    pen_down = true;
  }
  return d;
}

void Lines(std::ostringstream& out, const Chart& c, const Plot& p) {
  for (const ChartLine& line : c.lines) {
    const std::string d = PathData(line, p);
    if (d.empty()) continue;
    out << "<path class=\"line\" d=\"" << d << "\" fill=\"none\" stroke=\""
        << PaletteColor(line.color) << "\" stroke-width=\"" << Fixed(line.width)
        << "\" stroke-linejoin=\"round\" stroke-linecap=\"round\">";
    Title(out, line.name);
    out << "</path>";
  }
}

void Dots(std::ostringstream& out, const Chart& c, const Plot& p) {
  for (const ChartDot& dot : c.dots) {
    if (!std::isfinite(dot.x) || !std::isfinite(dot.y)) continue;
    out << "<circle class=\"dot\" cx=\"" << Fixed(p.sx(dot.x)) << "\" cy=\"" << Fixed(p.sy(dot.y))
        << "\" r=\"3.5\" fill=\"#fff\" stroke=\"" << PaletteColor(dot.color)
        << "\" stroke-width=\"2\">";
    Title(out, dot.tooltip);
    out << "</circle>";
  }
}

// Invisible full-height columns, one per point in time, that show their tooltip on hover.
void HoverColumns(std::ostringstream& out, const Chart& c, const Plot& p) {
  if (c.columns.empty()) return;
  out << "<g class=\"hover\" fill=\"transparent\">";
  for (const ChartColumn& col : c.columns) {
    if (!std::isfinite(col.x0) || !std::isfinite(col.x1)) continue;
    const double x0 = p.sx(col.x0), x1 = p.sx(col.x1);
    out << "<rect x=\"" << Fixed(x0) << "\" y=\"" << Fixed(p.top) << "\" width=\""
        << Fixed(std::max(x1 - x0, 0.5)) << "\" height=\"" << Fixed(p.bottom - p.top) << "\">";
    Title(out, col.tooltip);
    out << "</rect>";
  }
  out << "</g>";
}

}  // namespace

// Layers in the order they paint: what comes later is drawn on top.
std::string RenderSvg(const Chart& c) {
  const Plot p = PlotOf(c);
  std::ostringstream out;
  Frame(out, c, p);
  Grid(out, p);
  Labels(out, c, p);
  Bars(out, c, p);
  Markers(out, c, p);
  Lines(out, c, p);
  Dots(out, c, p);
  HoverColumns(out, c, p);
  out << "</svg>";
  return out.str();
}

std::string RenderLegend(const std::vector<ChartLine>& lines) {
  std::ostringstream out;
  out << "<ul class=\"legend\">";
  for (const ChartLine& line : lines) {
    out << "<li><span class=\"swatch\" style=\"background:" << PaletteColor(line.color)
        << "\"></span>" << HtmlEscape(line.name) << "</li>";
  }
  out << "</ul>";
  return out.str();
}

std::string RenderBarList(const std::vector<LabelledValue>& rows, std::string_view kind,
                          std::string_view title) {
  constexpr double kWidth = 600, kRow = 22, kLabel = 170, kValueRoom = 70;
  double max = 0;
  for (const auto& r : rows) {
    if (std::isfinite(r.value)) max = std::max(max, r.value);
  }
  const double h = kRow * static_cast<double>(rows.size()) + 8;
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bar-list " << HtmlEscape(kind)
      << "\" viewBox=\"0 0 " << Fixed(kWidth) << " " << Fixed(h) << "\" role=\"img\" aria-label=\""
      << HtmlEscape(title) << "\" font-size=\"12\">";
  Title(out, title);
  double y = 4;
  for (const auto& r : rows) {
    const double v = std::isfinite(r.value) ? std::max(r.value, 0.0) : 0;
    const double bw = max > 0 ? v / max * (kWidth - kLabel - kValueRoom) : 0;
    const std::string shown = r.shown.empty() ? FormatTick(v) : r.shown;
    std::string label = r.label;
    if (label.size() > 26) label = label.substr(0, 24) + "...";
    out << "<g><text x=\"" << Fixed(kLabel - 8) << "\" y=\"" << Fixed(y + 15)
        << "\" text-anchor=\"end\" fill=\"#1f2328\">" << HtmlEscape(label) << "</text>"
        << "<rect x=\"" << Fixed(kLabel) << "\" y=\"" << Fixed(y + 3) << "\" width=\""
        << Fixed(std::max(bw, 1.0)) << "\" height=\"" << Fixed(kRow - 6) << "\" fill=\""
        << PaletteColor(0) << "\"/><text x=\"" << Fixed(kLabel + bw + 6) << "\" y=\""
        << Fixed(y + 15) << "\" fill=\"#59636e\">" << HtmlEscape(shown) << "</text>";
    Title(out, r.label + ": " + shown);
    out << "</g>";
    y += kRow;
  }
  out << "</svg>";
  return out.str();
}

}  // namespace meshsim
