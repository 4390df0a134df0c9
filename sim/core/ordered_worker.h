// Applies work on a thread of its own, in the order it was handed over, for a component whose
// answers do not depend on that work until someone reads its state: the in-process recommender
// (a PutEvents answers from the request alone; the events are applied later) and the analytics
// consumer (a batch is counted later). The caller packs each piece of work into a byte buffer
// (the Put/Get helpers below); a full buffer goes to the worker through a queue under a mutex,
// and applied buffers come back to be refilled, so neither side allocates in the steady state
// nor takes the lock more than once per buffer. Before reading what the work changed, the
// caller Drain()s: the work is then applied and the lock orders the worker's writes before the
// caller's reads, so what it reads is exactly what applying inline would have given.
//
// One caller thread. `apply` and `idle` run on the worker thread, must not throw (an exception
// there ends the program, as on any thread), and must touch only state the caller leaves alone
// until its next Drain().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace meshsim {

class OrderedWorker {
 public:
  using Apply = std::function<void(const std::vector<char>& buffer)>;
  using Idle = std::function<void()>;

  // A buffer is handed over once it holds `buffer_bytes`; at most `max_queued` wait to be
  // applied (then the caller waits too, so memory stays bounded). `idle`, if set, runs on the
  // worker thread whenever it has applied every buffer handed over: deferred work that changes
  // nothing a reader can see (a Drain waits for it to finish), done while the thread would
  // otherwise wait rather than when the caller next needs it.
  OrderedWorker(Apply apply, size_t buffer_bytes, size_t max_queued, Idle idle = nullptr);
  // Applies everything handed over or filled, then stops the thread.
  ~OrderedWorker();
  OrderedWorker(const OrderedWorker&) = delete;
  OrderedWorker& operator=(const OrderedWorker&) = delete;

  // The buffer being filled: append one piece of work, then call Filled().
  std::vector<char>& buffer() { return filling_; }
  void Filled() {
    if (filling_.size() >= buffer_bytes_) Hand(false);
  }
  // Returns once every piece of work appended so far is applied.
  void Drain() { Hand(true); }

  // Length-prefixed fields for packing work into a buffer and reading it back.
  static void PutU32(std::vector<char>& out, uint32_t n) {
    const auto* bytes = reinterpret_cast<const char*>(&n);
    out.insert(out.end(), bytes, bytes + sizeof n);
  }
  static uint32_t GetU32(const char*& p) {
    uint32_t n;
    std::memcpy(&n, p, sizeof n);
    p += sizeof n;
    return n;
  }
  static void PutString(std::vector<char>& out, std::string_view s) {
    PutU32(out, static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  static std::string_view GetString(const char*& p) {
    const uint32_t n = GetU32(p);
    const std::string_view s(p, n);
    p += n;
    return s;
  }

 private:
  static std::vector<char> Reserved(size_t bytes) {
    std::vector<char> v;
    v.reserve(bytes + 4096);  // a piece of work may overshoot the size that hands a buffer over
    return v;
  }
  // Passes the buffer being filled to the worker; with `wait`, returns once the worker has
  // applied everything handed to it.
  void Hand(bool wait);
  void Work();

  const Apply apply_;
  const Idle idle_;
  const size_t buffer_bytes_;
  const size_t max_queued_;
  std::vector<char> filling_ = Reserved(buffer_bytes_);  // the caller's
  std::mutex mu_;
  std::condition_variable wake_worker_;
  std::condition_variable worker_done_;
  std::deque<std::vector<char>> queued_;  // under mu_
  std::vector<std::vector<char>> spare_;  // under mu_
  bool applying_ = false;                 // under mu_
  bool stopping_ = false;                 // under mu_
  std::thread thread_;                    // last: starts once every other member exists
};

}  // namespace meshsim
