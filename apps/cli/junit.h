// JUnit XML, the test-report format CI systems read (Jenkins' junit step, GitLab's
// artifacts:reports:junit, GitHub test-reporter actions): <testsuites> of <testsuite name tests
// failures errors skipped time> of <testcase name classname file time>, each with an optional
// <failure message type> or <error message type>. `meshsim test` writes one suite per scenario
// file: a case per expectation and one for the run's invariants.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/text/escape.h"  // XmlEscape, which the document and its tests use

namespace meshsim {

struct JUnitCase {
  enum class Outcome { kPassed, kFailed, kError };
  std::string name;
  std::string classname;
  std::string file;
  double seconds = 0;
  Outcome outcome = Outcome::kPassed;
  std::string message;  // failure or error: one line
  std::string type;     // failure or error: what kind ("expectation", "invariant", "run")
  std::string text;     // failure or error: the details, e.g. the replay command
};

struct JUnitSuite {
  std::string name;
  double seconds = 0;
  std::vector<JUnitCase> cases;
};

// The whole document, with every attribute and text escaped.
std::string RenderJUnit(const std::vector<JUnitSuite>& suites, const std::string& name = "meshsim");

// One scenario run as a suite: a case for its invariants (nothing lost) and one per expectation
// of `report` (the report contract of sim/report/report.h). `file` and `replay` (the command that
// replays the run) go into the cases and their failure text.
JUnitSuite JUnitSuiteOfReport(const nlohmann::ordered_json& report, const std::string& file,
                              const std::string& replay);

}  // namespace meshsim
