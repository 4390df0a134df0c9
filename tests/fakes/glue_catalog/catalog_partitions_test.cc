#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fakes/glue_catalog/catalog.h"
#include "tests/fakes/glue_catalog/catalog_fixture.h"

namespace meshsim::fakes {
namespace {

using testing::OpenWithPlays;
using testing::PartitionedPlays;
using testing::TempDir;
using Values = std::vector<std::string>;

Partition Plays(Values values) {
  Partition partition;
  partition.database = "music";
  partition.table = "plays";
  partition.location = "s3://interactions/plays/" + values[0] + "/" + values[1] + "/";
  partition.values = std::move(values);
  partition.serde = {"parquet",
                     "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                     {{"serialization.format", "1"}}};
  partition.parameters = {{"numRows", "12"}};
  return partition;
}

std::vector<Values> ValuesOf(const Result<std::vector<Partition>>& partitions) {
  INFO(partitions.status().ToString());
  REQUIRE(partitions.ok());
  std::vector<Values> out;
  for (const Partition& p : *partitions) out.push_back(p.values);
  return out;
}

TEST_CASE("CreatePartition then GetPartition returns every field") {
  auto catalog = OpenWithPlays();
  Partition partition = Plays({"se", "2024", "2024-01-01"});
  REQUIRE(catalog->CreatePartition(partition).ok());

  Result<Partition> got = catalog->GetPartition("MUSIC", "Plays", {"se", "2024", "2024-01-01"});
  INFO(got.status().ToString());
  REQUIRE(got.ok());
  CHECK(*got == partition);

  Result<Partition> missing = catalog->GetPartition("music", "plays", {"se", "2024", "2024-01-02"});
  CHECK(missing.status().ToString() == "EntityNotFoundException: Cannot find partition.");
  CHECK(catalog->CreatePartition(partition).ToString() ==
        "AlreadyExistsException: Partition already exists.");
}

TEST_CASE("A Values list that does not match the partition keys is InvalidInput") {
  auto catalog = OpenWithPlays();
  const char* kMessage =
      "InvalidInputException: The number of partition keys do not match the number of partition "
      "values";
  CHECK(catalog->CreatePartition(Plays({"se", "2024"})).ToString() == kMessage);
  CHECK(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01", "x"})).ToString() == kMessage);
  Partition none = Plays({"se", "2024", "2024-01-01"});
  none.values.clear();
  CHECK(catalog->CreatePartition(none).ToString() == kMessage);
  Partition long_value = Plays({"se", "2024", std::string(1025, 'd')});
  CHECK(catalog->CreatePartition(long_value).message() ==
        "Value 3 (day) must be at most 1024 characters");
  CHECK(catalog->GetPartitions("music", "plays", "")->empty());
}

TEST_CASE("Partitions of a missing table or database are EntityNotFound") {
  auto catalog = OpenWithPlays();
  Partition partition = Plays({"se", "2024", "2024-01-01"});
  partition.table = "skips";
  CHECK(catalog->CreatePartition(partition).ToString() ==
        "EntityNotFoundException: Table skips not found.");
  CHECK(catalog->GetPartitions("video", "plays", "").status().ToString() ==
        "EntityNotFoundException: Database video not found.");
}

TEST_CASE("GetPartitions filters by the expression, in creation order") {
  auto catalog = OpenWithPlays();
  for (Values values : std::vector<Values>{{"se", "2024", "2024-01-02"},
                                           {"no", "999", "2023-05-01"},
                                           {"se", "2023", "2023-12-31"},
                                           {"dk", "10000", "2024-02-29"}}) {
    REQUIRE(catalog->CreatePartition(Plays(values)).ok());
  }
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "")).size() == 4);
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "year > 2023")) ==
        std::vector<Values>{{"se", "2024", "2024-01-02"}, {"dk", "10000", "2024-02-29"}});
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays",
                                        "country = 'se' AND day BETWEEN '2023-12-01' AND "
                                        "'2023-12-31'")) ==
        std::vector<Values>{{"se", "2023", "2023-12-31"}});
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "country IN ('no', 'dk')")).size() == 2);

  Result<std::vector<Partition>> bad = catalog->GetPartitions("music", "plays", "year >");
  CHECK(bad.status().ToString() ==
        "InvalidInputException: Expression at position 7: expected a value, found the end");
}

TEST_CASE("A bad expression fails on a table with no partitions too") {
  auto catalog = OpenWithPlays();
  CHECK(catalog->GetPartitions("music", "plays", "genre = 'pop'").status().message() ==
        "Expression at position 1: Unknown column 'genre'");
}

TEST_CASE("A value that no longer fits a retyped key is InvalidState when filtered on") {
  auto catalog = OpenWithPlays();
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  Table retyped = PartitionedPlays();
  retyped.partition_keys[0].type = "int";  // "se" is no integer
  REQUIRE(catalog->UpdateTable(retyped).ok());
  CHECK(catalog->GetPartitions("music", "plays", "country = 1").status().ToString() ==
        "InvalidStateException: Partition value 'se' of key country is not an integer");
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "year = 2024")).size() == 1);
}

TEST_CASE("UpdatePartition replaces the definition but never the values") {
  auto catalog = OpenWithPlays();
  const Values values = {"se", "2024", "2024-01-01"};
  REQUIRE(catalog->CreatePartition(Plays(values)).ok());

  Partition updated = Plays(values);
  updated.location = "s3://interactions/plays-v2/";
  updated.parameters = {{"numRows", "40"}};
  updated.serde.parameters = {};
  REQUIRE(catalog->UpdatePartition("music", "plays", values, updated).ok());
  CHECK(*catalog->GetPartition("music", "plays", values) == updated);

  Partition moved = updated;
  moved.values = {"no", "2024", "2024-01-01"};
  CHECK(catalog->UpdatePartition("music", "plays", values, moved).message() ==
        "PartitionInput.Values cannot change; delete the partition and create it again");
  CHECK(catalog->UpdatePartition("music", "plays", moved.values, moved).code() ==
        Code::kEntityNotFound);
  CHECK(*catalog->GetPartition("music", "plays", values) == updated);
}

TEST_CASE("DeletePartition removes one partition") {
  auto catalog = OpenWithPlays();
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  REQUIRE(catalog->CreatePartition(Plays({"no", "2024", "2024-01-01"})).ok());
  REQUIRE(catalog->DeletePartition("music", "plays", {"se", "2024", "2024-01-01"}).ok());
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "")) ==
        std::vector<Values>{{"no", "2024", "2024-01-01"}});
  CHECK(catalog->DeletePartition("music", "plays", {"se", "2024", "2024-01-01"}).code() ==
        Code::kEntityNotFound);
}

TEST_CASE("BatchCreatePartition creates what it can and reports the rest") {
  auto catalog = OpenWithPlays();
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  Result<std::vector<PartitionError>> errors = catalog->BatchCreatePartition(
      "music", "plays",
      {Plays({"no", "2024", "2024-01-01"}), Plays({"se", "2024", "2024-01-01"}),
       Plays({"dk", "2024"}), Plays({"no", "2024", "2024-01-01"})});
  INFO(errors.status().ToString());
  REQUIRE(errors.ok());
  REQUIRE(errors->size() == 3);
  CHECK((*errors)[0].values == Values{"se", "2024", "2024-01-01"});
  CHECK((*errors)[0].error.code() == Code::kAlreadyExists);
  CHECK((*errors)[1].error.code() == Code::kInvalidInput);
  CHECK((*errors)[2].error.code() == Code::kAlreadyExists);  // a duplicate within the batch
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "")) ==
        std::vector<Values>{{"se", "2024", "2024-01-01"}, {"no", "2024", "2024-01-01"}});
}

TEST_CASE("BatchCreatePartition of more than 100 creates nothing") {
  auto catalog = OpenWithPlays();
  std::vector<Partition> batch;
  for (int i = 0; i < 101; ++i)
    batch.push_back(Plays({"se", std::to_string(2000 + i), "2024-01-01"}));
  Result<std::vector<PartitionError>> errors =
      catalog->BatchCreatePartition("music", "plays", batch);
  CHECK(errors.status().message() == "PartitionInputList must hold at most 100 partitions");
  batch.pop_back();
  REQUIRE(catalog->BatchCreatePartition("music", "plays", batch).ok());
  CHECK(ValuesOf(catalog->GetPartitions("music", "plays", "")).size() == 100);
}

TEST_CASE("Partition keys cannot change in number while the table has partitions") {
  auto catalog = OpenWithPlays();
  Table fewer = PartitionedPlays();
  fewer.partition_keys.pop_back();
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  CHECK(catalog->UpdateTable(fewer).message() ==
        "PartitionKeys cannot change in number while table plays has partitions");
  CHECK(catalog->GetTable("music", "plays")->partition_keys.size() == 3);
  REQUIRE(catalog->DeletePartition("music", "plays", {"se", "2024", "2024-01-01"}).ok());
  CHECK(catalog->UpdateTable(fewer).ok());
}

TEST_CASE("DeleteTable and DeleteDatabase take the partitions with them") {
  auto catalog = OpenWithPlays();
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  REQUIRE(catalog->DeleteTable("music", "plays").ok());
  CHECK(catalog->GetTable("music", "plays").status().code() == Code::kEntityNotFound);
  REQUIRE(catalog->CreateTable(PartitionedPlays()).ok());
  CHECK(catalog->GetPartitions("music", "plays", "")->empty());  // nothing of the old one
  REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  REQUIRE(catalog->DeleteDatabase("music").ok());
  CHECK(catalog->GetDatabase("music").status().code() == Code::kEntityNotFound);
  CHECK(catalog->DeleteDatabase("music").code() == Code::kEntityNotFound);
  CHECK(catalog->DeleteTable("music", "plays").code() == Code::kEntityNotFound);
}

TEST_CASE("Partitions persist across reopening") {
  TempDir dir;
  const std::string path = dir.File("catalog.db");
  {
    auto catalog = OpenWithPlays(path);
    REQUIRE(catalog->CreatePartition(Plays({"se", "2024", "2024-01-01"})).ok());
  }
  auto reopened = testing::Open(path);
  CHECK(*reopened->GetPartition("music", "plays", {"se", "2024", "2024-01-01"}) ==
        Plays({"se", "2024", "2024-01-01"}));
  CHECK(ValuesOf(reopened->GetPartitions("music", "plays", "year = 2024")).size() == 1);
}

}  // namespace
}  // namespace meshsim::fakes
