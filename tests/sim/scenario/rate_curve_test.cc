// RateCurve's kinds: each factory's curve says what it is, in kind() and Describe(). (The shapes
// and their integrals are checked with the workload that draws from them: workload_test.cc.)
#include "sim/scenario/rate_curve.h"

#include <catch2/catch.hpp>

namespace meshsim {
namespace {

TEST_CASE("rate curve: a default curve is constant 0", "[curve]") {
  const RateCurve none;
  CHECK(none.IsConstant());
  CHECK(none.At(1'000'000) == 0);
  CHECK(none.Max() == 0);
  CHECK(none.Describe() == "constant 0/s");
}

TEST_CASE("rate curve: each kind describes its parameters", "[curve]") {
  CHECK(RateCurve::Constant(100).kind() == RateCurve::Kind::kConstant);
  CHECK(RateCurve::Constant(100).Describe() == "constant 100/s");
  const auto ramp = RateCurve::Ramp(10, 100, 60);
  CHECK(ramp.kind() == RateCurve::Kind::kRamp);
  CHECK_FALSE(ramp.IsConstant());
  CHECK(ramp.Describe() == "ramp 10/s to 100/s over 60 s");
  const auto diurnal = RateCurve::Diurnal(100, 50, 86400, 3600);
  CHECK(diurnal.kind() == RateCurve::Kind::kDiurnal);
  CHECK(diurnal.Describe() == "diurnal 100/s +- 50/s, period 86400 s, peak at 3600 s");
  const auto burst = RateCurve::Burst(10, 100, 5, 2);
  CHECK(burst.kind() == RateCurve::Kind::kBurst);
  CHECK(burst.Max() == 100);
}

}  // namespace
}  // namespace meshsim
