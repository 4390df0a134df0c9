#include "sim/report/report.h"

#include <cmath>
#include <tuple>

#include "sim/governance/accounts.h"

namespace meshsim {
namespace {

nlohmann::ordered_json CountsJson(const TopicCounts& c) {
  // lost: acknowledged by the broker, yet neither applied nor dead-lettered after the drain.
  const uint64_t settled = c.applied + c.rejected_after_produce;
  return {{"produced", c.produced},
          {"delivered", c.delivered},
          {"applied", c.applied},
          {"rejected", c.rejected},
          {"lost", c.produced > settled ? c.produced - settled : 0}};
}

double Round(double v, double unit) { return std::round(v / unit) * unit; }

}  // namespace

nlohmann::ordered_json HistogramJson(const LatencyHistogram& h, bool with_buckets) {
  nlohmann::ordered_json j = {
      {"count", h.count()},         {"p50_us", h.Percentile(50)},     {"p90_us", h.Percentile(90)},
      {"p99_us", h.Percentile(99)}, {"p999_us", h.Percentile(99.9)},  {"max_us", h.max()},
      {"min_us", h.min()},          {"mean_us", Round(h.mean(), 0.1)}};
  if (with_buckets) {
    nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
    h.ForEachBucket([&buckets](int64_t lo, int64_t hi, uint64_t n) {
      buckets.push_back({lo, hi, n});
    });
    j["buckets"] = std::move(buckets);
  }
  return j;
}

namespace {

// The invariants every run checks, whatever the scenario expects: a violation fails the run.
// - nothing lost: every record the broker acknowledged is applied or dead-lettered;
// - nothing applied twice: no topic counts more records applied or dead-lettered than were
//   produced (a record delivered again is applied once);
// - order per key kept: no record applied after a later record of its key.
nlohmann::ordered_json Invariants(const Metrics& m, bool nothing_lost) {
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

// `full`: everything; otherwise the numbers an expectation's metric can name, and nothing costly
// (no analytics windows, series, samples or expectations).
// The data products under Lake Formation: the subscriptions and every read with its outcome.
nlohmann::ordered_json CatalogReport(Mesh& mesh) {
  const ProductAccess* access = mesh.product_access();
  if (access == nullptr) return {{"governed", false}};
  nlohmann::ordered_json reads = nlohmann::ordered_json::array();
  uint64_t allowed = 0, rows_read = 0;
  for (const auto& read : access->reads()) {
    allowed += read.allowed ? 1 : 0;
    rows_read += read.rows;
    nlohmann::ordered_json entry = {{"at_s", static_cast<double>(read.at_us) / 1e6},
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
    reads.push_back(std::move(entry));
  }
  nlohmann::ordered_json subscriptions = nlohmann::ordered_json::array();
  auto list = access->subscriptions().List(std::nullopt, std::nullopt, std::nullopt);
  if (list.ok()) {
    for (const auto& s : *list) {
      std::string product = s.database_name;
      if (!s.table_names.empty()) product += "." + s.table_names.front();
      subscriptions.push_back({{"id", s.subscription_id},
                               {"consumer", std::string(AccountDomain(s.subscriber_principal))},
                               {"producer", std::string(AccountDomain(s.owner_principal))},
                               {"product", product},
                               {"status", SubscriptionStatusName(s.status)}});
    }
  }
  return {{"governed", true},         {"subscriptions", std::move(subscriptions)},
          {"reads_allowed", allowed}, {"denials", access->denials()},
          {"rows_read", rows_read},   {"reads", std::move(reads)}};
}

// The static plane: what the producers' stores took in, and every ETL run with its outcome.
// Present with zeros when the stores are off, so expectations name the same metrics either way.
std::pair<nlohmann::ordered_json, nlohmann::ordered_json> StaticPlaneReport(const Mesh& mesh) {
  const StaticPlane* plane = mesh.static_plane();
  const StoreCounts counts = plane ? plane->counts() : StoreCounts{};
  nlohmann::ordered_json stores = {{"enabled", plane != nullptr},
                                   {"users", counts.users},
                                   {"items", counts.items},
                                   {"events_landed", counts.events_landed},
                                   {"files_landed", counts.files_landed},
                                   {"failed_writes", counts.failed_writes}};
  if (counts.failed_writes > 0) stores["first_failure"] = counts.first_failure;
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  uint64_t published = 0;
  for (const EtlRun& run : plane ? plane->runs() : std::vector<EtlRun>{}) {
    published += run.published ? 1 : 0;
    nlohmann::ordered_json entry = {{"at_s", static_cast<double>(run.at_us) / 1e6},
                                    {"domain", run.domain},
                                    {"table", run.table},
                                    {"outcome", run.published ? "published" : "failed"}};
    if (run.published) {
      entry["locations"] = run.locations;
      entry["rows"] = run.rows;
    } else {
      entry["reason"] = run.reason;
    }
    runs.push_back(std::move(entry));
  }
  const uint64_t total = plane ? plane->runs().size() : 0;
  nlohmann::ordered_json etl = {{"runs", total},
                                {"published", published},
                                {"failed", total - published},
                                {"jobs", std::move(runs)}};
  return {std::move(stores), std::move(etl)};
}

// The recipe, and each deploy_recommender with its outcome.
nlohmann::ordered_json RecommenderReport(const Mesh& mesh) {
  nlohmann::ordered_json deploys = nlohmann::ordered_json::array();
  uint64_t deployed = 0, failed = 0;
  for (const RecommenderDeploy& d : mesh.deploys()) {
    nlohmann::ordered_json entry = {{"at_s", static_cast<double>(d.at_us) / 1e6},
                                    {"source", d.source}};
    if (d.finished_us < 0) {
      entry["outcome"] = "in progress";
    } else if (d.deployed) {
      ++deployed;
      entry["outcome"] = "deployed";
      entry["ready_s"] = static_cast<double>(d.finished_us) / 1e6;
      entry["solution_version"] = d.solution_version_arn;
      entry["rows_imported"] = d.rows_imported;
      entry["training_hours"] = Round(d.training_hours, 1e-6);
    } else {
      ++failed;
      entry["outcome"] = "failed";
      entry["reason"] = d.reason;
    }
    if (d.source == "products" && d.merged.items + d.merged.users + d.merged.interactions > 0) {
      entry["merged"] = {{"run", d.merged.run},
                         {"items", d.merged.items},
                         {"podcasts", d.merged.podcasts},
                         {"users", d.merged.users},
                         {"interactions", d.merged.interactions}};
    }
    deploys.push_back(std::move(entry));
  }
  return {{"recipe", mesh.scenario().recipe},
          {"campaign", mesh.ports().campaign_arn},
          {"deployed", deployed},
          {"deploy_failures", failed},
          {"deploys", std::move(deploys)}};
}

nlohmann::ordered_json BuildReportParts(Mesh& mesh, uint64_t seed, double wall_seconds, bool full) {
  const Scenario& s = mesh.scenario();
  const Metrics& m = mesh.metrics();
  const double sim_seconds = static_cast<double>(mesh.runtime().NowMicros()) / 1e6;
  nlohmann::ordered_json r;
  r["scenario"] = s.name;
  r["file"] = s.file;
  r["seed"] = seed;
  r["clock"] = mesh.runtime().IsVirtual() ? "virtual" : "real";
  r["sim_seconds"] = Round(sim_seconds, 1e-6);
  r["wall_seconds"] = Round(wall_seconds, 1e-6);

  auto counts = CountsJson(m.Total());
  nlohmann::ordered_json by_topic = nlohmann::ordered_json::object();
  uint64_t lost = 0;  // per topic, so one topic's surplus cannot hide another's loss
  for (const auto& [topic, c] : m.topics()) {
    by_topic[topic] = CountsJson(c);
    lost += by_topic[topic]["lost"].get<uint64_t>();
  }
  counts["lost"] = lost;
  counts["by_topic"] = std::move(by_topic);
  const bool nothing_lost = counts["lost"].get<uint64_t>() == 0;
  auto invariants = Invariants(m, nothing_lost);
  r["passed"] = invariants["held"].get<bool>();
  r["counts"] = std::move(counts);

  nlohmann::ordered_json latency;
  latency["event_to_recommendation"] = HistogramJson(m.event_to_recommendation(), full);
  nlohmann::ordered_json hops = nlohmann::ordered_json::object();
  for (const auto& [hop, h] : m.hops()) hops[hop] = HistogramJson(h, full);
  latency["hops"] = std::move(hops);
  nlohmann::ordered_json topic_latency = nlohmann::ordered_json::object();
  for (const auto& [topic, h] : m.topic_latency()) topic_latency[topic] = HistogramJson(h, full);
  latency["by_topic"] = std::move(topic_latency);
  latency["modelled"] = mesh.runtime().IsVirtual();
  r["latency"] = std::move(latency);

  // Measured, not simulated: apart from the modelled latency above, and different run to run.
  const ComputeMeter& meter = mesh.compute();
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
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
  r["compute"] = {
      {"clock", "wall"}, {"sample_every", meter.sample_every()}, {"stages", std::move(stages)}};

  r["invariants"] = std::move(invariants);

  // What the faults cost in repeated work: sends a producer repeated after a retriable broker
  // error, and recommender calls repeated after ThrottlingException.
  uint64_t produce_retries = 0;
  for (const auto& p : mesh.producers()) produce_retries += p->retries();
  r["retries"] = {{"produce", produce_retries},
                  {"throttled_calls", mesh.recommendations().throttled_retries()}};

  // The schemas the producers write with, and the evolutions the timeline asked for.
  nlohmann::ordered_json writers = nlohmann::ordered_json::object();
  for (const auto& p : mesh.producers()) {
    const WriterVersion& w = p->writer();
    writers[p->config().topic] = {{"version", w.version_number}, {"version_id", w.id.ToString()}};
  }
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  uint64_t registered = 0;
  for (const auto& c : mesh.schema_changes()) {
    registered += c.registered ? 1 : 0;
    nlohmann::ordered_json change = {{"at_s", static_cast<double>(c.at_us) / 1e6},
                                     {"domain", c.domain},
                                     {"outcome", c.registered ? "registered" : "refused"}};
    if (c.registered) {
      change["version"] = c.version_number;
    } else {
      change["reason"] = c.reason;
    }
    changes.push_back(std::move(change));
  }
  r["schemas"] = {{"compatibility", CompatibilityName(s.schemas.compatibility)},
                  {"compression", s.schemas.zlib ? "ZLIB" : "NONE"},
                  {"writers", std::move(writers)},
                  {"registered", registered},
                  {"refused", mesh.schema_changes().size() - registered},
                  {"changes", std::move(changes)}};

  r["catalog"] = CatalogReport(mesh);
  r["recommender"] = RecommenderReport(mesh);
  // Not std::tie(r["stores"], r["etl"]): ordered_json keeps its keys in a vector, so the second
  // operator[] may move the first one's value and leave its reference dangling.
  auto [stores, etl] = StaticPlaneReport(mesh);
  r["stores"] = std::move(stores);
  r["etl"] = std::move(etl);

  nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : m.dead_letter_reasons()) reasons[reason] = n;
  r["dead_letters"] = {{"count", m.Total().rejected}, {"by_reason", std::move(reasons)}};

  const Workload& w = mesh.workload();
  r["workload"] = {{"users", w.users().size()},
                   {"items", w.items().size()},
                   {"sessions", w.sessions_started()},
                   {"interactions", w.interactions_emitted()}};
  r["settings"] = {{"recipe", s.recipe},
                   {"partitions", s.partitions},
                   {"batch_size", s.consumers.batch_size},
                   {"batching_window_ms", s.consumers.batching_window_us / 1000},
                   {"latency",
                    {{"produce", s.latency.produce.Describe()},
                     {"invoke", s.latency.invoke.Describe()},
                     {"recommender", s.latency.recommender.Describe()}}}};

  const AnalyticsDomain& a = mesh.analytics();
  nlohmann::ordered_json by_type = nlohmann::ordered_json::object();
  for (const auto& [type, n] : a.by_event_type()) by_type[type] = n;
  nlohmann::ordered_json windows = nlohmann::ordered_json::array();
  for (const auto& win : full ? a.Windows() : std::vector<AnalyticsWindow>{}) {
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const auto& t : win.top_items) top.push_back({{"item_id", t.item_id}, {"count", t.count}});
    windows.push_back({{"start_s", static_cast<double>(win.start_us) / 1e6},
                       {"events", win.events},
                       {"top_items", std::move(top)}});
  }
  nlohmann::ordered_json at_rest = nlohmann::ordered_json::array();
  for (const HistoryRead& h : a.history_reads()) {
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const auto& t : h.top_items) top.push_back({{"item_id", t.item_id}, {"count", t.count}});
    at_rest.push_back({{"at_s", static_cast<double>(h.at_us) / 1e6},
                       {"rows", h.rows},
                       {"top_items", std::move(top)}});
  }
  r["analytics"] = {{"consumed", a.consumed()},
                    {"by_event_type", std::move(by_type)},
                    {"peak_events_per_second", a.peak_events_per_second()},
                    {"mean_events_per_second", Round(a.mean_events_per_second(), 0.001)},
                    {"windows", std::move(windows)},
                    {"history_at_rest", std::move(at_rest)}};
  if (!full) return r;

  nlohmann::ordered_json timeline = nlohmann::ordered_json::array();
  for (const auto& act : mesh.applied_actions()) {
    timeline.push_back({{"at_s", static_cast<double>(act.at_us) / 1e6},
                        {"action", act.action},
                        {"describe", act.describe}});
  }
  r["timeline"] = std::move(timeline);

  const Series& series = m.series();
  nlohmann::ordered_json lag = nlohmann::ordered_json::object();
  for (const auto& [function, values] : series.lag) lag[function] = values;
  r["series"] = {{"interval_s", static_cast<double>(series.interval_us) / 1e6},
                 {"t_s", series.t_s},
                 {"produced_per_s", series.produced_per_s},
                 {"applied_per_s", series.applied_per_s},
                 {"e2e_p99_us", series.e2e_p99_us},
                 {"lag", std::move(lag)}};

  // A few users' recommendations as the API would serve them now.
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (size_t i = 0; i < std::min<size_t>(3, w.users().size()); ++i) {
    const std::string& user = w.users()[i].user_id;
    auto recs = mesh.Recommend(user, 5);
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    if (recs.ok()) {
      for (const auto& it : recs->item_list) {
        items.push_back({{"item_id", it.item_id}, {"score", Round(it.score, 1e-6)}});
      }
    }
    samples.push_back({{"user_id", user}, {"items", std::move(items)}});
  }
  r["sample_recommendations"] = std::move(samples);
  return r;
}

}  // namespace

nlohmann::ordered_json BuildReport(Mesh& mesh, uint64_t seed, double wall_seconds) {
  return BuildReportParts(mesh, seed, wall_seconds, true);
}

nlohmann::ordered_json BuildMetricsReport(Mesh& mesh) {
  return BuildReportParts(mesh, mesh.scenario().seed, 0, false);
}

}  // namespace meshsim
