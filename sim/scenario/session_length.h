// How many interactions a listening session holds: geometric (memoryless: each event is the last
// with probability 1 / mean — the default, mean 8), uniform between two bounds, or a constant.
// The workload draws one per session and derives the session arrival rate from the mean.
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/rng.h"
#include "sim/text/json_reader.h"

namespace meshsim {

class SessionLength {
 public:
  enum class Kind { kGeometric, kUniform, kConstant };

  SessionLength() = default;  // geometric, mean 8
  // REQUIRES: mean >= 1.
  static SessionLength Geometric(double mean);
  // Each of min..max equally likely. REQUIRES: 1 <= min <= max.
  static SessionLength Uniform(int64_t min, int64_t max);
  // REQUIRES: events >= 1.
  static SessionLength Constant(int64_t events);

  // Reads {"model": "geometric", "mean"} | {"model": "uniform", "min", "max"} |
  // {"model": "constant", "events"}. Errors go to the reader.
  static SessionLength Read(ObjectReader& reader);

  // A draw, at least 1. Uses `rng` only when the model is random.
  uint64_t Sample(Rng& rng) const;
  double Mean() const;
  Kind kind() const { return kind_; }
  std::string Describe() const;

 private:
  Kind kind_ = Kind::kGeometric;
  double a_ = 8, b_ = 0;
};

}  // namespace meshsim
