// Measured compute cost: how long meshsim's own code takes, per stage of the event path, on the
// wall clock. It is kept apart from modelled latency on purpose: on the virtual clock a hop takes
// the simulated time its latency model says, while the fake behind it costs real CPU time, and
// the two answer different questions (what the AWS deployment would see; what meshsim itself
// costs). The report shows them in separate sections and never sums them.
//
// Reading the clock costs ~20 ns, a visible share of a stage that costs a few hundred, so one call
// in `sample_every` is timed; the call counts are exact.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/core/histogram.h"
#include "sim/core/runtime.h"

namespace meshsim {

class ComputeMeter {
 public:
  enum Stage {
    kProduce,      // the broker's append of one record, and the producer's acknowledgement
    kFetch,        // one consumer fetch of up to a batch
    kHandle,       // a consumer function's synchronous work on one batch (decode, plan, launch)
    kRecommender,  // one recommender call, and its reply's handling when the reply is inline
    kStages
  };
  static std::string_view StageName(Stage stage);

  // REQUIRES: sample_every >= 1. Default: 64.
  explicit ComputeMeter(Runtime& runtime, uint32_t sample_every = 64)
      : runtime_(runtime), every_(sample_every) {
    countdown_.fill(every_);
  }

  // Runs `fn`, timing it if this call is a sampled one (every sample_every-th of its stage).
  template <typename F>
  void Time(Stage stage, F&& fn) {
    ++calls_[stage];
    if (--countdown_[stage] != 0) {  // a countdown, not a modulo: no division per call
      fn();
      return;
    }
    countdown_[stage] = every_;
    const int64_t start = runtime_.WallNanos();
    fn();
    samples_[stage].Record(runtime_.WallNanos() - start);
  }

  uint32_t sample_every() const { return every_; }
  uint64_t calls(Stage stage) const { return calls_[stage]; }
  // The sampled calls' durations, in nanoseconds (the histogram's unit is whatever it records).
  const LatencyHistogram& samples(Stage stage) const { return samples_[stage]; }

 private:
  Runtime& runtime_;
  const uint32_t every_;
  std::array<uint64_t, kStages> calls_{};
  std::array<uint32_t, kStages> countdown_{};
  std::array<LatencyHistogram, kStages> samples_;
};

// Runs `fn`, timed by `meter` when there is one.
template <typename F>
void Metered(ComputeMeter* meter, ComputeMeter::Stage stage, F&& fn) {
  if (meter) {
    meter->Time(stage, fn);
  } else {
    fn();
  }
}

}  // namespace meshsim
