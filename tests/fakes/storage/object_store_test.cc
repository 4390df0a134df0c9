#include "fakes/storage/object_store.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "sim/core/ids.h"
#include "tests/support/temp_dir.h"

namespace meshsim::fakes {
namespace {

using meshsim::testing::TempDir;

// Both implementations, each test case run once per store.
struct Store {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<ObjectStore> store;
};

Store Open(const std::string& kind) {
  Store s;
  if (kind == "folder") {
    s.dir = std::make_unique<TempDir>();
    Result<std::unique_ptr<ObjectStore>> store = MakeFolderObjectStore(s.dir->File("objects"));
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    s.store = std::move(store).value();
  } else {
    s.store = MakeMemoryObjectStore();
  }
  REQUIRE(s.store->CreateBucket("users-domain").ok());
  return s;
}

ListObjectsRequest Request(const std::string& prefix = "", const std::string& delimiter = "",
                           int32_t max_keys = 1000) {
  ListObjectsRequest r;
  r.bucket = "users-domain";
  r.prefix = prefix;
  r.delimiter = delimiter;
  r.max_keys = max_keys;
  return r;
}

std::vector<std::string> Keys(const ListObjectsResult& page) {
  std::vector<std::string> keys;
  for (const ObjectInfo& o : page.contents) keys.push_back(o.key);
  return keys;
}

TEST_CASE("A stored object reads back whole, replaced whole", "[object_store]") {
  Store s = Open(GENERATE(std::string("folder"), std::string("memory")));
  ObjectStore& os = *s.store;
  Result<ObjectInfo> put = os.PutObject("users-domain", "products/users/part-00000.csv", "a,b\n");
  REQUIRE(put.ok());
  CHECK(put->size == 4);
  CHECK(*os.GetObject("users-domain", "products/users/part-00000.csv") == "a,b\n");
  REQUIRE(os.PutObject("users-domain", "products/users/part-00000.csv", "c\n").ok());
  CHECK(*os.GetObject("users-domain", "products/users/part-00000.csv") == "c\n");
  Result<ObjectInfo> head = os.HeadObject("users-domain", "products/users/part-00000.csv");
  REQUIRE(head.ok());
  CHECK(head->size == 2);
  CHECK(head->etag != put->etag);
  CHECK(head->etag == os.PutObject("users-domain", "copy", "c\n")->etag);
}

TEST_CASE("S3's errors for buckets, keys and names", "[object_store]") {
  Store s = Open(GENERATE(std::string("folder"), std::string("memory")));
  ObjectStore& os = *s.store;
  CHECK(os.CreateBucket("users-domain").code() == Code::kBucketAlreadyOwnedByYou);
  CHECK(os.HeadBucket("missing").code() == Code::kNoSuchBucket);
  CHECK(os.PutObject("missing", "k", "v").status().code() == Code::kNoSuchBucket);
  CHECK(os.GetObject("users-domain", "nope").status().code() == Code::kNoSuchKey);
  CHECK(os.HeadObject("users-domain", "nope").status().code() == Code::kNoSuchKey);
  CHECK(os.ListObjectsV2([] {
            ListObjectsRequest r;
            r.bucket = "missing";
            return r;
          }())
            .status()
            .code() == Code::kNoSuchBucket);
  CHECK(os.DeleteObject("users-domain", "nope").ok());  // as S3: 204 for a missing key
  CHECK(os.CopyObject("users-domain", "nope", "users-domain", "x").status().code() ==
        Code::kNoSuchKey);
  CHECK(os.PutObject("users-domain", std::string(1025, 'k'), "v").status().code() ==
        Code::kKeyTooLong);
  for (const char* bad : {"ab", "Upper", "-dash", "dash-", "a..b", "192.168.5.4", "xn--abc",
                          "bucket-s3alias", "under_score"}) {
    INFO(bad);
    CHECK(os.CreateBucket(bad).code() == Code::kInvalidBucketName);
  }
  CHECK(os.CreateBucket("my.bucket-1").ok());
  REQUIRE(os.PutObject("my.bucket-1", "k", "v").ok());
  CHECK(os.DeleteBucket("my.bucket-1").code() == Code::kBucketNotEmpty);
  REQUIRE(os.DeleteObject("my.bucket-1", "k").ok());
  CHECK(os.DeleteBucket("my.bucket-1").ok());
  CHECK(os.HeadBucket("my.bucket-1").code() == Code::kNoSuchBucket);
  CHECK(*os.ListBuckets() == std::vector<std::string>{"users-domain"});
}

TEST_CASE("Listing rolls keys up at the delimiter and pages by continuation token",
          "[object_store]") {
  Store s = Open(GENERATE(std::string("folder"), std::string("memory")));
  ObjectStore& os = *s.store;
  for (const char* key :
       {"raw/dt=2026-11-24/hour=00/part-00000.jsonl", "raw/dt=2026-11-24/hour=01/part-00000.jsonl",
        "raw/dt=2026-11-25/hour=00/part-00000.jsonl", "raw/readme.txt", "products/users/x.csv"}) {
    REQUIRE(os.PutObject("users-domain", key, key).ok());
  }
  Result<ListObjectsResult> top = os.ListObjectsV2(Request("raw/", "/"));
  REQUIRE(top.ok());
  CHECK(top->common_prefixes ==
        std::vector<std::string>{"raw/dt=2026-11-24/", "raw/dt=2026-11-25/"});
  CHECK(Keys(*top) == std::vector<std::string>{"raw/readme.txt"});
  CHECK(top->key_count == 3);
  CHECK_FALSE(top->is_truncated);

  // One entry a page: a common prefix counts as one, and the next page starts past its keys.
  std::vector<std::string> seen;
  ListObjectsRequest request = Request("raw/", "/", 1);
  for (int pages = 0;; ++pages) {
    REQUIRE(pages < 10);
    Result<ListObjectsResult> page = os.ListObjectsV2(request);
    REQUIRE(page.ok());
    CHECK(page->key_count == 1);
    for (const auto& p : page->common_prefixes) seen.push_back(p);
    for (const auto& k : Keys(*page)) seen.push_back(k);
    if (!page->is_truncated) break;
    request.continuation_token = page->next_continuation_token;
  }
  CHECK(seen ==
        std::vector<std::string>{"raw/dt=2026-11-24/", "raw/dt=2026-11-25/", "raw/readme.txt"});

  Result<ListObjectsResult> all = os.ListObjectsV2(Request());
  CHECK(Keys(*all).size() == 5);
  CHECK(Keys(*all).front() == "products/users/x.csv");
  ListObjectsRequest from = Request();
  from.start_after = "raw/dt=2026-11-25/";
  Result<ListObjectsResult> after = os.ListObjectsV2(from);
  CHECK(Keys(*after) ==
        std::vector<std::string>{"raw/dt=2026-11-25/hour=00/part-00000.jsonl", "raw/readme.txt"});
  ListObjectsRequest bogus = Request();
  bogus.continuation_token = "bogus";
  CHECK(os.ListObjectsV2(bogus).status().code() == Code::kInvalidArgument);
  CHECK(os.ListObjectsV2(Request("", "", -1)).status().code() == Code::kInvalidArgument);
}

TEST_CASE("A page holds at most 1000 keys whatever max_keys asks", "[object_store]") {
  Store s = Open(GENERATE(std::string("folder"), std::string("memory")));
  for (uint64_t i = 0; i < 1001; ++i) {
    REQUIRE(s.store->PutObject("users-domain", NumberedId("k", 10000 + i), "").ok());
  }
  Result<ListObjectsResult> page = s.store->ListObjectsV2(Request("", "", 5000));
  REQUIRE(page.ok());
  CHECK(page->contents.size() == 1000);
  CHECK(page->is_truncated);
  ListObjectsRequest next = Request();
  next.continuation_token = page->next_continuation_token;
  Result<ListObjectsResult> rest = s.store->ListObjectsV2(next);
  CHECK(Keys(*rest) == std::vector<std::string>{"k11000"});
  CHECK_FALSE(rest->is_truncated);
}

TEST_CASE("The folder store keeps objects as files under root/bucket/key, written whole",
          "[object_store][folder]") {
  Store s = Open("folder");
  const std::filesystem::path bucket = s.dir->path() / "objects" / "users-domain";
  REQUIRE(
      s.store->PutObject("users-domain", "products/users/dt=2026-11-24/part-00000.csv", "x").ok());
  CHECK(std::filesystem::is_regular_file(bucket / "products/users/dt=2026-11-24/part-00000.csv"));
  // Only the object is left: the temporary file was renamed over it.
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(bucket)) {
    files += e.is_regular_file() ? 1 : 0;
  }
  CHECK(files == 1);
  // A temporary file a crashed writer left behind is no object.
  s.dir->Write("objects/users-domain/products/.meshsim-tmp-99", "half");
  CHECK(s.store->ListObjectsV2(Request())->contents.size() == 1);
  // Deleting the object removes its emptied folders, so the key can become a file.
  REQUIRE(
      s.store->DeleteObject("users-domain", "products/users/dt=2026-11-24/part-00000.csv").ok());
  CHECK_FALSE(std::filesystem::exists(bucket / "products/users"));
}

TEST_CASE("The folder store refuses keys that would leave its root", "[object_store][folder]") {
  Store s = Open("folder");
  ObjectStore& os = *s.store;
  for (const char* key :
       {"../escape", "a/../../escape", "/abs", "a//b", "./a", "a/.", "a/.meshsim-tmp-1"}) {
    INFO(key);
    CHECK(os.PutObject("users-domain", key, "x").status().code() == Code::kInvalidArgument);
    CHECK(os.GetObject("users-domain", key).status().code() == Code::kInvalidArgument);
  }
  CHECK_FALSE(std::filesystem::exists(s.dir->path() / "escape"));
  CHECK_FALSE(std::filesystem::exists(s.dir->path() / "objects" / "escape"));

  // A link planted inside the root does not lead out of it.
  TempDir outside;
  std::filesystem::create_directory_symlink(outside.path(),
                                            s.dir->path() / "objects" / "users-domain" / "link");
  CHECK(os.PutObject("users-domain", "link/secret", "x").status().code() == Code::kAccessDenied);
  CHECK_FALSE(std::filesystem::exists(outside.path() / "secret"));
  outside.Write("secret", "s");
  CHECK(os.GetObject("users-domain", "link/secret").status().code() == Code::kAccessDenied);
  CHECK(os.ListObjectsV2(Request())->contents.empty());

  // A key cannot be both a file and a folder on disk.
  REQUIRE(os.PutObject("users-domain", "a/b", "x").ok());
  CHECK(os.PutObject("users-domain", "a", "x").status().code() == Code::kInvalidArgument);
  CHECK(os.PutObject("users-domain", "a/b/c", "x").status().code() == Code::kInvalidArgument);
  CHECK(*os.GetObject("users-domain", "a/b") == "x");

  // A segment longer than a file name can be is refused, not thrown at the caller.
  const std::string long_key = "a/" + std::string(300, 'k');
  CHECK(os.PutObject("users-domain", long_key, "x").status().code() == Code::kInvalidArgument);
  CHECK(os.GetObject("users-domain", long_key).status().code() == Code::kInvalidArgument);
  CHECK(os.HeadObject("users-domain", long_key).status().code() == Code::kInvalidArgument);
}

TEST_CASE("The memory store takes any key S3 takes", "[object_store][memory]") {
  std::unique_ptr<ObjectStore> os = MakeMemoryObjectStore();
  REQUIRE(os->CreateBucket("bucket").ok());
  REQUIRE(os->PutObject("bucket", "../odd//key/", "x").ok());
  CHECK(*os->GetObject("bucket", "../odd//key/") == "x");
}

}  // namespace
}  // namespace meshsim::fakes
