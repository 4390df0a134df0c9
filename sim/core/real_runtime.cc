// The wall clock: Boost.Asio's io_context with steady_timer. Used to measure meshsim's own speed
// and, later, the latency of real backends.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <unordered_map>
#include <utility>  // Asio 1.74 uses std::exchange without including it.

#include "sim/core/runtime.h"

namespace meshsim {
namespace {

using Clock = std::chrono::steady_clock;

class RealRuntime final : public Runtime {
 public:
  explicit RealRuntime(uint64_t seed) : Runtime(seed), start_(Clock::now()) {}

  int64_t NowMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_).count();
  }

  void Post(Task task) override {
    ++pending_;
    boost::asio::post(io_, [this, task = std::move(task)]() mutable {
      --pending_;
      ++ran_;
      task();
    });
  }

  TimerId ScheduleAfter(int64_t delay_us, Task task) override {
    const TimerId id = ++next_id_;
    auto [it, inserted] = timers_.try_emplace(id, io_);
    it->second.expires_after(std::chrono::microseconds(delay_us > 0 ? delay_us : 0));
    it->second.async_wait(
        [this, id, task = std::move(task)](const boost::system::error_code& ec) mutable {
          // Cancel() erases the entry; a timer that had already expired in the same pass still
          // completes with success, so the entry, not the error code, says whether to run.
          if (timers_.erase(id) == 0 || ec) return;
          ++ran_;
          task();
        });
    return id;
  }

  void Cancel(TimerId id) override {
    // Destroying the timer aborts its wait: the handler then runs with operation_aborted, finds
    // no entry to erase and does nothing.
    timers_.erase(id);
  }

  void RunUntil(int64_t until_us) override {
    boost::asio::steady_timer deadline(io_);
    deadline.expires_at(start_ + std::chrono::microseconds(until_us));
    deadline.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) io_.stop();
    });
    io_.restart();
    io_.run();
    deadline.cancel();
    io_.restart();
    io_.poll();  // lets the cancelled deadline's handler run so it does not outlive this frame
  }

  uint64_t RunUntilIdle() override {
    const uint64_t before = ran_;
    io_.restart();
    io_.run();
    return ran_ - before;  // tasks run, not aborted timer handlers
  }

  void Stop() override { io_.stop(); }
  bool IsVirtual() const override { return false; }
  size_t Pending() const override { return pending_ + timers_.size(); }
  boost::asio::io_context& io() override { return io_; }

 private:
  Clock::time_point start_;
  boost::asio::io_context io_;
  TimerId next_id_ = 0;
  std::atomic<size_t> pending_ = 0;  // Post() may be called from another thread
  uint64_t ran_ = 0;
  std::unordered_map<TimerId, boost::asio::steady_timer> timers_;
};

}  // namespace

std::unique_ptr<Runtime> MakeRealRuntime(uint64_t seed) {
  return std::make_unique<RealRuntime>(seed);
}

}  // namespace meshsim
