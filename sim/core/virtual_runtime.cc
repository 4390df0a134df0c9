// The deterministic clock (FoundationDB's Sim2): one thread, a min-heap of (due time, sequence),
// and time that jumps straight to the next due task. Nothing here sleeps.
//
// Tasks live in a slab of slots; the heap holds 24-byte entries that point at them, so a heap
// swap moves no closure. A lane's tasks wait in the lane's ring in due order and only its head
// has a heap entry (its slot field marked kLaneBit); since every order is by (due, seq), merging
// the lanes through the heap runs tasks in exactly the order one heap of all of them would. A
// TimerId is (generation << 32 | slot): a slot's generation changes every time it is reused, so
// cancelling a fired timer's id finds a stale generation and does nothing, with no hash set in the
// way.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cassert>
#include <utility>  // Asio 1.74 uses std::exchange without including it.
#include <vector>

#include "sim/core/runtime.h"

namespace meshsim {
namespace {

struct Entry {
  int64_t due;
  uint64_t seq;   // ties run FIFO
  uint32_t slot;  // or kLaneBit | lane
};
constexpr uint32_t kLaneBit = 0x80000000u;

// A lane's waiting tasks, oldest first: a ring buffer that grows by doubling.
class Lane {
 public:
  struct Item {
    int64_t due;
    uint64_t seq;
    Task task;
  };
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  Item& front() { return ring_[head_]; }
  const Item& back() const { return ring_[(head_ + size_ - 1) & (ring_.size() - 1)]; }
  // A popped item's task was moved out (StepLane), so the slot a push reuses holds an empty
  // one: it is written without being read, which matters once the ring outgrows the cache.
  void push_back(int64_t due, uint64_t seq, Task&& task) {
    if (size_ == ring_.size()) Grow();
    Item& slot = ring_[(head_ + size_) & (ring_.size() - 1)];
    slot.due = due;
    slot.seq = seq;
    slot.task.AssignToEmpty(std::move(task));
    ++size_;
  }
  // Also starts loading the item after the new head: a busy lane's ring is larger than the
  // cache, and its items are read in order, so the next pop then finds its item loaded.
  void pop_front() {
    head_ = (head_ + 1) & (ring_.size() - 1);
    --size_;
    const Item* next = &ring_[(head_ + 1) & (ring_.size() - 1)];
    __builtin_prefetch(next);
    __builtin_prefetch(reinterpret_cast<const char*>(next) + sizeof(Item) - 1);
  }

 private:
  void Grow() {
    std::vector<Item> bigger(ring_.empty() ? 16 : ring_.size() * 2);
    for (size_t i = 0; i < size_; ++i)
      bigger[i] = std::move(ring_[(head_ + i) & (ring_.size() - 1)]);
    ring_ = std::move(bigger);
    head_ = 0;
  }
  std::vector<Item> ring_;  // size a power of two
  size_t head_ = 0;
  size_t size_ = 0;
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

  uint32_t NewLane() override {
    lanes_.emplace_back();
    return static_cast<uint32_t>(lanes_.size() - 1);
  }

  void ScheduleInLane(uint32_t lane, int64_t delay_us, Task task) override {
    const int64_t due = now_ + std::clamp<int64_t>(delay_us, 0, INT64_MAX - now_);
    Lane& l = lanes_[lane];
    assert(l.empty() || l.back().due <= due);
    const bool was_empty = l.empty();
    l.push_back(due, ++next_seq_, std::move(task));
    ++live_;
    if (was_empty) PushHeap(Entry{due, next_seq_, kLaneBit | lane});
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
    PushHeap(Entry{due, ++next_seq_, index});
    return (static_cast<uint64_t>(slot.generation) << 32) | index;
  }

  void PushHeap(Entry e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  // Runs a lane's head (its entry at the top of the heap), after putting the lane's next task
  // in its place: one sift down instead of a pop and a push.
  void StepLane(uint32_t lane) {
    Lane& l = lanes_[lane];
    Lane::Item& head = l.front();
    now_ = head.due;
    Task task = std::move(head.task);
    l.pop_front();
    if (l.empty()) {
      PopHeap();
    } else {
      ReplaceTop(Entry{l.front().due, l.front().seq, kLaneBit | lane});
    }
    --live_;
    task();
  }

  void PopHeap() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }

  // Replaces the heap's top with `e` and restores the heap.
  void ReplaceTop(Entry e) {
    const size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && Later{}(heap_[child], heap_[child + 1])) ++child;
      if (!Later{}(e, heap_[child])) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  // Runs the earliest task; returns 1 if it ran, 0 if it had been cancelled.
  uint64_t Step() {
    const Entry e = heap_.front();
    if (e.slot & kLaneBit) {
      StepLane(e.slot & ~kLaneBit);  // pops or replaces the top itself
      if ((++steps_ & 1023) == 0) PollIo();
      return 1;
    }
    PopHeap();
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
  std::vector<Lane> lanes_;
  boost::asio::io_context io_;
};

}  // namespace

std::unique_ptr<Runtime> MakeVirtualRuntime(uint64_t seed) {
  return std::make_unique<VirtualRuntime>(seed);
}

}  // namespace meshsim
