#include "apps/harness/expectation_runner.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/mesh/mesh.h"
#include "sim/report/report.h"

namespace meshsim {
namespace {

double SecondsOf(int64_t us) { return std::round(static_cast<double>(us)) / 1e6; }

std::string SecondsText(int64_t us) {
  std::ostringstream out;
  out << static_cast<double>(us) / 1e6 << " s";
  return out.str();
}

std::string_view StateName(ExpectationRunner::Outcome::State s) {
  switch (s) {
    case ExpectationRunner::Outcome::State::kPending:
      return "pending";
    case ExpectationRunner::Outcome::State::kPassed:
      return "passed";
    case ExpectationRunner::Outcome::State::kFailed:
      return "failed";
  }
  return "";
}

}  // namespace

ExpectationRunner::ExpectationRunner(Mesh& mesh, const std::vector<Expectation>& expectations)
    : mesh_(mesh), expectations_(expectations), results_(expectations.size()) {}

void ExpectationRunner::Start() {
  Runtime& rt = mesh_.runtime();
  // Interactions first: a check due at the same time as an interaction runs after it.
  for (size_t i = 0; i < expectations_.size(); ++i) {
    const RecommendationCheck& c = expectations_[i].recommendation;
    if (expectations_[i].kind != ExpectationKind::kRecommendation || !c.interact_item) continue;
    rt.ScheduleAfter(std::max<int64_t>(0, c.interact_at_us - rt.NowMicros()), [this, &c, i] {
      mesh_.workload().Interact(c.user_id, *c.interact_item, c.interact_event_type,
                                c.user_id + "-expectation-" + std::to_string(i));
    });
  }
  for (size_t i = 0; i < expectations_.size(); ++i) {
    const When& w = expectations_[i].when;
    switch (w.kind) {
      case When::Kind::kFinal:
        break;
      case When::Kind::kAt:
        ScheduleCheck(i, w.at_us);
        break;
      case When::Kind::kEventually:
      case When::Kind::kAlways:
        ScheduleCheck(i, w.from_us);
        break;
    }
  }
}

void ExpectationRunner::ScheduleCheck(size_t index, int64_t at_us) {
  Runtime& rt = mesh_.runtime();
  rt.ScheduleAfter(std::max<int64_t>(0, at_us - rt.NowMicros()),
                   [this, index, at_us] { Check(index, at_us); });
}

void ExpectationRunner::Check(size_t index, int64_t at_us) {
  const Expectation& x = expectations_[index];
  // Polls keep to their schedule (at_us); the report says when the check really ran, which on
  // the real clock is a little later.
  const int64_t now = mesh_.runtime().NowMicros();
  Observe(x, false, [this, index, at_us, now, &x](Observation o) {
    Outcome& r = results_[index];
    const When& w = x.when;
    ++r.checks;
    r.observed = std::move(o.value);
    r.checked_at_us = now;
    r.detail = std::move(o.detail);
    switch (w.kind) {
      case When::Kind::kFinal:
      case When::Kind::kAt:
        r.state = o.holds ? Outcome::State::kPassed : Outcome::State::kFailed;
        return;
      case When::Kind::kEventually:
        if (o.holds) {
          r.state = Outcome::State::kPassed;
          return;
        }
        if (at_us >= w.until_us) {
          r.state = Outcome::State::kFailed;
          r.detail = "did not hold from " + SecondsText(w.from_us) + " to " +
                     SecondsText(w.until_us) + " (" + std::to_string(r.checks) + " checks)" +
                     (r.detail.empty() ? "" : "; last: " + r.detail);
          return;
        }
        break;
      case When::Kind::kAlways:
        if (!o.holds) {
          r.state = Outcome::State::kFailed;
          r.detail =
              "first violated at " + SecondsText(now) + (r.detail.empty() ? "" : ": " + r.detail);
          return;
        }
        if (at_us >= w.until_us) {
          r.state = Outcome::State::kPassed;
          return;
        }
        break;
    }
    ScheduleCheck(index, std::min(at_us + w.poll_us, w.until_us));
  });
}

void ExpectationRunner::Observe(const Expectation& x, bool at_end, Observed done) {
  switch (x.kind) {
    case ExpectationKind::kMetric:
      if (at_end) return done(ObserveMetric(x, *final_report_));
      // The report as it stands now: cheap enough to build at every check.
      return done(ObserveMetric(x, BuildMetricsReport(mesh_)));
    case ExpectationKind::kAnalytics:
      return done(ObserveAnalytics(x));
    case ExpectationKind::kRecommendation:
      break;
  }
  const RecommendationCheck& c = x.recommendation;
  auto judge = [this, &x, done = std::move(done)](Result<GetRecommendationsResponse> answer) {
    if (!answer.ok()) {
      return done({false, {{"error", answer.status().ToString()}}, answer.status().ToString()});
    }
    std::vector<std::string> items;
    for (const auto& item : answer->item_list) items.push_back(item.item_id);
    done(ObserveRecommendations(x, items));
  };
  if (at_end) {
    // The report is built outside any task, where Mesh::Recommend may drive the runtime.
    return judge(mesh_.Recommend(c.user_id, c.num_results));
  }
  const MeshPorts& ports = mesh_.ports();
  ports.recommender->GetRecommendations(
      UserRecommendations(ports.campaign_arn, c.user_id, c.num_results), std::move(judge));
}

ExpectationRunner::Observation ExpectationRunner::ObserveMetric(
    const Expectation& x, const nlohmann::ordered_json& report) const {
  const auto value = MetricValue(report, x.metric.path);
  if (!value) return {false, nullptr, "the report has no number at " + x.metric.path};
  // The report's own value, so an integer stays an integer in the results.
  std::string pointer = "/" + x.metric.path;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return {Compare(*value, x.metric.op, x.metric.value),
          report.at(nlohmann::ordered_json::json_pointer(pointer)), ""};
}

ExpectationRunner::Observation ExpectationRunner::ObserveAnalytics(const Expectation& x) const {
  const AnalyticsCheck& c = x.analytics;
  const AnalyticsWindow w = mesh_.analytics().WindowAt(c.window_at_us);
  nlohmann::ordered_json value = {{"window_start_s", SecondsOf(w.start_us)}, {"events", w.events}};
  if (w.top_items.empty()) {
    value["top_item"] = nullptr;
    value["count"] = 0;
    return {false, std::move(value), "the window has no events"};
  }
  const ItemCount& top = w.top_items.front();
  value["top_item"] = top.item_id;
  value["count"] = top.count;
  bool holds = false;
  switch (c.assertion) {
    case AnalyticsCheck::Assert::kTopIs:
    case AnalyticsCheck::Assert::kTopAmong:
      holds = std::find(c.items.begin(), c.items.end(), top.item_id) != c.items.end();
      break;
    case AnalyticsCheck::Assert::kTopCountAtLeast:
      holds = top.count >= c.min_count;
      break;
  }
  return {holds, std::move(value), ""};
}

ExpectationRunner::Observation ExpectationRunner::ObserveRecommendations(
    const Expectation& x, const std::vector<std::string>& items) {
  const RecommendationCheck& c = x.recommendation;
  nlohmann::ordered_json value = {{"items", items}};
  const bool listed = std::find(items.begin(), items.end(), c.item_id) != items.end();
  switch (c.assertion) {
    case RecommendationCheck::Assert::kContain:
      return {listed, std::move(value), ""};
    case RecommendationCheck::Assert::kExclude:
      return {!listed, std::move(value), ""};
    case RecommendationCheck::Assert::kAtLeast: {
      const auto n = std::count_if(items.begin(), items.end(),
                                   [&](const std::string& id) { return IsType(id, c.item_type); });
      value = {{std::string(ItemTypeName(c.item_type)), n}, {"items", items}};
      return {n >= c.at_least, std::move(value), ""};
    }
  }
  return {};
}

bool ExpectationRunner::IsType(const std::string& item_id, ItemType type) {
  const auto& items = mesh_.workload().items();
  for (; item_types_seen_ < items.size(); ++item_types_seen_) {
    item_types_.emplace(items[item_types_seen_].item_id, items[item_types_seen_].type);
  }
  auto it = item_types_.find(item_id);
  return it != item_types_.end() && it->second == type;
}

nlohmann::ordered_json ExpectationRunner::Report(const nlohmann::ordered_json& report) {
  final_report_ = &report;
  const int64_t now = mesh_.runtime().NowMicros();
  for (size_t i = 0; i < expectations_.size(); ++i) {
    if (expectations_[i].when.kind != When::Kind::kFinal) continue;
    results_[i] = Outcome{};
    Observe(expectations_[i], true, [this, i, now](Observation o) {
      Outcome& r = results_[i];
      r.state = o.holds ? Outcome::State::kPassed : Outcome::State::kFailed;
      r.observed = std::move(o.value);
      r.checked_at_us = now;
      r.checks = 1;
      r.detail = std::move(o.detail);
    });
  }
  final_report_ = nullptr;
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (size_t i = 0; i < expectations_.size(); ++i) {
    const Expectation& x = expectations_[i];
    const Outcome& r = results_[i];
    std::string detail = r.detail;
    if (r.state == Outcome::State::kPending) {
      detail = r.checks == 0 ? "not checked: the run stopped at " + SecondsText(now)
                             : "still being checked when the run stopped at " + SecondsText(now);
    }
    out.push_back(
        {{"name", x.name},
         {"kind", ExpectationKindName(x.kind)},
         {"when", x.DescribeWhen()},
         {"expected", x.Expected()},
         {"passed", r.state == Outcome::State::kPassed},
         {"status", StateName(r.state)},
         {"observed", r.observed},
         {"checked_at_s", r.checked_at_us < 0 ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(SecondsOf(r.checked_at_us))},
         {"checks", r.checks},
         {"detail", detail}});
    // A latency in microseconds, as people read it too.
    if (x.kind == ExpectationKind::kMetric && x.metric.path.ends_with("_us") &&
        r.observed.is_number()) {
      out.back()["observed_as"] = MicrosAsDuration(r.observed.get<double>());
    }
  }
  return out;
}

bool ExpectationRunner::AllPassed() const {
  return std::all_of(results_.begin(), results_.end(),
                     [](const Outcome& r) { return r.state == Outcome::State::kPassed; });
}

}  // namespace meshsim
