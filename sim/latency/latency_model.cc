#include "sim/latency/latency_model.h"

#include <algorithm>
#include <cmath>

namespace meshsim {

LatencyModel LatencyModel::Constant(int64_t us) {
  LatencyModel m;
  m.a_ = static_cast<double>(us);
  return m;
}

LatencyModel LatencyModel::Exponential(double mean_us) {
  LatencyModel m;
  m.kind_ = Kind::kExponential;
  m.a_ = mean_us;
  return m;
}

LatencyModel LatencyModel::Read(ObjectReader& r) {
  constexpr double kMaxUs = 3600.0 * kMicrosPerSecondD;
  LatencyModel m;
  const std::string model = r.RequiredString(
      "model", {"constant", "uniform", "normal", "lognormal", "exponential", "empirical"});
  if (model == "constant") {
    m.a_ = static_cast<double>(r.RequiredInt("us", 0, static_cast<int64_t>(kMaxUs)));
  } else if (model == "uniform") {
    m.kind_ = Kind::kUniform;
    m.a_ = static_cast<double>(r.RequiredInt("min_us", 0, static_cast<int64_t>(kMaxUs)));
    m.b_ = static_cast<double>(r.RequiredInt("max_us", 0, static_cast<int64_t>(kMaxUs)));
    if (m.b_ < m.a_) r.Error("max_us", "max_us must be at least min_us");
  } else if (model == "normal") {
    m.kind_ = Kind::kNormal;
    m.a_ = r.RequiredNumber("mean_us", 0, kMaxUs);
    m.b_ = r.RequiredNumber("stddev_us", 0, kMaxUs);
  } else if (model == "lognormal") {
    m.kind_ = Kind::kLognormal;
    m.a_ = r.RequiredNumber("median_us", 1, kMaxUs);
    m.b_ = r.RequiredNumber("sigma", 0, 10);
  } else if (model == "exponential") {
    m.kind_ = Kind::kExponential;
    m.a_ = r.RequiredNumber("mean_us", 0, kMaxUs);
  } else if (model == "empirical") {
    m.kind_ = Kind::kEmpirical;
    if (const nlohmann::json* samples = r.Array("samples_us")) {
      for (size_t i = 0; i < samples->size(); ++i) {
        const auto& s = (*samples)[i];
        if (!s.is_number() || s.get<double>() < 0 || s.get<double>() > kMaxUs) {
          r.Error("samples_us", "sample " + std::to_string(i) +
                                    " must be a number of microseconds in [0, 3600000000]");
          continue;
        }
        m.samples_.push_back(static_cast<int64_t>(s.get<double>()));
      }
    }
    if (m.samples_.empty()) r.Error("samples_us", "an empirical model needs at least one sample");
  } else {
    return m;  // an unknown model was reported; its other fields would only add noise
  }
  r.Finish();
  return m;
}

int64_t LatencyModel::Sample(Rng& rng) const {
  double v = 0;
  switch (kind_) {
    case Kind::kConstant:
      v = a_;
      break;
    case Kind::kUniform:
      v = rng.Uniform(a_, b_);
      break;
    case Kind::kNormal:
      v = rng.Normal(a_, b_);
      break;
    case Kind::kLognormal:
      v = a_ * std::exp(rng.Normal(0, b_));
      break;
    case Kind::kExponential:
      v = rng.Exponential(a_);
      break;
    case Kind::kEmpirical:
      v = samples_.empty() ? 0 : static_cast<double>(samples_[rng.Below(samples_.size())]);
      break;
  }
  // A heavy-tailed draw can exceed any sane span (and int64): a hop never takes over 30 days.
  constexpr double kMaxSampleUs = 30.0 * 86400 * 1e6;
  return v <= 0 ? 0 : static_cast<int64_t>(std::llround(std::min(v, kMaxSampleUs)));
}

double LatencyModel::Mean() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kUniform:
      return (a_ + b_) / 2;
    case Kind::kNormal:
      return a_;
    case Kind::kLognormal:
      return a_ * std::exp(b_ * b_ / 2);
    case Kind::kExponential:
      return a_;
    case Kind::kEmpirical: {
      double sum = 0;
      for (int64_t s : samples_) sum += static_cast<double>(s);
      return samples_.empty() ? 0 : sum / static_cast<double>(samples_.size());
    }
  }
  return 0;
}

std::string LatencyModel::Describe() const {
  auto us = [](double d) { return std::to_string(static_cast<int64_t>(std::llround(d))) + "us"; };
  switch (kind_) {
    case Kind::kConstant:
      return "constant " + us(a_);
    case Kind::kUniform:
      return "uniform " + us(a_) + ".." + us(b_);
    case Kind::kNormal:
      return "normal mean " + us(a_) + " sd " + us(b_);
    case Kind::kLognormal:
      return "lognormal median " + us(a_) + " sigma " + std::to_string(b_);
    case Kind::kExponential:
      return "exponential mean " + us(a_);
    case Kind::kEmpirical:
      return "empirical " + std::to_string(samples_.size()) + " samples";
  }
  return "";
}

}  // namespace meshsim
