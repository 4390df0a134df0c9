// `meshsim catalog --state DIR list | describe DB[.TABLE] | search TEXT | grants [PRINCIPAL]`: a
// person's look at the catalog and the Lake Formation grants a run left in a state directory, as
// the data-lake administrator (the governance account) sees them.
#pragma once

#include "apps/cli/cli.h"

namespace meshsim {

// Declares catalog's flag and verbs on `app`. Exit 0 on success, 2 on bad input: an unknown verb,
// a missing --state, a directory holding no state, a missing database or table (with Glue's error).
ToolAction DefineCatalog(CLI::App& app);

}  // namespace meshsim
