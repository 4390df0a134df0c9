// `meshsim run FILE`: one scenario end to end, with its progress bar, its summary and its reports;
// and the command that replays a run, which `meshsim test` prints too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/cli/cli.h"

namespace meshsim {

// Declares run's flags on `app`. The action exits 0 when the run passed, 1 when it failed or a
// report could not be written, 2 on a scenario error or an output path that cannot be written
// (and then nothing ran).
ToolAction DefineRun(CLI::App& app);

// "meshsim run FILE --seed N [--clock real] [--backend B]...": the file and the backends quoted
// for the shell where they need it, so the line pastes back as it was printed.
std::string ReplayCommand(const std::string& file, uint64_t seed,
                          const std::vector<std::string>& backends,
                          const std::string& clock = "virtual");

}  // namespace meshsim
