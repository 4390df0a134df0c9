// The ordered worker applies every piece of work once, in the order it was appended, on a
// thread other than the caller's; a Drain makes all of it visible; destruction applies the rest.
#include "sim/core/ordered_worker.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace meshsim;

namespace {

// Records every string it applies, and the threads it ran on.
struct Recorder {
  std::vector<std::string> applied;
  std::vector<std::thread::id> threads;
  size_t buffers = 0;

  OrderedWorker::Apply Apply() {
    return [this](const std::vector<char>& buffer) {
      ++buffers;
      threads.push_back(std::this_thread::get_id());
      const char* p = buffer.data();
      while (p < buffer.data() + buffer.size()) applied.emplace_back(OrderedWorker::GetString(p));
    };
  }
};

void Append(OrderedWorker& worker, const std::string& s) {
  OrderedWorker::PutString(worker.buffer(), s);
  worker.Filled();
}

}  // namespace

TEST_CASE("work is applied in order, off the caller's thread, and visible after a drain") {
  Recorder r;
  OrderedWorker worker(r.Apply(), 64, 2);  // small buffers and queue: many hand-overs and waits
  std::vector<std::string> want;
  for (int i = 0; i < 5000; ++i) {
    want.push_back("piece-" + std::to_string(i));
    Append(worker, want.back());
  }
  worker.Drain();
  CHECK(r.applied == want);
  CHECK(r.buffers > 100);
  for (std::thread::id id : r.threads) CHECK(id != std::this_thread::get_id());
}

TEST_CASE("a drain hands over a buffer that is not yet full") {
  Recorder r;
  OrderedWorker worker(r.Apply(), 1 << 20, 4);
  Append(worker, "only");
  worker.Drain();
  CHECK(r.applied == std::vector<std::string>{"only"});
  worker.Drain();  // nothing new: returns at once, applies nothing twice
  CHECK(r.applied.size() == 1);
}

TEST_CASE("destroying the worker applies what was appended and not drained") {
  Recorder r;
  {
    OrderedWorker worker(r.Apply(), 16, 2);
    for (int i = 0; i < 100; ++i) Append(worker, std::to_string(i));
  }
  REQUIRE(r.applied.size() == 100);
  CHECK(r.applied.front() == "0");
  CHECK(r.applied.back() == "99");
}

TEST_CASE("the idle hook runs on the worker once it has caught up, and a drain waits for it") {
  Recorder r;
  size_t idle_calls = 0;
  size_t seen_at_finish = 0;
  std::thread::id idle_thread;
  OrderedWorker worker(r.Apply(), 1 << 20, 4, [&] {
    ++idle_calls;
    idle_thread = std::this_thread::get_id();
    // Long enough that a drain not waiting for the hook would return before it ends.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    seen_at_finish = r.applied.size();
  });
  Append(worker, "a");
  worker.Drain();
  CHECK(idle_calls == 1);
  CHECK(seen_at_finish == 1);
  CHECK(idle_thread != std::this_thread::get_id());
  Append(worker, "b");
  Append(worker, "c");
  worker.Drain();
  CHECK(idle_calls == 2);  // once per catching up, not per piece of work
  CHECK(seen_at_finish == 3);
}

TEST_CASE("fields read back as written") {
  std::vector<char> buffer;
  OrderedWorker::PutU32(buffer, 7);
  OrderedWorker::PutString(buffer, "");
  OrderedWorker::PutString(buffer, std::string("a\0b", 3));
  OrderedWorker::PutU32(buffer, 0xffffffffu);
  const char* p = buffer.data();
  CHECK(OrderedWorker::GetU32(p) == 7);
  CHECK(OrderedWorker::GetString(p).empty());
  CHECK(OrderedWorker::GetString(p) == std::string_view("a\0b", 3));
  CHECK(OrderedWorker::GetU32(p) == 0xffffffffu);
  CHECK(p == buffer.data() + buffer.size());
}
