// The Users domain's relational store on SQLite, behind the UserStore port.
#pragma once

#include <memory>
#include <string>

#include "sim/ports/user_store.h"

namespace meshsim::fakes {

// Opens (creating if needed) the database at `path`; ":memory:" keeps it in memory. One table,
// users(user_id TEXT PRIMARY KEY, genres TEXT, created_us INTEGER). InternalFailure when SQLite
// cannot open or initialise it.
Result<std::unique_ptr<UserStore>> MakeSqliteUserStore(const std::string& path = ":memory:");

}  // namespace meshsim::fakes
