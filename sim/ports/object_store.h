// ObjectStore: buckets of whole objects named by keys (S3's model), where the static plane keeps
// its files: each producer's raw landing files and the data products its ETL job writes.
//
// Abstract so the ETL jobs run unchanged on a folder on disk (fakes/storage/object_store.h,
// MakeFolderObjectStore, the default), in memory (MakeMemoryObjectStore, for tests) and on S3
// (backends/, later). Errors use S3's error codes (the Code of its XML error): NoSuchBucket,
// NoSuchKey, BucketAlreadyOwnedByYou, BucketNotEmpty, InvalidBucketName, KeyTooLongError,
// InvalidArgument. A call that fails changes nothing.
//
// Names follow the S3 API (botocore's s3 2006-03-01 model). Not modelled: versioning, multipart
// uploads, metadata, storage classes, owners.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

// S3's Object in a listing, and HeadObject's answer.
struct ObjectInfo {
  std::string key;
  int64_t size = 0;  // bytes
  // A quoted hex digest of the body, the same for the same bytes. S3's is the MD5 for a
  // single-part upload; this one is a 64-bit FNV-1a, so compare ETags only with each other.
  std::string etag;
  bool operator==(const ObjectInfo&) const = default;
};

struct ListObjectsRequest {
  std::string bucket;
  std::string prefix;     // only keys that start with it
  std::string delimiter;  // keys with it after the prefix roll up into common_prefixes
  // Returns keys after this one (S3's StartAfter); ignored with a continuation token.
  std::string start_after;
  // NextContinuationToken of the previous page; opaque. InvalidArgument for one the store did not
  // hand out.
  std::string continuation_token;
  // Keys plus common prefixes on one page: 0-1000 (more is taken as 1000, as S3 does).
  // Default: 1000. InvalidArgument when negative.
  int32_t max_keys = 1000;
};

struct ListObjectsResult {
  std::vector<ObjectInfo> contents;  // in UTF-8 binary order of their keys
  // Each distinct "prefix + text up to and including the delimiter", in order; each counts as one
  // key toward max_keys.
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;  // set when is_truncated
  int32_t key_count = 0;                // contents plus common prefixes
};

// S3's rules for a general purpose bucket's name: 3-63 characters of lowercase letters, digits,
// '.' and '-', starting and ending with a letter or digit, no "..", not an IPv4 address, not
// starting with "xn--", "sthree-" or "amzn-s3-demo-", not ending with "-s3alias", "--ol-s3",
// ".mrap", "--x-s3" or "--table-s3". InvalidBucketName otherwise.
Status CheckBucketName(std::string_view bucket);
// S3's rules for a key: 1-1024 bytes (KeyTooLongError past that, InvalidArgument when empty).
Status CheckObjectKey(std::string_view key);

// "s3://bucket/a/b" → {"bucket", "a/b"}, the form catalog locations and import data sources
// take; an empty bucket for another scheme, an empty key for a bare bucket.
struct S3Location {
  std::string bucket;
  std::string key;
};
inline S3Location SplitS3Uri(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  if (!uri.starts_with(kScheme)) return {};
  uri.remove_prefix(kScheme.size());
  const size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return {std::string(uri), ""};
  return {std::string(uri.substr(0, slash)), std::string(uri.substr(slash + 1))};
}
inline std::string S3Uri(std::string_view bucket, std::string_view key) {
  std::string uri = "s3://";
  uri += bucket;
  uri += '/';
  uri += key;
  return uri;
}

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // BucketAlreadyOwnedByYou when it exists (every bucket here is the caller's).
  virtual Status CreateBucket(const std::string& bucket) = 0;
  // NoSuchBucket when missing.
  virtual Status HeadBucket(const std::string& bucket) const = 0;
  // Every bucket, by name.
  virtual Result<std::vector<std::string>> ListBuckets() const = 0;
  // BucketNotEmpty while it holds an object.
  virtual Status DeleteBucket(const std::string& bucket) = 0;

  // Stores `body` whole under `key`, replacing any object there. Atomic: a reader sees the old
  // object or the new one, never part of one. NoSuchBucket when the bucket is missing.
  virtual Result<ObjectInfo> PutObject(const std::string& bucket, const std::string& key,
                                       std::string_view body) = 0;
  // NoSuchKey when there is no such object.
  virtual Result<std::string> GetObject(const std::string& bucket,
                                        const std::string& key) const = 0;
  virtual Result<ObjectInfo> HeadObject(const std::string& bucket,
                                        const std::string& key) const = 0;
  virtual Result<ListObjectsResult> ListObjectsV2(const ListObjectsRequest& request) const = 0;
  // Succeeds for a missing key, as S3 does (204 either way); NoSuchBucket for a missing bucket.
  virtual Status DeleteObject(const std::string& bucket, const std::string& key) = 0;
  // As PutObject of the source's body; NoSuchKey when the source is missing. A backend with a
  // server-side copy overrides it.
  virtual Result<ObjectInfo> CopyObject(const std::string& source_bucket,
                                        const std::string& source_key, const std::string& bucket,
                                        const std::string& key) {
    Result<std::string> body = GetObject(source_bucket, source_key);
    if (!body.ok()) return body.status();
    return PutObject(bucket, key, *body);
  }
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingObjectStore : public ObjectStore {
 public:
  explicit ForwardingObjectStore(ObjectStore& target) : target_(target) {}

  Status CreateBucket(const std::string& bucket) override { return target_.CreateBucket(bucket); }
  Status HeadBucket(const std::string& bucket) const override { return target_.HeadBucket(bucket); }
  Result<std::vector<std::string>> ListBuckets() const override { return target_.ListBuckets(); }
  Status DeleteBucket(const std::string& bucket) override { return target_.DeleteBucket(bucket); }
  Result<ObjectInfo> PutObject(const std::string& bucket, const std::string& key,
                               std::string_view body) override {
    return target_.PutObject(bucket, key, std::move(body));
  }
  Result<std::string> GetObject(const std::string& bucket, const std::string& key) const override {
    return target_.GetObject(bucket, key);
  }
  Result<ObjectInfo> HeadObject(const std::string& bucket, const std::string& key) const override {
    return target_.HeadObject(bucket, key);
  }
  Result<ListObjectsResult> ListObjectsV2(const ListObjectsRequest& request) const override {
    return target_.ListObjectsV2(request);
  }
  Status DeleteObject(const std::string& bucket, const std::string& key) override {
    return target_.DeleteObject(bucket, key);
  }

  Result<ObjectInfo> CopyObject(const std::string& source_bucket, const std::string& source_key,
                                const std::string& bucket, const std::string& key) override {
    return target_.CopyObject(source_bucket, source_key, bucket, key);
  }

 protected:
  ObjectStore& target() const { return target_; }

 private:
  ObjectStore& target_;
};

}  // namespace meshsim
