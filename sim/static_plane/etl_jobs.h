// The producers' stores as the seed describes them, and one ETL job per producer reading its
// store through its port: Users from the relational store, Songs and Podcasts from the key-value
// store, Interactions from the raw event files landed in the object store by date and hour.
//
// Sim time is microseconds since the scenario epoch, 2026-11-24T00:00:00Z (kScenarioEpochUnix):
// sim time 0 lands in dt=2026-11-24/hour=00.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/sim_epoch.h"
#include "sim/ports/kv_store.h"
#include "sim/ports/records.h"
#include "sim/ports/user_store.h"
#include "sim/static_plane/etl.h"

namespace meshsim {

// "2026-11-24" and 0-23 for a sim time (UTC). REQUIRES: sim_us >= 0.
std::string SimDate(int64_t sim_us);
int SimHour(int64_t sim_us);

// Writes `events` as raw JSON Lines files, one a (date, hour) they fall in, at
//   BUCKET/raw/dt=YYYY-MM-DD/hour=HH/part-NNNNN.jsonl
// NNNNN one past that hour's highest part, so each landing adds files and replaces none. Returns
// the keys written, in order. An event's fields keep model.h's names. ValidationException for a
// negative timestamp (nothing written); a put that fails takes back the files the call wrote.
Result<std::vector<std::string>> LandInteractions(ObjectStore& store, const std::string& bucket,
                                                  const std::vector<Interaction>& events);

// The products' specs: the seed's columns (those the producers publish in mesh.cc), each domain
// its own bucket "DOMAIN-domain" and database "DOMAIN_domain".
ProductSpec UsersProduct(ProductFormat format = ProductFormat::kCsv);
ProductSpec ItemsProduct(const std::string& domain, ProductFormat format = ProductFormat::kCsv);
ProductSpec InteractionsProduct(ProductFormat format = ProductFormat::kCsv);

// The jobs. Users, songs and podcasts publish a snapshot of their store as the partition of
// `now_us`'s date; interactions publish every landed date as its own partition, from the raw
// files in `spec.bucket`. Each reads its store, then publishes (PublishProduct: the catalog's
// calls do not block the runtime's thread). The stores and the catalog must outlive the run.
Co<Result<PublishedProduct>> RunUsersEtl(const UserStore& users, ObjectStore& store,
                                         Catalog& catalog, ProductSpec spec, int64_t now_us);
// Items of the key-value table `table` (item_id, item_type, genre, creation_timestamp); a missing
// attribute is an empty value.
Co<Result<PublishedProduct>> RunItemsEtl(const KvStore& kv, std::string table, ObjectStore& store,
                                         Catalog& catalog, ProductSpec spec, int64_t now_us);
// InvalidInputException naming the file and line for a raw line that is not an event.
Co<Result<PublishedProduct>> RunInteractionsEtl(ObjectStore& store, Catalog& catalog,
                                                ProductSpec spec);

}  // namespace meshsim
