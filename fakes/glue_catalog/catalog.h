// The Glue-like catalog on SQLite behind the Catalog port.
#pragma once

#include <memory>
#include <string>

#include "sim/ports/catalog.h"

namespace meshsim::fakes {

// Opens (creating if needed) the catalog database at `path`; ":memory:" keeps it in memory.
// InternalFailure when SQLite cannot open or initialise the file.
Result<std::unique_ptr<Catalog>> MakeSqliteCatalog(const std::string& path = ":memory:");

}  // namespace meshsim::fakes
