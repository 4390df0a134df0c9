// scenarios/schema.json against the loader it describes. No JSON Schema validator is a dependency,
// so the checks are these: the schema is draft-07; its lists of metrics and timeline actions are
// the engine's; and for every object of every shipped scenario (and of one scenario that uses
// every variant), each key the file uses and each key the loader would accept there — learnt by
// adding an unknown key and reading the loader's "expected one of" list — is in the schema; and
// each number's bounds and integer-ness are the loader's, learnt by setting it past any bound
// (1e300 and -1e300) and to 1.5 and reading the loader's messages.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/expectations.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/timeline.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kScenarios = MESHSIM_SOURCE_DIR "/scenarios";

const json& Schema() {
  static const json schema = [] {
    std::ifstream in(kScenarios + "/schema.json");
    return json::parse(in);
  }();
  return schema;
}

const json& Resolve(const json& node) {
  if (node.contains("$ref")) {
    const std::string ref = node["$ref"];
    REQUIRE(ref.rfind("#/", 0) == 0);
    return Schema().at(json::json_pointer(ref.substr(1)));
  }
  return node;
}

// What a schema node allows in an object: the union of the properties of the node and of its
// oneOf / anyOf / allOf branches, and whether any other key is allowed (a map's
// additionalProperties schema).
struct Allowed {
  std::map<std::string, const json*> properties;        // the first schema of each key
  std::map<std::string, std::set<std::string>> values;  // a string key's enum and const values
  bool any_key = false;
};

void Collect(const json& raw, Allowed* out) {
  const json& node = Resolve(raw);
  if (node.contains("properties")) {
    for (const auto& [key, value] : node["properties"].items()) {
      out->properties.emplace(key, &value);
      const json& v = Resolve(value);
      if (v.contains("const") && v["const"].is_string())
        out->values[key].insert(v["const"].get<std::string>());
      if (v.contains("enum")) {
        for (const auto& e : v["enum"]) out->values[key].insert(e.get<std::string>());
      }
    }
  }
  if (node.contains("additionalProperties") && node["additionalProperties"].is_object()) {
    out->any_key = true;
  }
  for (const char* k : {"oneOf", "anyOf", "allOf"}) {
    if (node.contains(k)) {
      for (const auto& branch : node[k]) Collect(branch, out);
    }
  }
}

// The keys listed in the loader's message about an unknown key at `pointer`, or nullopt when the
// loader did not reject the key.
std::optional<std::set<std::string>> AcceptedKeys(const std::string& message,
                                                  const std::string& pointer) {
  const std::string marker =
      "at " + pointer + "/__probe__: unknown key \"__probe__\"; expected one of: ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const size_t start = at + marker.size();
  const std::string list = message.substr(start, message.find('\n', start) - start);
  std::set<std::string> keys;
  for (size_t i = 0; i <= list.size();) {
    const size_t comma = std::min(list.find(", ", i), list.size());
    keys.insert(list.substr(i, comma - i));
    i = comma + 2;
  }
  return keys;
}

// The values listed in the loader's message about an unknown value at `pointer`.
std::optional<std::set<std::string>> AcceptedValues(const std::string& message,
                                                    const std::string& pointer) {
  const std::string marker = "at " + pointer + ": unknown value \"__probe__\"; expected one of ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const size_t start = at + marker.size();
  const std::string list = message.substr(start, message.find('\n', start) - start);
  std::set<std::string> values;
  for (size_t open = list.find('"'); open != std::string::npos;) {
    const size_t close = list.find('"', open + 1);
    values.insert(list.substr(open + 1, close - open - 1));
    open = list.find('"', close + 1);
  }
  return values;
}

// Replaces the string at `pointer` with "__probe__": every value the loader accepts there must be
// among the schema's.
void ProbeValue(const json& doc, const std::string& file, const std::string& pointer,
                const std::set<std::string>& in_schema) {
  json probed = doc;
  probed[json::json_pointer(pointer)] = "__probe__";
  auto parsed = ParseScenario(probed.dump(2), file);
  INFO(file << " at " << pointer << ": probing with an unknown value");
  REQUIRE_FALSE(parsed.ok());
  INFO(parsed.status().message());
  const auto accepted = AcceptedValues(parsed.status().message(), pointer);
  REQUIRE(accepted.has_value());
  for (const auto& v : *accepted) {
    INFO(file << " at " << pointer << ": the loader accepts \"" << v << "\"");
    CHECK(in_schema.count(v) == 1);
  }
}

// The "[MIN, MAX]" of the loader's range message at `pointer`, or nullopt.
std::optional<std::pair<double, double>> LoaderRange(const std::string& message,
                                                     const std::string& pointer) {
  const std::string marker = "at " + pointer + ": value ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const size_t open = message.find(" is out of range [", at);
  if (open == std::string::npos || open > message.find('\n', at)) return std::nullopt;
  const size_t start = open + std::string(" is out of range [").size();
  const size_t comma = message.find(", ", start);
  const size_t close = message.find(']', comma);
  return std::pair{std::stod(message.substr(start, comma - start)),
                   std::stod(message.substr(comma + 2, close - comma - 2))};
}

// Whether `value` can be the object `node` (not its branches) describes: its const-valued
// properties ("action", "model", "curve") are the value's, and its required keys are there.
bool Fits(const json& node, const json& value) {
  if (node.contains("properties")) {
    for (const auto& [key, property] : node["properties"].items()) {
      const json& p = Resolve(property);
      if (p.contains("const") && value.contains(key) && value[key] != p["const"]) return false;
    }
  }
  if (node.contains("required")) {
    for (const auto& key : node["required"]) {
      if (!value.contains(key.get<std::string>())) return false;
    }
  }
  return true;
}

// The schema of `key` in the branch of `raw` that `value` is (a timeline action's, a
// distribution's), the deepest first; null when none fits.
const json* PropertyFor(const json& raw, const json& value, const std::string& key) {
  const json& node = Resolve(raw);
  if (!Fits(node, value)) return nullptr;
  for (const char* k : {"oneOf", "anyOf", "allOf"}) {
    if (!node.contains(k)) continue;
    for (const auto& branch : node[k]) {
      if (const json* p = PropertyFor(branch, value, key)) return p;
    }
  }
  if (node.contains("properties") && node["properties"].contains(key)) {
    return &node["properties"][key];
  }
  return nullptr;
}

// Sets the number at `pointer` to a value past any bound, and to 1.5: the loader's range and
// integer-ness must be the schema's (minimum or exclusiveMinimum, maximum, "integer").
void ProbeNumber(const json& doc, const std::string& file, const std::string& pointer,
                 const json& schema_node) {
  const json& node = Resolve(schema_node);
  if (!node.contains("type") || !node["type"].is_string()) return;  // a union of types
  const std::string type = node["type"];
  if (type != "integer" && type != "number") return;
  INFO(file << " at " << pointer << ": probing the bounds (schema " << node.dump() << ")");
  for (const double probe : {1e300, -1e300}) {
    json probed = doc;
    probed[json::json_pointer(pointer)] = probe;
    auto parsed = ParseScenario(probed.dump(2), file);
    const auto range =
        parsed.ok() ? std::nullopt : LoaderRange(parsed.status().message(), pointer);
    INFO((parsed.ok() ? std::string("accepted") : parsed.status().message()));
    if (!range) {
      // Unbounded in the loader: unbounded in the schema too.
      CHECK_FALSE(node.contains(probe > 0 ? "maximum" : "minimum"));
      continue;
    }
    // Two bounds are another field's, which a JSON Schema cannot say; their descriptions do.
    const std::string description = node.value("description", "");
    if (probe > 0 && !node.contains("maximum") &&
        description.find("at most duration_s") != std::string::npos) {
      CHECK(range->second == doc["duration_s"].get<double>());
    } else if (probe > 0 && !node.contains("maximum") &&
               description.find("below topics.partitions") != std::string::npos) {
      CHECK(range->second == doc["topics"]["partitions"].get<double>() - 1);
    } else if (probe > 0) {
      CHECK(node.value("maximum", json()) == json(range->second));
    } else if (node.contains("minimum")) {
      CHECK(node["minimum"].get<double>() == range->first);
    } else {
      // "exclusiveMinimum": 0 for a loader's smallest positive value.
      CHECK(node.contains("exclusiveMinimum"));
      const double exclusive = node.value("exclusiveMinimum", -1e300);
      CHECK(exclusive < range->first);
      CHECK(range->first <= exclusive + 0.001);
    }
  }
  json fraction = doc;
  fraction[json::json_pointer(pointer)] = 1.5;
  auto parsed = ParseScenario(fraction.dump(2), file);
  const bool refused_as_fraction =
      !parsed.ok() &&
      parsed.status().message().find("at " + pointer + ": expected an integer, got 1.5") !=
          std::string::npos;
  CHECK(refused_as_fraction == (type == "integer"));
}

// Walks every object of `doc` beside its schema node, checking the file's keys and the loader's.
void Walk(const json& doc, const std::string& file, const json& value, const std::string& pointer,
          const json& schema_node) {
  const json& node = Resolve(schema_node);
  if (value.is_array()) {
    REQUIRE(node.contains("items"));
    for (size_t i = 0; i < value.size(); ++i) {
      Walk(doc, file, value[i], pointer + "/" + std::to_string(i), node["items"]);
    }
    return;
  }
  if (!value.is_object()) return;
  Allowed allowed;
  Collect(node, &allowed);
  for (const auto& [key, child] : value.items()) {
    INFO(file << " at " << pointer << ": key \"" << key << "\" in the file");
    auto it = allowed.properties.find(key);
    CHECK((it != allowed.properties.end() || allowed.any_key));
    if (it != allowed.properties.end()) {
      Walk(doc, file, child, pointer + "/" + JsonPointerEscape(key), *it->second);
      if (child.is_number()) {
        const json* own = PropertyFor(node, value, key);
        ProbeNumber(doc, file, pointer + "/" + JsonPointerEscape(key), own ? *own : *it->second);
      }
    }
    // Enumerated strings; "action" and "metric" name their choices differently and have tests
    // of their own.
    if (child.is_string() && allowed.values.count(key) && key != "action" && key != "metric") {
      ProbeValue(doc, file, pointer + "/" + JsonPointerEscape(key), allowed.values[key]);
    }
  }
  if (allowed.any_key) return;  // a map (event types): any name is a key
  json probed = doc;
  probed[json::json_pointer(pointer)]["__probe__"] = 1;
  auto parsed = ParseScenario(probed.dump(2), file);
  INFO(file << " at " << pointer << ": probing with an unknown key");
  REQUIRE_FALSE(parsed.ok());
  const auto accepted = AcceptedKeys(parsed.status().message(), pointer);
  INFO(parsed.status().message());
  REQUIRE(accepted.has_value());
  for (const auto& key : *accepted) {
    INFO(file << " at " << pointer << ": the loader accepts \"" << key << "\"");
    CHECK(allowed.properties.count(key) == 1);
  }
}

void CheckAgainstSchema(const std::string& text, const std::string& file) {
  auto scenario = ParseScenario(text, file);
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  const json doc = json::parse(text);
  Walk(doc, file, doc, "", Schema());
}

// Uses every variant of every part of the format.
constexpr const char* kEverything = R"({
  "$schema": "./schema.json",
  "name": "everything", "description": "every variant", "seed": 3, "duration_s": 120,
  "population": {"users": 20, "songs": 30, "podcasts": 6, "song_genres": ["pop", "rock"],
                 "podcast_genres": ["news", "comedy"],
                 "taste": {"model": "dirichlet", "concentration": 0.5}},
  "traffic": {
    "rate": {"curve": "diurnal", "mean": 10, "amplitude": 5, "period_s": 60, "phase_s": 10},
    "popularity_skew": 1.2, "podcast_share": 0.3,
    "session": {"length": {"model": "uniform", "min": 1, "max": 4},
                "think_time": {"model": "exponential", "mean_us": 2000000}},
    "event_types": {"play": 0.5, "skip": 0.2, "like": 0.1, "follow": 0.1, "subscribe": 0.1},
    "arrivals": {"users_per_hour": 60, "songs_per_hour": 30, "podcasts_per_hour": 10}
  },
  "topics": {"partitions": 2},
  "recommender": {"recipe": "popularity", "history_length": 20},
  "consumers": {"batch_size": 10, "batching_window_ms": 100, "max_retries": 1, "concurrent_calls": 2},
  "analytics": {"window_s": 30, "top_n": 5},
  "stores": {"enabled": true, "landing_interval_s": 30},
  "latency": {
    "produce": {"model": "uniform", "min_us": 1000, "max_us": 2000},
    "invoke": {"model": "normal", "mean_us": 10000, "stddev_us": 1000},
    "recommender": {"model": "empirical", "samples_us": [1000, 2000, 3000]}
  },
  "timeline": [
    {"at_s": 10, "action": "publish_items", "item_type": "SONG", "count": 2, "genre": "rock", "popularity_rank": 0.5},
    {"at_s": 20, "action": "set_rate", "events_per_second": 20},
    {"at_s": 30, "action": "set_curve", "rate": {"curve": "ramp", "from": 20, "to": 5, "over_s": 30}},
    {"at_s": 35, "action": "set_curve", "rate": {"curve": "burst", "base": 5, "peak": 50, "at_s": 5, "duration_s": 5}},
    {"at_s": 36, "action": "set_curve", "rate": {"curve": "constant", "events_per_second": 8}},
    {"at_s": 40, "action": "retire_items", "item_type": "PODCAST", "count": 1, "genre": "news", "pick": "most_popular"},
    {"at_s": 41, "action": "retire_items", "item_ids": ["s1", "s2"]},
    {"at_s": 50, "action": "pause_domain", "domain": "songs"},
    {"at_s": 55, "action": "resume_domain", "domain": "songs"},
    {"at_s": 60, "action": "stop_consumer", "function": "InteractionsIngestor"},
    {"at_s": 65, "action": "restart_consumer", "function": "InteractionsIngestor"},
    {"at_s": 66, "action": "etl", "domain": "all"}
  ],
  "expectations": [
    {"name": "nothing lost", "metric": "counts.lost", "op": "==", "value": 0},
    {"metric": "sim_seconds", "op": ">=", "value": 10, "when": {"at_s": 10}},
    {"metric": "sim_seconds", "op": ">=", "value": 20, "when": {"eventually_within_s": 30, "from_s": 5, "poll_s": 2}},
    {"metric": "dead_letters.count", "op": "==", "value": 0, "when": {"always": true, "from_s": 1, "until_s": 100, "poll_s": 10}},
    {"recommendations": {"user": "u1", "after_interaction": {"item": "s3", "at_s": 70, "event_type": "like"}, "num_results": 10, "exclude": "s3"}, "when": {"eventually_within_s": 10}},
    {"recommendations": {"user": "u2", "contain": "s4"}},
    {"recommendations": {"user": "u2", "at_least": {"count": 1, "item_type": "SONG"}}},
    {"analytics": {"window_at_s": 5, "top_item": "s1"}},
    {"analytics": {"window_at_s": 5, "top_item_in": ["s1", "p1"]}},
    {"analytics": {"window_at_s": 5, "top_count_at_least": 1}, "when": {"at_s": 100}}
  ]
})";

std::vector<std::string> ShippedScenarios() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(kScenarios)) {
    const std::string rel = fs::relative(e.path(), kScenarios).string();
    if (e.path().extension() != ".json" || rel == "schema.json" || rel.rfind("data/", 0) == 0) {
      continue;
    }
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("schema: schema.json is a draft-07 schema of an object requiring name and duration_s") {
  const json& s = Schema();
  CHECK(s["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(s["type"] == "object");
  CHECK(s["required"] == json({"name", "duration_s"}));
  CHECK(s["additionalProperties"] == false);
  // Every top-level property carries a description, for editor completion.
  for (const auto& [key, value] : s["properties"].items()) {
    INFO(key);
    CHECK(Resolve(value).contains("description"));
  }
}

TEST_CASE("schema: its metrics are the report's, its actions the timeline's") {
  const json& metrics =
      Schema()["definitions"]["expectation"]["oneOf"][0]["properties"]["metric"]["enum"];
  CHECK(metrics.get<std::vector<std::string>>() == ReportMetricPaths());

  std::set<std::string> in_schema;
  std::function<void(const json&)> collect = [&](const json& node) {
    if (node.contains("properties") && node["properties"].contains("action")) {
      in_schema.insert(node["properties"]["action"]["const"].get<std::string>());
    }
    if (node.contains("oneOf")) {
      for (const auto& branch : node["oneOf"]) collect(branch);
    }
  };
  collect(Schema()["definitions"]["timelineAction"]);
  std::set<std::string> engine;
  for (const auto& a : TimelineActions()) engine.insert(a.name);
  CHECK(in_schema == engine);
}

TEST_CASE("schema: every key of every shipped scenario, and every key the loader accepts there") {
  const auto files = ShippedScenarios();
  REQUIRE(files.size() >= 2);
  for (const auto& file : files) {
    INFO(file);
    auto text = ReadTextFile(file);
    REQUIRE(text.ok());
    CheckAgainstSchema(*text, file);
  }
}

TEST_CASE("schema: every variant of the format is in the schema") {
  CheckAgainstSchema(kEverything, kScenarios + "/everything.json");
}

}  // namespace meshsim
