// Why a report passed or failed, for every place that says so (the terminal summary, `meshsim
// test`, the JUnit cases, the HTML page's header).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace meshsim {

// The invariants every run checks (report.cc: InvariantsJson), as counts of what broke them.
struct InvariantCheck {
  const char* name;     // "nothing lost"
  uint64_t violations;  // 0: held
  const char* what;     // what each violation is: "records acknowledged by the broker but ..."
};
std::vector<InvariantCheck> InvariantChecks(const nlohmann::ordered_json& report);

// Why a report failed, a line each: "invariant NAME: N WHAT" for every invariant broken, then
// "expectation " and FormatResult for every expectation that failed. Empty when it passed.
std::vector<std::string> FailureReasons(const nlohmann::ordered_json& report);

}  // namespace meshsim
