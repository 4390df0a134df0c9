// Runs a scenario's expectations against its mesh: makes the interactions they ask for happen,
// polls their checks on the runtime's clock ("at", "eventually", "always"), and evaluates the
// checks left for the end on the final report. Owned by the mesh; the report (sim/report/report.h)
// reads it into its "expectations" section and its "passed" verdict.
//
// Checks run as runtime tasks, so they see the mesh exactly as it is at their time on either
// clock. A recommendation check asks the recommender through its port and is judged when the
// answer arrives (at once on the fakes), so a check never re-enters the runtime from a task.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/scenario/expectations.h"

namespace meshsim {

class Mesh;

class ExpectationRunner {
 public:
  struct Outcome {
    enum class State { kPending, kPassed, kFailed };
    State state = State::kPending;
    nlohmann::ordered_json observed;  // null until checked
    int64_t checked_at_us = -1;       // the time of the check that decided it (or the last one)
    uint64_t checks = 0;
    std::string detail;  // why it failed, or why it is still pending
  };

  // `mesh` and `expectations` must outlive the runner.
  ExpectationRunner(Mesh& mesh, const std::vector<Expectation>& expectations);

  // Schedules the expectations' interactions and timed checks. Called once, by Mesh::Start.
  void Start();

  // Evaluates the checks left for the end on `report` (the report being built, without its
  // "expectations"), then returns the "expectations" section: one object per expectation with
  // name, kind, when, expected, passed, status, observed, checked_at_s, checks and detail.
  nlohmann::ordered_json Report(const nlohmann::ordered_json& report);

  // True when every expectation has passed (vacuously with none).
  bool AllPassed() const;
  const std::vector<Outcome>& results() const { return results_; }
  const std::vector<Expectation>& expectations() const { return expectations_; }

 private:
  struct Observation {
    bool holds = false;
    nlohmann::ordered_json value;
    std::string detail;
  };
  using Observed = std::function<void(Observation)>;

  void ScheduleCheck(size_t index, int64_t at_us);
  void Check(size_t index, int64_t at_us);
  void Observe(const Expectation& x, bool at_end, Observed done);
  Observation ObserveMetric(const Expectation& x, const nlohmann::ordered_json& report) const;
  Observation ObserveAnalytics(const Expectation& x) const;
  Observation ObserveRecommendations(const Expectation& x, const std::vector<std::string>& items);
  bool IsType(const std::string& item_id, ItemType type);

  Mesh& mesh_;
  const std::vector<Expectation>& expectations_;
  std::vector<Outcome> results_;
  const nlohmann::ordered_json* final_report_ = nullptr;  // set while Report() evaluates
  std::unordered_map<std::string, ItemType> item_types_;
  size_t item_types_seen_ = 0;  // the workload's items are only ever appended
};

}  // namespace meshsim
