// How the interaction rate moves over simulated time: constant, a linear ramp, a sine wave (a day,
// or any period) or a burst. The workload draws session arrivals from it as a non-homogeneous
// Poisson process by thinning, so a curve answers two questions: the rate at a time, and a bound
// on the rate over all time.
//
// A curve's clock starts when the curve takes effect: at the scenario's start for traffic.rate, at
// the action's time for a set_curve action. The rate is in events per second: sessions arrive at
// rate / (mean session length), so in the long run events flow at the curve's rate.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "sim/text/json_reader.h"

namespace meshsim {

// The kinds of curve, each holding its factory's parameters (RateCurve's factories say what they
// mean).
namespace rate_shape {
struct Constant {
  double rate = 0;
};
struct Ramp {
  double from = 0, to = 0, over_s = 0;
};
struct Diurnal {
  double mean = 0, amplitude = 0, period_s = 0, phase_s = 0;
};
struct Burst {
  double base = 0, peak = 0, at_s = 0, duration_s = 0;
};
}  // namespace rate_shape

class RateCurve {
 public:
  enum class Kind { kConstant, kRamp, kDiurnal, kBurst };

  RateCurve() = default;  // constant 0
  static RateCurve Constant(double events_per_second);
  // Linear from `from` to `to` over `over_s` seconds, then `to`. REQUIRES: over_s > 0.
  static RateCurve Ramp(double from, double to, double over_s);
  // mean + amplitude * cos(2 pi (t - phase_s) / period_s): the peak is at phase_s (and every
  // period after it). REQUIRES: 0 <= amplitude <= mean, period_s > 0.
  static RateCurve Diurnal(double mean, double amplitude, double period_s, double phase_s);
  // `peak` during [at_s, at_s + duration_s), `base` before and after.
  static RateCurve Burst(double base, double peak, double at_s, double duration_s);

  // Reads {"curve": "constant", "events_per_second"} | {"curve": "ramp", "from", "to", "over_s"} |
  // {"curve": "diurnal", "mean", "amplitude", "period_s", "phase_s" (Default: 0)} |
  // {"curve": "burst", "base", "peak", "at_s", "duration_s"}. Rates are events per second in
  // [0, 1e7]. Errors go to the reader.
  static RateCurve Read(ObjectReader& reader);

  // Events per second `t_us` after the curve took effect (t_us >= 0).
  double At(int64_t t_us) const;
  // The highest rate the curve ever reaches: the thinning bound.
  double Max() const;
  // The expected number of events in [from_us, to_us) of the curve's clock.
  double Integral(int64_t from_us, int64_t to_us) const;
  Kind kind() const { return static_cast<Kind>(shape_.index()); }
  bool IsConstant() const { return kind() == Kind::kConstant; }
  // "constant 100/s", "ramp 10/s to 100/s over 60 s", ...
  std::string Describe() const;

 private:
  // In Kind's order.
  using Shape =
      std::variant<rate_shape::Constant, rate_shape::Ramp, rate_shape::Diurnal, rate_shape::Burst>;

  explicit RateCurve(Shape shape) : shape_(shape) {}
  double Antiderivative(double t_s) const;

  Shape shape_;
};

}  // namespace meshsim
