#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "fakes/glue_catalog/catalog.h"
#include "tests/fakes/glue_catalog/catalog_fixture.h"

namespace meshsim::fakes {
namespace {

using testing::Open;
using testing::OpenWithPlays;
using testing::PartitionedPlays;
using testing::TempDir;

// Runs `sql` on the file behind the catalog's back.
void Exec(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  char* error = nullptr;
  int rc = sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &error);
  INFO((error != nullptr ? error : ""));
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

std::vector<std::string> VersionIds(const Result<std::vector<Table>>& versions) {
  INFO(versions.status().ToString());
  REQUIRE(versions.ok());
  std::vector<std::string> out;
  for (const Table& t : *versions) out.push_back(t.version_id);
  return out;
}

Table WithSchemaReference() {
  Table table = PartitionedPlays();
  table.columns = {};  // Glue: the columns may come from the schema instead
  table.input_format = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat";
  table.output_format = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat";
  table.serde = {
      "avro", "org.apache.hadoop.hive.serde2.avro.AvroSerDe", {{"avro.schema.url", "x"}}};
  table.schema_reference = SchemaReference{
      "mesh", "interactions", "arn:aws:glue:us-east-1:000000000000:schema/mesh/i", "", 3};
  return table;
}

TEST_CASE("Every change is kept as a version, newest first") {
  auto catalog = OpenWithPlays();
  CHECK(catalog->GetTable("music", "plays")->version_id == "1");
  Table second = PartitionedPlays();
  second.description = "second";
  REQUIRE(catalog->UpdateTable(second).ok());
  Table third = PartitionedPlays();
  third.description = "third";
  third.columns.push_back({"ms_played", "bigint", ""});
  REQUIRE(catalog->UpdateTable(third).ok());

  Result<std::vector<Table>> versions = catalog->GetTableVersions("music", "plays");
  CHECK(VersionIds(versions) == std::vector<std::string>{"3", "2", "1"});
  CHECK((*versions)[0].columns.size() == 3);
  CHECK((*versions)[1].description == "second");
  CHECK((*versions)[2].description.empty());
  CHECK(catalog->GetTable("music", "plays")->version_id == "3");
  CHECK(catalog->GetTableVersion("music", "plays", "2")->description == "second");
  CHECK(catalog->GetTableVersion("music", "plays", "")->version_id == "3");
}

TEST_CASE("SkipArchive replaces the current version in place") {
  auto catalog = OpenWithPlays();
  Table changed = PartitionedPlays();
  changed.description = "replaced";
  REQUIRE(catalog->UpdateTable(changed, UpdateTableOptions{.skip_archive = true}).ok());
  CHECK(VersionIds(catalog->GetTableVersions("music", "plays")) == std::vector<std::string>{"1"});
  CHECK(catalog->GetTable("music", "plays")->description == "replaced");
}

TEST_CASE("DeleteTableVersion keeps the others and their numbers") {
  auto catalog = OpenWithPlays();
  REQUIRE(catalog->UpdateTable(PartitionedPlays()).ok());
  REQUIRE(catalog->UpdateTable(PartitionedPlays()).ok());
  REQUIRE(catalog->DeleteTableVersion("music", "plays", "2").ok());
  CHECK(VersionIds(catalog->GetTableVersions("music", "plays")) ==
        std::vector<std::string>{"3", "1"});
  CHECK(catalog->GetTableVersion("music", "plays", "2").status().ToString() ==
        "EntityNotFoundException: Version not found.");
  CHECK(catalog->DeleteTableVersion("music", "plays", "2").code() == Code::kEntityNotFound);
  CHECK(catalog->DeleteTableVersion("music", "plays", "3").message() ==
        "VersionId 3 is the current version of table plays; delete the table instead");
  CHECK(catalog->GetTableVersion("music", "plays", "two").status().ToString() ==
        "InvalidInputException: VersionId two is not a version number");
  CHECK(catalog->DeleteTableVersion("music", "plays", "0").code() == Code::kInvalidInput);
  REQUIRE(catalog->UpdateTable(PartitionedPlays()).ok());
  CHECK(catalog->GetTable("music", "plays")->version_id == "4");  // never reused
}

TEST_CASE("SchemaReference, SerDe and formats round trip") {
  auto catalog = Open();
  REQUIRE(catalog->CreateDatabase({"music", "", "music"}).ok());
  REQUIRE(catalog->CreateTable(WithSchemaReference()).ok());
  Table expected = WithSchemaReference();
  expected.version_id = "1";
  CHECK(*catalog->GetTable("music", "plays") == expected);

  Table by_version_id = WithSchemaReference();
  by_version_id.schema_reference =
      SchemaReference{"", "", "", "0b9e0c8e-6d0f-4a8e-9d5c-3f2b1a0c9d8e", 0};
  REQUIRE(catalog->UpdateTable(by_version_id).ok());
  CHECK(catalog->GetTable("music", "plays")->schema_reference == by_version_id.schema_reference);
  // The previous version keeps its reference.
  CHECK(catalog->GetTableVersion("music", "plays", "1")->schema_reference ==
        expected.schema_reference);
}

TEST_CASE("Bad definitions are InvalidInput naming the field, and write nothing") {
  auto catalog = Open();
  REQUIRE(catalog->CreateDatabase({"music", "", "music"}).ok());
  struct Row {
    void (*spoil)(Table&);
    const char* message;
  };
  const Row rows[] = {
      {[](Table& t) { t.schema_reference = SchemaReference{}; },
       "SchemaReference needs SchemaId (SchemaArn or SchemaName) or SchemaVersionId"},
      {[](Table& t) { t.schema_reference->schema_name = "bad name"; },
       "SchemaReference.SchemaId.SchemaName must be 1-255 characters of a-z, A-Z, 0-9 and -_$#."},
      {[](Table& t) { t.schema_reference->schema_arn = "arn:aws:s3:::bucket"; },
       "SchemaReference.SchemaId.SchemaArn must be a Glue ARN (arn:aws:glue:...)"},
      {[](Table& t) { t.schema_reference->schema_version_id = "0B9E"; },
       "SchemaReference.SchemaVersionId must be a lower-case UUID"},
      {[](Table& t) { t.schema_reference->schema_version_number = 100001; },
       "SchemaReference.SchemaVersionNumber must be 1-100000"},
      {[](Table& t) { t.partition_keys[1].type = "array<int>"; },
       "Type of partition key 2 (year) must be a primitive type"},
      {[](Table& t) { t.partition_keys[1].name = "USER_ID"; },
       "Partition key USER_ID duplicates a column name in table plays"},
      {[](Table& t) { t.partition_keys[0].name = ""; },
       "Name of partition key 1 must be 1-255 characters"},
      {[](Table& t) { t.description = std::string(2049, 'd'); },
       "Description must be at most 2048 characters"},
      {[](Table& t) { t.input_format = std::string(129, 'f'); },
       "InputFormat must be at most 128 characters"},
      {[](Table& t) { t.serde.serialization_library = "two\nlines"; },
       "SerdeInfo.SerializationLibrary must not contain control characters"},
      {[](Table& t) { t.serde.parameters[""] = "x"; },
       "SerdeInfo.Parameters key must be 1-255 characters"},
      {[](Table& t) { t.owner_domain = std::string(256, 'o'); }, "Owner must be 1-255 characters"},
  };
  for (const Row& row : rows) {
    Table table = WithSchemaReference();
    table.columns = {{"user_id", "string", ""}};
    row.spoil(table);
    Status status = catalog->CreateTable(table);
    INFO(row.message);
    CHECK(status.code() == Code::kInvalidInput);
    CHECK(status.message() == row.message);
  }
  CHECK(catalog->GetTables("music")->empty());
}

TEST_CASE("SearchTables by column, owner and other filters, sorted") {
  auto catalog = OpenWithPlays();
  Table skips = PartitionedPlays();
  skips.name = "skip-events";
  skips.owner_domain = "listening";
  skips.columns = {{"skipped_at", "timestamp", ""}};
  REQUIRE(catalog->CreateTable(skips).ok());
  auto names = [&](const TableSearch& search) {
    Result<std::vector<Table>> found = catalog->SearchTables(search);
    INFO(found.status().ToString());
    REQUIRE(found.ok());
    std::vector<std::string> out;
    for (const Table& t : *found) out.push_back(t.name);
    return out;
  };
  using Names = std::vector<std::string>;
  CHECK(names({"", {{"ColumnName", "user_id"}}, "", false}) == Names{"plays"});
  CHECK(names({"", {{"ColumnName", "COUNTRY"}}, "", false}) == Names{"plays", "skip-events"});
  CHECK(names({"", {{"Owner", "listening"}}, "", false}) == Names{"skip-events"});
  CHECK(names({"", {{"Name", "events"}}, "", false}) == Names{"skip-events"});  // a token
  CHECK(names({"", {{"Name", "ski"}}, "", false}).empty());                     // not a part of one
  CHECK(names({"", {{"DatabaseName", "music"}, {"Owner", "interactions"}}, "", false}) ==
        Names{"plays"});
  CHECK(names({"play", {}, "", false}) == Names{"plays"});
  CHECK(names({"\"play\"", {}, "", false}).empty());  // quoted: the whole field
  CHECK(names({"\"SKIPPED_AT\"", {}, "", false}) == Names{"skip-events"});
  CHECK(names({"", {}, "Name", true}) == Names{"skip-events", "plays"});
  CHECK(names({"", {}, "Owner", false}) == Names{"plays", "skip-events"});

  CHECK(catalog->SearchTables(TableSearch{"", {{"Colour", "red"}}, "", false}).status().message() ==
        "Filters key Colour is not one of Name, DatabaseName, Owner, Description, ColumnName");
  CHECK(catalog->SearchTables(TableSearch{"", {}, "Size", false}).status().code() ==
        Code::kInvalidInput);
}

// The first catalog's schema, as it wrote files before schema versions (user_version 0).
constexpr const char* kVersion1File = R"sql(
CREATE TABLE databases (name TEXT PRIMARY KEY, description TEXT NOT NULL,
  owner_domain TEXT NOT NULL);
CREATE TABLE tables (id INTEGER PRIMARY KEY,
  database_name TEXT NOT NULL REFERENCES databases (name) ON DELETE CASCADE, name TEXT NOT NULL,
  description TEXT NOT NULL, owner_domain TEXT NOT NULL, location TEXT NOT NULL,
  format TEXT NOT NULL, UNIQUE (database_name, name));
CREATE TABLE columns (table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  position INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, comment TEXT NOT NULL,
  PRIMARY KEY (table_id, position), UNIQUE (table_id, name COLLATE NOCASE));
CREATE TABLE table_parameters (table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (table_id, name));
INSERT INTO databases VALUES ('music', 'Songs', 'music');
INSERT INTO tables VALUES (7, 'music', 'songs', 'Every song', 'music', 's3://m/songs/', 'parquet');
INSERT INTO columns VALUES (7, 0, 'song_id', 'string', 'key'), (7, 1, 'title', 'string', '');
INSERT INTO table_parameters VALUES (7, 'classification', 'parquet');
)sql";

TEST_CASE("A file written by the first catalog is upgraded in place") {
  TempDir dir;
  const std::string path = dir.File("catalog.db");
  Exec(path, kVersion1File);
  {
    auto catalog = Open(path);
    Result<Table> songs = catalog->GetTable("music", "songs");
    INFO(songs.status().ToString());
    REQUIRE(songs.ok());
    CHECK(songs->version_id == "1");
    CHECK(songs->description == "Every song");
    CHECK(songs->columns ==
          std::vector<Column>{{"song_id", "string", "key"}, {"title", "string", ""}});
    CHECK(songs->parameters == std::map<std::string, std::string>{{"classification", "parquet"}});
    Table updated = *songs;
    updated.partition_keys = {{"year", "int", ""}};
    REQUIRE(catalog->UpdateTable(updated).ok());
  }
  auto reopened = Open(path);  // now a version 2 file: opened as it is
  CHECK(VersionIds(reopened->GetTableVersions("music", "songs")) ==
        std::vector<std::string>{"2", "1"});
}

TEST_CASE("A file from a newer meshsim is refused, not changed") {
  TempDir dir;
  const std::string path = dir.File("catalog.db");
  Exec(path, "PRAGMA user_version = 9;");
  Result<std::unique_ptr<Catalog>> catalog = MakeSqliteCatalog(path);
  REQUIRE_FALSE(catalog.ok());
  CHECK_THAT(catalog.status().message(),
             Catch::Contains("its schema version is 9, newer than this meshsim's 2"));
}

TEST_CASE("A batch that fails halfway in SQLite creates none of it") {
  TempDir dir;
  const std::string path = dir.File("catalog.db");
  auto catalog = OpenWithPlays(path);
  Exec(path,
       "CREATE TRIGGER refuse BEFORE INSERT ON partition_parameters WHEN NEW.value = 'boom' "
       "BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
  Partition fine{"music", "plays", {"se", "2024", "2024-01-01"}, "", "", "", {}, {}};
  Partition boom{"music", "plays", {"no", "2024", "2024-01-01"}, "", "", "", {}, {{"k", "boom"}}};
  Result<std::vector<PartitionError>> errors =
      catalog->BatchCreatePartition("music", "plays", {fine, boom});
  CHECK(errors.status().code() == Code::kInternal);
  CHECK(catalog->GetPartitions("music", "plays", "")->empty());
  CHECK(catalog->CreatePartition(fine).ok());  // no transaction left open
}

}  // namespace
}  // namespace meshsim::fakes
