#include "apps/harness/harness.h"

#include <algorithm>
#include <chrono>

#include "sim/report/report.h"

namespace meshsim {

Result<std::unique_ptr<Harness>> Harness::FromFile(const std::string& path,
                                                   HarnessOptions options) {
  auto scenario = LoadScenario(path);
  if (!scenario.ok()) return scenario.status();
  return FromScenario(std::move(*scenario), std::move(options));
}

Result<std::unique_ptr<Harness>> Harness::FromScenario(Scenario scenario, HarnessOptions options) {
  std::unique_ptr<Harness> h(new Harness());
  h->scenario_ = std::move(scenario);
  h->seed_ = options.seed.value_or(h->scenario_.seed);
  h->scenario_.seed = h->seed_;
  h->runtime_ = options.clock == ClockKind::kVirtual ? MakeVirtualRuntime(h->seed_)
                                                     : MakeRealRuntime(h->seed_);
  auto backends = MakeBackends(*h->runtime_, h->scenario_, options.backends, options.state_dir);
  if (!backends.ok()) return backends.status();
  h->backends_ = std::move(*backends);
  h->mesh_ = std::make_unique<Mesh>(*h->runtime_, h->scenario_, h->backends_.ports());
  h->expectations_ = std::make_unique<ExpectationRunner>(*h->mesh_, h->scenario_.expectations);
  if (auto s = h->mesh_->Start([&h] { h->expectations_->Start(); }); !s.ok()) return s;
  return h;
}

Harness::~Harness() {
  expectations_.reset();
  mesh_.reset();  // consumers leave before the backends go
}

Status Harness::Run(const Progress& progress) {
  // The wall clock is read here, outside the simulation, only to report how fast it ran.
  const auto start = std::chrono::steady_clock::now();
  auto wall = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Status s = mesh_->Start();
  if (s.ok()) {
    // Running to the end in steps is the same run as one step: a step only bounds the clock.
    const int64_t end = scenario_.duration_us;
    const int64_t step = std::max<int64_t>(end / 200, kMicrosPerMilli);
    while (runtime_->NowMicros() < end) {
      runtime_->RunUntil(std::min(end, runtime_->NowMicros() + step));
      if (progress) progress(runtime_->NowMicros(), wall());
    }
    mesh_->Drain();
  }
  wall_seconds_ += wall();
  return s;
}

nlohmann::ordered_json Harness::Report() {
  nlohmann::ordered_json r = BuildReport(*mesh_, seed_, wall_seconds_);
  // Last: the checks left for the end read the rest of the report.
  r["expectations"] = expectations_->Report(r);
  r["passed"] = r["passed"].get<bool>() && expectations_->AllPassed();
  return r;
}

}  // namespace meshsim
