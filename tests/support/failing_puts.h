// An ObjectStore test double that forwards every call and fails PutObject from the n-th on, so a
// test walks a writer's failure points (a disk that fills up).
#pragma once

#include <climits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/object_store.h"

namespace meshsim::testing {

class FailingPuts final : public ForwardingObjectStore {
 public:
  // Fails the `fail_at`-th PutObject (1-based) and every one after it; INT_MAX: none.
  explicit FailingPuts(ObjectStore& target, int fail_at = INT_MAX)
      : ForwardingObjectStore(target), fail_at_(fail_at) {}
  // Every PutObject from now on fails.
  void FailFromNow() { fail_at_ = puts_ + 1; }

  Result<ObjectInfo> PutObject(const std::string& b, const std::string& k,
                               std::string_view body) override {
    if (++puts_ >= fail_at_) return Status(Code::kInternal, "injected: disk full");
    return ForwardingObjectStore::PutObject(b, k, body);
  }

 private:
  int fail_at_;
  int puts_ = 0;
};

}  // namespace meshsim::testing
