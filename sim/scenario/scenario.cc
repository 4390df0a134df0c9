#include "sim/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "sim/scenario/dataset.h"
#include "sim/scenario/timeline.h"
#include "sim/text/json_reader.h"

namespace meshsim {
namespace {

constexpr int64_t kMaxCount = 100'000'000;

void ReadPopulation(ObjectReader& r, Population* p) {
  p->users = r.Int("users", p->users, 1, kMaxCount);
  p->songs = r.Int("songs", p->songs, 0, kMaxCount);
  p->podcasts = r.Int("podcasts", p->podcasts, 0, kMaxCount);
  if (r.Has("song_genres")) p->song_genres = r.StringArray("song_genres", 1);
  if (r.Has("podcast_genres")) p->podcast_genres = r.StringArray("podcast_genres", 1);
  // favourite_genres and taste_focus are the shorthand for {"model": "favourites", ...}.
  const bool shorthand = r.Has("favourite_genres") || r.Has("taste_focus");
  p->favourite_genres = r.Int("favourite_genres", p->favourite_genres, 1, 1000);
  p->taste_focus = r.Number("taste_focus", p->taste_focus, 0, 1);
  if (auto t = r.Object("taste")) {
    if (shorthand) {
      r.Error("taste",
              "give either \"taste\" or its shorthand favourite_genres/taste_focus, "
              "not both");
    }
    const std::string model = t->RequiredString("model", {"favourites", "dirichlet"});
    if (model == "favourites") {
      p->taste_model = TasteModel::kFavourites;
      p->favourite_genres = t->Int("favourite_genres", p->favourite_genres, 1, 1000);
      p->taste_focus = t->Number("focus", p->taste_focus, 0, 1);
      t->Finish();
    } else if (model == "dirichlet") {
      p->taste_model = TasteModel::kDirichlet;
      p->taste_concentration = t->Number("concentration", p->taste_concentration, 0.001, 1000);
      t->Finish();
    }
  }
  std::set<std::string> seen;
  for (const auto* list : {&p->song_genres, &p->podcast_genres}) {
    for (const auto& g : *list) {
      if (g.empty())
        r.Error(list == &p->song_genres ? "song_genres" : "podcast_genres",
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

// Each shorthand is read even when absent, so that an unknown key's message lists it.
void ReadSession(ObjectReader& s, Traffic* t) {
  const bool has_mean = s.Has("mean_events");
  const double mean = s.Number("mean_events", t->session_length.Mean(), 1, 1e6);
  if (has_mean) t->session_length = SessionLength::Geometric(mean);
  if (auto l = s.Object("length")) {
    if (has_mean)
      s.Error("length", "give either \"length\" or its shorthand mean_events, not both");
    t->session_length = SessionLength::Read(*l);
  }
  const bool has_think = s.Has("mean_think_time_ms");
  const double think_ms = s.Number("mean_think_time_ms", t->think_time.Mean() / 1e3, 0, 86'400'000);
  if (has_think) t->think_time = LatencyModel::Exponential(think_ms * 1e3);
  if (auto m = s.Object("think_time")) {
    if (has_think) {
      s.Error("think_time",
              "give either \"think_time\" or its shorthand mean_think_time_ms, "
              "not both");
    }
    t->think_time = LatencyModel::Read(*m);
  }
  s.Finish();
}

void ReadTraffic(ObjectReader& r, Traffic* t) {
  const bool has_eps = r.Has("events_per_second");
  const double eps = r.Number("events_per_second", t->rate.Max(), 0, 1e7);
  if (has_eps) t->rate = RateCurve::Constant(eps);
  if (auto c = r.Object("rate")) {
    if (has_eps) {
      r.Error("rate", "give either \"rate\" or its shorthand events_per_second, not both");
    }
    t->rate = RateCurve::Read(*c);
  }
  t->popularity_skew = r.Number("popularity_skew", t->popularity_skew, 0, 10);
  t->podcast_share = r.Number("podcast_share", t->podcast_share, 0, 1);
  if (auto s = r.Object("session")) ReadSession(*s, t);
  if (auto e = r.Object("event_types")) {
    t->event_types.clear();
    double total = 0, songs = 0, podcasts = 0;
    for (const auto& name : e->Keys()) {
      const double p = e->Number(name, 0, 0, 1);
      t->event_types.emplace_back(name, p);
      total += p;
      if (name != "subscribe") songs += p;
      if (name != "follow") podcasts += p;
    }
    if (t->event_types.empty()) {
      r.Error("event_types", "at least one event type is needed");
    } else if (std::abs(total - 1.0) > 1e-6) {
      r.Error("event_types",
              "probabilities must add up to 1 (they add up to " + FormatNumber(total) + ")");
    } else if (songs <= 0 || podcasts <= 0) {
      r.Error("event_types", std::string("songs and podcasts each need an event type: \"") +
                                 (songs <= 0 ? "subscribe" : "follow") + "\" applies only to " +
                                 (songs <= 0 ? "podcasts" : "songs"));
    }
    e->Finish();
  }
  if (auto a = r.Object("arrivals")) {
    t->arrivals.users_per_hour = a->Number("users_per_hour", 0, 0, 1e7);
    t->arrivals.songs_per_hour = a->Number("songs_per_hour", 0, 0, 1e7);
    t->arrivals.podcasts_per_hour = a->Number("podcasts_per_hour", 0, 0, 1e7);
    a->Finish();
  }
  r.Finish();
}

// Loads the data set now, so that a bad file is an error before anything runs, and takes the
// population's counts and genres from it.
void ReadData(ObjectReader& r, const std::string& scenario_file, Scenario* s) {
  const std::string dir = r.RequiredString("dir");
  s->data.time_scale = r.Number("time_scale", s->data.time_scale, 1e-6, 1e6);
  r.Finish();
  if (!r.Has("dir")) return;
  if (dir.empty()) {
    r.Error("dir", "the data set's folder must not be empty");
    return;
  }
  std::filesystem::path path(dir);
  if (path.is_relative()) path = std::filesystem::path(scenario_file).parent_path() / path;
  s->data.dir = path.lexically_normal().string();
  auto dataset = LoadDataset(s->data.dir, s->data.time_scale);
  if (!dataset.ok()) {
    if (dataset.status().code() != Code::kValidation) {
      r.Error("dir", dataset.status().message());
      return;
    }
    std::istringstream lines(dataset.status().message());
    for (std::string line; std::getline(lines, line);) r.errors()->Add(line);
    return;
  }
  Population& p = s->population;
  p.users = static_cast<int64_t>(dataset->users.size());
  p.songs = p.podcasts = 0;
  for (const auto& item : dataset->items) ++(item.type == ItemType::kSong ? p.songs : p.podcasts);
  p.song_genres = dataset->song_genres;
  p.podcast_genres = dataset->podcast_genres;
  s->data.dataset = std::make_shared<const Dataset>(std::move(*dataset));
}

}  // namespace

namespace {

// "backends": {"PORT": "KIND[:ARGS]", ...}. The port must be one of kBackendPorts and the kind a
// lower-case word; whether the registry has that kind is checked when the backends are built.
void ReadBackends(ObjectReader& r, std::vector<BackendSetting>* out) {
  for (const std::string& port : r.Keys()) {
    const std::string spec = r.RequiredString(port);
    if (std::find_if(kBackendPorts.begin(), kBackendPorts.end(),
                     [&](const char* p) { return port == p; }) == kBackendPorts.end()) {
      r.Error(port, "unknown port \"" + port + "\"; the ports are " + BackendPortList());
      continue;
    }
    const std::string kind = spec.substr(0, spec.find(':'));
    if (kind.empty() ||
        kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
      r.Error(port, "expected \"KIND\" or \"KIND:ARGS\" (e.g. \"fake\"), got \"" + spec + "\"");
      continue;
    }
    std::string where = r.source().Describe(r.PointerOf(port), "");
    where.resize(where.size() - 2);  // Describe's ": " before a message
    out->push_back(BackendSetting{port, spec, std::move(where)});
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
  r.String("$schema", "");  // the JSON Schema an editor checks the file against; not ours to use
  s.name = r.RequiredString("name");
  s.description = r.String("description", "");
  s.seed = static_cast<uint64_t>(r.Int("seed", 1, 0, INT64_MAX));
  const size_t errors_before_duration = errors.messages().size();
  s.duration_us = static_cast<int64_t>(r.RequiredNumber("duration_s", 0.001, 30 * 86400.0) * 1e6);
  // Timeline times are checked against the duration only when the duration itself is good.
  const bool duration_known = errors.messages().size() == errors_before_duration;
  if (auto p = r.Object("population")) ReadPopulation(*p, &s.population);
  if (auto t = r.Object("traffic")) ReadTraffic(*t, &s.traffic);
  if (auto d = r.Object("data")) {
    if (r.Has("population") || r.Has("traffic")) {
      r.Error("data", "a data set replaces \"population\" and \"traffic\": give one or the other");
    }
    ReadData(*d, filename, &s);
  }
  if (auto t = r.Object("topics")) {
    s.partitions = static_cast<int32_t>(t->Int("partitions", s.partitions, 1, 1024));
    t->Finish();
  }
  if (auto sc = r.Object("schemas")) {
    const std::string mode =
        sc->String("compatibility", std::string(CompatibilityName(s.schemas.compatibility)),
                   {"NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL",
                    "FULL", "FULL_ALL"});
    if (auto c = CompatibilityFromName(mode)) s.schemas.compatibility = *c;
    s.schemas.zlib = sc->String("compression", "NONE", {"NONE", "ZLIB"}) == "ZLIB";
    sc->Finish();
  }
  if (auto rec = r.Object("recommender")) {
    // The mesh asks for a user's recommendations, so only USER_PERSONALIZATION recipes serve it.
    s.recipe = rec->String("recipe", s.recipe,
                           {"popularity", "co-occurrence", "aws-user-personalization",
                            "aws-popularity-count", "aws-trending-now"});
    s.history_length = rec->Int("history_length", s.history_length, 1, 10'000);
    s.put_events_tps = rec->Number("put_events_tps", s.put_events_tps, 0, 1e6);
    PersonalizeSettings& p = s.personalize;
    if (const nlohmann::json* hp = rec->JsonObject("hyperparameters", false)) {
      for (const auto& [name, value] : hp->items()) {
        if (value.is_string()) {
          p.hyperparameters[name] = value.get<std::string>();
        } else if (value.is_number() || value.is_boolean()) {
          p.hyperparameters[name] = value.dump();  // as the API's string map carries them
        } else {
          rec->Error("hyperparameters",
                     "hyperparameter \"" + name + "\" must be a string, a number or a boolean");
        }
      }
    }
    p.min_provisioned_tps = rec->Int("min_provisioned_tps", p.min_provisioned_tps, 1, 100'000);
    if (auto t = rec->Object("deploy_times")) {
      const auto seconds = [&](const char* key, int64_t us) {
        return static_cast<int64_t>(t->Number(key, static_cast<double>(us) / 1e6, 0, 86'400) * 1e6);
      };
      p.import_us = seconds("import_s", p.import_us);
      p.training_us = seconds("training_s", p.training_us);
      p.campaign_us = seconds("campaign_s", p.campaign_us);
      t->Finish();
    }
    if (!IsPersonalizeRecipe(s.recipe)) {
      for (const char* key : {"hyperparameters", "min_provisioned_tps", "deploy_times"}) {
        if (rec->Has(key)) {
          rec->Error(key, std::string(key) + " applies to the aws-* recipes (Personalize), not \"" +
                              s.recipe + "\"");
        }
      }
    }
    rec->Finish();
  }
  if (auto c = r.Object("consumers")) {
    // Lambda's limits for Kafka event sources: batch size 1..10000, window 0..300 s.
    s.consumers.batch_size = c->Int("batch_size", s.consumers.batch_size, 1, 10'000);
    s.consumers.batching_window_us =
        c->Int("batching_window_ms", s.consumers.batching_window_us / 1000, 0, 300'000) * 1000;
    s.consumers.max_retries = c->Int("max_retries", s.consumers.max_retries, 0, 10'000);
    s.consumers.concurrent_calls =
        c->Int("concurrent_calls", s.consumers.concurrent_calls, 1, 1000);
    c->Finish();
  }
  if (auto a = r.Object("analytics")) {
    s.analytics_window_us =
        static_cast<int64_t>(a->Number("window_s", s.analytics_window_us / 1e6, 1, 86400) * 1e6);
    s.analytics_top_n = a->Int("top_n", s.analytics_top_n, 1, 1000);
    a->Finish();
  }
  if (auto l = r.Object("latency")) {
    for (auto [key, model] :
         {std::pair{"produce", &s.latency.produce}, std::pair{"invoke", &s.latency.invoke},
          std::pair{"recommender", &s.latency.recommender}}) {
      if (auto m = l->Object(key)) *model = LatencyModel::Read(*m);
    }
    l->Finish();
  }
  if (auto b = r.Object("backends")) ReadBackends(*b, &s.backends);
  // Before the timeline: its etl actions need the stores.
  if (auto st = r.Object("stores")) {
    s.stores.enabled = st->Bool("enabled", s.stores.enabled);
    s.stores.landing_interval_us = static_cast<int64_t>(
        st->Number("landing_interval_s", static_cast<double>(s.stores.landing_interval_us) / 1e6,
                   0.001, 86400) *
        1e6);
    st->Finish();
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
        e.Error("at_s", "time " + FormatNumber(at_s) + " s is past the end of the scenario (" +
                            FormatNumber(static_cast<double>(s.duration_us) / 1e6) + " s)");
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
      action.params = spec->parse(e, s, &action.describe);
      e.Finish();
      s.timeline.push_back(std::move(action));
    }
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const auto& a, const auto& b) { return a.at_us < b.at_us; });
  }
  ReadExpectations(r, &s, duration_known);
  r.Finish();
  if (!errors.empty()) {
    return Status(Code::kValidation, errors.Joined());
  }
  return s;
}

Result<Scenario> LoadScenario(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseScenario(*text, path);
}

}  // namespace meshsim
