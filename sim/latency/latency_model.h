// How long a hop takes on the virtual clock: constant, uniform, normal, lognormal, exponential or
// drawn from measured samples. On the real clock hops take the time they really take and no model
// applies. The workload also draws users' think time between events from one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/runtime.h"
#include "sim/text/json_reader.h"

namespace meshsim {

class LatencyModel {
 public:
  enum class Kind { kConstant, kUniform, kNormal, kLognormal, kExponential, kEmpirical };

  LatencyModel() = default;  // constant 0
  static LatencyModel Constant(int64_t us);
  static LatencyModel Exponential(double mean_us);

  // Reads {"model": "constant", "us": 2000} | {"model": "uniform", "min_us", "max_us"} |
  // {"model": "normal", "mean_us", "stddev_us"} | {"model": "lognormal", "median_us", "sigma"} |
  // {"model": "exponential", "mean_us"} | {"model": "empirical", "samples_us": [...]}. Errors go
  // to the reader.
  static LatencyModel Read(ObjectReader& reader);

  // A draw in microseconds, never negative. Uses `rng` only when the model is random.
  int64_t Sample(Rng& rng) const;
  bool IsZero() const { return kind_ == Kind::kConstant && a_ == 0; }
  Kind kind() const { return kind_; }
  // The model's mean in microseconds (before clamping negative draws to 0).
  double Mean() const;
  std::string Describe() const;

 private:
  Kind kind_ = Kind::kConstant;
  double a_ = 0, b_ = 0;
  std::vector<int64_t> samples_;
};

}  // namespace meshsim
