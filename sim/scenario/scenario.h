// A scenario: what the mesh holds, what traffic flows, what happens when, and how each hop is
// modelled. Loaded from JSON (scenarios/*.json) strictly: any error names file, line, column and
// JSON path, and nothing runs on a file with an error.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/latency/latency_model.h"
#include "sim/ports/compatibility_mode.h"
#include "sim/scenario/expectations.h"
#include "sim/scenario/rate_curve.h"
#include "sim/scenario/session_length.h"
#include "sim/scenario/taste.h"
#include "sim/scenario/timeline.h"

namespace meshsim {

struct Dataset;

struct Population {
  int64_t users = 1000;
  int64_t songs = 2000;
  int64_t podcasts = 200;
  std::vector<std::string> song_genres{"pop", "rock", "hiphop", "electronic", "jazz", "classical"};
  std::vector<std::string> podcast_genres{"news", "comedy", "true-crime", "technology"};
  // Users' taste profiles (sim/scenario/taste.h): favourites (the default) or dirichlet.
  TasteModel taste_model = TasteModel::kFavourites;
  int64_t favourite_genres = 2;      // favourites: genres each user prefers, per item type
  double taste_focus = 0.8;          // favourites: chance an interaction is in a favourite genre
  double taste_concentration = 0.5;  // dirichlet: alpha
};

// Cold start: new users and items arriving while the scenario runs, each a Poisson process.
struct Arrivals {
  double users_per_hour = 0;
  double songs_per_hour = 0;
  double podcasts_per_hour = 0;
};

struct Traffic {
  RateCurve rate = RateCurve::Constant(100);  // events per second (sim/scenario/rate_curve.h)
  double popularity_skew = 1.0;               // Zipf exponent of item popularity within a genre
  double podcast_share = 0.2;                 // chance an interaction is with a podcast
  SessionLength session_length = SessionLength::Geometric(8);
  LatencyModel think_time = LatencyModel::Exponential(15e6);  // between a session's events
  // Probabilities, sorted by name. "follow" applies only to songs and "subscribe" only to
  // podcasts: for an item of the other type that event type is left out and the rest rescaled.
  std::vector<std::pair<std::string, double>> event_types{
      {"play", 0.7}, {"skip", 0.2}, {"like", 0.1}};
  Arrivals arrivals;
};

// A data set replayed instead of the generators (sim/scenario/dataset.h).
struct DataSettings {
  std::string dir;                         // resolved against the scenario file's folder
  double time_scale = 1.0;                 // simulated seconds per second of data time
  std::shared_ptr<const Dataset> dataset;  // null: the generators run
};

struct ConsumerSettings {
  int64_t batch_size = 100;              // Lambda ESM for Kafka default
  int64_t batching_window_us = 500'000;  // Lambda ESM for Kafka default (500 ms)
  int64_t max_retries = 3;               // before the batch goes to the on-failure destination
  // Recommender calls a function keeps in flight for one batch (1: each awaited in turn; more:
  // concurrent, as with Promise.all, but never two calls for one key at once).
  int64_t concurrent_calls = 1;
};

// How the topics' records go through the schema registry (sim/serde/schema_serde.h).
struct SchemaSettings {
  // The mode each topic's schema is created with. Default: Glue's, BACKWARD.
  Compatibility compatibility = Compatibility::kBackward;
  bool zlib = false;  // payloads compressed in the wire format (the SerDe's compression ZLIB)
};

struct Latencies {
  // Producer send to broker append.
  LatencyModel produce = LatencyModel::Constant(2'000);
  // Lambda invocation overhead per batch.
  LatencyModel invoke = LatencyModel::Constant(15'000);
  // A recommender call (PutEvents, PutItems, PutUsers) from request to response.
  LatencyModel recommender = LatencyModel::Constant(25'000);
};

// The producers' stores at rest, the first half of issue 6's static data plane: the Users domain
// keeps its users in its relational store, Songs and Podcasts their items in the key-value store,
// Interactions land as raw JSON Lines files in the object store by date and hour; the `etl`
// timeline action turns a store into its data product. Off by default, so a run that does not ask
// for them (the speed benchmark) pays nothing.
struct StoreSettings {
  bool enabled = false;
  // Interactions are landed in batches: the events of each span of this much sim time go out as
  // one file per (date, hour) they fall in. Default: 60 s.
  int64_t landing_interval_us = 60 * 1'000'000;
};

// The Personalize deployment of an aws-* recipe: the solution and how long the control plane's
// steps take on the simulation clock (AWS users see minutes to an hour; a scenario shortens them).
struct PersonalizeSettings {
  std::map<std::string, std::string> hyperparameters;  // algorithm and feature transformation
  int64_t min_provisioned_tps = 1;
  int64_t import_us = 8 * 60 * 1'000'000LL;     // per import job. Default 8 min
  int64_t training_us = 45 * 60 * 1'000'000LL;  // at least, per solution version. Default 45 min
  int64_t campaign_us = 10 * 60 * 1'000'000LL;  // create or update. Default 10 min
};

// True for the recipes of Personalize in process.
inline bool IsPersonalizeRecipe(const std::string& recipe) { return recipe.rfind("aws-", 0) == 0; }

// The ports a scenario (or --backend) can choose an implementation for, by the names the backend
// registry (apps/registry) uses, in the order it builds them: "catalog" is the Glue Data Catalog
// with Lake Formation's permissions and subscriptions over it; "stores" the producers'
// relational and key-value stores.
inline constexpr std::initializer_list<const char*> kBackendPorts = {
    "stream", "catalog", "object_store", "stores", "recommender", "schema_registry"};

// "stream, catalog, ...": kBackendPorts for a message.
inline std::string BackendPortList() {
  std::string out;
  for (const char* p : kBackendPorts) out.append(out.empty() ? "" : ", ").append(p);
  return out;
}

// One entry of the scenario's `backends` section: "PORT": "KIND[:ARGS]". The kinds are the
// registry's to know and check; `where` ("FILE:LINE:COL: at /backends/PORT") lets its errors
// point into the file.
struct BackendSetting {
  std::string port;
  std::string spec;  // KIND[:ARGS]
  std::string where;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from, for messages
  uint64_t seed = 1;
  int64_t duration_us = 60 * 1'000'000;
  int32_t partitions = 4;
  Population population;  // with a data set: the data set's counts and genres
  Traffic traffic;
  DataSettings data;
  // "popularity" and "co-occurrence": the mesh's real-time recommender, updated per event and
  // serving from the first one. An aws-* recipe: Amazon Personalize in process, which serves
  // once a deploy_recommender action has imported, trained and deployed.
  std::string recipe = "co-occurrence";
  PersonalizeSettings personalize;  // with an aws-* recipe
  int64_t history_length = 50;
  // PutEvents calls per second the event tracker takes before ThrottlingException (Personalize's
  // quota is per dataset group; 0: no limit). Default: 0.
  double put_events_tps = 0;
  ConsumerSettings consumers;
  SchemaSettings schemas;
  int64_t analytics_window_us = 60 * 1'000'000;
  int64_t analytics_top_n = 10;
  Latencies latency;
  StoreSettings stores;
  std::vector<BackendSetting> backends;  // in the file's key order (sorted): one per port
  std::vector<TimelineAction> timeline;  // sorted by at_us, stable
  std::vector<Expectation> expectations;
};

// Loads a scenario file. kResourceNotFound if it cannot be read; kValidation with every error,
// one per line, each "FILE:LINE:COL: at /json/path: what was expected".
Result<Scenario> LoadScenario(const std::string& path);
Result<Scenario> ParseScenario(const std::string& text, const std::string& filename);

}  // namespace meshsim
