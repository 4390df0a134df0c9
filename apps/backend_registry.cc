#include "apps/backend_registry.h"

#include "fakes/broker.h"
#include "fakes/catalog.h"
#include "fakes/recommender.h"
#include "fakes/schema_registry.h"

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

Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario, const std::string& kind) {
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
  auto catalog = fakes::MakeSqliteCatalog(":memory:");
  if (!catalog.ok()) return catalog.status();
  b.catalog = std::move(*catalog);
  fakes::FakeRecommenderOptions options;
  options.recipe = scenario.recipe;
  options.history_length = static_cast<size_t>(scenario.history_length);
  options.tracking_id = b.tracking_id;
  options.campaign_arn = b.campaign_arn;
  options.put_events_tps = scenario.put_events_tps;
  auto recommender = fakes::MakeFakeRecommender(runtime, options);
  if (!recommender.ok()) return recommender.status();
  b.recommender = std::move(*recommender);
  fakes::FakeSchemaRegistryOptions registry_options;
  registry_options.account_id = "000000000000";
  auto registry = fakes::MakeFakeSchemaRegistry(runtime, registry_options);
  if (!registry.ok()) return registry.status();
  b.registry = std::move(*registry);
  return b;
}

}  // namespace meshsim
