// Runs the meshsim command line in process and keeps what it printed and returned.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "apps/cli/cli.h"

namespace meshsim::testing {

struct CliOutcome {
  int status;
  std::string out;
  std::string err;
};

inline CliOutcome Cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int status = RunCli(args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace meshsim::testing
