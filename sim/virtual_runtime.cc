// The deterministic clock (FoundationDB's Sim2): one thread, a min-heap of (due time, sequence),
// and time that jumps straight to the next due task. Nothing here sleeps.
#include <utility>  // Asio 1.74 uses std::exchange without including it.

#include <boost/asio/io_context.hpp>
#include <queue>
#include <unordered_set>
#include <vector>

#include "sim/runtime.h"

namespace meshsim {
namespace {

struct Entry {
  int64_t due;
  uint64_t seq;  // also the TimerId: unique and increasing, so ties run FIFO
  mutable Task task;
};
struct Later {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.due != b.due ? a.due > b.due : a.seq > b.seq;
  }
};

class VirtualRuntime final : public Runtime {
 public:
  explicit VirtualRuntime(uint64_t seed) : Runtime(seed) {}

  int64_t NowMicros() const override { return now_; }
  void Post(Task task) override { Push(now_, std::move(task)); }
  TimerId ScheduleAfter(int64_t delay_us, Task task) override {
    const TimerId id = Push(now_ + (delay_us > 0 ? delay_us : 0), std::move(task));
    live_timers_.insert(id);
    return id;
  }
  void Cancel(TimerId id) override {
    if (live_timers_.erase(id) > 0) cancelled_.insert(id);
  }

  void RunUntil(int64_t until_us) override {
    stop_ = false;
    while (!stop_ && !heap_.empty() && heap_.top().due <= until_us) Step();
    if (!stop_ && now_ < until_us) now_ = until_us;
    PollIo();
  }

  uint64_t RunUntilIdle() override {
    stop_ = false;
    uint64_t ran = 0;
    while (!stop_ && !heap_.empty()) ran += Step();
    PollIo();
    return ran;
  }

  void Stop() override { stop_ = true; }
  bool IsVirtual() const override { return true; }
  size_t Pending() const override { return heap_.size() - cancelled_.size(); }
  boost::asio::io_context& io() override { return io_; }

 private:
  TimerId Push(int64_t due, Task task) {
    const uint64_t seq = ++next_seq_;
    heap_.push(Entry{due, seq, std::move(task)});
    return seq;
  }

  // Runs the earliest task; returns 1 if it ran, 0 if it had been cancelled.
  uint64_t Step() {
    Task task = std::move(heap_.top().task);
    const int64_t due = heap_.top().due;
    const uint64_t seq = heap_.top().seq;
    heap_.pop();
    if (!live_timers_.empty()) live_timers_.erase(seq);
    if (!cancelled_.empty() && cancelled_.erase(seq) > 0) return 0;
    now_ = due;
    task();
    if ((++steps_ & 1023) == 0) PollIo();
    return 1;
  }

  // Components doing real I/O (a server bound to loopback) progress between simulated tasks.
  void PollIo() {
    if (io_.stopped()) io_.restart();
    io_.poll();
  }

  int64_t now_ = 0;
  uint64_t next_seq_ = 0;
  uint64_t steps_ = 0;
  bool stop_ = false;
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::unordered_set<uint64_t> live_timers_;  // ScheduleAfter ids not yet fired or cancelled
  std::unordered_set<uint64_t> cancelled_;    // still in the heap, to be skipped
  boost::asio::io_context io_;
};

}  // namespace

std::unique_ptr<Runtime> MakeVirtualRuntime(uint64_t seed) {
  return std::make_unique<VirtualRuntime>(seed);
}

}  // namespace meshsim
