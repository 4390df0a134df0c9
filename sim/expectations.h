// Expectations: what must hold in a scenario run — thresholds on report metrics, recommendation
// and analytics assertions — each checked at a time, "eventually within T" or "always", and
// reported with passed or failed, the observed value and when it was checked.
#pragma once

#include <string>
#include <vector>

#include "sim/json_reader.h"

namespace meshsim {

struct Scenario;

struct Expectation {
  std::string name;  // as written, or derived from the check
};

// Reads the scenario's "expectations" array (if present) into `scenario->expectations`.
void ReadExpectations(ObjectReader& root, Scenario* scenario);

}  // namespace meshsim
