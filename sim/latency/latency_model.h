// How long a hop takes on the virtual clock: constant, uniform, normal, lognormal, exponential or
// drawn from measured samples. On the real clock hops take the time they really take and no model
// applies. The workload also draws users' think time between events from one.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
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
  bool IsZero() const;
  Kind kind() const { return static_cast<Kind>(params_.index()); }
  // The model's mean in microseconds (before clamping negative draws to 0).
  double Mean() const;
  std::string Describe() const;

 private:
  // One struct per kind, in Kind's order.
  struct ConstantParams {
    double us;
  };
  struct UniformParams {
    double min_us;
    double max_us;
  };
  struct NormalParams {
    double mean_us;
    double stddev_us;
  };
  struct LognormalParams {
    double median_us;
    double sigma;
  };
  struct ExponentialParams {
    double mean_us;
  };
  struct EmpiricalParams {
    std::vector<int64_t> samples_us;
  };
  using Params = std::variant<ConstantParams, UniformParams, NormalParams, LognormalParams,
                              ExponentialParams, EmpiricalParams>;

  explicit LatencyModel(Params params) : params_(std::move(params)) {}

  Params params_ = ConstantParams{};
};

}  // namespace meshsim
