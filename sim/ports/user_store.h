// UserStore: the Users domain's relational store (a users table keyed by user_id), which its ETL
// job reads to shape the users data product.
//
// Abstract so the domain runs on SQLite (fakes/storage/user_store.h) here and on a managed database
// (RDS, later). Errors: ValidationException for an empty user_id, InternalFailure when the
// database fails. A call that fails changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/records.h"

namespace meshsim {

class UserStore {
 public:
  virtual ~UserStore() = default;

  // Inserts the user or replaces the row with its user_id.
  virtual Status PutUser(const UserProfile& user) = 0;
  virtual Result<std::optional<UserProfile>> GetUser(const std::string& user_id) const = 0;
  virtual Status DeleteUser(const std::string& user_id) = 0;
  // Keyset paging: at most `limit` users whose user_id sorts after `after_user_id` (byte order),
  // in that order; an empty `after_user_id` starts at the first. REQUIRES: limit > 0.
  virtual Result<std::vector<UserProfile>> ListUsers(const std::string& after_user_id,
                                                     int64_t limit) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingUserStore : public UserStore {
 public:
  explicit ForwardingUserStore(UserStore& target) : target_(target) {}

  Status PutUser(const UserProfile& user) override { return target_.PutUser(user); }
  Result<std::optional<UserProfile>> GetUser(const std::string& user_id) const override {
    return target_.GetUser(user_id);
  }
  Status DeleteUser(const std::string& user_id) override { return target_.DeleteUser(user_id); }
  Result<std::vector<UserProfile>> ListUsers(const std::string& after_user_id,
                                             int64_t limit) const override {
    return target_.ListUsers(after_user_id, limit);
  }

 protected:
  UserStore& target() const { return target_; }

 private:
  UserStore& target_;
};

}  // namespace meshsim
