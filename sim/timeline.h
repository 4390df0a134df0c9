// The one registry of timeline actions. Each entry reads its parameters from the scenario file and
// returns what to do to the mesh at its time; a new action is one entry in timeline.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/json_reader.h"
#include "sim/scenario.h"

namespace meshsim {

struct ActionSpec {
  const char* name;
  const char* summary;
  // Reads the action's own fields (everything but "at_s" and "action") and sets `describe`.
  std::function<std::function<void(Mesh&)>(ObjectReader&, const Scenario&, std::string* describe)>
      parse;
};

const std::vector<ActionSpec>& TimelineActions();

}  // namespace meshsim
