#include "fakes/storage/kv_store.h"

#include <catch2/catch.hpp>
#include <string>

#include "sim/core/ids.h"
#include "tests/support/temp_dir.h"

namespace meshsim::fakes {
namespace {

using Type = AttributeValue::Type;

std::unique_ptr<KvStore> OpenSongs() {
  std::unique_ptr<KvStore> kv = MakeMemoryKvStore();
  REQUIRE(kv->CreateTable({"songs", "item_id", Type::kS}).ok());
  return kv;
}

KvItem Song(const std::string& id, const std::string& genre) {
  return {{"item_id", AttributeValue::S(id)},
          {"genre", AttributeValue::S(genre)},
          {"creation_timestamp", AttributeValue::N(7)}};
}

TEST_CASE("Items are replaced whole by key and read back", "[kv_store]") {
  auto kv = OpenSongs();
  REQUIRE(kv->PutItem("songs", Song("s1", "rock")).ok());
  REQUIRE(kv->PutItem("songs", {{"item_id", AttributeValue::S("s1")}}).ok());
  Result<std::optional<KvItem>> got = kv->GetItem("songs", AttributeValue::S("s1"));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == KvItem{{"item_id", AttributeValue::S("s1")}});  // genre went with the old item
  CHECK_FALSE(kv->GetItem("songs", AttributeValue::S("s2"))->has_value());
  REQUIRE(kv->DeleteItem("songs", AttributeValue::S("s1")).ok());
  CHECK_FALSE(kv->GetItem("songs", AttributeValue::S("s1"))->has_value());
  CHECK(kv->DeleteItem("songs", AttributeValue::S("s1")).ok());  // missing: still fine
}

TEST_CASE("DynamoDB's errors", "[kv_store]") {
  auto kv = OpenSongs();
  CHECK(kv->CreateTable({"songs", "item_id", Type::kS}).code() == Code::kResourceInUse);
  CHECK(kv->CreateTable({"ab", "k", Type::kS}).code() == Code::kValidation);
  CHECK(kv->CreateTable({"bad name", "k", Type::kS}).code() == Code::kValidation);
  CHECK(kv->PutItem("nope", Song("s1", "rock")).code() == Code::kResourceNotFound);
  CHECK(kv->DescribeTable("nope").status().code() == Code::kResourceNotFound);
  CHECK(kv->PutItem("songs", {{"genre", AttributeValue::S("rock")}}).code() == Code::kValidation);
  CHECK(kv->PutItem("songs", {{"item_id", AttributeValue::N(1)}}).code() == Code::kValidation);
  CHECK(kv->GetItem("songs", AttributeValue::N(1)).status().code() == Code::kValidation);
  KvItem big = Song("s1", std::string(400 * 1024, 'x'));
  CHECK(kv->PutItem("songs", big).code() == Code::kValidation);
  CHECK_FALSE(kv->GetItem("songs", AttributeValue::S("s1"))->has_value());
  CHECK(kv->Scan({"songs", 0, std::nullopt}).status().code() == Code::kValidation);
  // DynamoDB takes UTF-8 only; the item is refused whole and nothing is stored.
  CHECK(kv->PutItem("songs", Song("s1",
                                  "ro\xff"
                                  "ck"))
            .code() == Code::kValidation);
  CHECK(kv->PutItem("songs", {{"item_id", AttributeValue::S("s1")},
                              {"g\xc0\xaf"
                               "enre",
                               AttributeValue::S("rock")}})
            .code() == Code::kValidation);
  CHECK_FALSE(kv->GetItem("songs", AttributeValue::S("s1"))->has_value());
}

TEST_CASE("Conditions refuse a create over an item and a replace of none", "[kv_store]") {
  auto kv = OpenSongs();
  CHECK(kv->PutItem("songs", Song("s1", "rock"), KvCondition::kExists).code() ==
        Code::kConditionalCheckFailed);
  REQUIRE(kv->PutItem("songs", Song("s1", "rock"), KvCondition::kNotExists).ok());
  CHECK(kv->PutItem("songs", Song("s1", "jazz"), KvCondition::kNotExists).code() ==
        Code::kConditionalCheckFailed);
  CHECK((*kv->GetItem("songs", AttributeValue::S("s1")))->at("genre") == AttributeValue::S("rock"));
  REQUIRE(kv->PutItem("songs", Song("s1", "jazz"), KvCondition::kExists).ok());
  CHECK((*kv->GetItem("songs", AttributeValue::S("s1")))->at("genre") == AttributeValue::S("jazz"));
  CHECK(kv->DeleteItem("songs", AttributeValue::S("s9"), KvCondition::kExists).code() ==
        Code::kConditionalCheckFailed);
}

TEST_CASE("Scan pages by limit and last evaluated key, and at 1 MB", "[kv_store]") {
  auto kv = OpenSongs();
  for (uint64_t i = 0; i < 5; ++i)
    REQUIRE(kv->PutItem("songs", Song(NumberedId("s", i), "g")).ok());
  std::vector<std::string> ids;
  ScanRequest request{"songs", 2, std::nullopt};
  int pages = 0;
  for (;; ++pages) {
    REQUIRE(pages < 10);
    Result<ScanResult> page = kv->Scan(request);
    REQUIRE(page.ok());
    CHECK(page->items.size() <= 2);
    for (const KvItem& item : page->items) ids.push_back(item.at("item_id").value);
    if (!page->last_evaluated_key) break;
    request.exclusive_start_key = page->last_evaluated_key;
  }
  CHECK(ids == std::vector<std::string>{"s0", "s1", "s2", "s3", "s4"});
  CHECK(pages == 2);  // 2 + 2 + 1: the last page came in under the limit

  // Three items of 390 KB: the page stops once it passes 1 MB.
  auto big = OpenSongs();
  for (uint64_t i = 0; i < 4; ++i) {
    REQUIRE(big->PutItem("songs", Song(NumberedId("s", i), std::string(390 * 1024, 'x'))).ok());
  }
  Result<ScanResult> first = big->Scan({"songs", std::nullopt, std::nullopt});
  REQUIRE(first.ok());
  CHECK(first->items.size() == 3);
  REQUIRE(first->last_evaluated_key);
  CHECK(first->last_evaluated_key->value == "s2");
}

TEST_CASE("The SQLite store keeps tables and items for a later open", "[kv_store]") {
  testing::TempDir dir;
  const std::string path = dir.File("items.sqlite");
  {
    auto kv = MakeSqliteKvStore(path);
    REQUIRE(kv.ok());
    REQUIRE((*kv)->CreateTable({"songs", "item_id", Type::kS}).ok());
    REQUIRE((*kv)->CreateTable({"counts", "n", Type::kN}).ok());
    REQUIRE((*kv)->PutItem("songs", Song("s1", "rock")).ok());
    REQUIRE((*kv)->PutItem("songs", Song("s2", "pop")).ok());
    REQUIRE((*kv)->PutItem("songs", Song("s2", "jazz")).ok());
    REQUIRE((*kv)->PutItem("songs", Song("s3", "pop")).ok());
    REQUIRE((*kv)->DeleteItem("songs", AttributeValue::S("s3")).ok());
    REQUIRE(
        (*kv)
            ->PutItem("counts", {{"n", AttributeValue::N(4)}, {"live", AttributeValue::Bool(true)}})
            .ok());
    // Refused calls write nothing.
    CHECK((*kv)->CreateTable({"songs", "item_id", Type::kS}).code() == Code::kResourceInUse);
    CHECK((*kv)->CreateTable({"x", "id", Type::kS}).code() == Code::kValidation);
    CHECK((*kv)->PutItem("songs", Song("s1", "ska"), KvCondition::kNotExists).code() ==
          Code::kConditionalCheckFailed);
  }
  auto kv = MakeSqliteKvStore(path);
  REQUIRE(kv.ok());
  CHECK((*kv)->DescribeTable("counts")->key_type == Type::kN);
  CHECK_FALSE((*kv)->DescribeTable("x").ok());
  Result<ScanResult> songs = (*kv)->Scan({"songs", std::nullopt, std::nullopt});
  REQUIRE(songs.ok());
  CHECK(songs->items == std::vector<KvItem>{Song("s1", "rock"), Song("s2", "jazz")});
  auto count = (*kv)->GetItem("counts", AttributeValue::N(4));
  REQUIRE(count.ok());
  REQUIRE(count->has_value());
  CHECK((**count).at("live") == AttributeValue::Bool(true));
}

}  // namespace
}  // namespace meshsim::fakes
