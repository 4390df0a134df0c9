// The traffic generators' distributions with fixed seeds and tolerances: rate curves (events per
// interval against the curve's integral), session lengths and think times, and the determinism of
// a seed. Population-side generators (tastes, popularity, event types, arrivals, retiring and
// pausing) are in workload_population_test.cc.
#include "sim/workload/workload.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "tests/sim/workload/workload_rig.h"

namespace meshsim {
namespace {

using testing::Rig;

std::string Json(const std::string& population, const std::string& traffic,
                 double duration_s = 3600) {
  return R"({"name": "w", "seed": 7, "duration_s": )" + std::to_string(duration_s) +
         R"(, "population": {)" + population + R"(}, "traffic": {)" + traffic + "}}";
}

// A Poisson count is within five standard deviations of its mean (plus a little for tiny means).
void CheckCount(double observed, double expected) {
  INFO("observed " << observed << ", expected " << expected);
  CHECK(std::abs(observed - expected) <= 5 * std::sqrt(expected) + 3);
}

// Events per bucket: with sessions of exactly one event, events arrive as sessions do.
std::vector<double> Buckets(const Rig& rig, double until_s, double bucket_s, int64_t from_us = 0) {
  std::vector<double> counts(static_cast<size_t>((until_s - from_us / 1e6) / bucket_s), 0);
  for (const auto& e : rig.Interactions(from_us)) {
    const auto b = static_cast<size_t>((e.at_us - from_us) / 1e6 / bucket_s);
    if (b < counts.size()) ++counts[b];
  }
  return counts;
}

constexpr const char* kSmallPopulation = R"("users": 100, "songs": 60, "podcasts": 0)";
constexpr const char* kOneEventSessions =
    R"("session": {"length": {"model": "constant", "events": 1}})";

void CheckFollowsCurve(const std::string& rate, double until_s, double bucket_s) {
  Rig rig(Json(kSmallPopulation, R"("rate": )" + rate + ", " + kOneEventSessions));
  rig.workload->Start();
  rig.RunUntil(until_s);
  const RateCurve& curve = rig.scenario->traffic.rate;
  const auto counts = Buckets(rig, until_s, bucket_s);
  double total = 0;
  for (size_t b = 0; b < counts.size(); ++b) {
    const auto from = static_cast<int64_t>(static_cast<double>(b) * bucket_s * 1e6);
    const auto to = static_cast<int64_t>(static_cast<double>(b + 1) * bucket_s * 1e6);
    INFO(curve.Describe() << ": bucket " << b);
    CheckCount(counts[b], curve.Integral(from, to));
    total += counts[b];
  }
  CheckCount(total, curve.Integral(0, static_cast<int64_t>(until_s * 1e6)));
}

TEST_CASE("rate curve: the shapes and their integrals", "[workload][curve]") {
  const auto ramp = RateCurve::Ramp(0, 100, 10);
  CHECK(ramp.At(0) == 0);
  CHECK(ramp.At(5'000'000) == Approx(50));
  CHECK(ramp.At(20'000'000) == 100);
  CHECK(ramp.Max() == 100);
  CHECK(ramp.Integral(0, 10'000'000) == Approx(500));
  CHECK(ramp.Integral(0, 20'000'000) == Approx(1500));
  const auto diurnal = RateCurve::Diurnal(100, 50, 100, 25);
  CHECK(diurnal.At(25'000'000) == Approx(150));  // the peak is at phase_s
  CHECK(diurnal.At(75'000'000) == Approx(50));
  CHECK(diurnal.Max() == 150);
  CHECK(diurnal.Integral(0, 100'000'000) == Approx(10'000));  // whole periods: the mean
  const auto burst = RateCurve::Burst(10, 100, 5, 2);
  CHECK(burst.At(4'999'999) == 10);
  CHECK(burst.At(5'000'000) == 100);
  CHECK(burst.At(7'000'000) == 10);
  CHECK(burst.Integral(0, 10'000'000) == Approx(10 * 8 + 100 * 2));
  CHECK(RateCurve::Constant(7).Integral(0, 3'000'000) == Approx(21));
  CHECK(burst.Describe() == "burst 10/s, 100/s from 5 s for 2 s");
}

TEST_CASE("workload: a constant rate gives that many events per interval", "[workload][curve]") {
  CheckFollowsCurve(R"({"curve": "constant", "events_per_second": 200})", 300, 30);
}

TEST_CASE("workload: session arrivals follow a ramp", "[workload][curve]") {
  CheckFollowsCurve(R"({"curve": "ramp", "from": 20, "to": 400, "over_s": 200})", 300, 20);
}

TEST_CASE("workload: session arrivals follow a diurnal curve", "[workload][curve]") {
  CheckFollowsCurve(
      R"({"curve": "diurnal", "mean": 200, "amplitude": 150, "period_s": 200, "phase_s": 50})", 400,
      20);
}

TEST_CASE("workload: session arrivals follow a burst", "[workload][curve]") {
  CheckFollowsCurve(R"({"curve": "burst", "base": 50, "peak": 600, "at_s": 100, "duration_s": 40})",
                    200, 10);
}

TEST_CASE("workload: set_rate and set_curve replace the curve from the time they run",
          "[workload][curve]") {
  Rig rig(Json(kSmallPopulation, std::string(R"("events_per_second": 100, )") + kOneEventSessions));
  rig.workload->Start();
  rig.RunUntil(100);
  // The new curve's clock starts now: a ramp from 0 at 100 s.
  const auto ramp = RateCurve::Ramp(0, 300, 100);
  rig.workload->SetCurve(ramp);
  rig.RunUntil(200);
  rig.workload->SetRate(50);
  CHECK(rig.workload->curve().Describe() == "constant 50/s");
  rig.RunUntil(300);
  const auto counts = Buckets(rig, 300, 20);
  for (size_t b = 0; b < 5; ++b) CheckCount(counts[b], 100 * 20);
  for (size_t b = 5; b < 10; ++b) {
    INFO("bucket " << b);
    const auto from = static_cast<int64_t>((b - 5) * 20'000'000);
    CheckCount(counts[b], ramp.Integral(from, from + 20'000'000));
  }
  for (size_t b = 10; b < 15; ++b) CheckCount(counts[b], 50 * 20);
}

// Sessions start only in the first 100 s (a burst from 0), so every one has ended by 300 s.
std::map<std::string, std::vector<int64_t>> Sessions(const std::string& session,
                                                     double events_per_second = 100) {
  Rig rig(Json(kSmallPopulation, R"("rate": {"curve": "burst", "base": 0, "peak": )" +
                                     std::to_string(events_per_second) +
                                     R"(, "at_s": 0, "duration_s": 100}, "session": )" + session));
  rig.workload->Start();
  rig.RunUntil(300);
  std::map<std::string, std::vector<int64_t>> sessions;  // id -> event times
  for (const auto& e : rig.Interactions()) sessions[e.value.session_id].push_back(e.at_us);
  REQUIRE(sessions.size() == rig.workload->sessions_started());
  return sessions;
}

TEST_CASE("workload: session lengths follow their model", "[workload][session]") {
  SECTION("geometric: mean 8, P(1) = 1/8") {
    const auto sessions = Sessions(R"({"length": {"model": "geometric", "mean": 8},
                                       "think_time": {"model": "constant", "us": 1000}})",
                                   400);
    double total = 0, ones = 0;
    for (const auto& [id, events] : sessions) {
      total += static_cast<double>(events.size());
      ones += events.size() == 1;
    }
    const double n = static_cast<double>(sessions.size());
    REQUIRE(n > 3000);
    // Geometric with p = 1/8: standard deviation sqrt(1 - p) / p = 7.5 per session.
    CHECK(std::abs(total / n - 8) < 5 * 7.5 / std::sqrt(n));
    CHECK(std::abs(ones / n - 0.125) < 5 * std::sqrt(0.125 * 0.875 / n));
  }
  SECTION("uniform 2..5: each length equally likely") {
    const auto sessions = Sessions(R"({"length": {"model": "uniform", "min": 2, "max": 5},
                                       "think_time": {"model": "constant", "us": 1000}})");
    std::map<size_t, double> by_length;
    for (const auto& [id, events] : sessions) ++by_length[events.size()];
    const double n = static_cast<double>(sessions.size());
    REQUIRE(by_length.size() == 4);
    for (const auto& [length, count] : by_length) {
      INFO("length " << length);
      CHECK(length >= 2);
      CHECK(length <= 5);
      CheckCount(count, n / 4);
    }
  }
  SECTION("constant") {
    for (const auto& [id, events] : Sessions(R"({"length": {"model": "constant", "events": 3}})")) {
      REQUIRE(events.size() == 3);
    }
  }
}

TEST_CASE("workload: think time between a session's events follows its model",
          "[workload][session]") {
  SECTION("constant: every gap is exact") {
    const auto sessions = Sessions(R"({"mean_events": 4,
                                       "think_time": {"model": "constant", "us": 2000000}})");
    for (const auto& [id, events] : sessions) {
      for (size_t i = 1; i < events.size(); ++i) REQUIRE(events[i] - events[i - 1] == 2'000'000);
    }
  }
  SECTION("the mean_think_time_ms shorthand: exponential with that mean") {
    // Exponential think times run as one pooled timer for all waiting sessions (the workload's
    // Poisson superposition); each session's own gaps must still be exponential with the mean.
    const auto sessions = Sessions(R"({"mean_events": 6, "mean_think_time_ms": 3000})", 200);
    double sum = 0, sum_sq = 0, n = 0, below_mean = 0;
    for (const auto& [id, events] : sessions) {
      for (size_t i = 1; i < events.size(); ++i) {
        const auto gap = static_cast<double>(events[i] - events[i - 1]);
        sum += gap;
        sum_sq += gap * gap;
        below_mean += gap < 3e6 ? 1 : 0;
        ++n;
      }
    }
    REQUIRE(n > 10'000);
    // Exponential: the standard deviation is the mean, and P(gap < mean) = 1 - 1/e.
    const double mean = sum / n;
    CHECK(std::abs(mean - 3e6) < 5 * 3e6 / std::sqrt(n));
    const double stddev = std::sqrt(sum_sq / n - mean * mean);
    CHECK(std::abs(stddev / mean - 1) < 0.05);
    CHECK(std::abs(below_mean / n - (1 - std::exp(-1.0))) < 0.02);
  }
}

TEST_CASE("workload: events flow at the curve's rate with long sessions too",
          "[workload][session]") {
  // Sessions arrive at rate / mean length, so in steady state events flow at the rate.
  Rig rig(Json(kSmallPopulation, R"("events_per_second": 150,
                                     "session": {"mean_events": 8, "mean_think_time_ms": 2000})"));
  rig.workload->Start();
  rig.RunUntil(600);
  const auto counts = Buckets(rig, 600, 100, 100'000'000);  // after a warm-up of ~8 think times
  double total = 0;
  for (double c : counts) total += c;
  // Sessions make events clump: allow 5% rather than a Poisson band.
  CHECK(std::abs(total / 500 - 150) < 150 * 0.05);
}

TEST_CASE("workload: one seed gives one stream of interactions", "[workload]") {
  auto run = [](uint64_t seed) {
    Rig rig(Json(kSmallPopulation,
                 R"("rate": {"curve": "diurnal", "mean": 50, "amplitude": 40, "period_s": 60},
                    "arrivals": {"users_per_hour": 600, "songs_per_hour": 600})"),
            seed);
    rig.workload->Start();
    rig.RunUntil(120);
    std::vector<std::string> out;
    for (const auto& s : rig.stream->sent) out.push_back(std::to_string(s.at_us) + s.value);
    return out;
  };
  const auto first = run(3);
  CHECK(first.size() > 1000);
  CHECK(first == run(3));
  CHECK(first != run(4));
}

}  // namespace
}  // namespace meshsim
