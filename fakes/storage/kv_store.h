// The key-value store behind the KvStore port: in memory, or persisted in SQLite.
#pragma once

#include <memory>
#include <string>

#include "sim/ports/kv_store.h"

namespace meshsim::fakes {

// Tables as sorted maps of key text to item; gone with the store. Not for several threads at once.
std::unique_ptr<KvStore> MakeMemoryKvStore();

// The same tables kept in the SQLite database at `path` (created if needed; ":memory:" for none),
// so a later run on the same state sees them: every table and item is read into memory when it
// opens, and each change is written through before the call returns. Behaves as
// MakeMemoryKvStore otherwise. InternalFailure when SQLite cannot open, read or write it; a call
// whose write fails changes nothing. Not for several threads at once.
Result<std::unique_ptr<KvStore>> MakeSqliteKvStore(const std::string& path = ":memory:");

}  // namespace meshsim::fakes
