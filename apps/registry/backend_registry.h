// The composition root: the one place that names concrete implementations of the ports. Today
// only the in-process fakes; the real backends (librdkafka, SigV4 HTTPS) register here later.
#pragma once

#include <memory>
#include <string>

#include "sim/core/runtime.h"
#include "sim/mesh/mesh.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/kv_store.h"
#include "sim/ports/object_store.h"
#include "sim/ports/permissions.h"
#include "sim/ports/recommender.h"
#include "sim/ports/recommender_admin.h"
#include "sim/ports/schema_registry.h"
#include "sim/ports/subscriptions.h"
#include "sim/ports/user_store.h"
#include "sim/scenario/scenario.h"

namespace meshsim {

struct Backends {
  std::unique_ptr<EventStream> stream;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Permissions> permissions;      // Lake Formation's, over the catalog
  std::unique_ptr<Subscriptions> subscriptions;  // the data-product workflow, over permissions
  // The producers' stores; null unless the scenario's stores are enabled. Before the
  // recommender, which reads imports from `objects`, so they outlive it.
  std::unique_ptr<ObjectStore> objects;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<KvStore> items;
  std::unique_ptr<Recommender> recommender;
  std::unique_ptr<SchemaRegistry> registry;
  std::string tracking_id;
  std::string campaign_arn;
  std::unique_ptr<StreamFaults> faults;  // null for a backend without fault powers
  // With an aws-* recipe: the Personalize deployment (over `recommender`) and its datasets.
  std::unique_ptr<RecommenderAdmin> admin;
  std::string items_dataset_arn;
  std::string users_dataset_arn;

  MeshPorts ports() const {
    return {stream.get(),        catalog.get(),
            recommender.get(),   registry.get(),
            tracking_id,         campaign_arn,
            faults.get(),        permissions.get(),
            subscriptions.get(), StoreSet{objects.get(), users.get(), items.get()},
            admin.get(),         items_dataset_arn,
            users_dataset_arn};
  }
};

// The backend kinds there are ("fake").
const std::vector<std::string>& BackendKinds();

// What the scenario loader cannot check because it belongs to a backend: an aws-* recipe's
// hyperparameters, against the recipe's (InvalidInputException "FILE: at
// /recommender/hyperparameters: ..." naming the hyperparameter). MakeBackends checks it too.
Status CheckBackendSettings(const Scenario& scenario);

// Builds every port of `kind` for `scenario`. The catalog and the permissions (and the producers'
// stores, when the scenario enables them) persist in `state_dir` (created if missing) so a later
// run sees an earlier run's; empty keeps them in memory. InvalidInputException for an unknown
// kind or a state directory that cannot be used.
Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario,
                              const std::string& kind = "fake", const std::string& state_dir = "");

// The state a run leaves in a state directory: the catalog and the permissions, for
// `meshsim catalog` and for tests, and with `with_stores` the producers' stores too (null
// otherwise). `runtime` (may be null) stamps the audit log. Laid out as
//   DIR/catalog.sqlite, DIR/permissions.sqlite, DIR/subscriptions.sqlite
//   DIR/objects/BUCKET/KEY   the object store: raw landings and data products
//   DIR/users.sqlite         the Users domain's relational store
//   DIR/items.sqlite         the Songs and Podcasts domains' key-value tables
struct StateStores {
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Permissions> permissions;
  std::unique_ptr<Subscriptions> subscriptions;  // destroyed first: it grants through permissions
  std::unique_ptr<ObjectStore> objects;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<KvStore> items;
};
inline constexpr const char* kCatalogFile = "catalog.sqlite";
inline constexpr const char* kPermissionsFile = "permissions.sqlite";
inline constexpr const char* kSubscriptionsFile = "subscriptions.sqlite";
inline constexpr const char* kObjectsFolder = "objects";
inline constexpr const char* kUsersFile = "users.sqlite";
inline constexpr const char* kItemsFile = "items.sqlite";
Result<StateStores> OpenState(Runtime* runtime, const std::string& state_dir,
                              bool with_stores = false);

}  // namespace meshsim
