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

class FailingCatalog final : public Catalog {
 public:
  // Fails the `fail_at`-th changing call (1-based), a passing fault: the calls after it, an
  // undo's among them, go through. INT_MAX: none.
  explicit FailingCatalog(Catalog& target, int fail_at = INT_MAX)
      : target_(target), fail_at_(fail_at) {}
  int changes() const { return changes_; }

  Status CreateDatabase(const Database& d) override {
    return Fail() ? Injected() : target_.CreateDatabase(d);
  }
  Result<Database> GetDatabase(const std::string& n) const override {
    return target_.GetDatabase(n);
  }
  Result<std::vector<Database>> GetDatabases() const override { return target_.GetDatabases(); }
  Status DeleteDatabase(const std::string& n) override { return target_.DeleteDatabase(n); }
  Status CreateTable(const Table& t) override {
    return Fail() ? Injected() : target_.CreateTable(t);
  }
  Status UpdateTable(const Table& t, const UpdateTableOptions& o) override {
    return Fail() ? Injected() : target_.UpdateTable(t, o);
  }
  Result<Table> GetTable(const std::string& d, const std::string& n) const override {
    return target_.GetTable(d, n);
  }
  Result<std::vector<Table>> GetTables(const std::string& d) const override {
    return target_.GetTables(d);
  }
  Status DeleteTable(const std::string& d, const std::string& n) override {
    return target_.DeleteTable(d, n);
  }
  Result<std::vector<Table>> GetTableVersions(const std::string& d,
                                              const std::string& n) const override {
    return target_.GetTableVersions(d, n);
  }
  Result<Table> GetTableVersion(const std::string& d, const std::string& n,
                                const std::string& v) const override {
    return target_.GetTableVersion(d, n, v);
  }
  Status DeleteTableVersion(const std::string& d, const std::string& n,
                            const std::string& v) override {
    return target_.DeleteTableVersion(d, n, v);
  }
  Result<std::vector<Table>> SearchTables(const std::string& text) const override {
    return target_.SearchTables(text);
  }
  Result<std::vector<Table>> SearchTables(const TableSearch& s) const override {
    return target_.SearchTables(s);
  }
  Status CreatePartition(const Partition& p) override {
    return Fail() ? Injected() : target_.CreatePartition(p);
  }
  Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string& d, const std::string& t, const std::vector<Partition>& ps) override {
    if (!Fail() || ps.empty()) return target_.BatchCreatePartition(d, t, ps);
    std::vector<Partition> all_but_last(ps.begin(), ps.end() - 1);
    Result<std::vector<PartitionError>> errors = target_.BatchCreatePartition(d, t, all_but_last);
    if (!errors.ok()) return errors;
    errors->push_back(PartitionError{ps.back().values, Injected()});
    return errors;
  }
  Result<Partition> GetPartition(const std::string& d, const std::string& t,
                                 const std::vector<std::string>& v) const override {
    return target_.GetPartition(d, t, v);
  }
  Result<std::vector<Partition>> GetPartitions(const std::string& d, const std::string& t,
                                               const std::string& e) const override {
    return target_.GetPartitions(d, t, e);
  }
  Status UpdatePartition(const std::string& d, const std::string& t,
                         const std::vector<std::string>& v, const Partition& p) override {
    return Fail() ? Injected() : target_.UpdatePartition(d, t, v, p);
  }
  Status DeletePartition(const std::string& d, const std::string& t,
                         const std::vector<std::string>& v) override {
    return target_.DeletePartition(d, t, v);
  }

 private:
  bool Fail() { return ++changes_ == fail_at_; }
  static Status Injected() { return Status(Code::kInternal, "injected: the catalog failed"); }

  Catalog& target_;
  int fail_at_;
  int changes_ = 0;
};

}  // namespace meshsim::testing
