// The one seam for everything nondeterministic: time, scheduling and randomness (LevelDB's Env,
// FoundationDB's INetwork). It is passed by reference to every component; nothing in meshsim reads
// a clock or a random device directly, so the same code runs deterministically on a virtual clock
// and live on the wall clock.
//
// Implementations: MakeVirtualRuntime (deterministic, single-threaded, time jumps to the next
// timer) and MakeRealRuntime (Boost.Asio io_context and steady_timer). Both run every task on the
// thread that called Run*(); neither is thread-safe except Post() on the real runtime.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "sim/core/rng.h"
#include "sim/core/task.h"

namespace boost::asio {
class io_context;
}

namespace meshsim {

using TimerId = uint64_t;
inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMilli = 1'000;
inline constexpr double kMicrosPerSecondD = 1e6;

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Microseconds since the run started (virtual: simulated time; real: steady clock).
  virtual int64_t NowMicros() const = 0;

  // Runs `task` after everything already due. Posted tasks run in the order they were posted on
  // both clocks; on the virtual clock timers due at the same time also run in scheduling order.
  virtual void Post(Task task) = 0;

  // Runs `task` once `delay_us` (>= 0) has passed. Returns an id for Cancel().
  virtual TimerId ScheduleAfter(int64_t delay_us, Task task) = 0;

  // Cancels a timer that has not fired. Cancelling a fired or unknown id does nothing.
  virtual void Cancel(TimerId id) = 0;

  // A lane is a FIFO of timers whose due times never decrease, such as the calls through one
  // latency wrapper, which keep their order. The virtual clock keeps only each lane's head in its
  // heap, so such a timer costs O(1) rather than O(log n); tasks run exactly when, and in the
  // same order as, ScheduleAfter would run them. Lane timers cannot be cancelled. The default
  // (the real clock) is ScheduleAfter.
  virtual uint32_t NewLane() { return 0; }
  // REQUIRES: NowMicros() + delay_us is at least the due time of the lane's last timer.
  virtual void ScheduleInLane(uint32_t lane, int64_t delay_us, Task task) {
    (void)lane;
    ScheduleAfter(delay_us, std::move(task));
  }

  // Runs tasks until time `until_us` is reached (virtual: tasks due after it stay queued and the
  // clock is left at `until_us`; real: returns at that wall time) or Stop() is called.
  virtual void RunUntil(int64_t until_us) = 0;

  // Runs until nothing is left to do or Stop() is called. Returns the number of tasks run.
  virtual uint64_t RunUntilIdle() = 0;

  // Makes the current Run*() return after the running task.
  virtual void Stop() = 0;

  // The wall clock (steady, nanoseconds), for measuring meshsim's own compute cost and nothing
  // else: what the simulation does never depends on it, so a virtual run stays deterministic.
  int64_t WallNanos() const;

  // True for the deterministic clock: modelled latencies apply only there.
  virtual bool IsVirtual() const = 0;

  // Tasks waiting (timers and posted), for diagnostics and tests.
  virtual size_t Pending() const = 0;

  // The one seeded generator of the run.
  Rng& rng() { return rng_; }

  // The Asio context for components that do real I/O (servers, real backends). On the virtual
  // runtime it is polled between tasks so such components still make progress.
  virtual boost::asio::io_context& io() = 0;

 protected:
  explicit Runtime(uint64_t seed) : rng_(seed) {}

 private:
  Rng rng_;
};

std::unique_ptr<Runtime> MakeVirtualRuntime(uint64_t seed);
std::unique_ptr<Runtime> MakeRealRuntime(uint64_t seed);

}  // namespace meshsim
