#include "sim/report/verdict.h"

#include <fmt/format.h>

#include "sim/report/report.h"

namespace meshsim {

using Json = nlohmann::ordered_json;

std::vector<InvariantCheck> InvariantChecks(const Json& report) {
  const Json counts = report.value("counts", Json::object());
  const Json inv = report.value("invariants", Json::object());
  return {
      {"nothing lost", counts.value("lost", uint64_t{0}),
       "records acknowledged by the broker but neither applied nor dead-lettered"},
      {"nothing applied twice", inv.value("applied_twice", uint64_t{0}),
       "records counted applied or dead-lettered beyond those produced"},
      {"order per key kept", inv.value("applied_out_of_order", uint64_t{0}),
       "records applied after a later record of their key"},
  };
}

std::vector<std::string> FailureReasons(const Json& report) {
  std::vector<std::string> reasons;
  for (const InvariantCheck& check : InvariantChecks(report)) {
    if (check.violations == 0) continue;
    reasons.push_back(fmt::format("invariant {}: {} {}", check.name, check.violations, check.what));
  }
  for (const Json& x : report.value("expectations", Json::array())) {
    if (!x.value("passed", true)) reasons.push_back("expectation " + FormatResult(x));
  }
  return reasons;
}

}  // namespace meshsim
