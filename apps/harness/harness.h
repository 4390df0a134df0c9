// The harness: one scenario on one runtime with its backends and mesh, for the CLI and for users'
// own tests. Load a file or pass a Scenario, Run() it (or drive it with mesh().RunFor()), then
// read the report, the counts and the recommendations.
//
//   auto h = meshsim::Harness::FromFile("scenarios/music_streaming.json");
//   REQUIRE(h.ok());
//   REQUIRE((*h)->Run().ok());
//   CHECK((*h)->Report()["counts"]["lost"] == 0);
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apps/harness/expectation_runner.h"
#include "apps/registry/backend_registry.h"
#include "sim/core/runtime.h"
#include "sim/mesh/mesh.h"
#include "sim/scenario/scenario.h"

namespace meshsim {

enum class ClockKind { kVirtual, kReal };

struct HarnessOptions {
  std::optional<uint64_t> seed;  // overrides the scenario's seed
  ClockKind clock = ClockKind::kVirtual;
  // The implementation of each port, as --backend gives them: "PORT=KIND[:ARGS]", later ones
  // winning (apps/registry/backend_registry.h lists the ports and kinds). A port not named runs
  // on the scenario's `backends` section's choice, else on "fake".
  std::vector<std::string> backends;
  // Where the catalog and the permissions persist between runs; empty: in memory.
  std::string state_dir;
};

class Harness {
 public:
  static Result<std::unique_ptr<Harness>> FromFile(const std::string& path,
                                                   HarnessOptions options = {});
  static Result<std::unique_ptr<Harness>> FromScenario(Scenario scenario,
                                                       HarnessOptions options = {});
  ~Harness();

  // Runs the whole scenario: its duration, then the drain. Measures wall time. `progress`, if
  // set, is called about 200 times over the duration with the simulated time and the wall
  // seconds since the run started.
  using Progress = std::function<void(int64_t sim_now_us, double wall_elapsed_s)>;
  Status Run(const Progress& progress = nullptr);
  // The report of what has run so far.
  nlohmann::ordered_json Report();

  uint64_t seed() const { return seed_; }
  Mesh& mesh() { return *mesh_; }
  Runtime& runtime() { return *runtime_; }
  const Scenario& scenario() const { return scenario_; }
  // The scenario's expectations: scheduled when the mesh starts, reported by Report().
  ExpectationRunner& expectations() { return *expectations_; }

 private:
  Harness() = default;

  Scenario scenario_;
  uint64_t seed_ = 0;
  double wall_seconds_ = 0;
  std::unique_ptr<Runtime> runtime_;
  Backends backends_;
  std::unique_ptr<Mesh> mesh_;
  std::unique_ptr<ExpectationRunner> expectations_;
};

}  // namespace meshsim
