// A Catalog test double that forwards every call and fails the n-th (only) of the calls that
// change the catalog's state (CreateDatabase, CreateTable, UpdateTable, CreatePartition,
// BatchCreatePartition, UpdatePartition), so a test walks a writer's failure points. A failing
// BatchCreatePartition behaves as Glue's can: it creates every partition but the last and names
// that one as failed. The deletes an undo makes are never failed.
#pragma once

#include <climits>
#include <string>
#include <vector>

#include "sim/ports/catalog.h"

namespace meshsim::testing {

class FailingCatalog final : public ForwardingCatalog {
 public:
  // Fails the `fail_at`-th changing call (1-based), a passing fault: the calls after it, an
  // undo's among them, go through. INT_MAX: none.
  explicit FailingCatalog(Catalog& target, int fail_at = INT_MAX)
      : ForwardingCatalog(target), fail_at_(fail_at) {}
  int changes() const { return changes_; }

  Status CreateDatabase(const Database& d) override {
    return Fail() ? Injected() : ForwardingCatalog::CreateDatabase(d);
  }
  Status CreateTable(const Table& t) override {
    return Fail() ? Injected() : ForwardingCatalog::CreateTable(t);
  }
  using ForwardingCatalog::UpdateTable;
  Status UpdateTable(const Table& t, const UpdateTableOptions& o) override {
    return Fail() ? Injected() : ForwardingCatalog::UpdateTable(t, o);
  }
  Status CreatePartition(const Partition& p) override {
    return Fail() ? Injected() : ForwardingCatalog::CreatePartition(p);
  }
  Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string& d, const std::string& t, const std::vector<Partition>& ps) override {
    if (!Fail() || ps.empty()) return ForwardingCatalog::BatchCreatePartition(d, t, ps);
    std::vector<Partition> all_but_last(ps.begin(), ps.end() - 1);
    Result<std::vector<PartitionError>> errors =
        ForwardingCatalog::BatchCreatePartition(d, t, all_but_last);
    if (!errors.ok()) return errors;
    errors->push_back(PartitionError{ps.back().values, Injected()});
    return errors;
  }
  Status UpdatePartition(const std::string& d, const std::string& t,
                         const std::vector<std::string>& v, const Partition& p) override {
    return Fail() ? Injected() : ForwardingCatalog::UpdatePartition(d, t, v, p);
  }

  // The ETL calls the asynchronous forms: they fail the same way, through the blocking ones.
  void CreateDatabaseAsync(const Database& d, Done<Status> done) override {
    done(CreateDatabase(d));
  }
  void CreateTableAsync(const Table& t, Done<Status> done) override { done(CreateTable(t)); }
  void UpdateTableAsync(const Table& t, const UpdateTableOptions& o, Done<Status> done) override {
    done(UpdateTable(t, o));
  }
  void CreatePartitionAsync(const Partition& p, Done<Status> done) override {
    done(CreatePartition(p));
  }
  void BatchCreatePartitionAsync(const std::string& d, const std::string& t,
                                 const std::vector<Partition>& ps,
                                 Done<Result<std::vector<PartitionError>>> done) override {
    done(BatchCreatePartition(d, t, ps));
  }
  void UpdatePartitionAsync(const std::string& d, const std::string& t,
                            const std::vector<std::string>& v, const Partition& p,
                            Done<Status> done) override {
    done(UpdatePartition(d, t, v, p));
  }

 private:
  bool Fail() { return ++changes_ == fail_at_; }
  static Status Injected() { return Status(Code::kInternal, "injected: the catalog failed"); }

  int fail_at_;
  int changes_ = 0;
};

}  // namespace meshsim::testing
