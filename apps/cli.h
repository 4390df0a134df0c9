// The meshsim command line: a table of tools (ninja's `struct Tool`), each a function of its
// arguments returning the exit status: 0 success, 1 a run that failed, 2 bad input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshsim {

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace meshsim
