#include "sim/scenario/session_length.h"

#include <algorithm>
#include <cstdio>

namespace meshsim {
namespace {

constexpr int64_t kMaxEvents = 1'000'000;

}  // namespace

SessionLength SessionLength::Geometric(double mean) {
  SessionLength s;
  s.a_ = mean;
  return s;
}

SessionLength SessionLength::Uniform(int64_t min, int64_t max) {
  SessionLength s;
  s.kind_ = Kind::kUniform;
  s.a_ = static_cast<double>(min);
  s.b_ = static_cast<double>(max);
  return s;
}

SessionLength SessionLength::Constant(int64_t events) {
  SessionLength s;
  s.kind_ = Kind::kConstant;
  s.a_ = static_cast<double>(events);
  return s;
}

SessionLength SessionLength::Read(ObjectReader& r) {
  const std::string model = r.RequiredString("model", {"geometric", "uniform", "constant"});
  SessionLength s;
  if (model == "geometric") {
    s = Geometric(r.RequiredNumber("mean", 1, static_cast<double>(kMaxEvents)));
  } else if (model == "uniform") {
    const int64_t min = r.RequiredInt("min", 1, kMaxEvents);
    const int64_t max = r.RequiredInt("max", 1, kMaxEvents);
    if (max < min) r.Error("max", "max must be at least min");
    s = Uniform(min, std::max(min, max));
  } else if (model == "constant") {
    s = Constant(r.RequiredInt("events", 1, kMaxEvents));
  } else {
    return s;  // an unknown model was reported; its other fields would only add noise
  }
  r.Finish();
  return s;
}

uint64_t SessionLength::Sample(Rng& rng) const {
  switch (kind_) {
    case Kind::kGeometric:
      return rng.GeometricAtLeastOne(a_);
    case Kind::kUniform:
      return static_cast<uint64_t>(a_) + rng.Below(static_cast<uint64_t>(b_ - a_) + 1);
    case Kind::kConstant:
      return static_cast<uint64_t>(a_);
  }
  return 1;
}

double SessionLength::Mean() const { return kind_ == Kind::kUniform ? (a_ + b_) / 2 : a_; }

std::string SessionLength::Describe() const {
  char buf[64];
  switch (kind_) {
    case Kind::kGeometric:
      std::snprintf(buf, sizeof buf, "geometric mean %g", a_);
      break;
    case Kind::kUniform:
      std::snprintf(buf, sizeof buf, "uniform %g..%g", a_, b_);
      break;
    case Kind::kConstant:
      std::snprintf(buf, sizeof buf, "constant %g", a_);
      break;
  }
  return buf;
}

}  // namespace meshsim
