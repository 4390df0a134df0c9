#include "sim/scenario/rate_curve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace meshsim {
namespace {

constexpr double kMaxRate = 1e7;
constexpr double kMaxSeconds = 30 * 86400.0;
constexpr double kTwoPi = 2 * M_PI;

}  // namespace

RateCurve RateCurve::Constant(double events_per_second) {
  RateCurve c;
  c.a_ = events_per_second;
  return c;
}

RateCurve RateCurve::Ramp(double from, double to, double over_s) {
  RateCurve c;
  c.kind_ = Kind::kRamp;
  c.a_ = from;
  c.b_ = to;
  c.c_ = over_s;
  return c;
}

RateCurve RateCurve::Diurnal(double mean, double amplitude, double period_s, double phase_s) {
  RateCurve c;
  c.kind_ = Kind::kDiurnal;
  c.a_ = mean;
  c.b_ = amplitude;
  c.c_ = period_s;
  c.d_ = phase_s;
  return c;
}

RateCurve RateCurve::Burst(double base, double peak, double at_s, double duration_s) {
  RateCurve c;
  c.kind_ = Kind::kBurst;
  c.a_ = base;
  c.b_ = peak;
  c.c_ = at_s;
  c.d_ = duration_s;
  return c;
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
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kRamp:
      return t >= c_ ? b_ : a_ + (b_ - a_) * t / c_;
    case Kind::kDiurnal:
      return std::max(0.0, a_ + b_ * std::cos(kTwoPi * (t - d_) / c_));
    case Kind::kBurst:
      return t >= c_ && t < c_ + d_ ? b_ : a_;
  }
  return 0;
}

double RateCurve::Max() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kRamp:
      return std::max(a_, b_);
    case Kind::kDiurnal:
      return a_ + b_;
    case Kind::kBurst:
      return std::max(a_, b_);
  }
  return 0;
}

double RateCurve::Antiderivative(double t) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_ * t;
    case Kind::kRamp:
      if (t < c_) return a_ * t + (b_ - a_) * t * t / (2 * c_);
      return (a_ + b_) * c_ / 2 + b_ * (t - c_);
    case Kind::kDiurnal:
      return a_ * t +
             b_ * c_ / kTwoPi * (std::sin(kTwoPi * (t - d_) / c_) - std::sin(kTwoPi * -d_ / c_));
    case Kind::kBurst:
      return a_ * t + (b_ - a_) * std::max(0.0, std::min(t, c_ + d_) - c_);
  }
  return 0;
}

double RateCurve::Integral(int64_t from_us, int64_t to_us) const {
  return Antiderivative(static_cast<double>(to_us) / 1e6) -
         Antiderivative(static_cast<double>(from_us) / 1e6);
}

std::string RateCurve::Describe() const {
  switch (kind_) {
    case Kind::kConstant:
      return "constant " + FormatNumber(a_) + "/s";
    case Kind::kRamp:
      return "ramp " + FormatNumber(a_) + "/s to " + FormatNumber(b_) + "/s over " +
             FormatNumber(c_) + " s";
    case Kind::kDiurnal:
      return "diurnal " + FormatNumber(a_) + "/s +- " + FormatNumber(b_) + "/s, period " +
             FormatNumber(c_) + " s, peak at " + FormatNumber(d_) + " s";
    case Kind::kBurst:
      return "burst " + FormatNumber(a_) + "/s, " + FormatNumber(b_) + "/s from " +
             FormatNumber(c_) + " s for " + FormatNumber(d_) + " s";
  }
  return "";
}

}  // namespace meshsim
