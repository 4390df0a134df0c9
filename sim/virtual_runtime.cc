// The deterministic clock (FoundationDB's Sim2): one thread, a min-heap of (due time, sequence),
// and time that jumps straight to the next due task. Nothing here sleeps.
//
// Tasks live in a slab of slots; the heap holds 24-byte entries that point at them, so a heap
// swap moves no closure. A TimerId is (generation << 32 | slot): a slot's generation changes
// every time it is reused, so cancelling a fired timer's id finds a stale generation and does
// nothing, with no hash set in the way.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <utility>  // Asio 1.74 uses std::exchange without including it.
#include <vector>

#include "sim/runtime.h"

namespace meshsim {
namespace {

struct Entry {
  int64_t due;
  uint64_t seq;  // ties run FIFO
  uint32_t slot;
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
    // Saturates rather than overflowing: a timer beyond the end of time never fires.
    const int64_t delay = std::clamp<int64_t>(delay_us, 0, INT64_MAX - now_);
    return Push(now_ + delay, std::move(task));
  }
  void Cancel(TimerId id) override {
    const auto index = static_cast<uint32_t>(id);
    const auto generation = static_cast<uint32_t>(id >> 32);
    if (index >= slots_.size()) return;
    Slot& slot = slots_[index];
    if (slot.generation != generation || !slot.task) return;
    slot.task = nullptr;  // frees the captures now; the heap entry is skipped when it surfaces
    --live_;
  }

  void RunUntil(int64_t until_us) override {
    stop_ = false;
    while (!stop_ && !heap_.empty() && heap_.front().due <= until_us) Step();
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
  size_t Pending() const override { return live_; }
  boost::asio::io_context& io() override { return io_; }

 private:
  struct Slot {
    Task task;
    uint32_t generation = 1;  // never 0, so no TimerId is 0
  };

  TimerId Push(int64_t due, Task task) {
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    Slot& slot = slots_[index];
    slot.task = std::move(task);
    ++live_;
    heap_.push_back(Entry{due, ++next_seq_, index});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    return (static_cast<uint64_t>(slot.generation) << 32) | index;
  }

  // Runs the earliest task; returns 1 if it ran, 0 if it had been cancelled.
  uint64_t Step() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Entry e = heap_.back();
    heap_.pop_back();
    Slot& slot = slots_[e.slot];
    Task task = std::move(slot.task);
    ++slot.generation;
    if (slot.generation == 0) slot.generation = 1;
    free_.push_back(e.slot);
    if (!task) return 0;  // cancelled
    --live_;
    now_ = e.due;
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
  size_t live_ = 0;
  bool stop_ = false;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  boost::asio::io_context io_;
};

}  // namespace

std::unique_ptr<Runtime> MakeVirtualRuntime(uint64_t seed) {
  return std::make_unique<VirtualRuntime>(seed);
}

}  // namespace meshsim
