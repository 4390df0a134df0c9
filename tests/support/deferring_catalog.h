// A Catalog test double that answers like one across a network: each ...Async call the ETL makes
// is queued, and answered (by the inner catalog's blocking form, at that moment) only when the
// test calls Answer(). Whoever waits on it must go on without blocking.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/ports/catalog.h"

namespace meshsim::testing {

class DeferringCatalog final : public ForwardingCatalog {
 public:
  explicit DeferringCatalog(Catalog& target) : ForwardingCatalog(target) {}

  size_t waiting() const { return queue_.size(); }
  // Answers the oldest waiting call. REQUIRES: waiting() > 0.
  void Answer() {
    std::function<void()> next = std::move(queue_.front());
    queue_.pop_front();
    next();
  }
  // Answers until nothing waits; how many calls that was.
  size_t AnswerAll() {
    size_t n = 0;
    for (; !queue_.empty(); ++n) Answer();
    return n;
  }

  void GetDatabaseAsync(const std::string& name, Done<Result<Database>> done) const override {
    Later([=, this] { done(GetDatabase(name)); });
  }
  void CreateDatabaseAsync(const Database& d, Done<Status> done) override {
    Later([=, this] { done(CreateDatabase(d)); });
  }
  void DeleteDatabaseAsync(const std::string& name, Done<Status> done) override {
    Later([=, this] { done(DeleteDatabase(name)); });
  }
  void GetTableAsync(const std::string& d, const std::string& t,
                     Done<Result<Table>> done) const override {
    Later([=, this] { done(GetTable(d, t)); });
  }
  void CreateTableAsync(const Table& t, Done<Status> done) override {
    Later([=, this] { done(CreateTable(t)); });
  }
  void UpdateTableAsync(const Table& t, const UpdateTableOptions& o, Done<Status> done) override {
    Later([=, this] { done(UpdateTable(t, o)); });
  }
  void DeleteTableAsync(const std::string& d, const std::string& t, Done<Status> done) override {
    Later([=, this] { done(DeleteTable(d, t)); });
  }
  void GetPartitionAsync(const std::string& d, const std::string& t,
                         const std::vector<std::string>& v,
                         Done<Result<Partition>> done) const override {
    Later([=, this] { done(GetPartition(d, t, v)); });
  }
  void BatchCreatePartitionAsync(const std::string& d, const std::string& t,
                                 const std::vector<Partition>& ps,
                                 Done<Result<std::vector<PartitionError>>> done) override {
    Later([=, this] { done(BatchCreatePartition(d, t, ps)); });
  }
  void UpdatePartitionAsync(const std::string& d, const std::string& t,
                            const std::vector<std::string>& v, const Partition& p,
                            Done<Status> done) override {
    Later([=, this] { done(UpdatePartition(d, t, v, p)); });
  }
  void DeletePartitionAsync(const std::string& d, const std::string& t,
                            const std::vector<std::string>& v, Done<Status> done) override {
    Later([=, this] { done(DeletePartition(d, t, v)); });
  }

 private:
  void Later(std::function<void()> answer) const { queue_.push_back(std::move(answer)); }

  mutable std::deque<std::function<void()>> queue_;
};

}  // namespace meshsim::testing
