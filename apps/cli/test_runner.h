// `meshsim validate` and `meshsim test`: scenario files as CI's test suite. validate checks files
// (every error, with file, line and column); test runs them, prints one line per scenario and one
// per failed expectation with the command that replays it, and writes JUnit XML. Both follow the
// CLI's exit statuses: 0 all good, 1 something failed, 2 bad input (and then nothing ran).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "apps/cli/cli.h"
#include "sim/core/status.h"

namespace meshsim {

// The scenario files that PATHs name: a file as given; a folder's *.json files, recursively, in
// sorted order, except schema.json and anything under a folder named "data" (data sets and the
// schema live beside the scenarios). A missing path, or a folder without scenarios, is an error.
Result<std::vector<std::string>> ScenarioFiles(const std::vector<std::string>& paths);

// meshsim validate PATH...
ToolAction DefineValidate(CLI::App& app);

// meshsim test PATH... [--junit OUT.xml] [--seed N] [--report-dir DIR] [--backend B]...
// --report-dir writes each scenario's report as DIR/<file stem>.json and .html.
ToolAction DefineTest(CLI::App& app);

}  // namespace meshsim
