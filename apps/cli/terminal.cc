#include "apps/cli/terminal.h"

#include <unistd.h>

#include <cstdio>

namespace meshsim {

bool StdoutIsTerminal() { return isatty(fileno(stdout)) == 1; }

}  // namespace meshsim
