// What the catalog's suites share: an opener that fails the test when the catalog cannot open,
// and tables to put in it.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "fakes/glue_catalog/catalog.h"
#include "tests/support/temp_dir.h"

namespace meshsim::fakes::testing {

using meshsim::testing::TempDir;

inline std::unique_ptr<Catalog> Open(const std::string& path = ":memory:") {
  Result<std::unique_ptr<Catalog>> catalog = MakeSqliteCatalog(path);
  INFO(catalog.status().ToString());
  REQUIRE(catalog.ok());
  return std::move(catalog).value();
}

// A table partitioned by (country string, year int, day date).
inline Table PartitionedPlays() {
  Table table;
  table.database = "music";
  table.name = "plays";
  table.owner_domain = "interactions";
  table.location = "s3://interactions/plays/";
  table.format = "parquet";
  table.columns = {{"user_id", "string", ""}, {"song_id", "string", ""}};
  table.partition_keys = {{"country", "string", ""}, {"year", "int", ""}, {"day", "date", ""}};
  return table;
}

// A catalog whose database "music" holds PartitionedPlays().
inline std::unique_ptr<Catalog> OpenWithPlays(const std::string& path = ":memory:") {
  std::unique_ptr<Catalog> catalog = Open(path);
  REQUIRE(catalog->CreateDatabase({"music", "", "music"}).ok());
  Status created = catalog->CreateTable(PartitionedPlays());
  INFO(created.ToString());
  REQUIRE(created.ok());
  return catalog;
}

}  // namespace meshsim::fakes::testing
