// Questions the CLI asks of the process's environment, kept out of sim/ so the engine stays
// deterministic and never reads it.
#pragma once

namespace meshsim {

// True when standard output is a terminal (so a progress bar may redraw in place); false when it
// is a file or a pipe, as under CI.
bool StdoutIsTerminal();

}  // namespace meshsim
