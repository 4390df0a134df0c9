#include "apps/registry/backend_registry.h"

#include <filesystem>

#include "fakes/glue_catalog/catalog.h"
#include "fakes/glue_schema_registry/schema_registry.h"
#include "fakes/kafka/broker.h"
#include "fakes/lake_formation/permissions.h"
#include "fakes/lake_formation/subscriptions.h"
#include "fakes/personalize/deployment.h"
#include "fakes/personalize/model.h"
#include "fakes/personalize/personalize.h"
#include "fakes/storage/kv_store.h"
#include "fakes/storage/object_store.h"
#include "fakes/storage/user_store.h"
#include "sim/governance/accounts.h"
#include "sim/realtime_recommender/realtime_recommender.h"

namespace meshsim {
namespace {

// The in-process broker's control, as the scenario engine's fault powers.
class BrokerFaults final : public StreamFaults {
 public:
  explicit BrokerFaults(fakes::FakeBrokerControl& control) : control_(control) {}
  void BrokerDownFor(int64_t span_us) override { control_.SetDownFor(span_us); }
  void FailNext(StreamApi api, std::vector<Code> errors) override {
    control_.PushErrors(api == StreamApi::kProduce ? fakes::BrokerApi::kProduce
                        : api == StreamApi::kFetch ? fakes::BrokerApi::kFetch
                                                   : fakes::BrokerApi::kCommit,
                        std::move(errors));
  }
  void SetLatency(int64_t latency_us) override { control_.SetLatency(latency_us); }
  Status ChangeLeader(const TopicPartition& tp) override { return control_.ChangeLeader(tp); }

 private:
  fakes::FakeBrokerControl& control_;
};

}  // namespace

const std::vector<std::string>& BackendKinds() {
  static const std::vector<std::string> kKinds = {"fake"};
  return kKinds;
}

namespace {

Result<std::string> StateFile(const std::string& state_dir, const char* name) {
  if (state_dir.empty()) return std::string(":memory:");
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec || !std::filesystem::is_directory(state_dir)) {
    return Status(Code::kInvalidInput, "--state " + state_dir +
                                           ": cannot use it as a state directory" +
                                           (ec ? ": " + ec.message() : ""));
  }
  return (std::filesystem::path(state_dir) / name).string();
}

// The producers' stores in `state_dir` (in memory when it is empty).
Status OpenStores(const std::string& state_dir, StateStores* state) {
  if (state_dir.empty()) {
    state->objects = fakes::MakeMemoryObjectStore();
  } else {
    auto folder = StateFile(state_dir, kObjectsFolder);
    if (!folder.ok()) return folder.status();
    auto objects = fakes::MakeFolderObjectStore(*folder);
    if (!objects.ok()) return objects.status();
    state->objects = std::move(*objects);
  }
  auto users_file = StateFile(state_dir, kUsersFile);
  if (!users_file.ok()) return users_file.status();
  auto users = fakes::MakeSqliteUserStore(*users_file);
  if (!users.ok()) return users.status();
  state->users = std::move(*users);
  auto items_file = StateFile(state_dir, kItemsFile);
  if (!items_file.ok()) return items_file.status();
  auto items = fakes::MakeSqliteKvStore(*items_file);
  if (!items.ok()) return items.status();
  state->items = std::move(*items);
  return Status::Ok();
}

}  // namespace

Result<StateStores> OpenState(Runtime* runtime, const std::string& state_dir, bool with_stores) {
  StateStores state;
  auto catalog_file = StateFile(state_dir, kCatalogFile);
  if (!catalog_file.ok()) return catalog_file.status();
  auto catalog = fakes::MakeSqliteCatalog(*catalog_file);
  if (!catalog.ok()) return catalog.status();
  state.catalog = std::move(*catalog);
  auto permissions_file = StateFile(state_dir, kPermissionsFile);
  if (!permissions_file.ok()) return permissions_file.status();
  fakes::PermissionsOptions options;
  options.path = *permissions_file;
  options.find_resource = CatalogResourceFinder(*state.catalog);
  if (runtime) options.now_micros = [runtime] { return runtime->NowMicros(); };
  options.data_lake_admins = {kGovernanceAccount};
  auto permissions = fakes::MakeSqlitePermissions(std::move(options));
  if (!permissions.ok()) return permissions.status();
  state.permissions = std::move(*permissions);
  auto subscriptions_file = StateFile(state_dir, kSubscriptionsFile);
  if (!subscriptions_file.ok()) return subscriptions_file.status();
  fakes::SubscriptionsOptions subscription_options;
  subscription_options.path = *subscriptions_file;
  if (runtime) subscription_options.now_micros = [runtime] { return runtime->NowMicros(); };
  auto subscriptions =
      fakes::MakeSqliteSubscriptions(*state.permissions, std::move(subscription_options));
  if (!subscriptions.ok()) return subscriptions.status();
  state.subscriptions = std::move(*subscriptions);
  if (with_stores) {
    if (Status s = OpenStores(state_dir, &state); !s.ok()) return s;
  }
  return state;
}

namespace {

// Personalize in process for an aws-* recipe: its containers provision at once, the imports,
// trainings and campaign take the scenario's deploy_times, and imports read the object store.
Status MakePersonalize(Runtime& runtime, const Scenario& scenario, Backends& b) {
  fakes::FakePersonalizeOptions options;
  fakes::PersonalizeControlPlaneOptions& c = options.control;
  c.pending_us = c.dataset_group_us = c.dataset_us = c.event_tracker_us = c.solution_us =
      c.filter_us = 0;
  c.import_base_us = scenario.personalize.import_us;
  c.training_floor_us = scenario.personalize.training_us;
  c.campaign_us = scenario.personalize.campaign_us;
  ObjectStore* objects = b.objects.get();
  auto personalize = std::make_unique<fakes::FakePersonalize>(
      runtime,
      [objects](const std::string& uri) -> Result<std::string> {
        const S3Location l = SplitS3Uri(uri);
        if (objects == nullptr || l.bucket.empty() || l.key.empty()) {
          return Status(Code::kNoSuchKey, "no object store holds " + uri);
        }
        return objects->GetObject(l.bucket, l.key);
      },
      options);
  fakes::PersonalizeDeploymentOptions deployment;
  deployment.solution.recipe = scenario.recipe;
  deployment.solution.hyperparameters = scenario.personalize.hyperparameters;
  deployment.solution.min_provisioned_tps =
      static_cast<int>(scenario.personalize.min_provisioned_tps);
  fakes::ProvisionedDatasets datasets;
  auto admin = fakes::MakePersonalizeDeployment(runtime, *personalize, deployment, &datasets);
  if (!admin.ok()) {
    return Status(admin.status().code(),
                  scenario.file + ": at /recommender: " + admin.status().message());
  }
  b.tracking_id = (*admin)->tracking_id();
  b.campaign_arn = (*admin)->campaign_arn();
  b.items_dataset_arn = datasets.items;
  b.users_dataset_arn = datasets.users;
  b.recommender = std::move(personalize);
  b.admin = std::move(*admin);
  return Status::Ok();
}

}  // namespace

Status CheckBackendSettings(const Scenario& scenario) {
  if (!IsPersonalizeRecipe(scenario.recipe)) return Status::Ok();
  const Status s = fakes::personalize::ValidateHyperparameters(
      scenario.recipe, scenario.personalize.hyperparameters);
  if (s.ok()) return s;
  return Status(s.code(), scenario.file + ": at /recommender/hyperparameters: " + s.message());
}

Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario, const std::string& kind,
                              const std::string& state_dir) {
  if (kind != "fake") {
    return Status(Code::kInvalidInput, "unknown backend \"" + kind + "\"; expected \"fake\"");
  }
  Backends b;
  // The fakes stand for one AWS account in one region.
  b.tracking_id = "meshsim-tracker";
  b.campaign_arn = "arn:aws:personalize:us-east-1:000000000000:campaign/recommendations";
  fakes::FakeBroker broker = fakes::MakeFakeBroker(runtime);
  b.stream = std::move(broker.stream);
  b.faults = std::make_unique<BrokerFaults>(*broker.control);
  auto state = OpenState(&runtime, state_dir, scenario.stores.enabled);
  if (!state.ok()) return state.status();
  b.catalog = std::move(state->catalog);
  b.permissions = std::move(state->permissions);
  b.subscriptions = std::move(state->subscriptions);
  b.objects = std::move(state->objects);
  b.users = std::move(state->users);
  b.items = std::move(state->items);
  if (IsPersonalizeRecipe(scenario.recipe)) {
    if (Status s = CheckBackendSettings(scenario); !s.ok()) return s;
    if (Status s = MakePersonalize(runtime, scenario, b); !s.ok()) return s;
  } else {
    realtime::RealtimeRecommenderOptions options;
    options.recipe = scenario.recipe;
    options.history_length = static_cast<size_t>(scenario.history_length);
    options.tracking_id = b.tracking_id;
    options.campaign_arn = b.campaign_arn;
    options.put_events_tps = scenario.put_events_tps;
    auto recommender = realtime::MakeRealtimeRecommender(runtime, options);
    if (!recommender.ok()) return recommender.status();
    b.recommender = std::move(*recommender);
  }
  fakes::FakeSchemaRegistryOptions registry_options;
  registry_options.account_id = "000000000000";
  auto registry = fakes::MakeFakeSchemaRegistry(runtime, registry_options);
  if (!registry.ok()) return registry.status();
  b.registry = std::move(*registry);
  return b;
}

}  // namespace meshsim
