#include "fakes/glue_catalog/catalog.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/fakes/glue_catalog/catalog_fixture.h"

namespace meshsim::fakes {
namespace {

namespace fs = std::filesystem;

using testing::Open;
using testing::TempDir;

Database UsersDomain() { return {"users_domain", "Listeners and their profiles", "users"}; }
Database MusicDomain() { return {"music_domain", "Songs, artists and plays", "music"}; }

// Columns deliberately out of alphabetical order, so a round trip proves position is kept.
Table Songs() {
  Table table;
  table.database = "music_domain";
  table.name = "songs";
  table.description = "Every song in the catalogue";
  table.owner_domain = "music";
  table.location = "s3://music-domain/songs/";
  table.format = "parquet";
  table.columns = {{"song_id", "string", "primary key"},
                   {"title", "string", ""},
                   {"duration_ms", "bigint", "length of the track"},
                   {"artist_id", "string", "references artists"}};
  table.parameters = {{"classification", "parquet"}, {"has_encrypted_data", "false"}};
  return table;
}

Table Profiles() {
  Table table;
  table.database = "users_domain";
  table.name = "profiles";
  table.description = "One row per listener";
  table.owner_domain = "users";
  table.location = "s3://users-domain/profiles/";
  table.format = "json";
  table.columns = {{"user_id", "string", ""}, {"country", "string", "ISO 3166"}};
  return table;
}

// A table as the catalog returns it: with the version it is at ("1" when just created).
Table AtVersion(Table table, const char* version_id = "1") {
  table.version_id = version_id;
  return table;
}

std::unique_ptr<Catalog> OpenWithDomains(const std::string& path = ":memory:") {
  std::unique_ptr<Catalog> catalog = Open(path);
  REQUIRE(catalog->CreateDatabase(UsersDomain()).ok());
  REQUIRE(catalog->CreateDatabase(MusicDomain()).ok());
  return catalog;
}

std::vector<std::string> Names(const Result<std::vector<Table>>& tables) {
  INFO(tables.status().ToString());
  REQUIRE(tables.ok());
  std::vector<std::string> names;
  for (const Table& table : *tables) names.push_back(table.database + "." + table.name);
  return names;
}

using NameList = std::vector<std::string>;

TEST_CASE("CreateDatabase then GetDatabase returns every field") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();

  Result<Database> got = catalog->GetDatabase("users_domain");
  REQUIRE(got.ok());
  CHECK(*got == UsersDomain());

  Result<std::vector<Database>> all = catalog->GetDatabases();
  REQUIRE(all.ok());
  CHECK(*all == std::vector<Database>{MusicDomain(), UsersDomain()});  // ordered by name
}

TEST_CASE("CreateTable then GetTable returns every field, column order and parameters") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  REQUIRE(catalog->CreateTable(Songs()).ok());

  Result<Table> got = catalog->GetTable("music_domain", "songs");
  INFO(got.status().ToString());
  REQUIRE(got.ok());
  CHECK(*got == AtVersion(Songs()));
}

TEST_CASE("GetTables lists one database's tables by name") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  Table artists = Songs();
  artists.name = "artists";
  artists.columns = {{"artist_id", "string", ""}};
  REQUIRE(catalog->CreateTable(Songs()).ok());
  REQUIRE(catalog->CreateTable(artists).ok());
  REQUIRE(catalog->CreateTable(Profiles()).ok());

  Result<std::vector<Table>> tables = catalog->GetTables("music_domain");
  REQUIRE(tables.ok());
  CHECK(*tables == std::vector<Table>{AtVersion(artists), AtVersion(Songs())});

  Result<std::vector<Table>> missing = catalog->GetTables("video_domain");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Code::kEntityNotFound);
  CHECK(missing.status().message() == "Database video_domain not found.");
}

TEST_CASE("UpdateTable replaces the whole definition") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  REQUIRE(catalog->CreateTable(Songs()).ok());

  Table updated = Songs();
  updated.description = "Songs, now with genres";
  updated.location = "s3://music-domain/songs/v2/";
  updated.format = "avro";
  updated.columns = {{"genre", "string", "new"}, {"song_id", "string", "primary key"}};
  updated.parameters = {{"classification", "avro"}};  // has_encrypted_data is dropped
  Status status = catalog->UpdateTable(updated);
  INFO(status.ToString());
  REQUIRE(status.ok());

  Result<Table> got = catalog->GetTable("music_domain", "songs");
  REQUIRE(got.ok());
  CHECK(*got == AtVersion(updated, "2"));
}

TEST_CASE("UpdateTable of a missing table or database is EntityNotFound") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();

  Status missing_table = catalog->UpdateTable(Songs());
  CHECK(missing_table.code() == Code::kEntityNotFound);
  CHECK(missing_table.message() == "Table songs not found.");

  Table elsewhere = Songs();
  elsewhere.database = "video_domain";
  Status missing_database = catalog->UpdateTable(elsewhere);
  CHECK(missing_database.code() == Code::kEntityNotFound);
  CHECK(missing_database.message() == "Database video_domain not found.");

  CHECK(catalog->GetTables("music_domain")->empty());
}

TEST_CASE("Getting a missing database or table is EntityNotFound with Glue's message") {
  std::unique_ptr<Catalog> catalog = Open();

  Result<Database> database = catalog->GetDatabase("users_domain");
  REQUIRE_FALSE(database.ok());
  CHECK(database.status().ToString() ==
        "EntityNotFoundException: Database users_domain not found.");

  REQUIRE(catalog->CreateDatabase(MusicDomain()).ok());
  Result<Table> table = catalog->GetTable("music_domain", "songs");
  REQUIRE_FALSE(table.ok());
  CHECK(table.status().ToString() == "EntityNotFoundException: Table songs not found.");

  Result<Table> in_missing_database = catalog->GetTable("video_domain", "clips");
  REQUIRE_FALSE(in_missing_database.ok());
  CHECK(in_missing_database.status().code() == Code::kEntityNotFound);
  CHECK(in_missing_database.status().message() == "Database video_domain not found.");
}

TEST_CASE("Creating a duplicate is AlreadyExists and keeps the original") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  REQUIRE(catalog->CreateTable(Songs()).ok());

  Database other = UsersDomain();
  other.description = "someone else's";
  Status database = catalog->CreateDatabase(other);
  CHECK(database.code() == Code::kAlreadyExists);
  CHECK(database.message() == "Database already exists.");
  CHECK(*catalog->GetDatabase("users_domain") == UsersDomain());

  Table again = Songs();
  again.columns = {{"other", "string", ""}};
  Status table = catalog->CreateTable(again);
  CHECK(table.code() == Code::kAlreadyExists);
  CHECK(table.message() == "Table already exists.");
  CHECK(*catalog->GetTable("music_domain", "songs") == AtVersion(Songs()));
}

TEST_CASE("CreateTable in a missing database is EntityNotFound and changes nothing") {
  std::unique_ptr<Catalog> catalog = Open();

  Status status = catalog->CreateTable(Songs());
  CHECK(status.code() == Code::kEntityNotFound);
  CHECK(status.message() == "Database music_domain not found.");

  CHECK(catalog->GetDatabases()->empty());
  CHECK(Names(catalog->SearchTables("")).empty());
  // Creating the database afterwards does not reveal a table stored before it existed.
  REQUIRE(catalog->CreateDatabase(MusicDomain()).ok());
  CHECK(catalog->GetTables("music_domain")->empty());
}

TEST_CASE("Database and table names are lower-cased and found in any case") {
  std::unique_ptr<Catalog> catalog = Open();
  REQUIRE(catalog->CreateDatabase({"Music_Domain", "", "music"}).ok());
  CHECK(catalog->CreateDatabase({"MUSIC_DOMAIN", "", "music"}).code() == Code::kAlreadyExists);

  Table table = Songs();
  table.database = "MUSIC_domain";
  table.name = "Songs";
  REQUIRE(catalog->CreateTable(table).ok());
  table.name = "SONGS";
  CHECK(catalog->CreateTable(table).code() == Code::kAlreadyExists);

  Result<Database> database = catalog->GetDatabase("mUsIc_DoMaIn");
  REQUIRE(database.ok());
  CHECK(database->name == "music_domain");

  Result<Table> got = catalog->GetTable("Music_Domain", "SoNgS");
  REQUIRE(got.ok());
  CHECK(got->database == "music_domain");
  CHECK(got->name == "songs");
  CHECK(got->columns == Songs().columns);  // column names keep their case
}

TEST_CASE("Invalid names are InvalidInput saying which field is wrong") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  const std::string longest(255, 'a');

  SECTION("database names") {
    Status empty = catalog->CreateDatabase({"", "", ""});
    CHECK(empty.code() == Code::kInvalidInput);
    CHECK(empty.message() == "Database name must be 1-255 characters");
    CHECK(catalog->CreateDatabase({longest + "a", "", ""}).code() == Code::kInvalidInput);
    Status control = catalog->CreateDatabase({"two\nlines", "", ""});
    CHECK(control.code() == Code::kInvalidInput);
    CHECK(control.message() == "Database name must not contain control characters");
    CHECK(catalog->CreateDatabase({longest, "", ""}).ok());
    // 255 characters of two bytes each: Glue counts characters.
    std::string accented;
    for (int i = 0; i < 255; ++i) accented += "\xC3\xA9";
    CHECK(catalog->CreateDatabase({accented, "", ""}).ok());
    CHECK(catalog->GetDatabase("").status().code() == Code::kInvalidInput);
    CHECK(catalog->GetDatabases()->size() == 4);
  }

  SECTION("table names") {
    Table table = Songs();
    table.name = "";
    Status empty = catalog->CreateTable(table);
    CHECK(empty.code() == Code::kInvalidInput);
    CHECK(empty.message() == "Table name must be 1-255 characters");
    table.name = std::string("nul\0inside", 10);
    CHECK(catalog->CreateTable(table).message() ==
          "Table name must not contain control characters");
    CHECK(catalog->GetTable("music_domain", "").status().code() == Code::kInvalidInput);
  }

  SECTION("column names") {
    Table table = Songs();
    table.columns[2].name = "";
    Status empty = catalog->CreateTable(table);
    CHECK(empty.code() == Code::kInvalidInput);
    CHECK(empty.message() == "Name of column 3 must be 1-255 characters");

    table = Songs();
    table.columns.push_back({"title", "string", ""});
    Status duplicate = catalog->CreateTable(table);
    CHECK(duplicate.code() == Code::kInvalidInput);
    CHECK(duplicate.message() == "Duplicate column name title in table songs");

    table.columns.back().name = "Title";  // engines resolve columns case-insensitively
    CHECK(catalog->CreateTable(table).code() == Code::kInvalidInput);
  }

  SECTION("parameter keys") {
    Table table = Songs();
    table.parameters[""] = "value";
    Status empty = catalog->CreateTable(table);
    CHECK(empty.code() == Code::kInvalidInput);
    CHECK(empty.message() == "Parameter key must be 1-255 characters");
  }

  SECTION("UpdateTable validates as CreateTable does and keeps the table") {
    REQUIRE(catalog->CreateTable(Songs()).ok());
    Table table = Songs();
    table.columns = {{"id", "string", ""}, {"ID", "string", ""}};
    CHECK(catalog->UpdateTable(table).code() == Code::kInvalidInput);
    CHECK(*catalog->GetTable("music_domain", "songs") == AtVersion(Songs()));
  }
}

TEST_CASE("SearchTables matches name, description, column names and owner in any case") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  Table plays = Songs();
  plays.name = "plays";
  plays.description = "One row per play";
  plays.owner_domain = "playback";
  plays.columns = {{"user_id", "string", ""}, {"song_id", "string", ""}};
  plays.parameters = {};
  REQUIRE(catalog->CreateTable(Songs()).ok());
  REQUIRE(catalog->CreateTable(plays).ok());
  REQUIRE(catalog->CreateTable(Profiles()).ok());

  CHECK(Names(catalog->SearchTables("son")) ==
        NameList{"music_domain.plays", "music_domain.songs"});
  CHECK(Names(catalog->SearchTables("profiles")) == NameList{"users_domain.profiles"});
  CHECK(Names(catalog->SearchTables("catalogue")) ==
        NameList{"music_domain.songs"});                                              // description
  CHECK(Names(catalog->SearchTables("duration")) == NameList{"music_domain.songs"});  // column
  CHECK(Names(catalog->SearchTables("user_id")) ==
        NameList{"music_domain.plays", "users_domain.profiles"});  // ordered by database, name
  CHECK(Names(catalog->SearchTables("playback")) == NameList{"music_domain.plays"});  // owner
  CHECK(Names(catalog->SearchTables("USER_ID")) ==
        NameList{"music_domain.plays", "users_domain.profiles"});
  CHECK(Names(catalog->SearchTables("DuRaTiOn_Ms")) == NameList{"music_domain.songs"});
  CHECK(Names(catalog->SearchTables("no such thing")).empty());

  Result<std::vector<Table>> found = catalog->SearchTables("catalogue");
  REQUIRE(found.ok());
  CHECK(found->front() == AtVersion(Songs()));  // results are whole tables
}

TEST_CASE("SearchTables with empty text returns every table") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  REQUIRE(catalog->CreateTable(Profiles()).ok());
  REQUIRE(catalog->CreateTable(Songs()).ok());
  CHECK(Names(catalog->SearchTables("")) ==
        NameList{"music_domain.songs", "users_domain.profiles"});
}

TEST_CASE("SearchTables takes % and _ and \\ in the text literally") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  Table percent = Songs();
  percent.name = "organic";
  percent.description = "100% organic plays";
  Table digits = Songs();
  digits.name = "counted";
  digits.description = "1000 organic plays";
  Table slash = Songs();
  slash.name = "windows";
  slash.description = "paths like C:\\music";
  slash.columns = {{"ab", "string", ""}};
  REQUIRE(catalog->CreateTable(percent).ok());
  REQUIRE(catalog->CreateTable(digits).ok());
  REQUIRE(catalog->CreateTable(slash).ok());

  CHECK(Names(catalog->SearchTables("0% organic")) == NameList{"music_domain.organic"});
  CHECK(Names(catalog->SearchTables("%")) == NameList{"music_domain.organic"});
  CHECK(Names(catalog->SearchTables("song_id")).size() == 2);  // '_' matches only '_'
  CHECK(Names(catalog->SearchTables("a_")).empty());           // not "ab"
  CHECK(Names(catalog->SearchTables("C:\\music")) == NameList{"music_domain.windows"});
  CHECK(Names(catalog->SearchTables("\\")) == NameList{"music_domain.windows"});
}

TEST_CASE("An SQL-injection-shaped name is stored literally and drops nothing") {
  std::unique_ptr<Catalog> catalog = OpenWithDomains();
  REQUIRE(catalog->CreateTable(Songs()).ok());
  const std::string evil = "x'; drop table tables; --";

  REQUIRE(catalog->CreateDatabase({evil, "'); DELETE FROM databases; --", "\" OR 1=1 --"}).ok());
  Table table = Songs();
  table.database = evil;
  table.name = evil;
  table.columns = {{"a' OR '1'='1", "string", "'; DROP TABLE columns; --"}};
  table.parameters = {{"k'); --", "v"}};
  REQUIRE(catalog->CreateTable(table).ok());

  Result<Table> got = catalog->GetTable("X'; DROP TABLE tables; --", evil);
  REQUIRE(got.ok());
  CHECK(*got == AtVersion(table));
  CHECK(catalog->GetDatabase(evil)->description == "'); DELETE FROM databases; --");
  CHECK(catalog->GetTable("music_domain", "x' OR '1'='1").status().code() == Code::kEntityNotFound);
  CHECK(Names(catalog->SearchTables("'; drop")) == NameList{evil + "." + evil});

  // Everything else is still there.
  CHECK(catalog->GetDatabases()->size() == 3);
  CHECK(*catalog->GetTable("music_domain", "songs") == AtVersion(Songs()));
  CHECK(Names(catalog->SearchTables("")).size() == 2);
}

TEST_CASE("A catalog in a file keeps its contents across reopening") {
  TempDir dir;
  const std::string path = (dir.path() / "catalog.db").string();
  {
    std::unique_ptr<Catalog> catalog = OpenWithDomains(path);
    REQUIRE(catalog->CreateTable(Songs()).ok());
    REQUIRE(catalog->CreateTable(Profiles()).ok());
  }
  REQUIRE(fs::exists(path));

  std::unique_ptr<Catalog> reopened = Open(path);
  Result<std::vector<Database>> databases = reopened->GetDatabases();
  REQUIRE(databases.ok());
  CHECK(*databases == std::vector<Database>{MusicDomain(), UsersDomain()});
  CHECK(*reopened->GetTable("music_domain", "songs") == AtVersion(Songs()));
  CHECK(*reopened->GetTable("users_domain", "profiles") == AtVersion(Profiles()));
  // Still writable, and still enforcing what it enforced before.
  CHECK(reopened->CreateTable(Songs()).code() == Code::kAlreadyExists);
  Table updated = Songs();
  updated.format = "csv";
  CHECK(reopened->UpdateTable(updated).ok());
  CHECK(reopened->GetTable("music_domain", "songs")->format == "csv");
}

TEST_CASE("A path SQLite cannot open is InternalFailure with SQLite's message") {
  TempDir dir;

  SECTION("a directory that does not exist") {
    Result<std::unique_ptr<Catalog>> catalog =
        MakeSqliteCatalog((dir.path() / "missing" / "catalog.db").string());
    REQUIRE_FALSE(catalog.ok());
    CHECK(catalog.status().code() == Code::kInternal);
    CHECK_THAT(catalog.status().message(), Catch::Contains("unable to open database file"));
  }

  SECTION("a file that is not a database") {
    const fs::path path = dir.path() / "notes.txt";
    std::ofstream(path) << "not a database, just some text that is long enough to have a header";
    Result<std::unique_ptr<Catalog>> catalog = MakeSqliteCatalog(path.string());
    REQUIRE_FALSE(catalog.ok());
    CHECK(catalog.status().code() == Code::kInternal);
    CHECK_THAT(catalog.status().message(), Catch::Contains("file is not a database"));
  }
}

// The checks before a write catch what they can; this proves the transaction undoes a write that
// fails after it has begun changing rows. A trigger added behind the catalog's back makes the
// column insert fail after the table row is already written.
TEST_CASE("A write that fails halfway leaves the catalog as it was") {
  TempDir dir;
  const std::string path = (dir.path() / "catalog.db").string();
  std::unique_ptr<Catalog> catalog = OpenWithDomains(path);
  REQUIRE(catalog->CreateTable(Songs()).ok());
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
    char* error = nullptr;
    int rc = sqlite3_exec(db.get(),
                          "CREATE TRIGGER fail_on_boom BEFORE INSERT ON version_columns "
                          "WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END",
                          nullptr, nullptr, &error);
    INFO((error != nullptr ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
  }

  Table created = Profiles();
  created.columns.push_back({"boom", "string", ""});
  Status create = catalog->CreateTable(created);
  CHECK(create.code() == Code::kInternal);
  CHECK_THAT(create.message(), Catch::Contains("boom refused"));
  CHECK(catalog->GetTable("users_domain", "profiles").status().code() == Code::kEntityNotFound);

  Table updated = Songs();
  updated.description = "half-updated";
  updated.columns = {{"fine", "string", ""}, {"boom", "string", ""}};
  updated.parameters = {};
  CHECK(catalog->UpdateTable(updated).code() == Code::kInternal);
  CHECK(*catalog->GetTable("music_domain", "songs") == AtVersion(Songs()));

  // No transaction was left open and no statement left mid-step: the next writes go through.
  REQUIRE(catalog->CreateTable(Profiles()).ok());
  CHECK(*catalog->GetTable("users_domain", "profiles") == AtVersion(Profiles()));
}

}  // namespace
}  // namespace meshsim::fakes
