// The key-value store behind the KvStore port, in memory.
#pragma once

#include <memory>

#include "sim/ports/kv_store.h"

namespace meshsim::fakes {

// Tables as sorted maps of key text to item; gone with the store. Not for several threads at once.
std::unique_ptr<KvStore> MakeMemoryKvStore();

}  // namespace meshsim::fakes
