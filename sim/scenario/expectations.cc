#include "sim/scenario/expectations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <unordered_set>

#include "sim/ports/topics.h"
#include "sim/scenario/dataset.h"
#include "sim/scenario/scenario.h"

namespace meshsim {
namespace {

constexpr double kMaxSeconds = 30 * 86400.0;  // as for every other time in a scenario

std::string Number(double v) {
  char buf[64];
  if (std::abs(v) < 1e15 && v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

std::string Seconds(int64_t us) { return Number(static_cast<double>(us) / 1e6) + " s"; }

std::string ThreeDigits(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) out += (out.size() > 1 ? ", " : "") + i;
  return out + "]";
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Which user and item ids a scenario can have. Generated: users u0..u{users-1}, songs s0.. and
// podcasts p0.., and arrivals or a publish_items action add more past those counts. Replayed: the
// data set's own ids, plus numbered items when an action may publish some.
class IdRules {
 public:
  explicit IdRules(const Scenario& s)
      : users_(s.population.users),
        songs_(s.population.songs),
        podcasts_(s.population.podcasts),
        users_grow_(s.traffic.arrivals.users_per_hour > 0),
        songs_grow_(s.traffic.arrivals.songs_per_hour > 0),
        podcasts_grow_(s.traffic.arrivals.podcasts_per_hour > 0),
        // A data set that did not load is an error already; its ids are unknown.
        check_(s.data.dataset != nullptr || s.data.dir.empty()) {
    for (const auto& action : s.timeline) {
      if (action.action == "publish_items") songs_grow_ = podcasts_grow_ = true;
    }
    if (const Dataset* d = s.data.dataset.get()) {
      replayed_ = true;
      for (const auto& u : d->users) dataset_users_.insert(u.user_id);
      for (const auto& item : d->items) dataset_items_.insert(item.item_id);
    }
  }

  void CheckUser(ObjectReader& r, const std::string& key, const std::string& id) const {
    if (id.empty() || !check_) return;  // a missing or mistyped field is reported already
    if (replayed_) {
      if (!dataset_users_.count(id))
        r.Error(key, "unknown user \"" + id + "\"; not in the data set");
      return;
    }
    const std::string range = "users are u0..u" + std::to_string(users_ - 1) +
                              (users_grow_ ? " and the users who arrive later" : "");
    const int64_t n = Numbered(id, 'u');
    if (n < 0) {
      r.Error(key, "malformed user id \"" + id + "\"; " + range);
    } else if (n >= users_ && !users_grow_) {
      r.Error(key, "unknown user \"" + id + "\"; " + range);
    }
  }

  void CheckItem(ObjectReader& r, const std::string& key, const std::string& id) const {
    if (id.empty() || !check_) return;
    const int64_t song = Numbered(id, 's');
    const int64_t podcast = Numbered(id, 'p');
    if (replayed_) {
      const bool may_publish = (song >= 0 && songs_grow_) || (podcast >= 0 && podcasts_grow_);
      if (!dataset_items_.count(id) && !may_publish) {
        r.Error(key, "unknown item \"" + id + "\"; not in the data set");
      }
      return;
    }
    if (song < 0 && podcast < 0) {
      r.Error(key,
              "malformed item id \"" + id + "\"; songs are s0, s1, ... and podcasts p0, p1, ...");
      return;
    }
    const bool is_song = song >= 0;
    const int64_t count = is_song ? songs_ : podcasts_;
    if ((is_song ? song : podcast) < count || (is_song ? songs_grow_ : podcasts_grow_)) return;
    r.Error(key, "unknown item \"" + id + "\"; the population has " +
                     (count == 0 ? std::string("no ") + (is_song ? "songs" : "podcasts")
                                 : std::string(is_song ? "songs s0..s" : "podcasts p0..p") +
                                       std::to_string(count - 1)) +
                     " and neither arrivals nor a publish_items action add more");
  }

 private:
  // The number after a one-letter prefix ("u12" -> 12), or -1 when the id is not of that form.
  static int64_t Numbered(const std::string& id, char prefix) {
    if (id.size() < 2 || id.size() > 19 || id[0] != prefix) return -1;
    if (id[1] == '0' && id.size() > 2) return -1;  // "s07" is no id the workload makes
    int64_t n = 0;
    for (size_t i = 1; i < id.size(); ++i) {
      if (id[i] < '0' || id[i] > '9') return -1;
      n = n * 10 + (id[i] - '0');
    }
    return n;
  }

  int64_t users_, songs_, podcasts_;
  bool users_grow_, songs_grow_, podcasts_grow_;
  bool check_;
  bool replayed_ = false;
  std::unordered_set<std::string> dataset_users_, dataset_items_;
};

// Reads and checks the times of one expectation against the scenario's duration.
class Times {
 public:
  Times(const Scenario& s, bool duration_known) : s_(s), known_(duration_known) {}

  // A time in seconds at `key`; required unless `fallback_us` is given. Past the end is an error.
  int64_t Read(ObjectReader& r, const std::string& key, std::optional<int64_t> fallback_us) {
    const bool present = r.Has(key);
    const double seconds =
        fallback_us ? r.Number(key, 0, 0, kMaxSeconds) : r.RequiredNumber(key, 0, kMaxSeconds);
    if (!present && fallback_us) return *fallback_us;
    const auto us = static_cast<int64_t>(std::llround(seconds * 1e6));
    if (PastEnd(us))
      r.Error(key, "time " + Seconds(us) + " is past the end of the scenario (" +
                       Seconds(s_.duration_us) + ")");
    return us;
  }
  bool PastEnd(int64_t us) const { return known_ && us > s_.duration_us; }
  bool known() const { return known_; }
  int64_t end() const { return s_.duration_us; }

 private:
  const Scenario& s_;
  bool known_;
};

std::string DefaultName(const Expectation& x) {
  switch (x.kind) {
    case ExpectationKind::kMetric:
      return x.metric.path + " " + x.Expected();
    case ExpectationKind::kRecommendation: {
      const RecommendationCheck& c = x.recommendation;
      return "recommendations for " + c.user_id +
             (c.interact_item ? " after " + c.interact_event_type + " " + *c.interact_item : "") +
             ": " + x.Expected();
    }
    case ExpectationKind::kAnalytics:
      return "analytics window at " + Seconds(x.analytics.window_at_us) + ": " + x.Expected();
  }
  return "";
}

// Exactly one of `keys` must be present; returns it, or "" after recording an error.
std::string OneOf(ObjectReader& r, std::initializer_list<const char*> keys, const char* what) {
  std::vector<std::string> present;
  std::string all;
  for (const char* k : keys) {
    if (r.Has(k)) present.push_back(k);
    all += std::string(all.empty() ? "" : ", ") + "\"" + k + "\"";
  }
  if (present.size() == 1) return present[0];
  r.Error("", present.empty() ? std::string(what) + " needs one of " + all
                              : std::string(what) + " takes only one of " + all + "; got " +
                                    std::to_string(present.size()));
  return "";
}

void ReadMetric(ObjectReader& e, Expectation* x) {
  x->kind = ExpectationKind::kMetric;
  x->metric.path = e.RequiredString("metric");
  const auto& paths = ReportMetricPaths();
  if (!x->metric.path.empty() && !std::binary_search(paths.begin(), paths.end(), x->metric.path)) {
    // The nearest path close enough to suggest. The edit distance is at least the difference in
    // length, so a path whose length is too far off is not measured: a long garbage name once
    // cost its length times every path's (found by fuzzing the loader).
    const size_t limit = std::max<size_t>(3, x->metric.path.size() / 4);
    std::string nearest;
    size_t best = SIZE_MAX;
    for (const auto& p : paths) {
      const size_t gap = p.size() > x->metric.path.size() ? p.size() - x->metric.path.size()
                                                          : x->metric.path.size() - p.size();
      if (gap > limit) continue;
      const size_t d = EditDistance(p, x->metric.path);
      if (d < best) best = d, nearest = p;
    }
    std::string hint = best <= limit
                           ? "did you mean \"" + nearest + "\"?"
                           : "metrics are report paths such as counts.lost or "
                             "latency.event_to_recommendation.p99_us (see scenarios/README.md)";
    e.Error("metric", "unknown metric \"" + x->metric.path + "\"; " + hint);
  }
  const std::string op = e.RequiredString("op", {"<", "<=", ">", ">=", "==", "!="});
  for (auto candidate : {CompareOp::kLess, CompareOp::kLessEqual, CompareOp::kGreater,
                         CompareOp::kGreaterEqual, CompareOp::kEqual, CompareOp::kNotEqual}) {
    if (op == CompareOpName(candidate)) x->metric.op = candidate;
  }
  x->metric.value = e.RequiredNumber("value", -1e18, 1e18);
}

void ReadRecommendation(ObjectReader& r, const IdRules& ids, Times& times, Expectation* x) {
  x->kind = ExpectationKind::kRecommendation;
  RecommendationCheck& c = x->recommendation;
  c.user_id = r.RequiredString("user");
  ids.CheckUser(r, "user", c.user_id);
  if (auto in = r.Object("after_interaction")) {
    c.interact_item = in->RequiredString("item");
    ids.CheckItem(*in, "item", *c.interact_item);
    c.interact_at_us = times.Read(*in, "at_s", std::nullopt);
    c.interact_event_type = in->String("event_type", c.interact_event_type);
    if (c.interact_event_type.empty()) {
      in->Error("event_type", "an event type must not be empty");
    }
    in->Finish();
  }
  c.num_results = static_cast<int>(r.Int("num_results", c.num_results, 1, 500));
  const std::string which = OneOf(r, {"contain", "exclude", "at_least"}, "a recommendation check");
  if (which.empty()) return;  // the keys it did not read would only add noise
  if (which == "contain" || which == "exclude") {
    c.assertion = which == "contain" ? RecommendationCheck::Assert::kContain
                                     : RecommendationCheck::Assert::kExclude;
    c.item_id = r.RequiredString(which);
    ids.CheckItem(r, which, c.item_id);
  } else if (which == "at_least") {
    c.assertion = RecommendationCheck::Assert::kAtLeast;
    if (auto a = r.Object("at_least")) {
      c.at_least = a->RequiredInt("count", 1, 500);
      c.item_type = a->RequiredString("item_type", {"SONG", "PODCAST"}) == "SONG"
                        ? ItemType::kSong
                        : ItemType::kPodcast;
      if (c.at_least > c.num_results) {
        a->Error("count", "can never hold: at least " + std::to_string(c.at_least) +
                              " items in a list of num_results " + std::to_string(c.num_results));
      }
      a->Finish();
    }
  }
  r.Finish();
}

void ReadAnalytics(ObjectReader& r, const IdRules& ids, Times& times, Expectation* x) {
  x->kind = ExpectationKind::kAnalytics;
  AnalyticsCheck& c = x->analytics;
  c.window_at_us = times.Read(r, "window_at_s", std::nullopt);
  const std::string which =
      OneOf(r, {"top_item", "top_item_in", "top_count_at_least"}, "an analytics check");
  if (which.empty()) return;
  if (which == "top_item") {
    c.assertion = AnalyticsCheck::Assert::kTopIs;
    c.items = {r.RequiredString("top_item")};
    ids.CheckItem(r, "top_item", c.items[0]);
  } else if (which == "top_item_in") {
    c.assertion = AnalyticsCheck::Assert::kTopAmong;
    c.items = r.StringArray("top_item_in", 1);
    for (const auto& item : c.items) ids.CheckItem(r, "top_item_in", item);
  } else if (which == "top_count_at_least") {
    c.assertion = AnalyticsCheck::Assert::kTopCountAtLeast;
    c.min_count = static_cast<uint64_t>(r.RequiredInt("top_count_at_least", 1, INT64_MAX));
  }
  r.Finish();
}

void ReadWhen(ObjectReader& w, Times& times, std::optional<int64_t> interaction_us,
              Expectation* x) {
  When& when = x->when;
  const std::string which = OneOf(w, {"at_s", "eventually_within_s", "always"}, "\"when\"");
  const int64_t earliest = interaction_us.value_or(0);
  auto read_poll = [&] {
    when.poll_us = static_cast<int64_t>(std::llround(w.Number("poll_s", 1, 0.001, 86400) * 1e6));
  };
  std::string first_key;  // the field naming the first check, for a message about it
  if (which == "at_s") {
    when.kind = When::Kind::kAt;
    when.at_us = times.Read(w, "at_s", std::nullopt);
    first_key = "at_s";
  } else if (which == "eventually_within_s") {
    when.kind = When::Kind::kEventually;
    when.from_us = times.Read(w, "from_s", earliest);
    const double within = w.RequiredNumber("eventually_within_s", 0, kMaxSeconds);
    when.until_us = when.from_us + static_cast<int64_t>(std::llround(within * 1e6));
    read_poll();
    first_key = w.Has("from_s") ? "from_s" : "eventually_within_s";
    if (!times.PastEnd(when.from_us) && times.PastEnd(when.until_us)) {
      w.Error("eventually_within_s", "the window ends at " + Seconds(when.until_us) +
                                         ", past the end of the scenario (" + Seconds(times.end()) +
                                         "): it could not be checked");
    }
  } else if (which == "always") {
    when.kind = When::Kind::kAlways;
    if (!w.Bool("always", true)) {
      w.Error("always", "\"always\" must be true (leave \"when\" out to check at the end)");
    }
    when.from_us = times.Read(w, "from_s", earliest);
    when.until_us = times.Read(w, "until_s", times.end());
    read_poll();
    first_key = w.Has("from_s") ? "from_s" : "always";
    if (when.until_us < when.from_us && (w.Has("until_s") || times.known())) {
      w.Error("until_s", "until_s (" + Seconds(when.until_us) + ") is before from_s (" +
                             Seconds(when.from_us) + ")");
    }
  } else {
    return;
  }
  const int64_t first = when.kind == When::Kind::kAt ? when.at_us : when.from_us;
  if (interaction_us && first < *interaction_us) {
    w.Error(first_key, "the check at " + Seconds(first) +
                           " comes before the interaction it follows (at " +
                           Seconds(*interaction_us) + ")");
  }
  w.Finish();
}

}  // namespace

std::string_view ExpectationKindName(ExpectationKind kind) {
  switch (kind) {
    case ExpectationKind::kMetric:
      return "metric";
    case ExpectationKind::kRecommendation:
      return "recommendation";
    case ExpectationKind::kAnalytics:
      return "analytics";
  }
  return "";
}

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
    case CompareOp::kEqual:
      return "==";
    case CompareOp::kNotEqual:
      return "!=";
  }
  return "";
}

bool Compare(double observed, CompareOp op, double value) {
  switch (op) {
    case CompareOp::kLess:
      return observed < value;
    case CompareOp::kLessEqual:
      return observed <= value;
    case CompareOp::kGreater:
      return observed > value;
    case CompareOp::kGreaterEqual:
      return observed >= value;
    case CompareOp::kEqual:
      return observed == value;
    case CompareOp::kNotEqual:
      return observed != value;
  }
  return false;
}

std::string Expectation::Expected() const {
  switch (kind) {
    case ExpectationKind::kMetric: {
      std::string e = std::string(CompareOpName(metric.op)) + " " + Number(metric.value);
      if (metric.path.ends_with("_us")) e += " (" + MicrosAsDuration(metric.value) + ")";
      return e;
    }
    case ExpectationKind::kRecommendation: {
      const RecommendationCheck& c = recommendation;
      const std::string list = " in the top " + std::to_string(c.num_results);
      switch (c.assertion) {
        case RecommendationCheck::Assert::kContain:
          return c.item_id + list;
        case RecommendationCheck::Assert::kExclude:
          return "no " + c.item_id + list;
        case RecommendationCheck::Assert::kAtLeast:
          return "at least " + std::to_string(c.at_least) + " " +
                 std::string(ItemTypeName(c.item_type)) + list;
      }
      break;
    }
    case ExpectationKind::kAnalytics: {
      const AnalyticsCheck& c = analytics;
      switch (c.assertion) {
        case AnalyticsCheck::Assert::kTopIs:
          return "top item " + (c.items.empty() ? std::string("?") : c.items[0]);
        case AnalyticsCheck::Assert::kTopAmong:
          return "top item among " + List(c.items);
        case AnalyticsCheck::Assert::kTopCountAtLeast:
          return "top item count >= " + std::to_string(c.min_count);
      }
      break;
    }
  }
  return "";
}

std::string Expectation::DescribeWhen() const {
  const std::string poll = " (every " + Seconds(when.poll_us) + ")";
  switch (when.kind) {
    case When::Kind::kFinal:
      return "at the end";
    case When::Kind::kAt:
      return "at " + Seconds(when.at_us);
    case When::Kind::kEventually:
      return "eventually within " + Seconds(when.until_us - when.from_us) + " from " +
             Seconds(when.from_us) + poll;
    case When::Kind::kAlways:
      return "always from " + Seconds(when.from_us) + " until " + Seconds(when.until_us) + poll;
  }
  return "";
}

const std::vector<std::string>& ReportMetricPaths() {
  static const std::vector<std::string> kPaths = [] {
    const std::vector<std::string> counts = {"produced", "delivered", "applied", "rejected",
                                             "lost"};
    const std::vector<std::string> histogram = {"count",   "p50_us", "p90_us", "p99_us",
                                                "p999_us", "max_us", "min_us", "mean_us"};
    const std::vector<std::string> topics = {kUsersTopic, kSongsTopic, kPodcastsTopic,
                                             kInteractionsTopic};
    std::vector<std::string> p = {"sim_seconds",
                                  "dead_letters.count",
                                  "invariants.applied_twice",
                                  "invariants.applied_out_of_order",
                                  "retries.produce",
                                  "retries.throttled_calls",
                                  "catalog.denials",
                                  "catalog.reads_allowed",
                                  "catalog.rows_read",
                                  "etl.runs",
                                  "recommender.deployed",
                                  "recommender.deploy_failures",
                                  "etl.published",
                                  "etl.failed",
                                  "stores.users",
                                  "stores.items",
                                  "stores.events_landed",
                                  "stores.failed_writes",
                                  "schemas.registered",
                                  "schemas.refused",
                                  "analytics.consumed",
                                  "analytics.peak_events_per_second",
                                  "analytics.mean_events_per_second",
                                  "workload.users",
                                  "workload.items",
                                  "workload.sessions",
                                  "workload.interactions"};
    auto add = [&p](const std::string& prefix, const std::vector<std::string>& leaves) {
      for (const auto& leaf : leaves) p.push_back(prefix + leaf);
    };
    add("counts.", counts);
    for (const auto& t : topics) add("counts.by_topic." + t + ".", counts);
    add("latency.event_to_recommendation.", histogram);
    for (const char* hop : {"produce", "deliver", "apply"}) {
      add(std::string("latency.hops.") + hop + ".", histogram);
    }
    for (const auto& t : topics) add("latency.by_topic." + t + ".", histogram);
    std::sort(p.begin(), p.end());
    return p;
  }();
  return kPaths;
}

std::optional<double> MetricValue(const nlohmann::ordered_json& report, const std::string& path) {
  const nlohmann::ordered_json* v = &report;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t dot = std::min(path.find('.', start), path.size());
    if (!v->is_object()) return std::nullopt;
    auto it = v->find(path.substr(start, dot - start));
    if (it == v->end()) return std::nullopt;
    v = &*it;
    start = dot + 1;
  }
  if (!v->is_number()) return std::nullopt;
  return v->get<double>();
}

void ReadExpectations(ObjectReader& root, Scenario* scenario, bool duration_known) {
  const nlohmann::json* list = root.Array("expectations");
  if (!list) return;
  const IdRules ids(*scenario);
  Times times(*scenario, duration_known);
  for (size_t i = 0; i < list->size(); ++i) {
    ObjectReader e(root.source(), (*list)[i],
                   root.PointerOf("expectations") + "/" + std::to_string(i), root.errors());
    Expectation x;
    x.pointer = e.pointer();
    x.name = e.String("name", "");
    const std::string which =
        OneOf(e, {"metric", "recommendations", "analytics"}, "an expectation");
    if (which.empty()) continue;  // its other keys would only add noise
    std::optional<int64_t> interaction_us;
    if (which == "metric") {
      ReadMetric(e, &x);
    } else if (which == "recommendations") {
      if (auto r = e.Object("recommendations")) ReadRecommendation(*r, ids, times, &x);
      if (x.recommendation.interact_item) interaction_us = x.recommendation.interact_at_us;
    } else {
      if (auto a = e.Object("analytics")) ReadAnalytics(*a, ids, times, &x);
    }
    if (auto w = e.Object("when")) ReadWhen(*w, times, interaction_us, &x);
    if (x.kind == ExpectationKind::kAnalytics && x.when.kind != When::Kind::kFinal) {
      // A window that starts after the last check is still empty then: it can never hold.
      const int64_t last = x.when.kind == When::Kind::kAt ? x.when.at_us : x.when.until_us;
      const int64_t window_start =
          x.analytics.window_at_us / scenario->analytics_window_us * scenario->analytics_window_us;
      if (last < window_start) {
        e.Error("when", "can never hold: the last check (" + Seconds(last) +
                            ") comes before the window at " + Seconds(x.analytics.window_at_us) +
                            " starts (" + Seconds(window_start) + ")");
      }
    }
    if (x.name.empty()) x.name = DefaultName(x);
    e.Finish();
    scenario->expectations.push_back(std::move(x));
  }
}

std::string MicrosAsDuration(double us) {
  const double a = std::abs(us);
  if (a >= 1e6) return ThreeDigits(us / 1e6) + " s";
  if (a >= 1e3) return ThreeDigits(us / 1e3) + " ms";
  return ThreeDigits(us) + " us";
}

}  // namespace meshsim
