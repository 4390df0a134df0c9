#include "apps/backend_registry.h"

#include "fakes/broker.h"
#include "fakes/catalog.h"
#include "fakes/recommender.h"

namespace meshsim {

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
  b.stream = fakes::MakeFakeEventStream(runtime);
  auto catalog = fakes::MakeSqliteCatalog(":memory:");
  if (!catalog.ok()) return catalog.status();
  b.catalog = std::move(*catalog);
  fakes::FakeRecommenderOptions options;
  options.recipe = scenario.recipe;
  options.history_length = static_cast<size_t>(scenario.history_length);
  options.tracking_id = b.tracking_id;
  options.campaign_arn = b.campaign_arn;
  auto recommender = fakes::MakeFakeRecommender(runtime, options);
  if (!recommender.ok()) return recommender.status();
  b.recommender = std::move(*recommender);
  return b;
}

}  // namespace meshsim
