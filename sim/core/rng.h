// The one source of randomness. Seeded once per run and handed out by the Runtime, so a scenario
// and seed replay exactly. The distributions are written here rather than taken from <random>,
// whose distributions differ between standard libraries: a seed must mean the same run everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace meshsim {

// xoshiro256** seeded through splitmix64 (Blackman & Vigna). Not thread-safe: one per Runtime.
class Rng {
 public:
  explicit Rng(uint64_t seed) { Reseed(seed); }

  void Reseed(uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n). REQUIRES: n > 0. Lemire's multiply-shift; the bias is < n / 2^64.
  uint64_t Below(uint64_t n) {
    __extension__ using U128 = unsigned __int128;  // GCC and Clang; silences -Wpedantic
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // Standard normal by Box-Muller (no cached second value, so the stream stays simple to replay).
  double Normal(double mean, double stddev) {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  // Gamma with the given shape and scale 1 (Marsaglia and Tsang; a shape below 1 is boosted from
  // shape + 1). Normalised draws of Gamma(alpha) are a Dirichlet(alpha, ..., alpha) draw.
  // REQUIRES: shape > 0.
  double Gamma(double shape) {
    if (shape < 1.0) return Gamma(shape + 1.0) * std::pow(1.0 - Uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = Normal(0, 1);
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = Uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }
  // Geometric number of trials >= 1 with the given mean. REQUIRES: mean >= 1.
  uint64_t GeometricAtLeastOne(double mean) {
    if (mean <= 1.0) return 1;
    const double p = 1.0 / mean;
    return 1 + static_cast<uint64_t>(std::floor(std::log1p(-Uniform()) / std::log1p(-p)));
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace meshsim
