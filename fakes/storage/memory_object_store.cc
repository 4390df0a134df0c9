// MakeMemoryObjectStore: buckets as sorted maps of key to body.
#include <map>

#include "fakes/storage/object_listing.h"
#include "fakes/storage/object_store.h"

namespace meshsim::fakes {
namespace {

Status NoSuchBucket(const std::string& bucket) {
  return Status(Code::kNoSuchBucket, "The specified bucket does not exist: " + bucket);
}

class MemoryObjectStore final : public ObjectStore {
 public:
  Status CreateBucket(const std::string& bucket) override {
    if (Status s = CheckBucketName(bucket); !s.ok()) return s;
    if (!buckets_.emplace(bucket, Bucket{}).second) {
      return Status(Code::kBucketAlreadyOwnedByYou, "You already own bucket " + bucket);
    }
    return Status::Ok();
  }
  Status HeadBucket(const std::string& bucket) const override {
    return Find(bucket) ? Status::Ok() : NoSuchBucket(bucket);
  }
  Result<std::vector<std::string>> ListBuckets() const override {
    std::vector<std::string> names;
    for (const auto& [name, objects] : buckets_) names.push_back(name);
    return names;
  }
  Status DeleteBucket(const std::string& bucket) override {
    const Bucket* b = Find(bucket);
    if (b == nullptr) return NoSuchBucket(bucket);
    if (!b->empty()) {
      return Status(Code::kBucketNotEmpty,
                    "The bucket you tried to delete is not empty: " + bucket);
    }
    buckets_.erase(bucket);
    return Status::Ok();
  }

  Result<ObjectInfo> PutObject(const std::string& bucket, const std::string& key,
                               std::string_view body) override {
    Bucket* b = Find(bucket);
    if (b == nullptr) return NoSuchBucket(bucket);
    if (Status s = CheckObjectKey(key); !s.ok()) return s;
    (*b)[key] = std::string(body);
    return Info(key, body);
  }
  Result<std::string> GetObject(const std::string& bucket, const std::string& key) const override {
    Result<const std::string*> body = Body(bucket, key);
    if (!body.ok()) return body.status();
    return **body;
  }
  Result<ObjectInfo> HeadObject(const std::string& bucket, const std::string& key) const override {
    Result<const std::string*> body = Body(bucket, key);
    if (!body.ok()) return body.status();
    return Info(key, **body);
  }
  Result<ListObjectsResult> ListObjectsV2(const ListObjectsRequest& request) const override {
    const Bucket* b = Find(request.bucket);
    if (b == nullptr) return NoSuchBucket(request.bucket);
    std::vector<ObjectInfo> objects;
    objects.reserve(b->size());
    for (const auto& [key, body] : *b) {
      if (key.starts_with(request.prefix)) objects.push_back(Info(key, body));
    }
    return ListPage(request, objects);
  }
  Status DeleteObject(const std::string& bucket, const std::string& key) override {
    Bucket* b = Find(bucket);
    if (b == nullptr) return NoSuchBucket(bucket);
    if (Status s = CheckObjectKey(key); !s.ok()) return s;
    b->erase(key);
    return Status::Ok();
  }

 private:
  using Bucket = std::map<std::string, std::string>;

  static ObjectInfo Info(const std::string& key, std::string_view body) {
    return ObjectInfo{key, static_cast<int64_t>(body.size()), ObjectETag(body)};
  }
  const Bucket* Find(const std::string& bucket) const {
    auto it = buckets_.find(bucket);
    return it == buckets_.end() ? nullptr : &it->second;
  }
  Bucket* Find(const std::string& bucket) {
    auto it = buckets_.find(bucket);
    return it == buckets_.end() ? nullptr : &it->second;
  }
  Result<const std::string*> Body(const std::string& bucket, const std::string& key) const {
    const Bucket* b = Find(bucket);
    if (b == nullptr) return NoSuchBucket(bucket);
    auto it = b->find(key);
    if (it == b->end()) return Status(Code::kNoSuchKey, "The specified key does not exist: " + key);
    return &it->second;
  }

  std::map<std::string, Bucket> buckets_;
};

}  // namespace

std::unique_ptr<ObjectStore> MakeMemoryObjectStore() {
  return std::make_unique<MemoryObjectStore>();
}

}  // namespace meshsim::fakes
