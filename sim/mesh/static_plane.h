// The mesh's static data plane (issue 6), the producer side: each producer domain keeps its
// entities at rest in its own store, and its ETL job turns that store into its data product (files
// in the object store, a partition in the catalog; sim/static_plane/etl_jobs.h).
//
// The workload hands it every entity it publishes (it is the workload's EntitySink): users go to
// the Users domain's relational store, songs and podcasts to the key-value store (tables "songs"
// and "podcasts" keyed by item_id), interactions are landed in the object store as raw JSON Lines
// by date and hour, batched: the events of each landing interval go out together at its end, not
// one file an event. Etl(domain) runs that domain's job and records the run, published or failed;
// a failed run leaves the previous product version in place (PublishProduct's all or nothing).
#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/ports/catalog.h"
#include "sim/ports/kv_store.h"
#include "sim/ports/object_store.h"
#include "sim/ports/records.h"
#include "sim/ports/user_store.h"
#include "sim/scenario/scenario.h"
#include "sim/static_plane/etl.h"
#include "sim/workload/workload.h"

namespace meshsim {

// The stores; all three must be given for the static plane to run.
struct StoreSet {
  ObjectStore* objects = nullptr;  // raw landing files and data products
  UserStore* users = nullptr;      // the Users domain's relational store
  KvStore* items = nullptr;        // the Songs and Podcasts domains' key-value tables
};

// One ETL run, as the report lists it.
struct EtlRun {
  int64_t at_us = 0;
  std::string domain;                  // "songs"
  std::string table;                   // "songs_domain.songs"
  bool published = false;              // false: failed, nothing changed
  std::vector<std::string> locations;  // each partition's new location, when published
  uint64_t rows = 0;                   // rows written, over every partition
  std::string reason;                  // the error, when failed
};

// What the stores took in, and what they refused.
struct StoreCounts {
  uint64_t users = 0;          // users written to the user store
  uint64_t items = 0;          // items written to the key-value store
  uint64_t events_landed = 0;  // interactions landed as raw files
  uint64_t files_landed = 0;   // raw files written
  uint64_t failed_writes = 0;  // store calls that failed (their entities are not at rest)
  std::string first_failure;   // the first failure's error
};

class StaticPlane final : public EntitySink {
 public:
  // `catalog_of(domain)` is the catalog as the producer domain's account sees it. The stores,
  // the runtime and the catalogs must outlive this object.
  StaticPlane(Runtime& runtime, const StoreSettings& settings, StoreSet stores,
              std::function<Catalog&(const std::string&)> catalog_of);

  // The key-value tables and the landing bucket, if missing (a later run on the same state finds
  // them).
  Status Start();

  void User(const UserProfile& user) override;
  void Item(const CatalogItem& item) override;
  void Event(const Interaction& event) override;

  // Lands the interactions waiting for their interval's end now.
  void Land();
  // Runs the ETL job of a producer domain (users, songs, podcasts, interactions; interactions
  // lands what is waiting first) into its data product, and records the run in runs() when it
  // ends: before Etl returns on a catalog in this process, later on one across a network, whose
  // calls do not block the runtime's thread meanwhile (running() counts those).
  // One run of a domain at a time: a run asked for while one is still running is recorded as
  // failed (two would both move the same partitions). REQUIRES: a producer domain's name; no run
  // still running when this object is destroyed.
  void Etl(const std::string& domain);
  size_t running() const { return running_.size(); }
  ~StaticPlane() override { assert(running_.empty() && "an ETL run outlives the static plane"); }

  // The product spec of a producer domain's ETL job (sim/static_plane/etl_jobs.h).
  static ProductSpec SpecOf(const std::string& domain);

  const std::vector<EtlRun>& runs() const { return runs_; }
  const StoreCounts& counts() const { return counts_; }

 private:
  void Failed(const Status& s);

  Runtime& runtime_;
  StoreSettings settings_;
  StoreSet stores_;
  std::function<Catalog&(const std::string&)> catalog_of_;
  std::vector<Interaction> waiting_;  // not yet landed
  bool landing_scheduled_ = false;
  std::vector<EtlRun> runs_;
  std::set<std::string> running_;  // the domains whose ETL run has not ended
  StoreCounts counts_;
};

}  // namespace meshsim
