// An ObjectStore test double that forwards every call and fails PutObject from the n-th on, so a
// test walks a writer's failure points (a disk that fills up).
#pragma once

#include <climits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/object_store.h"

namespace meshsim::testing {

class FailingPuts final : public ObjectStore {
 public:
  // Fails the `fail_at`-th PutObject (1-based) and every one after it; INT_MAX: none.
  explicit FailingPuts(ObjectStore& target, int fail_at = INT_MAX)
      : target_(target), fail_at_(fail_at) {}
  // Every PutObject from now on fails.
  void FailFromNow() { fail_at_ = puts_ + 1; }

  Status CreateBucket(const std::string& b) override { return target_.CreateBucket(b); }
  Status HeadBucket(const std::string& b) const override { return target_.HeadBucket(b); }
  Result<std::vector<std::string>> ListBuckets() const override { return target_.ListBuckets(); }
  Status DeleteBucket(const std::string& b) override { return target_.DeleteBucket(b); }
  Result<ObjectInfo> PutObject(const std::string& b, const std::string& k,
                               std::string_view body) override {
    if (++puts_ >= fail_at_) return Status(Code::kInternal, "injected: disk full");
    return target_.PutObject(b, k, body);
  }
  Result<std::string> GetObject(const std::string& b, const std::string& k) const override {
    return target_.GetObject(b, k);
  }
  Result<ObjectInfo> HeadObject(const std::string& b, const std::string& k) const override {
    return target_.HeadObject(b, k);
  }
  Result<ListObjectsResult> ListObjectsV2(const ListObjectsRequest& r) const override {
    return target_.ListObjectsV2(r);
  }
  Status DeleteObject(const std::string& b, const std::string& k) override {
    return target_.DeleteObject(b, k);
  }

 private:
  ObjectStore& target_;
  int fail_at_;
  int puts_ = 0;
};

}  // namespace meshsim::testing
