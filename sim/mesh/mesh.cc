#include "sim/mesh/mesh.h"

#include <variant>

#include "sim/core/ids.h"
#include "sim/core/overloaded.h"
#include "sim/latency/latency_ports.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

Column Col(const char* name, const char* type, const char* comment = "") {
  return Column{name, type, comment};
}

// The data product each producer domain publishes: the database is the domain's, the location is
// the product's prefix in the domain's bucket.
ProducerDomainConfig ProductOf(const std::string& domain, const std::string& topic,
                               std::string_view schema, std::string description,
                               std::vector<Column> columns) {
  ProducerDomainConfig c;
  c.schema = std::string(schema);
  c.domain = domain;
  c.topic = topic;
  c.cleanup_policy = topic == kInteractionsTopic ? CleanupPolicy::kDelete : CleanupPolicy::kCompact;
  c.database = Database{domain + "_domain", "Data products of the " + domain + " domain", domain};
  c.product.database = c.database.name;
  c.product.name = topic;
  c.product.description = std::move(description);
  c.product.owner_domain = domain;
  c.product.location = "s3://" + domain + "-domain/products/" + topic + "/";
  c.product.format = "csv";
  c.product.columns = std::move(columns);
  c.product.parameters = {{"topic", topic}, {"classification", "csv"}};
  return c;
}

// Which consumer domain reads which producer's data product.
constexpr std::pair<const char*, const char*> kConsumerProducts[] = {
    {"recommendations", "users"},    {"recommendations", "songs"},
    {"recommendations", "podcasts"}, {"recommendations", "interactions"},
    {"analytics", "interactions"},
};

}  // namespace

Mesh::Mesh(Runtime& runtime, const Scenario& scenario, MeshPorts ports)
    : runtime_(runtime), scenario_(scenario), ports_(std::move(ports)), compute_(runtime) {
  // The ports are wrapped on both clocks: for the modelled latency on the virtual clock (none on
  // the real one, where calls take the time they take) and to meter the compute behind them.
  const bool modelled = runtime_.IsVirtual();
  delayed_stream_ = MakeDelayedEventStream(
      runtime_, *ports_.stream, modelled ? scenario_.latency.produce : LatencyModel(), &compute_);
  delayed_recommender_ =
      MakeDelayedRecommender(runtime_, *ports_.recommender,
                             modelled ? scenario_.latency.recommender : LatencyModel(), &compute_);
  if (ports_.permissions && ports_.subscriptions) {
    product_access_ =
        std::make_unique<ProductAccess>(runtime_, *ports_.catalog, *ports_.permissions,
                                        *ports_.subscriptions, ports_.stores.objects);
  }
  const StoreSet& stores = ports_.stores;
  if (scenario_.stores.enabled && stores.objects && stores.users && stores.items) {
    static_plane_ = std::make_unique<StaticPlane>(
        runtime_, scenario_.stores, stores, [this](const std::string& domain) -> Catalog& {
          return product_access_ ? product_access_->CatalogOf(domain) : *ports_.catalog;
        });
  }
  EventStream* stream = delayed_stream_.get();
  Recommender* recommender = delayed_recommender_.get();
  for (auto config : {
           ProductOf("users", kUsersTopic, UserSchemaJson(),
                     "Registered users and their favourite genres",
                     {Col("user_id", "string"), Col("genres", "string", "'|'-separated"),
                      Col("creation_timestamp", "bigint")}),
           ProductOf("songs", kSongsTopic, ItemSchemaJson(), "The song catalogue",
                     {Col("item_id", "string"), Col("item_type", "string"), Col("genre", "string"),
                      Col("creation_timestamp", "bigint")}),
           ProductOf("podcasts", kPodcastsTopic, ItemSchemaJson(), "The podcast catalogue",
                     {Col("item_id", "string"), Col("item_type", "string"), Col("genre", "string"),
                      Col("creation_timestamp", "bigint")}),
           ProductOf("interactions", kInteractionsTopic, InteractionSchemaJson(),
                     "Listening events: play, skip, like",
                     {Col("event_id", "string"), Col("user_id", "string"), Col("item_id", "string"),
                      Col("event_type", "string"), Col("session_id", "string"),
                      Col("timestamp", "bigint")}),
       }) {
    if (static_plane_) {
      // The product as its ETL job publishes it (partitioned by dt, its SerDe), so that a run
      // only moves partitions and the producer's start does not undo the job's definition.
      const ProductSpec spec = StaticPlane::SpecOf(config.domain);
      config.database = spec.database;
      Table product = ProductTable(spec);
      product.parameters.emplace("topic", config.topic);
      config.product = std::move(product);
    }
    config.partitions = scenario_.partitions;
    config.compatibility = scenario_.schemas.compatibility;
    config.zlib = scenario_.schemas.zlib;
    Catalog& catalog =
        product_access_ ? product_access_->CatalogOf(config.domain) : *ports_.catalog;
    producers_.push_back(std::make_unique<ProducerDomain>(
        runtime_, *stream, catalog, *ports_.registry, metrics_, std::move(config)));
  }
  workload_ = std::make_unique<Workload>(
      runtime_, scenario_,
      WorkloadProducers{*producers_[0], *producers_[1], *producers_[2], *producers_[3]});
  recommendations_ = std::make_unique<RecommendationsDomain>(
      runtime_, *stream, *recommender, metrics_,
      RecommendationsConfig{scenario_.consumers, scenario_.latency.invoke, ports_.tracking_id,
                            ports_.items_dataset_arn, ports_.users_dataset_arn, ports_.registry,
                            &compute_});
  analytics_ = std::make_unique<AnalyticsDomain>(
      runtime_, *stream,
      AnalyticsConfig{scenario_.consumers, scenario_.latency.invoke, scenario_.analytics_window_us,
                      scenario_.analytics_top_n, ports_.registry, &compute_});
  if (static_plane_) workload_->set_sink(static_plane_.get());
}

Mesh::~Mesh() {
  // Consumers leave their groups before the ports go away.
  if (recommendations_) recommendations_->Stop();
  if (analytics_) analytics_->Stop();
}

Status Mesh::Start(const std::function<void()>& after_timeline) {
  if (started_) return Status::Ok();
  if (scenario_.stores.enabled && !static_plane_) {
    return Status(Code::kInvalidInput,
                  "the scenario's stores are enabled but the backend gives no object store, "
                  "user store and key-value store");
  }
  if (static_plane_) {
    if (auto s = static_plane_->Start(); !s.ok()) return s;
  }
  for (auto& p : producers_) {
    if (auto s = p->Start(); !s.ok()) return s;
  }
  if (product_access_) {
    // The consumers find the products they read in the catalog and subscribe to them; each
    // reads its products once, as its ETL would.
    for (const auto& [consumer, producer] : kConsumerProducts) {
      const ProducerDomain* p = FindProducer(producer);
      const Table& product = p->config().product;
      if (auto s = product_access_->Subscribe(consumer, producer, product.database, product.name);
          !s.ok()) {
        return s;
      }
    }
    for (const auto& [consumer, producer] : kConsumerProducts) ReadProduct(consumer, producer);
  }
  if (auto s = recommendations_->Start(); !s.ok()) return s;
  if (auto s = analytics_->Start(); !s.ok()) return s;
  workload_->Start();
  for (const auto& action : scenario_.timeline) {
    runtime_.ScheduleAfter(action.at_us - runtime_.NowMicros(), [this, &action] {
      applied_.push_back({runtime_.NowMicros(), action.action, action.describe});
      Apply(action.params);
    });
  }
  if (after_timeline) after_timeline();
  // About 300 points over the run, at least a second apart.
  metrics_.series().interval_us =
      std::max<int64_t>(kMicrosPerSecond, (scenario_.duration_us / 300 + kMicrosPerSecond - 1) /
                                              kMicrosPerSecond * kMicrosPerSecond);
  runtime_.ScheduleAfter(metrics_.series().interval_us, [this] { Sample(); });
  started_ = true;
  return Status::Ok();
}

void Mesh::Sample() {
  Series& series = metrics_.series();
  const TopicCounts total = metrics_.Total();
  const double seconds = static_cast<double>(series.interval_us) / 1e6;
  series.t_s.push_back(static_cast<double>(runtime_.NowMicros()) / 1e6);
  series.produced_per_s.push_back(static_cast<double>(total.produced - sampled_produced_) /
                                  seconds);
  series.applied_per_s.push_back(static_cast<double>(total.applied - sampled_applied_) / seconds);
  series.e2e_p99_us.push_back(metrics_.TakeInterval().Percentile(99));
  sampled_produced_ = total.produced;
  sampled_applied_ = total.applied;
  for (const auto& m : recommendations_->mappings()) {
    series.lag[m->config().function_name].push_back(m->Lag());
  }
  if (const EventSourceMapping* m = analytics_->mapping()) {
    series.lag[m->config().function_name].push_back(m->Lag());
  }
  // Sampling stops with the traffic, so a drained mesh has nothing left scheduled.
  if (runtime_.NowMicros() + series.interval_us <= scenario_.duration_us) {
    runtime_.ScheduleAfter(series.interval_us, [this] { Sample(); });
  }
}

void Mesh::Apply(const ActionParams& params) {
  std::visit(
      Overloaded{
          [&](const action::PublishItems& a) {
            PublishItems(a.type, a.count, a.genre, a.popularity_rank);
          },
          [&](const action::SetRate& a) { SetEventRate(a.events_per_second); },
          [&](const action::SetCurve& a) { SetRateCurve(a.curve); },
          [&](const action::RetireItemIds& a) { RetireItemIds(a.item_ids); },
          [&](const action::RetireItems& a) { RetireItems(a.type, a.count, a.genre, a.pick); },
          [&](const action::PauseDomain& a) { SetDomainPaused(a.domain, a.paused); },
          [&](const action::StopConsumer& a) { StopConsumer(a.function); },
          [&](const action::RestartConsumer& a) { RestartConsumer(a.function); },
          [&](const action::BrokerDown& a) {
            InjectFault([&](StreamFaults& f) { f.BrokerDownFor(a.for_us); });
          },
          [&](const action::BrokerErrors& a) {
            InjectFault([&](StreamFaults& f) { f.FailNext(a.api, a.codes); });
          },
          [&](const action::BrokerLatency& a) {
            InjectFault([&](StreamFaults& f) { f.SetLatency(a.latency_us); });
          },
          [&](const action::LeaderChange& a) {
            InjectFault([&](StreamFaults& f) { (void)f.ChangeLeader({a.topic, a.partition}); });
          },
          [&](const action::PoisonRecord& a) { PublishPoison(a.domain, a.count); },
          [&](const action::PublishRecord& a) { PublishDatum(a.domain, a.record, a.count); },
          [&](const action::EvolveSchema& a) { EvolveSchema(a.domain, a.definition, a.values); },
          [&](const action::RevokeAccess& a) { RevokeAccess(a.consumer, a.domain); },
          [&](const action::ReadProduct& a) { ReadProduct(a.consumer, a.domain); },
          [&](const action::RunEtl& a) { RunEtl(a.domain); },
          [&](const action::DeployRecommender& a) { DeployRecommender(a.from_products); },
          [&](const action::DuplicateDelivery& a) {
            if (EventSourceMapping* m = FindConsumer(a.function))
              m->DuplicateNextBatches(a.batches);
          },
          [&](const action::SlowConsumer& a) {
            if (EventSourceMapping* m = FindConsumer(a.function)) m->SlowDown(a.extra_us, a.for_us);
          },
      },
      params);
}

Status Mesh::Run() {
  if (auto s = Start(); !s.ok()) return s;
  runtime_.RunUntil(scenario_.duration_us);
  Drain();
  return Status::Ok();
}

void Mesh::RunFor(int64_t us) { runtime_.RunUntil(runtime_.NowMicros() + us); }

bool Mesh::PipelineEmpty() const {
  for (const auto& p : producers_) {
    if (p->in_flight() > 0) return false;
  }
  for (const auto& [topic, c] : metrics_.topics()) {
    if (c.applied + c.rejected_after_produce < c.produced) return false;
  }
  return recommendations_->Idle() && analytics_->Idle();
}

void Mesh::Drain(int64_t limit_us) {
  workload_->Stop();
  const int64_t deadline = runtime_.NowMicros() + limit_us;
  if (runtime_.IsVirtual()) {
    // The series sampler stops at the scenario's end, so past it the queue empties once the
    // pipeline has.
    while (!PipelineEmpty() && runtime_.NowMicros() < deadline && runtime_.Pending() > 0) {
      runtime_.RunUntil(std::min(deadline, runtime_.NowMicros() + kMicrosPerSecond));
    }
  } else {
    while (!PipelineEmpty() && runtime_.NowMicros() < deadline) {
      runtime_.RunUntil(runtime_.NowMicros() + 10 * kMicrosPerMilli);
    }
  }
  // What the run produced is at rest too, not waiting for an interval that will not end.
  if (static_plane_) static_plane_->Land();
  // Work handed to threads of their own is done too, so a caller timing the run counts it.
  if (analytics_) analytics_->WaitForWorker();
  ports_.recommender->Settle();
}

void Mesh::PublishItems(ItemType type, int64_t count, const std::string& genre, double rank) {
  workload_->PublishItems(type, count, genre, rank);
}

void Mesh::SetEventRate(double events_per_second) { workload_->SetRate(events_per_second); }

void Mesh::SetRateCurve(const RateCurve& curve) { workload_->SetCurve(curve); }

void Mesh::RetireItems(ItemType type, int64_t count, const std::string& genre, RetirePick pick) {
  workload_->RetireItems(type, count, genre, pick);
}

void Mesh::RetireItemIds(const std::vector<std::string>& item_ids) {
  workload_->RetireItemIds(item_ids);
}

ProducerDomain* Mesh::FindProducer(const std::string& domain) {
  for (auto& p : producers_) {
    if (p->config().domain == domain) return p.get();
  }
  return nullptr;
}

bool Mesh::SetDomainPaused(const std::string& domain, bool paused) {
  ProducerDomain* p = FindProducer(domain);
  if (p) p->set_paused(paused);
  return p != nullptr;
}

bool Mesh::InjectFault(const std::function<void(StreamFaults&)>& fault) {
  if (ports_.faults == nullptr) {
    if (!applied_.empty()) applied_.back().describe += " (not applied: the backend has no faults)";
    return false;
  }
  fault(*ports_.faults);
  return true;
}

bool Mesh::PublishPoison(const std::string& domain, int64_t count) {
  ProducerDomain* p = FindProducer(domain);
  if (!p) return false;
  for (int64_t i = 0; i < count; ++i) {
    // A truncated varint: no record of any of the domain schemas decodes from it.
    p->PublishRaw(NumberedId("poison-", static_cast<uint64_t>(++poisoned_)), "\xff\xff\xff");
  }
  return true;
}

bool Mesh::PublishDatum(const std::string& domain, const nlohmann::json& datum, int64_t count) {
  ProducerDomain* p = FindProducer(domain);
  if (!p) return false;
  // Keyed by the entity's id as the domain keys its own records (interactions by user).
  const char* key_field = domain == "interactions" || domain == "users" ? "user_id" : "item_id";
  const auto id = datum.is_object() ? datum.find(key_field) : datum.end();
  const std::string key = id != datum.end() && id->is_string() ? id->get<std::string>() : "";
  for (int64_t i = 0; i < count; ++i) p->PublishDatum(key, datum);
  return true;
}

bool Mesh::EvolveSchema(const std::string& domain, const std::string& definition,
                        const nlohmann::json& values) {
  ProducerDomain* p = FindProducer(domain);
  if (!p) return false;
  SchemaChange& change = schema_changes_.emplace_back();
  change.at_us = runtime_.NowMicros();
  change.domain = domain;
  auto registered = p->EvolveSchema(definition, values);
  change.registered = registered.ok();
  if (registered.ok()) {
    change.version_number = registered->version_number;
  } else {
    change.reason = registered.status().ToString();
  }
  return true;
}

bool Mesh::RevokeAccess(const std::string& consumer, const std::string& producer) {
  if (!product_access_ || !FindProducer(producer)) return false;
  return product_access_->Revoke(consumer, producer, "revoked by the timeline");
}

bool Mesh::ReadProduct(const std::string& consumer, const std::string& producer) {
  const ProducerDomain* p = FindProducer(producer);
  if (!product_access_ || !p) return false;
  auto data =
      product_access_->Read(consumer, p->config().product.database, p->config().product.name);
  // Analytics keeps the interaction history at rest beside the live stream.
  if (data.ok() && consumer == "analytics" && producer == "interactions") {
    analytics_->ReadHistory(*data);
  }
  return true;
}

bool Mesh::RunEtl(const std::string& domain) {
  if (!static_plane_) return false;
  if (domain == "all") {
    for (const auto& p : producers_) static_plane_->Etl(p->config().domain);
    return true;
  }
  if (!FindProducer(domain)) return false;
  static_plane_->Etl(domain);
  return true;
}

bool Mesh::DeployRecommender(bool from_products) {
  if (ports_.admin == nullptr) return false;
  RecommenderDeploy deploy;
  deploy.at_us = runtime_.NowMicros();
  deploy.source = from_products ? "products" : "events";
  RecommenderImports imports;
  if (from_products) {
    Result<MergedDatasets> merged =
        product_access_ && ports_.stores.objects
            ? RunRecommendationsEtl(*product_access_, *ports_.stores.objects)
            : Result<MergedDatasets>(Status(Code::kInvalidInput, "no data products to read"));
    if (!merged.ok()) {
      deploy.finished_us = deploy.at_us;
      deploy.reason = merged.status().ToString();
      deploys_.push_back(std::move(deploy));
      return true;
    }
    deploy.merged = *merged;
    imports = merged->imports;
  }
  const size_t index = deploys_.size();
  deploys_.push_back(std::move(deploy));
  ports_.admin->Deploy(imports, [this, index](Result<Deployment> d) {
    RecommenderDeploy& r = deploys_[index];
    r.finished_us = runtime_.NowMicros();
    if (!d.ok()) {
      r.reason = d.status().ToString();
      return;
    }
    r.deployed = true;
    r.solution_version_arn = d->solution_version_arn;
    r.rows_imported = d->rows_imported;
    r.training_hours = d->training_hours;
  });
  return true;
}

EventSourceMapping* Mesh::FindConsumer(const std::string& function) {
  for (const auto& m : recommendations_->mappings()) {
    if (m->config().function_name == function) return m.get();
  }
  EventSourceMapping* ingestor = analytics_->mapping();
  return ingestor && ingestor->config().function_name == function ? ingestor : nullptr;
}

bool Mesh::StopConsumer(const std::string& function) {
  EventSourceMapping* m = FindConsumer(function);
  if (m) m->Stop();
  return m != nullptr;
}

bool Mesh::RestartConsumer(const std::string& function) {
  EventSourceMapping* m = FindConsumer(function);
  return m && m->Start().ok();
}

Result<GetRecommendationsResponse> Mesh::Recommend(const std::string& user_id, int num_results) {
  std::optional<Result<GetRecommendationsResponse>> answer;
  ports_.recommender->GetRecommendations(
      UserRecommendations(ports_.campaign_arn, user_id, num_results),
      [&answer](Result<GetRecommendationsResponse> r) { answer.emplace(std::move(r)); });
  for (int i = 0; !answer && i < 10'000; ++i) runtime_.RunUntil(runtime_.NowMicros() + 1000);
  if (!answer) return Status(Code::kInternal, "the recommender did not answer within 10 s");
  return std::move(*answer);
}

}  // namespace meshsim
