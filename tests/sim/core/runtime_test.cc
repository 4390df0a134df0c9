#include "sim/core/runtime.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace meshsim {
namespace {

// ---------------------------------------------------------------------------------------------
// Virtual runtime

TEST_CASE("virtual runtime runs tasks in due-time order", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<std::pair<int, int64_t>> ran;  // (task, time it ran)
  auto record = [&](int task) { return [&, task] { ran.emplace_back(task, rt->NowMicros()); }; };
  rt->ScheduleAfter(300, record(3));
  rt->ScheduleAfter(100, record(1));
  rt->ScheduleAfter(200, record(2));
  rt->ScheduleAfter(50, record(0));
  REQUIRE(rt->Pending() == 4);

  CHECK(rt->RunUntilIdle() == 4);
  const std::vector<std::pair<int, int64_t>> want = {{0, 50}, {1, 100}, {2, 200}, {3, 300}};
  CHECK(ran == want);
  CHECK(rt->NowMicros() == 300);
  CHECK(rt->Pending() == 0);
  CHECK(rt->IsVirtual());
}

TEST_CASE("a lane's ring wraps and grows with tasks in it, running each once, in order",
          "[runtime][virtual]") {
  // Tasks both inline and on the heap (a capture larger than a Task holds), each holding a
  // shared_ptr: every one must run once and be destroyed once, across pops, wraps and growth.
  auto rt = MakeVirtualRuntime(1);
  const uint32_t lane = rt->NewLane();
  const auto alive = std::make_shared<int>(0);
  std::vector<int> ran;
  int64_t due = 0;
  const auto schedule = [&](int i) {
    due += 1;
    const int64_t delay = due - rt->NowMicros();
    if (i % 2 == 0) {
      rt->ScheduleInLane(lane, delay, [&ran, i, keep = alive] { ran.push_back(i); });
    } else {
      std::array<char, 64> padding{};  // past Task's inline storage
      rt->ScheduleInLane(lane, delay,
                         [&ran, i, keep = alive, padding] { ran.push_back(i + padding[0]); });
    }
  };
  int next = 0;
  for (; next < 12; ++next) schedule(next);
  rt->RunUntil(8);                            // the ring's head moves: the next pushes wrap
  for (; next < 300; ++next) schedule(next);  // and then grow it, wrapped
  rt->RunUntilIdle();
  std::vector<int> want(300);
  std::iota(want.begin(), want.end(), 0);
  CHECK(ran == want);
  CHECK(alive.use_count() == 1);  // every task destroyed, none twice (that would crash)
}

TEST_CASE("lane timers run in the order plain timers with the same times would",
          "[runtime][virtual]") {
  // The same schedule twice: once all through ScheduleAfter, once with two monotone sequences
  // in lanes. The runs must match task for task, ties included, and lane tasks scheduled from a
  // running task must merge in as well.
  struct Plan {
    int lane;  // -1: a plain timer
    int64_t delay;
  };
  const std::vector<Plan> plan = {{0, 10}, {-1, 10}, {1, 5},  {0, 10}, {-1, 3}, {1, 20},
                                  {0, 30}, {-1, 30}, {1, 30}, {-1, 0}, {0, 40}, {1, 40}};
  auto run = [&](bool lanes) {
    auto rt = MakeVirtualRuntime(1);
    const uint32_t lane_ids[2] = {rt->NewLane(), rt->NewLane()};
    std::vector<std::pair<int, int64_t>> ran;
    auto schedule = [&](int i) {
      const Plan& p = plan[static_cast<size_t>(i)];
      auto task = [&ran, &rt, i] { ran.emplace_back(i, rt->NowMicros()); };
      if (lanes && p.lane >= 0) {
        rt->ScheduleInLane(lane_ids[p.lane], p.delay, task);
      } else {
        rt->ScheduleAfter(p.delay, task);
      }
    };
    for (int i = 0; i < 6; ++i) schedule(i);
    CHECK(rt->Pending() == 6);
    // The rest are scheduled at t = 5, from inside a task, with due times after the lanes' last.
    rt->ScheduleAfter(5, [&] {
      for (int i = 6; i < static_cast<int>(plan.size()); ++i) schedule(i);
    });
    rt->RunUntil(20);
    const size_t by_20 = ran.size();
    CHECK(rt->NowMicros() == 20);
    rt->RunUntilIdle();
    CHECK(rt->Pending() == 0);
    return std::make_pair(by_20, ran);
  };
  const auto plain = run(false);
  const auto laned = run(true);
  CHECK(plain.second.size() == plan.size());
  CHECK(laned == plain);
}

TEST_CASE("virtual runtime runs ties FIFO in scheduling order", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<int> ran;
  for (int i = 0; i < 10; ++i) rt->ScheduleAfter(1000, [&, i] { ran.push_back(i); });
  // Posted tasks are due now, so all run before the timers, in their own order.
  rt->Post([&] { ran.push_back(100); });
  rt->Post([&] { ran.push_back(101); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{100, 101, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("virtual runtime runs a Post before a timer due later", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<std::string> ran;
  rt->ScheduleAfter(1, [&] { ran.push_back("timer"); });
  rt->Post([&] { ran.push_back("post"); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<std::string>{"post", "timer"});
}

TEST_CASE("virtual runtime: a task posted from a task runs after tasks already due",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<std::string> ran;
  rt->ScheduleAfter(10, [&] {
    ran.push_back("a");
    rt->Post([&] { ran.push_back("posted by a"); });
  });
  rt->ScheduleAfter(10, [&] { ran.push_back("b"); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<std::string>{"a", "b", "posted by a"});
  CHECK(rt->NowMicros() == 10);
}

TEST_CASE("virtual runtime: ScheduleAfter with a negative or zero delay runs now",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  rt->RunUntil(1000);
  REQUIRE(rt->NowMicros() == 1000);
  std::vector<std::pair<std::string, int64_t>> ran;
  rt->ScheduleAfter(5, [&] { ran.emplace_back("later", rt->NowMicros()); });
  rt->ScheduleAfter(-500, [&] { ran.emplace_back("negative", rt->NowMicros()); });
  rt->ScheduleAfter(0, [&] { ran.emplace_back("zero", rt->NowMicros()); });
  rt->RunUntilIdle();
  const std::vector<std::pair<std::string, int64_t>> want = {
      {"negative", 1000}, {"zero", 1000}, {"later", 1005}};
  CHECK(ran == want);
}

TEST_CASE("virtual runtime: Cancel prevents a timer from running", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<int> ran;
  const TimerId a = rt->ScheduleAfter(10, [&] { ran.push_back(1); });
  const TimerId b = rt->ScheduleAfter(20, [&] { ran.push_back(2); });
  rt->ScheduleAfter(30, [&] { ran.push_back(3); });
  CHECK(a != b);
  REQUIRE(rt->Pending() == 3);

  rt->Cancel(b);
  CHECK(rt->Pending() == 2);
  rt->Cancel(b);  // twice: still one cancellation
  CHECK(rt->Pending() == 2);

  CHECK(rt->RunUntilIdle() == 2);  // the cancelled timer does not count
  CHECK(ran == std::vector<int>{1, 3});
  CHECK(rt->Pending() == 0);
}

TEST_CASE("virtual runtime: a task can cancel a timer due at the same time", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<int> ran;
  TimerId second = 0;
  rt->ScheduleAfter(10, [&] {
    ran.push_back(1);
    rt->Cancel(second);
  });
  second = rt->ScheduleAfter(10, [&] { ran.push_back(2); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{1});
  CHECK(rt->Pending() == 0);
}

TEST_CASE("virtual runtime: cancelling a fired or unknown timer is harmless",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  int runs = 0;
  const TimerId fired = rt->ScheduleAfter(1, [&] { ++runs; });
  rt->RunUntilIdle();
  REQUIRE(runs == 1);
  REQUIRE(rt->Pending() == 0);

  rt->Cancel(fired);
  rt->Cancel(fired + 1000);  // never handed out
  rt->Cancel(0);
  CHECK(rt->Pending() == 0);

  // Later timers are unaffected, including one that might reuse a nearby id.
  rt->ScheduleAfter(1, [&] { ++runs; });
  rt->ScheduleAfter(2, [&] { ++runs; });
  CHECK(rt->Pending() == 2);
  CHECK(rt->RunUntilIdle() == 2);
  CHECK(runs == 3);
  CHECK(rt->Pending() == 0);
}

TEST_CASE("virtual runtime: RunUntil stops at the bound and keeps later tasks",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<int64_t> ran;
  for (int64_t t : {100, 200, 300, 400})
    rt->ScheduleAfter(t, [&] { ran.push_back(rt->NowMicros()); });

  rt->RunUntil(250);
  CHECK(ran == std::vector<int64_t>{100, 200});
  CHECK(rt->NowMicros() == 250);  // the clock rests at the bound, not at the last task
  CHECK(rt->Pending() == 2);

  rt->RunUntil(300);  // a task due exactly at the bound runs
  CHECK(ran == std::vector<int64_t>{100, 200, 300});
  CHECK(rt->NowMicros() == 300);
  CHECK(rt->Pending() == 1);

  // A delay is measured from the bound the clock rests at.
  rt->ScheduleAfter(50, [&] { ran.push_back(rt->NowMicros()); });
  rt->RunUntil(10'000);
  CHECK(ran == std::vector<int64_t>{100, 200, 300, 350, 400});
  CHECK(rt->NowMicros() == 10'000);
  CHECK(rt->Pending() == 0);
}

TEST_CASE("virtual runtime: RunUntil with nothing queued advances the clock",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  rt->RunUntil(5 * kMicrosPerSecond);
  CHECK(rt->NowMicros() == 5 * kMicrosPerSecond);
}

TEST_CASE("virtual runtime: RunUntilIdle returns the number of tasks run", "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  CHECK(rt->RunUntilIdle() == 0);
  int chain = 0;
  // A task that re-schedules itself five times: six runs in all.
  std::function<void()> step = [&] {
    if (++chain < 6) rt->ScheduleAfter(10, step);
  };
  rt->Post(step);
  rt->Post([] {});
  CHECK(rt->RunUntilIdle() == 7);
  CHECK(chain == 6);
  CHECK(rt->NowMicros() == 50);
}

TEST_CASE("virtual runtime: Stop inside a task ends the run after that task",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  std::vector<int> ran;
  rt->ScheduleAfter(10, [&] { ran.push_back(1); });
  rt->ScheduleAfter(20, [&] {
    ran.push_back(2);
    rt->Stop();
  });
  rt->ScheduleAfter(30, [&] { ran.push_back(3); });

  SECTION("RunUntilIdle") {
    CHECK(rt->RunUntilIdle() == 2);
    CHECK(ran == std::vector<int>{1, 2});
    CHECK(rt->NowMicros() == 20);
    CHECK(rt->Pending() == 1);
    // Stop applies to one run only: the next run carries on.
    CHECK(rt->RunUntilIdle() == 1);
    CHECK(ran == std::vector<int>{1, 2, 3});
  }
  SECTION("RunUntil") {
    rt->RunUntil(1000);
    CHECK(ran == std::vector<int>{1, 2});
    CHECK(rt->NowMicros() == 20);  // a stopped run does not jump to the bound
    CHECK(rt->Pending() == 1);
    rt->RunUntil(1000);
    CHECK(ran == std::vector<int>{1, 2, 3});
    CHECK(rt->NowMicros() == 1000);
  }
}

TEST_CASE("virtual runtime: Stop outside a run does not affect the next run",
          "[runtime][virtual]") {
  auto rt = MakeVirtualRuntime(1);
  int runs = 0;
  rt->Post([&] { ++runs; });
  rt->Post([&] { ++runs; });
  rt->Stop();
  CHECK(rt->RunUntilIdle() == 2);
  CHECK(runs == 2);
}

// A randomized workload: a few seed tasks that, when run, draw from the runtime's generator to
// schedule more work, post, or cancel earlier timers. The trace is every (time, task) that ran.
std::vector<std::pair<int64_t, uint64_t>> RandomTrace(uint64_t seed) {
  auto rt = MakeVirtualRuntime(seed);
  std::vector<std::pair<int64_t, uint64_t>> trace;
  std::vector<TimerId> timers;
  uint64_t next_label = 0;
  std::function<void(uint64_t)> spawn = [&](uint64_t label) {
    trace.emplace_back(rt->NowMicros(), label);
    if (trace.size() >= 2000) return;  // bounded
    const uint64_t children = rt->rng().Below(3);
    for (uint64_t i = 0; i < children; ++i) {
      const uint64_t child = ++next_label;
      switch (rt->rng().Below(4)) {
        case 0:
          rt->Post([&, child] { spawn(child); });
          break;
        case 1:
          if (!timers.empty()) rt->Cancel(timers[rt->rng().Below(timers.size())]);
          [[fallthrough]];
        default:
          timers.push_back(rt->ScheduleAfter(static_cast<int64_t>(rt->rng().Below(10'000)),
                                             [&, child] { spawn(child); }));
      }
    }
  };
  for (int i = 0; i < 8; ++i) {
    const uint64_t label = ++next_label;
    rt->ScheduleAfter(static_cast<int64_t>(rt->rng().Below(1000)), [&, label] { spawn(label); });
  }
  rt->RunUntil(10 * kMicrosPerSecond);
  trace.emplace_back(rt->NowMicros(), rt->Pending());
  return trace;
}

TEST_CASE("virtual runtime: one seed replays exactly, another seed differs",
          "[runtime][virtual][determinism]") {
  const auto a = RandomTrace(42);
  const auto b = RandomTrace(42);
  const auto c = RandomTrace(43);
  REQUIRE(a.size() > 20);  // the workload actually did something
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("runtime rng is seeded by the runtime's seed", "[runtime][virtual][determinism]") {
  auto a = MakeVirtualRuntime(7);
  auto b = MakeVirtualRuntime(7);
  auto c = MakeVirtualRuntime(8);
  const uint64_t first = a->rng().Next();
  CHECK(first == b->rng().Next());
  CHECK(first != c->rng().Next());
  // The real runtime hands out the same stream for the same seed.
  auto real = MakeRealRuntime(7);
  CHECK(real->rng().Next() == first);
}

// ---------------------------------------------------------------------------------------------
// Real runtime. Only loose lower bounds on elapsed time: the machine may be slow, never fast.

TEST_CASE("real runtime: a short timer fires and the clock advances", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  CHECK_FALSE(rt->IsVirtual());
  const int64_t start = rt->NowMicros();
  int64_t fired_at = -1;
  rt->ScheduleAfter(3 * kMicrosPerMilli, [&] { fired_at = rt->NowMicros(); });
  CHECK(rt->Pending() == 1);
  CHECK(rt->RunUntilIdle() == 1);
  REQUIRE(fired_at >= 0);
  CHECK(fired_at - start >= 3 * kMicrosPerMilli);
  CHECK(rt->NowMicros() >= fired_at);
  CHECK(rt->Pending() == 0);
}

TEST_CASE("real runtime: posted tasks run FIFO", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  std::vector<int> ran;
  for (int i = 0; i < 20; ++i) rt->Post([&, i] { ran.push_back(i); });
  CHECK(rt->Pending() == 20);
  CHECK(rt->RunUntilIdle() == 20);
  std::vector<int> want;
  for (int i = 0; i < 20; ++i) want.push_back(i);
  CHECK(ran == want);
  CHECK(rt->Pending() == 0);
}

TEST_CASE("real runtime: timers run in due order", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  std::vector<int> ran;
  rt->ScheduleAfter(6 * kMicrosPerMilli, [&] { ran.push_back(2); });
  rt->ScheduleAfter(1 * kMicrosPerMilli, [&] { ran.push_back(1); });
  rt->ScheduleAfter(-5, [&] { ran.push_back(0); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{0, 1, 2});
}

TEST_CASE("real runtime: Cancel prevents a timer from running", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  std::vector<int> ran;
  const TimerId cancelled = rt->ScheduleAfter(1 * kMicrosPerMilli, [&] { ran.push_back(1); });
  rt->ScheduleAfter(3 * kMicrosPerMilli, [&] { ran.push_back(2); });
  rt->Cancel(cancelled);
  rt->Cancel(cancelled + 100);  // unknown: nothing happens
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{2});
  CHECK(rt->Pending() == 0);
  rt->Cancel(cancelled);  // already gone: harmless
  CHECK(rt->Pending() == 0);
}

// The contract (runtime.h): "Returns the number of tasks run". The virtual runtime does not count
// a cancelled timer; the real one counts the aborted wait's completion handler as a task.
TEST_CASE("real runtime: RunUntilIdle does not count a cancelled timer", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  int runs = 0;
  const TimerId cancelled = rt->ScheduleAfter(1 * kMicrosPerMilli, [&] { ++runs; });
  rt->Post([&] { ++runs; });
  rt->Post([&] { ++runs; });
  rt->Cancel(cancelled);
  CHECK(rt->RunUntilIdle() == 2);
  CHECK(runs == 2);
}

TEST_CASE("real runtime: RunUntil returns at its bound with later work still queued",
          "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  bool far_ran = false;
  int near_runs = 0;
  const TimerId far = rt->ScheduleAfter(60 * kMicrosPerSecond, [&] { far_ran = true; });
  rt->ScheduleAfter(1 * kMicrosPerMilli, [&] { ++near_runs; });
  const int64_t bound = rt->NowMicros() + 5 * kMicrosPerMilli;
  rt->RunUntil(bound);
  CHECK(rt->NowMicros() >= bound);
  CHECK(near_runs == 1);
  CHECK_FALSE(far_ran);
  CHECK(rt->Pending() == 1);
  rt->Cancel(far);
  rt->RunUntilIdle();
  CHECK_FALSE(far_ran);
  CHECK(rt->Pending() == 0);
}

TEST_CASE("real runtime: RunUntil with nothing queued returns", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  const int64_t bound = rt->NowMicros() + 2 * kMicrosPerMilli;
  rt->RunUntil(bound);
  CHECK(rt->NowMicros() >= bound);
  // Runs again after a finished RunUntil.
  int runs = 0;
  rt->Post([&] { ++runs; });
  rt->RunUntil(rt->NowMicros() + 1 * kMicrosPerMilli);
  CHECK(runs == 1);
}

TEST_CASE("real runtime: Stop inside a task ends RunUntilIdle", "[runtime][real]") {
  auto rt = MakeRealRuntime(1);
  std::vector<int> ran;
  rt->Post([&] {
    ran.push_back(1);
    rt->Stop();
  });
  rt->Post([&] { ran.push_back(2); });
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{1});
  rt->RunUntilIdle();
  CHECK(ran == std::vector<int>{1, 2});
}

}  // namespace
}  // namespace meshsim

TEST_CASE("real runtime: a timer cancelled by a task that runs first does not fire") {
  // Regression: both timers expired in one reactor pass; the cancelled one still ran.
  auto rt = meshsim::MakeRealRuntime(1);
  bool b_ran = false;
  meshsim::TimerId b = 0;
  rt->ScheduleAfter(0, [&] { rt->Cancel(b); });
  b = rt->ScheduleAfter(0, [&] { b_ran = true; });
  rt->RunUntilIdle();
  CHECK_FALSE(b_ran);
}
