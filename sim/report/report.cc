#include "sim/report/report.h"

#include <cmath>
#include <vector>

#include "sim/governance/accounts.h"

namespace meshsim {
namespace {

using Json = nlohmann::ordered_json;

double Round(double v, double unit) { return std::round(v / unit) * unit; }

double Seconds(int64_t us) { return static_cast<double>(us) / 1e6; }

}  // namespace

Json HistogramJson(const LatencyHistogram& h, bool with_buckets) {
  Json j = {
      {"count", h.count()},         {"p50_us", h.Percentile(50)},     {"p90_us", h.Percentile(90)},
      {"p99_us", h.Percentile(99)}, {"p999_us", h.Percentile(99.9)},  {"max_us", h.max()},
      {"min_us", h.min()},          {"mean_us", Round(h.mean(), 0.1)}};
  if (with_buckets) {
    Json buckets = Json::array();
    h.ForEachBucket([&buckets](int64_t lo, int64_t hi, uint64_t n) {
      buckets.push_back({lo, hi, n});
    });
    j["buckets"] = std::move(buckets);
  }
  return j;
}

namespace {

// ---- Sections, one per key of the report, in the report's order.

Json RunHeader(Mesh& mesh, uint64_t seed, double wall_seconds) {
  const Scenario& s = mesh.scenario();
  Json r;
  r["scenario"] = s.name;
  r["file"] = s.file;
  r["seed"] = seed;
  r["clock"] = mesh.runtime().IsVirtual() ? "virtual" : "real";
  r["sim_seconds"] = Round(Seconds(mesh.runtime().NowMicros()), 1e-6);
  r["wall_seconds"] = Round(wall_seconds, 1e-6);
  return r;
}

// lost: acknowledged by the broker, yet neither applied nor dead-lettered after the drain.
Json TopicCountsJson(const TopicCounts& c) {
  const uint64_t settled = c.applied + c.rejected_after_produce;
  return {{"produced", c.produced},
          {"delivered", c.delivered},
          {"applied", c.applied},
          {"rejected", c.rejected},
          {"lost", c.produced > settled ? c.produced - settled : 0}};
}

// The totals, then each topic. The total lost is summed per topic, so that one topic's surplus
// cannot hide another's loss.
Json CountsJson(const Metrics& m) {
  Json counts = TopicCountsJson(m.Total());
  Json by_topic = Json::object();
  uint64_t lost = 0;
  for (const auto& [topic, c] : m.topics()) {
    by_topic[topic] = TopicCountsJson(c);
    lost += by_topic[topic]["lost"].get<uint64_t>();
  }
  counts["lost"] = lost;
  counts["by_topic"] = std::move(by_topic);
  return counts;
}

// The invariants every run checks, whatever the scenario expects: a violation fails the run.
// - nothing lost: every record the broker acknowledged is applied or dead-lettered;
// - nothing applied twice: no topic counts more records applied or dead-lettered than were
//   produced (a record delivered again is applied once);
// - order per key kept: no record applied after a later record of its key.
Json InvariantsJson(const Metrics& m, bool nothing_lost) {
  uint64_t surplus = 0, out_of_order = 0;
  for (const auto& [topic, c] : m.topics()) {
    const uint64_t settled = c.applied + c.rejected_after_produce;
    if (settled > c.produced) surplus += settled - c.produced;
    out_of_order += c.applied_out_of_order;
  }
  return {{"nothing_lost", nothing_lost},
          {"nothing_applied_twice", surplus == 0},
          {"order_per_key_kept", out_of_order == 0},
          {"applied_twice", surplus},
          {"applied_out_of_order", out_of_order},
          {"held", nothing_lost && surplus == 0 && out_of_order == 0}};
}

template <typename Histograms>
Json HistogramsJson(const Histograms& by_name, bool with_buckets) {
  Json out = Json::object();
  for (const auto& [name, h] : by_name) out[name] = HistogramJson(h, with_buckets);
  return out;
}

Json LatencyJson(Mesh& mesh, bool with_buckets) {
  const Metrics& m = mesh.metrics();
  return {{"event_to_recommendation", HistogramJson(m.event_to_recommendation(), with_buckets)},
          {"hops", HistogramsJson(m.hops(), with_buckets)},
          {"by_topic", HistogramsJson(m.topic_latency(), with_buckets)},
          {"modelled", mesh.runtime().IsVirtual()}};
}

// Measured, not simulated: apart from the modelled latency, and different run to run.
Json ComputeJson(const ComputeMeter& meter) {
  Json stages = Json::object();
  for (int i = 0; i < ComputeMeter::kStages; ++i) {
    const auto stage = static_cast<ComputeMeter::Stage>(i);
    const LatencyHistogram& h = meter.samples(stage);
    const double mean_ns = h.mean();
    stages[std::string(ComputeMeter::StageName(stage))] = {
        {"calls", meter.calls(stage)},
        {"sampled", h.count()},
        {"mean_ns", Round(mean_ns, 0.1)},
        {"p50_ns", h.Percentile(50)},
        {"p99_ns", h.Percentile(99)},
        {"max_ns", h.max()},
        {"estimated_total_s",
         Round(mean_ns * static_cast<double>(meter.calls(stage)) / 1e9, 1e-6)}};
  }
  return {{"clock", "wall"}, {"sample_every", meter.sample_every()}, {"stages", std::move(stages)}};
}

// What the faults cost in repeated work: sends a producer repeated after a retriable broker
// error, and recommender calls repeated after ThrottlingException.
Json RetriesJson(const Mesh& mesh) {
  uint64_t produce_retries = 0;
  for (const auto& p : mesh.producers()) produce_retries += p->retries();
  return {{"produce", produce_retries},
          {"throttled_calls", mesh.recommendations().throttled_retries()}};
}

Json SchemaChangeJson(const SchemaChange& c) {
  Json change = {{"at_s", Seconds(c.at_us)},
                 {"domain", c.domain},
                 {"outcome", c.registered ? "registered" : "refused"}};
  if (c.registered) {
    change["version"] = c.version_number;
  } else {
    change["reason"] = c.reason;
  }
  return change;
}

// The schemas the producers write with, and the evolutions the timeline asked for.
Json SchemasJson(const Mesh& mesh) {
  Json writers = Json::object();
  for (const auto& p : mesh.producers()) {
    const WriterVersion& w = p->writer();
    writers[p->config().topic] = {{"version", w.version_number}, {"version_id", w.id.ToString()}};
  }
  Json changes = Json::array();
  uint64_t registered = 0;
  for (const auto& c : mesh.schema_changes()) {
    registered += c.registered ? 1 : 0;
    changes.push_back(SchemaChangeJson(c));
  }
  const SchemaSettings& schemas = mesh.scenario().schemas;
  return {{"compatibility", CompatibilityName(schemas.compatibility)},
          {"compression", schemas.zlib ? "ZLIB" : "NONE"},
          {"writers", std::move(writers)},
          {"registered", registered},
          {"refused", mesh.schema_changes().size() - registered},
          {"changes", std::move(changes)}};
}

Json ProductReadJson(const ProductRead& read) {
  Json entry = {{"at_s", Seconds(read.at_us)},
                {"consumer", read.consumer},
                {"product", read.product},
                {"outcome", read.failed     ? "failed"
                            : !read.allowed ? "denied"
                                            : "allowed"}};
  if (read.allowed && !read.failed) {
    entry["partitions"] = read.partitions;
    entry["files"] = read.files;
    entry["rows"] = read.rows;
    entry["columns"] = read.columns;
  }
  if (!read.reason.empty()) entry["reason"] = read.reason;
  return entry;
}

Json SubscriptionsJson(const ProductAccess& access) {
  Json subscriptions = Json::array();
  auto list = access.subscriptions().List(std::nullopt, std::nullopt, std::nullopt);
  if (!list.ok()) return subscriptions;
  for (const auto& s : *list) {
    std::string product = s.database_name;
    if (!s.table_names.empty()) product.append(".").append(s.table_names.front());
    subscriptions.push_back({{"id", s.subscription_id},
                             {"consumer", std::string(AccountDomain(s.subscriber_principal))},
                             {"producer", std::string(AccountDomain(s.owner_principal))},
                             {"product", product},
                             {"status", SubscriptionStatusName(s.status)}});
  }
  return subscriptions;
}

// The data products under Lake Formation: the subscriptions and every read with its outcome.
Json CatalogJson(Mesh& mesh) {
  const ProductAccess* access = mesh.product_access();
  if (access == nullptr) return {{"governed", false}};
  Json reads = Json::array();
  uint64_t allowed = 0, rows_read = 0;
  for (const auto& read : access->reads()) {
    allowed += read.allowed ? 1 : 0;
    rows_read += read.rows;
    reads.push_back(ProductReadJson(read));
  }
  return {{"governed", true},         {"subscriptions", SubscriptionsJson(*access)},
          {"reads_allowed", allowed}, {"denials", access->denials()},
          {"rows_read", rows_read},   {"reads", std::move(reads)}};
}

Json DeployJson(const RecommenderDeploy& d) {
  Json entry = {{"at_s", Seconds(d.at_us)}, {"source", d.source}};
  if (d.finished_us < 0) {
    entry["outcome"] = "in progress";
  } else if (d.deployed) {
    entry["outcome"] = "deployed";
    entry["ready_s"] = Seconds(d.finished_us);
    entry["solution_version"] = d.solution_version_arn;
    entry["rows_imported"] = d.rows_imported;
    entry["training_hours"] = Round(d.training_hours, 1e-6);
  } else {
    entry["outcome"] = "failed";
    entry["failed_s"] = Seconds(d.finished_us);
    entry["reason"] = d.reason;
  }
  if (d.source == "products" && d.merged.items + d.merged.users + d.merged.interactions > 0) {
    entry["merged"] = {{"run", d.merged.run},
                       {"items", d.merged.items},
                       {"podcasts", d.merged.podcasts},
                       {"users", d.merged.users},
                       {"interactions", d.merged.interactions}};
  }
  return entry;
}

// The recipe, and each deploy_recommender with its outcome.
Json RecommenderJson(const Mesh& mesh) {
  Json deploys = Json::array();
  uint64_t deployed = 0, failed = 0;
  for (const RecommenderDeploy& d : mesh.deploys()) {
    if (d.finished_us >= 0) ++(d.deployed ? deployed : failed);
    deploys.push_back(DeployJson(d));
  }
  return {{"recipe", mesh.scenario().recipe},
          {"campaign", mesh.ports().campaign_arn},
          {"deployed", deployed},
          {"deploy_failures", failed},
          {"deploys", std::move(deploys)}};
}

// What the producers' stores took in. Present with zeros when the static plane is off, so that
// expectations name the same metrics either way.
Json StoresJson(const StaticPlane* plane) {
  const StoreCounts counts = plane ? plane->counts() : StoreCounts{};
  Json stores = {{"enabled", plane != nullptr},
                 {"users", counts.users},
                 {"items", counts.items},
                 {"events_landed", counts.events_landed},
                 {"files_landed", counts.files_landed},
                 {"failed_writes", counts.failed_writes}};
  if (counts.failed_writes > 0) stores["first_failure"] = counts.first_failure;
  return stores;
}

Json EtlRunJson(const EtlRun& run) {
  Json entry = {{"at_s", Seconds(run.at_us)},
                {"domain", run.domain},
                {"table", run.table},
                {"outcome", run.published ? "published" : "failed"}};
  if (run.published) {
    entry["locations"] = run.locations;
    entry["rows"] = run.rows;
  } else {
    entry["reason"] = run.reason;
  }
  return entry;
}

// Every ETL run of the static plane with its outcome; zeros when the plane is off.
Json EtlJson(const StaticPlane* plane) {
  Json runs = Json::array();
  uint64_t published = 0;
  for (const EtlRun& run : plane ? plane->runs() : std::vector<EtlRun>{}) {
    published += run.published ? 1 : 0;
    runs.push_back(EtlRunJson(run));
  }
  const uint64_t total = runs.size();
  return {{"runs", total},
          {"published", published},
          {"failed", total - published},
          {"jobs", std::move(runs)}};
}

Json DeadLettersJson(const Metrics& m) {
  Json reasons = Json::object();
  for (const auto& [reason, n] : m.dead_letter_reasons()) reasons[reason] = n;
  return {{"count", m.Total().rejected}, {"by_reason", std::move(reasons)}};
}

Json WorkloadJson(const Workload& w) {
  const double seconds = w.active_seconds();
  Json j = {{"users", w.users().size()},
            {"items", w.items().size()},
            {"sessions", w.sessions_started()},
            {"interactions", w.interactions_emitted()}};
  // What the rate curves asked for against what was produced: short while sessions warm up,
  // and on the real clock when the host cannot keep up.
  const double requested = w.interactions_requested();
  j["rate"] = {
      {"requested_per_s", seconds > 0 ? Round(requested / seconds, 1e-3) : 0.0},
      {"achieved_per_s",
       seconds > 0 ? Round(static_cast<double>(w.interactions_emitted()) / seconds, 1e-3) : 0.0},
      {"achieved_share",
       requested > 0 ? Round(static_cast<double>(w.interactions_emitted()) / requested, 1e-4)
                     : 1.0}};
  const Workload::ReplayCounts replay = w.replay_counts();
  if (replay.rows > 0) {
    j["replay"] = {{"rows", replay.rows},
                   {"replayed", replay.replayed},
                   {"skipped_paused", replay.skipped_paused},
                   {"past_end", replay.past_end},
                   {"first_past_end_s", static_cast<double>(replay.first_past_end_us) / 1e6}};
  }
  return j;
}

Json SettingsJson(const Scenario& s) {
  return {{"recipe", s.recipe},
          {"partitions", s.partitions},
          {"batch_size", s.consumers.batch_size},
          {"batching_window_ms", s.consumers.batching_window_us / 1000},
          {"latency",
           {{"produce", s.latency.produce.Describe()},
            {"invoke", s.latency.invoke.Describe()},
            {"recommender", s.latency.recommender.Describe()}}}};
}

template <typename TopItems>
Json TopItemsJson(const TopItems& top_items) {
  Json top = Json::array();
  for (const auto& t : top_items) top.push_back({{"item_id", t.item_id}, {"count", t.count}});
  return top;
}

// `with_windows`: each window's top items too, which costs a pass over the windows.
Json AnalyticsJson(const AnalyticsDomain& a, bool with_windows) {
  Json by_type = Json::object();
  for (const auto& [type, n] : a.by_event_type()) by_type[type] = n;
  Json windows = Json::array();
  for (const auto& win : with_windows ? a.Windows() : std::vector<AnalyticsWindow>{}) {
    windows.push_back({{"start_s", Seconds(win.start_us)},
                       {"events", win.events},
                       {"top_items", TopItemsJson(win.top_items)}});
  }
  Json at_rest = Json::array();
  for (const HistoryRead& h : a.history_reads()) {
    at_rest.push_back(
        {{"at_s", Seconds(h.at_us)}, {"rows", h.rows}, {"top_items", TopItemsJson(h.top_items)}});
  }
  return {{"consumed", a.consumed()},
          {"by_event_type", std::move(by_type)},
          {"peak_events_per_second", a.peak_events_per_second()},
          {"mean_events_per_second", Round(a.mean_events_per_second(), 0.001)},
          {"windows", std::move(windows)},
          {"history_at_rest", std::move(at_rest)}};
}

Json TimelineJson(const Mesh& mesh) {
  Json timeline = Json::array();
  for (const auto& act : mesh.applied_actions()) {
    timeline.push_back(
        {{"at_s", Seconds(act.at_us)}, {"action", act.action}, {"describe", act.describe}});
  }
  return timeline;
}

Json SeriesJson(const Series& series) {
  Json lag = Json::object();
  for (const auto& [function, values] : series.lag) lag[function] = values;
  return {{"interval_s", Seconds(series.interval_us)}, {"t_s", series.t_s},
          {"produced_per_s", series.produced_per_s},   {"applied_per_s", series.applied_per_s},
          {"e2e_p99_us", series.e2e_p99_us},           {"lag", std::move(lag)}};
}

// A few users' recommendations as the API would serve them now.
Json SampleRecommendationsJson(Mesh& mesh) {
  const auto& users = mesh.workload().users();
  Json samples = Json::array();
  for (size_t i = 0; i < std::min<size_t>(3, users.size()); ++i) {
    auto recs = mesh.Recommend(users[i].user_id, 5);
    Json items = Json::array();
    if (recs.ok()) {
      for (const auto& it : recs->item_list) {
        items.push_back({{"item_id", it.item_id}, {"score", Round(it.score, 1e-6)}});
      }
    }
    samples.push_back({{"user_id", users[i].user_id}, {"items", std::move(items)}});
  }
  return samples;
}

// `full`: everything; otherwise the numbers an expectation's metric can name, and nothing costly
// (no histogram buckets, analytics windows, timeline, series or samples).
Json BuildReportParts(Mesh& mesh, uint64_t seed, double wall_seconds, bool full) {
  const Metrics& m = mesh.metrics();
  Json counts = CountsJson(m);
  Json invariants = InvariantsJson(m, counts["lost"].get<uint64_t>() == 0);

  Json r = RunHeader(mesh, seed, wall_seconds);
  r["passed"] = invariants["held"].get<bool>();
  r["counts"] = std::move(counts);
  r["latency"] = LatencyJson(mesh, full);
  r["compute"] = ComputeJson(mesh.compute());
  r["invariants"] = std::move(invariants);
  r["retries"] = RetriesJson(mesh);
  r["schemas"] = SchemasJson(mesh);
  r["catalog"] = CatalogJson(mesh);
  r["recommender"] = RecommenderJson(mesh);
  r["stores"] = StoresJson(mesh.static_plane());
  r["etl"] = EtlJson(mesh.static_plane());
  r["dead_letters"] = DeadLettersJson(m);
  r["workload"] = WorkloadJson(mesh.workload());
  r["settings"] = SettingsJson(mesh.scenario());
  r["analytics"] = AnalyticsJson(mesh.analytics(), full);
  if (!full) return r;
  r["timeline"] = TimelineJson(mesh);
  r["series"] = SeriesJson(m.series());
  r["sample_recommendations"] = SampleRecommendationsJson(mesh);
  return r;
}

}  // namespace

Json BuildReport(Mesh& mesh, uint64_t seed, double wall_seconds) {
  return BuildReportParts(mesh, seed, wall_seconds, true);
}

Json BuildMetricsReport(Mesh& mesh) {
  return BuildReportParts(mesh, mesh.scenario().seed, 0, false);
}

}  // namespace meshsim
