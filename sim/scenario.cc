#include "sim/scenario.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "sim/json_reader.h"
#include "sim/timeline.h"

namespace meshsim {
namespace {

constexpr int64_t kMaxCount = 100'000'000;

void ReadPopulation(ObjectReader& r, Population* p) {
  p->users = r.Int("users", p->users, 1, kMaxCount);
  p->songs = r.Int("songs", p->songs, 0, kMaxCount);
  p->podcasts = r.Int("podcasts", p->podcasts, 0, kMaxCount);
  if (r.Has("song_genres")) p->song_genres = r.StringArray("song_genres", 1);
  if (r.Has("podcast_genres")) p->podcast_genres = r.StringArray("podcast_genres", 1);
  p->favourite_genres = r.Int("favourite_genres", p->favourite_genres, 1, 1000);
  p->taste_focus = r.Number("taste_focus", p->taste_focus, 0, 1);
  std::set<std::string> seen;
  for (const auto* list : {&p->song_genres, &p->podcast_genres}) {
    for (const auto& g : *list) {
      if (g.empty()) r.Error(list == &p->song_genres ? "song_genres" : "podcast_genres",
                             "a genre name must not be empty");
      if (!seen.insert(g).second) {
        r.Error(list == &p->song_genres ? "song_genres" : "podcast_genres",
                "genre \"" + g + "\" is listed twice");
      }
    }
  }
  if (p->songs + p->podcasts == 0) r.Error("", "the population needs at least one song or podcast");
  r.Finish();
}

void ReadTraffic(ObjectReader& r, Traffic* t) {
  t->events_per_second = r.Number("events_per_second", t->events_per_second, 0, 1e7);
  t->popularity_skew = r.Number("popularity_skew", t->popularity_skew, 0, 10);
  t->podcast_share = r.Number("podcast_share", t->podcast_share, 0, 1);
  if (auto s = r.Object("session")) {
    t->session_mean_events = s->Number("mean_events", t->session_mean_events, 1, 1e6);
    t->think_time_mean_us = static_cast<int64_t>(
        s->Number("mean_think_time_ms", static_cast<double>(t->think_time_mean_us) / 1e3, 0,
                  86'400'000) * 1e3);
    s->Finish();
  }
  if (auto e = r.Object("event_types")) {
    t->event_types.clear();
    double total = 0;
    for (const auto& name : e->Keys()) {
      const double p = e->Number(name, 0, 0, 1);
      t->event_types.emplace_back(name, p);
      total += p;
    }
    if (t->event_types.empty()) {
      r.Error("event_types", "at least one event type is needed");
    } else if (std::abs(total - 1.0) > 1e-6) {
      std::ostringstream m;
      m << "probabilities must add up to 1 (they add up to " << total << ")";
      r.Error("event_types", m.str());
    }
    e->Finish();
  }
  r.Finish();
}

}  // namespace

Result<Scenario> ParseScenario(const std::string& text, const std::string& filename) {
  auto source = JsonSource::Parse(text, filename);
  if (!source.ok()) return source.status();
  const JsonSource& src = *source;
  JsonErrors errors;
  Scenario s;
  s.file = filename;
  ObjectReader r(src, src.root(), "", &errors);
  s.name = r.RequiredString("name");
  s.description = r.String("description", "");
  s.seed = static_cast<uint64_t>(r.Int("seed", 1, 0, INT64_MAX));
  const size_t errors_before_duration = errors.messages().size();
  s.duration_us = static_cast<int64_t>(r.RequiredNumber("duration_s", 0.001, 30 * 86400.0) * 1e6);
  // Timeline times are checked against the duration only when the duration itself is good.
  const bool duration_known = errors.messages().size() == errors_before_duration;
  if (auto p = r.Object("population")) ReadPopulation(*p, &s.population);
  if (auto t = r.Object("traffic")) ReadTraffic(*t, &s.traffic);
  if (auto t = r.Object("topics")) {
    s.partitions = static_cast<int32_t>(t->Int("partitions", s.partitions, 1, 1024));
    t->Finish();
  }
  if (auto rec = r.Object("recommender")) {
    s.recipe = rec->String("recipe", s.recipe, {"popularity", "co-occurrence"});
    s.history_length = rec->Int("history_length", s.history_length, 1, 10'000);
    rec->Finish();
  }
  if (auto c = r.Object("consumers")) {
    // Lambda's limits for Kafka event sources: batch size 1..10000, window 0..300 s.
    s.consumers.batch_size = c->Int("batch_size", s.consumers.batch_size, 1, 10'000);
    s.consumers.batching_window_us =
        c->Int("batching_window_ms", s.consumers.batching_window_us / 1000, 0, 300'000) * 1000;
    s.consumers.max_retries = c->Int("max_retries", s.consumers.max_retries, 0, 10'000);
    s.consumers.concurrent_calls = c->Int("concurrent_calls", s.consumers.concurrent_calls, 1, 1000);
    c->Finish();
  }
  if (auto a = r.Object("analytics")) {
    s.analytics_window_us =
        static_cast<int64_t>(a->Number("window_s", s.analytics_window_us / 1e6, 1, 86400) * 1e6);
    s.analytics_top_n = a->Int("top_n", s.analytics_top_n, 1, 1000);
    a->Finish();
  }
  if (auto l = r.Object("latency")) {
    for (auto [key, model] : {std::pair{"produce", &s.latency.produce},
                              std::pair{"invoke", &s.latency.invoke},
                              std::pair{"recommender", &s.latency.recommender}}) {
      if (auto m = l->Object(key)) *model = LatencyModel::Read(*m);
    }
    l->Finish();
  }
  if (const nlohmann::json* timeline = r.Array("timeline")) {
    const auto& actions = TimelineActions();
    for (size_t i = 0; i < timeline->size(); ++i) {
      ObjectReader e(src, (*timeline)[i], r.PointerOf("timeline") + "/" + std::to_string(i),
                     &errors);
      TimelineAction action;
      const double at_s = e.RequiredNumber("at_s", 0, 30 * 86400.0);
      action.at_us = static_cast<int64_t>(at_s * 1e6);
      if (duration_known && action.at_us > s.duration_us) {
        std::ostringstream m;
        m << "time " << at_s << " s is past the end of the scenario (" << s.duration_us / 1e6
          << " s)";
        e.Error("at_s", m.str());
      }
      action.action = e.RequiredString("action");
      auto spec = std::find_if(actions.begin(), actions.end(),
                               [&](const ActionSpec& a) { return action.action == a.name; });
      if (spec == actions.end()) {
        if (!action.action.empty()) {
          std::string known;
          for (const auto& a : actions) known += (known.empty() ? "" : ", ") + std::string(a.name);
          e.Error("action", "unknown action \"" + action.action + "\"; expected one of " + known);
        }
        continue;
      }
      action.apply = spec->parse(e, s, &action.describe);
      e.Finish();
      s.timeline.push_back(std::move(action));
    }
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const auto& a, const auto& b) { return a.at_us < b.at_us; });
  }
  ReadExpectations(r, &s);
  r.Finish();
  if (!errors.empty()) {
    std::string all;
    for (const auto& m : errors.messages()) all += (all.empty() ? "" : "\n") + m;
    return Status(Code::kValidation, all);
  }
  return s;
}

Result<Scenario> LoadScenario(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseScenario(*text, path);
}

}  // namespace meshsim
