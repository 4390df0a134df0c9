// The composition root: the one place that names concrete implementations of the ports. Today
// only the in-process fakes; the real backends (librdkafka, SigV4 HTTPS) register here later.
#pragma once

#include <memory>
#include <string>

#include "sim/mesh.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/permissions.h"
#include "sim/ports/recommender.h"
#include "sim/ports/schema_registry.h"
#include "sim/ports/subscriptions.h"
#include "sim/runtime.h"
#include "sim/scenario.h"

namespace meshsim {

struct Backends {
  std::unique_ptr<EventStream> stream;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Permissions> permissions;      // Lake Formation's, over the catalog
  std::unique_ptr<Subscriptions> subscriptions;  // the data-product workflow, over permissions
  std::unique_ptr<Recommender> recommender;
  std::unique_ptr<SchemaRegistry> registry;
  std::string tracking_id;
  std::string campaign_arn;
  std::unique_ptr<StreamFaults> faults;  // null for a backend without fault powers

  MeshPorts ports() const {
    return {stream.get(), catalog.get(), recommender.get(), registry.get(),     tracking_id,
            campaign_arn, faults.get(),  permissions.get(), subscriptions.get()};
  }
};

// The backend kinds there are ("fake").
const std::vector<std::string>& BackendKinds();

// Builds every port of `kind` for `scenario`. The catalog and the permissions persist in
// `state_dir` (created if missing) so a later run sees an earlier run's; empty keeps them in
// memory. InvalidInputException for an unknown kind or a state directory that cannot be used.
Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario,
                              const std::string& kind = "fake", const std::string& state_dir = "");

// The state a run leaves in a state directory: the catalog and the permissions, for
// `meshsim catalog` and for tests. `runtime` (may be null) stamps the audit log.
struct StateStores {
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Permissions> permissions;
  std::unique_ptr<Subscriptions> subscriptions;  // destroyed first: it grants through permissions
};
inline constexpr const char* kCatalogFile = "catalog.sqlite";
inline constexpr const char* kPermissionsFile = "permissions.sqlite";
inline constexpr const char* kSubscriptionsFile = "subscriptions.sqlite";
Result<StateStores> OpenState(Runtime* runtime, const std::string& state_dir);

}  // namespace meshsim
