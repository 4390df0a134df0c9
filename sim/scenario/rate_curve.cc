#include "sim/scenario/rate_curve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace meshsim {
namespace {

constexpr double kMaxRate = 1e7;
constexpr double kMaxSeconds = 30 * 86400.0;
constexpr double kTwoPi = 2 * M_PI;

double RateAt(const rate_shape::Constant& c, double) { return c.rate; }
double MaxRate(const rate_shape::Constant& c) { return c.rate; }
double Antiderivative(const rate_shape::Constant& c, double t) { return c.rate * t; }
std::string Describe(const rate_shape::Constant& c) {
  return "constant " + FormatNumber(c.rate) + "/s";
}

double RateAt(const rate_shape::Ramp& r, double t) {
  return t >= r.over_s ? r.to : r.from + (r.to - r.from) * t / r.over_s;
}
double MaxRate(const rate_shape::Ramp& r) { return std::max(r.from, r.to); }
double Antiderivative(const rate_shape::Ramp& r, double t) {
  if (t < r.over_s) return r.from * t + (r.to - r.from) * t * t / (2 * r.over_s);
  return (r.from + r.to) * r.over_s / 2 + r.to * (t - r.over_s);
}
std::string Describe(const rate_shape::Ramp& r) {
  return "ramp " + FormatNumber(r.from) + "/s to " + FormatNumber(r.to) + "/s over " +
         FormatNumber(r.over_s) + " s";
}

double RateAt(const rate_shape::Diurnal& d, double t) {
  return std::max(0.0, d.mean + d.amplitude * std::cos(kTwoPi * (t - d.phase_s) / d.period_s));
}
double MaxRate(const rate_shape::Diurnal& d) { return d.mean + d.amplitude; }
double Antiderivative(const rate_shape::Diurnal& d, double t) {
  return d.mean * t + d.amplitude * d.period_s / kTwoPi *
                          (std::sin(kTwoPi * (t - d.phase_s) / d.period_s) -
                           std::sin(kTwoPi * -d.phase_s / d.period_s));
}
std::string Describe(const rate_shape::Diurnal& d) {
  return "diurnal " + FormatNumber(d.mean) + "/s +- " + FormatNumber(d.amplitude) + "/s, period " +
         FormatNumber(d.period_s) + " s, peak at " + FormatNumber(d.phase_s) + " s";
}

double RateAt(const rate_shape::Burst& b, double t) {
  return t >= b.at_s && t < b.at_s + b.duration_s ? b.peak : b.base;
}
double MaxRate(const rate_shape::Burst& b) { return std::max(b.base, b.peak); }
double Antiderivative(const rate_shape::Burst& b, double t) {
  return b.base * t +
         (b.peak - b.base) * std::max(0.0, std::min(t, b.at_s + b.duration_s) - b.at_s);
}
std::string Describe(const rate_shape::Burst& b) {
  return "burst " + FormatNumber(b.base) + "/s, " + FormatNumber(b.peak) + "/s from " +
         FormatNumber(b.at_s) + " s for " + FormatNumber(b.duration_s) + " s";
}

}  // namespace

RateCurve RateCurve::Constant(double events_per_second) {
  return RateCurve(rate_shape::Constant{events_per_second});
}

RateCurve RateCurve::Ramp(double from, double to, double over_s) {
  return RateCurve(rate_shape::Ramp{from, to, over_s});
}

RateCurve RateCurve::Diurnal(double mean, double amplitude, double period_s, double phase_s) {
  return RateCurve(rate_shape::Diurnal{mean, amplitude, period_s, phase_s});
}

RateCurve RateCurve::Burst(double base, double peak, double at_s, double duration_s) {
  return RateCurve(rate_shape::Burst{base, peak, at_s, duration_s});
}

RateCurve RateCurve::Read(ObjectReader& r) {
  const std::string curve = r.RequiredString("curve", {"constant", "ramp", "diurnal", "burst"});
  RateCurve c;
  if (curve == "constant") {
    c = Constant(r.RequiredNumber("events_per_second", 0, kMaxRate));
  } else if (curve == "ramp") {
    const double from = r.RequiredNumber("from", 0, kMaxRate);
    const double to = r.RequiredNumber("to", 0, kMaxRate);
    c = Ramp(from, to, r.RequiredNumber("over_s", 0.001, kMaxSeconds));
  } else if (curve == "diurnal") {
    const double mean = r.RequiredNumber("mean", 0, kMaxRate);
    const double amplitude = r.RequiredNumber("amplitude", 0, kMaxRate);
    if (amplitude > mean) {
      r.Error("amplitude", "the amplitude must not exceed the mean (the rate would go negative)");
    }
    const double period = r.RequiredNumber("period_s", 0.001, kMaxSeconds);
    c = Diurnal(mean, std::min(amplitude, mean), period, r.Number("phase_s", 0, 0, kMaxSeconds));
  } else if (curve == "burst") {
    const double base = r.RequiredNumber("base", 0, kMaxRate);
    const double peak = r.RequiredNumber("peak", 0, kMaxRate);
    const double at = r.RequiredNumber("at_s", 0, kMaxSeconds);
    c = Burst(base, peak, at, r.RequiredNumber("duration_s", 0.001, kMaxSeconds));
  } else {
    return c;  // an unknown curve was reported; its other fields would only add noise
  }
  r.Finish();
  return c;
}

double RateCurve::At(int64_t t_us) const {
  const double t = static_cast<double>(t_us) / 1e6;
  return std::visit([t](const auto& shape) { return RateAt(shape, t); }, shape_);
}

double RateCurve::Max() const {
  return std::visit([](const auto& shape) { return MaxRate(shape); }, shape_);
}

double RateCurve::Antiderivative(double t) const {
  return std::visit([t](const auto& shape) { return meshsim::Antiderivative(shape, t); }, shape_);
}

double RateCurve::Integral(int64_t from_us, int64_t to_us) const {
  return Antiderivative(static_cast<double>(to_us) / 1e6) -
         Antiderivative(static_cast<double>(from_us) / 1e6);
}

std::string RateCurve::Describe() const {
  return std::visit([](const auto& shape) { return meshsim::Describe(shape); }, shape_);
}

}  // namespace meshsim
