// The mesh: the producer domains, the consumer domains and the workload of one scenario, wired to
// the ports it is given. It names no concrete fake or backend: the composition root (apps/) builds
// those and hands them in, so the same mesh runs on the in-process fakes or the real services.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/compute_meter.h"
#include "sim/domains/analytics.h"
#include "sim/domains/producer.h"
#include "sim/domains/recommendations.h"
#include "sim/domains/recommendations_etl.h"
#include "sim/mesh/static_plane.h"
#include "sim/metrics/metrics.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/permissions.h"
#include "sim/ports/recommender.h"
#include "sim/ports/recommender_admin.h"
#include "sim/ports/schema_registry.h"
#include "sim/ports/stream_faults.h"
#include "sim/ports/subscriptions.h"
#include "sim/scenario/scenario.h"
#include "sim/static_plane/product_access.h"
#include "sim/workload/workload.h"

namespace meshsim {

struct MeshPorts {
  EventStream* stream = nullptr;
  Catalog* catalog = nullptr;
  Recommender* recommender = nullptr;
  SchemaRegistry* registry = nullptr;  // where the topics' schemas are registered
  std::string tracking_id;             // the event tracker PutEvents names
  std::string campaign_arn;            // the campaign GetRecommendations names
  StreamFaults* faults = nullptr;  // fault powers over the stream; null when the backend has none
  // Lake Formation over the catalog, and the data-product workflow. When both are given the
  // domains use the catalog as their own accounts, and the consumers subscribe to the products
  // they read; null: the catalog is ungoverned.
  Permissions* permissions = nullptr;
  Subscriptions* subscriptions = nullptr;
  // The producers' stores (sim/mesh/static_plane.h), used when the scenario's stores are enabled:
  // Start() fails without them then. The object store also holds the data products consumers
  // read; null: product reads stop at the catalog.
  StoreSet stores = {};
  // The Recommendations domain's deployment of its Personalize campaign (an aws-* recipe), and
  // the datasets PutItems and PutUsers name; null and empty for the real-time recipes.
  RecommenderAdmin* admin = nullptr;
  std::string items_dataset_arn = {};
  std::string users_dataset_arn = {};
};

// A deploy_recommender action and what came of it.
struct RecommenderDeploy {
  int64_t at_us = 0;
  std::string source;        // "products" or "events"
  int64_t finished_us = -1;  // -1 while in progress
  bool deployed = false;     // the campaign serves the new version
  std::string reason;        // when it failed
  std::string solution_version_arn;
  int64_t rows_imported = 0;
  double training_hours = 0;
  MergedDatasets merged;  // "products": what the Recommendations ETL wrote
};

// A schema evolution the timeline asked for, and what the registry said.
struct SchemaChange {
  int64_t at_us = 0;
  std::string domain;
  bool registered = false;
  int64_t version_number = 0;  // when registered
  std::string reason;          // when refused
};

struct AppliedAction {
  int64_t at_us;
  std::string action;
  std::string describe;
};

class Mesh {
 public:
  // `scenario` and the ports must outlive the mesh. REQUIRES: the runtime is not run after the
  // mesh is destroyed (its timers and callbacks point into it). On the virtual clock the produce
  // and the recommender hops take the scenario's modelled latency.
  Mesh(Runtime& runtime, const Scenario& scenario, MeshPorts ports);
  ~Mesh();
  Mesh(const Mesh&) = delete;
  Mesh& operator=(const Mesh&) = delete;

  // Creates the topics, starts the producers (each registers its data product), the consumers
  // and the workload, and schedules the timeline. Nothing runs until the runtime does.
  // `after_timeline`, if set, is called once the timeline is scheduled and before anything else
  // is: the harness schedules its expectations' checks there, so a check at an action's time
  // runs after the action and sees its effect. A second call does nothing.
  Status Start(const std::function<void()>& after_timeline = nullptr);
  // Start() if needed, then runs the scenario's duration, stops the workload and drains: returns
  // when every produced record is applied or dead-lettered, or the drain limit passes.
  Status Run();
  // Runs the runtime for `us` more microseconds of its clock.
  void RunFor(int64_t us);
  // Stops new traffic and runs until the pipeline is empty (at most `limit_us` on the clock),
  // then settles the analytics domain and the recommender, so what they do in this process for
  // the run is done.
  void Drain(int64_t limit_us = 600 * kMicrosPerSecond);

  // Applies one timeline action now (Start() schedules the scenario's at their times).
  void Apply(const ActionParams& params);

  // Timeline actions.
  void PublishItems(ItemType type, int64_t count, const std::string& genre, double rank);
  void SetEventRate(double events_per_second);
  void SetRateCurve(const RateCurve& curve);
  void RetireItems(ItemType type, int64_t count, const std::string& genre, RetirePick pick);
  void RetireItemIds(const std::vector<std::string>& item_ids);
  // Pauses or resumes a producer domain by name ("users", "songs", "podcasts", "interactions"):
  // while paused it publishes nothing and the workload generates nothing for it. False for an
  // unknown name.
  bool SetDomainPaused(const std::string& domain, bool paused);
  // A producer domain publishes `count` records whose values are not its records' encoding
  // (poison): the consumer functions must dead-letter each with its reason and go on with the
  // partition. False for an unknown name.
  bool PublishPoison(const std::string& domain, int64_t count);
  // A producer domain publishes `count` copies of `datum`, serialised with its current schema: a
  // datum the schema refuses is counted as rejected and dead-lettered at the producer. False for
  // an unknown name.
  bool PublishDatum(const std::string& domain, const nlohmann::json& datum, int64_t count);
  // A producer domain registers the next version of its topic's schema and writes with it from
  // now on; a version the registry refuses is noted with the reason and changes nothing. The
  // outcome is in schema_changes(). False for an unknown name.
  bool EvolveSchema(const std::string& domain, const std::string& definition,
                    const nlohmann::json& values);
  // Stops or restarts a consumer function's event-source mapping by name (UsersUpdate,
  // SongsUpdate, PodcastsUpdate, InteractionsUpdate, InteractionsIngestor). While it is stopped
  // records wait in the topic as the group's lag; a restart resumes from the committed offset. A
  // batch in flight at the stop finishes but is not committed, so it comes again after the
  // restart (at least once, as with Lambda). False for an unknown name.
  bool StopConsumer(const std::string& function);
  bool RestartConsumer(const std::string& function);
  // Runs `fault` on the stream's fault powers; false (and the action noted as not applied) when
  // the backend has none.
  bool InjectFault(const std::function<void(StreamFaults&)>& fault);

  // A producer ends a consumer domain's subscriptions to its product (revoking their grants),
  // and a consumer domain reads a producer's product through the catalog as its account sees
  // it; both recorded in the report. False when the catalog is not governed or a name is
  // unknown.
  bool RevokeAccess(const std::string& consumer, const std::string& producer);
  bool ReadProduct(const std::string& consumer, const std::string& producer);
  // Null when the catalog is not governed.
  const ProductAccess* product_access() const { return product_access_.get(); }
  // A producer domain's ETL job ("all": each in turn) writes its data product; every run is in
  // static_plane()->runs(). False when the scenario's stores are off or the name is unknown.
  bool RunEtl(const std::string& domain);
  // Null when the scenario's stores are off.
  const StaticPlane* static_plane() const { return static_plane_.get(); }
  // The Recommendations domain deploys its campaign: from the products it reads (its ETL job
  // merges them into Personalize's datasets, which are imported) or from the events put so far.
  // Recorded in deploys(). False without a Personalize admin.
  bool DeployRecommender(bool from_products);
  const std::vector<RecommenderDeploy>& deploys() const { return deploys_; }

  // The consumer function's mapping, or null for an unknown name.
  EventSourceMapping* FindConsumer(const std::string& function);

  // What a user of the recommendations API would get now. Drives the runtime until the answer
  // arrives (at once on the fakes).
  Result<GetRecommendationsResponse> Recommend(const std::string& user_id, int num_results = 25);

  Runtime& runtime() { return runtime_; }
  const Scenario& scenario() const { return scenario_; }
  Metrics& metrics() { return metrics_; }
  const Metrics& metrics() const { return metrics_; }
  // meshsim's own compute cost per stage, measured on the wall clock (apart from modelled time).
  const ComputeMeter& compute() const { return compute_; }
  Workload& workload() { return *workload_; }
  const AnalyticsDomain& analytics() const { return *analytics_; }
  const RecommendationsDomain& recommendations() const { return *recommendations_; }
  const std::vector<AppliedAction>& applied_actions() const { return applied_; }
  const std::vector<SchemaChange>& schema_changes() const { return schema_changes_; }
  const std::vector<std::unique_ptr<ProducerDomain>>& producers() const { return producers_; }
  const MeshPorts& ports() const { return ports_; }

 private:
  bool PipelineEmpty() const;
  ProducerDomain* FindProducer(const std::string& domain);  // null for an unknown name
  // Appends one point to metrics().series(); reschedules itself until the scenario's end.
  void Sample();

  Runtime& runtime_;
  const Scenario& scenario_;
  MeshPorts ports_;
  Metrics metrics_;
  ComputeMeter compute_;
  std::unique_ptr<ProductAccess> product_access_;
  std::unique_ptr<StaticPlane> static_plane_;
  std::unique_ptr<EventStream> delayed_stream_;
  std::unique_ptr<Recommender> delayed_recommender_;
  std::vector<std::unique_ptr<ProducerDomain>> producers_;
  std::unique_ptr<Workload> workload_;
  std::unique_ptr<RecommendationsDomain> recommendations_;
  std::unique_ptr<AnalyticsDomain> analytics_;
  std::vector<AppliedAction> applied_;
  std::vector<SchemaChange> schema_changes_;
  std::vector<RecommenderDeploy> deploys_;
  bool started_ = false;
  uint64_t poisoned_ = 0;  // poison records published, for their keys
  uint64_t sampled_produced_ = 0;
  uint64_t sampled_applied_ = 0;
};

}  // namespace meshsim
