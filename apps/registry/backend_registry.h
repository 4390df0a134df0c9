// The composition root: the one place that names concrete implementations of the ports. Each port
// (stream, schema_registry, catalog, object_store, stores, recommender: sim/scenario/scenario.h's
// kBackendPorts) is built by the kind chosen for it: the scenario's `backends` section, then
// --backend PORT=KIND[:ARGS] flags, later ones winning; "fake" where nothing is said. Today every
// port has only the in-process "fake"; the real backends (librdkafka, SigV4 HTTPS) register here
// as kinds of their ports.
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

// One kind of implementation of one port, as the registry lists them.
struct BackendKind {
  const char* port;
  const char* kind;
  const char* summary;
};
// Every (port, kind) the registry can build, ports in kBackendPorts' order.
const std::vector<BackendKind>& BackendKinds();

// The kind chosen for one port, and who chose it ("--backend stream=fake", or the scenario's
// "FILE:LINE:COL: at /backends/stream"), for messages.
struct BackendChoice {
  std::string port;
  std::string kind;
  std::string args;  // what followed "KIND:", for the kind to read
  std::string origin;
};

// One choice per port of kBackendPorts, in that order: "fake" unless `scenario.backends` or
// `flags` ("PORT=KIND[:ARGS]", later ones winning over earlier ones and over the scenario) say
// otherwise. Only the final choice of a port is checked, so a flag can stand in for a kind the
// scenario names but this build lacks. InvalidInputException naming the flag or the file
// position for a malformed flag, an unknown port, a kind the port does not have, or arguments a
// kind does not take.
Result<std::vector<BackendChoice>> ChooseBackends(const Scenario& scenario,
                                                  const std::vector<std::string>& flags);

// Everything about `scenario`'s backends that can be known before building them: the choices
// (ChooseBackends with `flags`) and the settings their kinds take (CheckBackendSettings). For
// `validate` and `test`, which refuse a bad file before running anything.
Status CheckBackends(const Scenario& scenario, const std::vector<std::string>& flags);

// What the scenario loader cannot check because it belongs to a backend: an aws-* recipe's
// hyperparameters, against the recipe's (InvalidInputException "FILE: at
// /recommender/hyperparameters: ..." naming the hyperparameter). MakeBackends checks it too.
Status CheckBackendSettings(const Scenario& scenario);

// Builds every port for `scenario` as ChooseBackends(scenario, flags) chose. The catalog and the
// permissions (and the producers' stores, when the scenario enables them) persist in `state_dir`
// (created if missing) so a later run sees an earlier run's; empty keeps them in memory.
// InvalidInputException for a bad choice (as ChooseBackends) or a state directory that cannot be
// used.
Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario,
                              const std::vector<std::string>& flags = {},
                              const std::string& state_dir = "");

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
