#include "sim/latency/latency_model.h"

#include <algorithm>
#include <cmath>

#include "sim/core/overloaded.h"

namespace meshsim {

LatencyModel LatencyModel::Constant(int64_t us) {
  return LatencyModel(Params(ConstantParams{static_cast<double>(us)}));
}

LatencyModel LatencyModel::Exponential(double mean_us) {
  return LatencyModel(Params(ExponentialParams{mean_us}));
}

bool LatencyModel::IsZero() const {
  const auto* constant = std::get_if<ConstantParams>(&params_);
  return constant != nullptr && constant->us == 0;
}

LatencyModel LatencyModel::Read(ObjectReader& r) {
  constexpr double kMaxUs = 3600.0 * kMicrosPerSecondD;
  const auto max_int = static_cast<int64_t>(kMaxUs);
  const std::string model = r.RequiredString(
      "model", {"constant", "uniform", "normal", "lognormal", "exponential", "empirical"});
  Params params;
  if (model == "constant") {
    params = ConstantParams{static_cast<double>(r.RequiredInt("us", 0, max_int))};
  } else if (model == "uniform") {
    UniformParams u{static_cast<double>(r.RequiredInt("min_us", 0, max_int)),
                    static_cast<double>(r.RequiredInt("max_us", 0, max_int))};
    if (u.max_us < u.min_us) r.Error("max_us", "max_us must be at least min_us");
    params = u;
  } else if (model == "normal") {
    params = NormalParams{r.RequiredNumber("mean_us", 0, kMaxUs),
                          r.RequiredNumber("stddev_us", 0, kMaxUs)};
  } else if (model == "lognormal") {
    params =
        LognormalParams{r.RequiredNumber("median_us", 1, kMaxUs), r.RequiredNumber("sigma", 0, 10)};
  } else if (model == "exponential") {
    params = ExponentialParams{r.RequiredNumber("mean_us", 0, kMaxUs)};
  } else if (model == "empirical") {
    EmpiricalParams e;
    if (const nlohmann::json* samples = r.Array("samples_us")) {
      for (size_t i = 0; i < samples->size(); ++i) {
        const auto& s = (*samples)[i];
        if (!s.is_number() || s.get<double>() < 0 || s.get<double>() > kMaxUs) {
          r.Error("samples_us", "sample " + std::to_string(i) +
                                    " must be a number of microseconds in [0, 3600000000]");
          continue;
        }
        e.samples_us.push_back(static_cast<int64_t>(s.get<double>()));
      }
    }
    if (e.samples_us.empty()) r.Error("samples_us", "an empirical model needs at least one sample");
    params = std::move(e);
  } else {
    return LatencyModel();  // an unknown model was reported; its other fields would only add noise
  }
  r.Finish();
  return LatencyModel(std::move(params));
}

int64_t LatencyModel::Sample(Rng& rng) const {
  const double v = std::visit(
      Overloaded{
          [](const ConstantParams& c) { return c.us; },
          [&](const UniformParams& u) { return rng.Uniform(u.min_us, u.max_us); },
          [&](const NormalParams& n) { return rng.Normal(n.mean_us, n.stddev_us); },
          [&](const LognormalParams& l) { return l.median_us * std::exp(rng.Normal(0, l.sigma)); },
          [&](const ExponentialParams& e) { return rng.Exponential(e.mean_us); },
          [&](const EmpiricalParams& e) {
            return e.samples_us.empty()
                       ? 0.0
                       : static_cast<double>(e.samples_us[rng.Below(e.samples_us.size())]);
          },
      },
      params_);
  // A heavy-tailed draw can exceed any sane span (and int64): a hop never takes over 30 days.
  constexpr double kMaxSampleUs = 30.0 * 86400 * 1e6;
  return v <= 0 ? 0 : static_cast<int64_t>(std::llround(std::min(v, kMaxSampleUs)));
}

double LatencyModel::Mean() const {
  return std::visit(
      Overloaded{
          [](const ConstantParams& c) { return c.us; },
          [](const UniformParams& u) { return (u.min_us + u.max_us) / 2; },
          [](const NormalParams& n) { return n.mean_us; },
          [](const LognormalParams& l) { return l.median_us * std::exp(l.sigma * l.sigma / 2); },
          [](const ExponentialParams& e) { return e.mean_us; },
          [](const EmpiricalParams& e) {
            double sum = 0;
            for (int64_t s : e.samples_us) sum += static_cast<double>(s);
            return e.samples_us.empty() ? 0 : sum / static_cast<double>(e.samples_us.size());
          },
      },
      params_);
}

std::string LatencyModel::Describe() const {
  auto us = [](double d) { return std::to_string(static_cast<int64_t>(std::llround(d))) + "us"; };
  return std::visit(
      Overloaded{
          [&](const ConstantParams& c) { return "constant " + us(c.us); },
          [&](const UniformParams& u) { return "uniform " + us(u.min_us) + ".." + us(u.max_us); },
          [&](const NormalParams& n) {
            return "normal mean " + us(n.mean_us) + " sd " + us(n.stddev_us);
          },
          [&](const LognormalParams& l) {
            return "lognormal median " + us(l.median_us) + " sigma " + std::to_string(l.sigma);
          },
          [&](const ExponentialParams& e) { return "exponential mean " + us(e.mean_us); },
          [&](const EmpiricalParams& e) {
            return "empirical " + std::to_string(e.samples_us.size()) + " samples";
          },
      },
      params_);
}

}  // namespace meshsim
