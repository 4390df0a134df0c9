#include "sim/core/compute_meter.h"

#include <catch2/catch.hpp>

namespace meshsim {
namespace {

TEST_CASE("compute meter: counts every call, times one in sample_every") {
  auto rt = MakeVirtualRuntime(1);
  ComputeMeter meter(*rt, 4);
  int ran = 0;
  for (int i = 0; i < 10; ++i) meter.Time(ComputeMeter::kFetch, [&] { ++ran; });
  CHECK(ran == 10);
  CHECK(meter.calls(ComputeMeter::kFetch) == 10);
  CHECK(meter.samples(ComputeMeter::kFetch).count() == 2);  // calls 4 and 8
  CHECK(meter.calls(ComputeMeter::kProduce) == 0);
  CHECK(meter.samples(ComputeMeter::kProduce).count() == 0);
}

TEST_CASE("compute meter: a sample is wall time, which the virtual clock does not see") {
  auto rt = MakeVirtualRuntime(1);
  ComputeMeter meter(*rt, 1);
  meter.Time(ComputeMeter::kHandle, [&] {
    // Busy for at least 200 µs of wall time while simulated time stands still.
    const int64_t until = rt->WallNanos() + 200'000;
    while (rt->WallNanos() < until) {
    }
  });
  CHECK(rt->NowMicros() == 0);
  CHECK(meter.samples(ComputeMeter::kHandle).count() == 1);
  CHECK(meter.samples(ComputeMeter::kHandle).max() >= 200'000);
}

TEST_CASE("compute meter: Metered without a meter just runs") {
  int ran = 0;
  Metered(nullptr, ComputeMeter::kProduce, [&] { ++ran; });
  CHECK(ran == 1);
}

}  // namespace
}  // namespace meshsim
