// The meshsim command line: a table of tools (ninja's `struct Tool`), each a CLI11 App that parses
// its own flags and then runs, returning the exit status: 0 success, 1 a run that failed, 2 bad
// input or usage (and then nothing ran).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace meshsim {

// The exit statuses every tool returns.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// What a tool does once its flags have parsed; returns the exit status. It runs while the App that
// parsed them is alive, so it may refer to the App and its subcommands.
using ToolAction = std::function<int(std::ostream& out, std::ostream& err)>;

// Never throws: a bad flag or value is one line naming it on `err`, the tool's usage, exit 2.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace meshsim
