// Glue's rules for what the catalog accepts, checked before any write: names and their limits,
// table definitions, partitions. Pure functions, shared by the catalog's files (fakes/catalog*.cc);
// not for use elsewhere. Limits are from Glue's API model (botocore's glue service-2.json).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/catalog.h"

namespace meshsim::fakes::internal {


// Glue's limits count characters, not bytes: the bytes that start a UTF-8 sequence.
size_t CharCount(std::string_view text);

// Glue's NameString: 1-255 characters, no line breaks, tabs or other control characters.
Status CheckName(std::string_view field, std::string_view name);

// The table as Glue stores it: database and table names lower-cased, the rest as given.
Table Normalized(const Table& table);

// Everything CreateTable and UpdateTable require of a definition, each failure an
// InvalidInputException naming the field. REQUIRES: `table` is Normalized.
Status CheckTable(const Table& table);

// A partition of a table with `keys`: as many values as keys, each at most 1024 characters, and a
// well-formed storage descriptor and parameters.
Status CheckPartition(const Partition& partition, const std::vector<Column>& keys);

// A values list as one string, unambiguous whatever the values hold ("<bytes>:<value>" each), so
// that SQLite's UNIQUE constraint is the partition's identity.
std::string EncodeValues(const std::vector<std::string>& values);
std::vector<std::string> DecodeValues(std::string_view encoded);

}  // namespace meshsim::fakes::internal
