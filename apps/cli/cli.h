// The meshsim command line: a table of tools (ninja's `struct Tool`), each a function of its
// arguments returning the exit status: 0 success, 1 a run that failed, 2 bad input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshsim {

// The exit statuses every tool returns.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace meshsim
