#include "sim/scenario/timeline.h"

#include <algorithm>
#include <initializer_list>

#include "sim/scenario/scenario.h"
#include "sim/serde/schema_definition.h"

namespace meshsim {
namespace {

constexpr std::initializer_list<const char*> kDomains = {"users", "songs", "podcasts",
                                                         "interactions"};
constexpr std::initializer_list<const char*> kConsumerDomains = {"recommendations", "analytics"};
constexpr std::initializer_list<const char*> kFunctions = {
    "UsersUpdate", "SongsUpdate", "PodcastsUpdate", "InteractionsUpdate", "InteractionsIngestor"};

// An optional "genre" of the item type (SONG or PODCAST); "" when absent.
std::string ReadGenre(ObjectReader& r, const Scenario& s, const std::string& type) {
  const auto& genres = type == "SONG" ? s.population.song_genres : s.population.podcast_genres;
  std::string genre = r.String("genre", "");
  if (!genre.empty() && std::find(genres.begin(), genres.end(), genre) == genres.end()) {
    r.Error("genre", "unknown " + type + " genre \"" + genre + "\"");
  }
  return genre;
}

// The actions that steer the generators mean nothing when a data set is replayed.
void NotOnReplay(ObjectReader& r, const Scenario& s) {
  if (s.data.dataset) {
    r.Error("action",
            "the interactions are replayed from a data set, so this action has no effect; it "
            "steers the generators");
  }
}

}  // namespace

const std::vector<ActionSpec>& TimelineActions() {
  static const std::vector<ActionSpec> kActions = {
      {"publish_items", "the Songs or Podcasts domain publishes new items (cold start)",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const std::string type = r.RequiredString("item_type", {"SONG", "PODCAST"});
         const int64_t count = r.RequiredInt("count", 1, 1'000'000);
         const std::string genre = ReadGenre(r, s, type);
         // Where the new items enter their genre's popularity ranking: 0 = most popular.
         const double rank = r.Number("popularity_rank", 0.0, 0.0, 1.0);
         *describe = "publish " + std::to_string(count) + " " + type +
                     (genre.empty() ? "" : " (" + genre + ")");
         const ItemType item_type = type == "SONG" ? ItemType::kSong : ItemType::kPodcast;
         return action::PublishItems{item_type, count, genre, rank};
       }},
      {"set_rate", "replaces the rate curve with a constant rate (events per second)",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const double rate = r.RequiredNumber("events_per_second", 0, 1e7);
         NotOnReplay(r, s);
         *describe = "set rate to " + std::to_string(static_cast<int64_t>(rate)) + " events/s";
         return action::SetRate{rate};
       }},
      {"set_curve", "replaces the rate curve; the new curve's clock starts at the action",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         RateCurve curve;
         if (auto c = r.Object("rate")) {
           curve = RateCurve::Read(*c);
         } else {
           r.Error("", "missing required field \"rate\" (an object)");
         }
         NotOnReplay(r, s);
         *describe = "set the rate curve to " + curve.Describe();
         return action::SetCurve{curve};
       }},
      {"retire_items", "the generator stops picking items (nothing is published)",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         NotOnReplay(r, s);
         if (r.Has("item_ids")) {
           // Any of item_type, count, genre or pick beside them is reported as unknown.
           const auto ids = r.StringArray("item_ids", 1);
           *describe = "retire " + std::to_string(ids.size()) + " named items";
           return action::RetireItemIds{ids};
         }
         const std::string type = r.RequiredString("item_type", {"SONG", "PODCAST"});
         const int64_t count = r.RequiredInt("count", 1, 100'000'000);
         const std::string genre = ReadGenre(r, s, type);
         const std::string pick =
             r.String("pick", "random", {"most_popular", "least_popular", "random"});
         r.StringArray("item_ids", 0);  // listed among the known keys of an unknown key's message
         *describe = "retire " + std::to_string(count) + " " + type + " (" +
                     (genre.empty() ? "" : genre + ", ") + pick + ")";
         const ItemType item_type = type == "SONG" ? ItemType::kSong : ItemType::kPodcast;
         const RetirePick how = pick == "most_popular"    ? RetirePick::kMostPopular
                                : pick == "least_popular" ? RetirePick::kLeastPopular
                                                          : RetirePick::kRandom;
         return action::RetireItems{item_type, count, genre, how};
       }},
      {"pause_domain", "a producer domain stops publishing; the workload generates nothing for it",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string domain = r.RequiredString("domain", kDomains);
         *describe = "pause the " + domain + " domain";
         return action::PauseDomain{domain, true};
       }},
      {"resume_domain", "a paused producer domain publishes again",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string domain = r.RequiredString("domain", kDomains);
         *describe = "resume the " + domain + " domain";
         return action::PauseDomain{domain, false};
       }},
      {"stop_consumer", "a consumer function stops; its records wait in the topic as lag",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string function = r.RequiredString("function", kFunctions);
         *describe = "stop " + function;
         return action::StopConsumer{function};
       }},
      {"restart_consumer", "a stopped consumer function resumes from its committed offset",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string function = r.RequiredString("function", kFunctions);
         *describe = "restart " + function;
         return action::RestartConsumer{function};
       }},
      {"broker_down",
       "the broker is unreachable for a span: produces fail with a retriable error and are "
       "retried with backoff, fetches return nothing, commits fail",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const double span =
             r.RequiredNumber("for_s", 0.001, static_cast<double>(s.duration_us) / 1e6);
         *describe = "broker down for " + FormatNumber(span) + " s";
         const auto span_us = static_cast<int64_t>(span * 1e6);
         return action::BrokerDown{span_us};
       }},
      {"broker_errors",
       "the next calls of one broker API fail with the given Kafka errors, in order (as "
       "librdkafka's mock cluster pushes request errors)",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string api = r.RequiredString("api", {"produce", "fetch", "commit"});
         std::vector<Code> codes;
         const auto names = r.StringArray("errors", 1);
         for (const auto& name : names) {
           Code code;
           if (!CodeOfName(name, &code) || code < Code::kUnknownTopicOrPartition) {
             r.Error("errors",
                     "\"" + name + "\" is not a Kafka error name (e.g. NOT_LEADER_OR_FOLLOWER)");
             continue;
           }
           codes.push_back(code);
         }
         *describe = "the next " + std::to_string(codes.size()) + " " + api + " calls fail";
         const StreamApi which = api == "produce" ? StreamApi::kProduce
                                 : api == "fetch" ? StreamApi::kFetch
                                                  : StreamApi::kCommit;
         return action::BrokerErrors{which, codes};
       }},
      {"broker_latency", "every broker answer takes this much longer from now (0 removes it)",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const double ms = r.RequiredNumber("latency_ms", 0, 60'000);
         *describe = "broker latency " + FormatNumber(ms) + " ms";
         const auto us = static_cast<int64_t>(ms * 1000);
         return action::BrokerLatency{us};
       }},
      {"leader_change",
       "a partition's leadership moves: its next produce and fetch fail once with "
       "NOT_LEADER_OR_FOLLOWER",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const std::string topic = r.RequiredString("topic", kDomains);
         const auto partition = static_cast<int32_t>(r.Int("partition", 0, 0, s.partitions - 1));
         *describe = "leader change on " + topic + "-" + std::to_string(partition);
         return action::LeaderChange{topic, partition};
       }},
      {"poison_record",
       "a producer domain publishes records that do not decode: each is dead-lettered by the "
       "consumers with its reason, and their partitions go on",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string domain = r.RequiredString("domain", kDomains);
         const int64_t count = r.Int("count", 1, 1, 100'000);
         *describe = "publish " + std::to_string(count) + " poison records to " + domain;
         return action::PoisonRecord{domain, count};
       }},
      {"publish_record",
       "a producer domain publishes a record given as JSON, serialised with its current schema: "
       "one the schema refuses is rejected at the producer and kept in the dead-letter topic",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string domain = r.RequiredString("domain", kDomains);
         const nlohmann::json* record = r.JsonObject("record", true);
         const int64_t count = r.Int("count", 1, 1, 100'000);
         *describe = "publish " + std::to_string(count) + " given record" +
                     (count == 1 ? "" : "s") + " to " + domain;
         return action::PublishRecord{domain, record ? *record : nlohmann::json::object(),
                                      count};
       }},
      {"evolve_schema",
       "a producer domain registers a new version of its topic's schema and writes with it: a "
       "compatible change rolls out while traffic flows, an incompatible one is refused and "
       "reported",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string domain = r.RequiredString("domain", kDomains);
         const nlohmann::json* definition = r.JsonObject("definition", true);
         const nlohmann::json* values = r.JsonObject("values", false);
         std::string text = definition ? definition->dump() : "{}";
         // Checked as Avro here so a typo is a scenario error; compatibility is the registry's
         // to judge when the action runs.
         if (definition) {
           if (auto parsed = SchemaDefinition::Parse(DataFormat::kAvro, text); !parsed.ok()) {
             r.Error("definition", parsed.status().message());
           }
         }
         *describe = "evolve the " + domain + " schema";
         return action::EvolveSchema{domain, text,
                                     values ? *values : nlohmann::json::object()};
       }},
      {"revoke_access",
       "a producer domain ends a consumer domain's subscription to its data product: the grants "
       "are revoked and the consumer's next read of it is denied",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string consumer = r.RequiredString("consumer", kConsumerDomains);
         const std::string domain = r.RequiredString("domain", kDomains);
         *describe = domain + " revokes " + consumer + "'s access";
         return action::RevokeAccess{consumer, domain};
       }},
      {"read_product",
       "a consumer domain reads a producer's data product through the catalog as its account "
       "sees it: allowed or denied, the outcome is reported",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string consumer = r.RequiredString("consumer", kConsumerDomains);
         const std::string domain = r.RequiredString("domain", kDomains);
         *describe = consumer + " reads the " + domain + " product";
         return action::ReadProduct{consumer, domain};
       }},
      {"etl",
       "a producer domain's ETL job (or every one's: \"all\") reads its store and publishes its "
       "data product: files in the object store, the partition moved in the catalog; a failed "
       "run leaves the previous version in place. Needs the stores enabled",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const std::string domain =
             r.RequiredString("domain", {"users", "songs", "podcasts", "interactions", "all"});
         if (!s.stores.enabled) {
           r.Error("action",
                   "etl reads the producers' stores, which are off: set \"stores\": "
                   "{\"enabled\": true}");
         }
         *describe = domain == "all" ? "every producer's ETL job" : "the " + domain + " ETL job";
         return action::RunEtl{domain};
       }},
      {"deploy_recommender",
       "the Recommendations domain imports, trains and deploys its Personalize campaign: with "
       "\"source\": \"products\" its ETL job first merges the users, songs, podcasts and "
       "interactions products it may read into Personalize's datasets and imports them; with "
       "\"events\" it trains on the events put so far. The campaign serves once the import, "
       "the training and the campaign are ACTIVE (recommender.deploy_times). Needs an aws-* "
       "recipe",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const std::string source =
             r.String("source", s.stores.enabled ? "products" : "events", {"products", "events"});
         if (!IsPersonalizeRecipe(s.recipe)) {
           r.Error("action",
                   "deploy_recommender deploys a Personalize campaign: set "
                   "recommender.recipe to an aws-* recipe, not \"" +
                       s.recipe + "\"");
         }
         if (source == "products" && !s.stores.enabled) {
           r.Error("source",
                   "the products come from the producers' stores, which are off: set "
                   "\"stores\": {\"enabled\": true}, or use \"events\"");
         }
         *describe = "deploy the recommender from the " + source;
         return action::DeployRecommender{source == "products"};
       }},
      {"duplicate_delivery",
       "a consumer function's next batches are delivered twice (their commits lost): records "
       "come again and are applied once",
       [](ObjectReader& r, const Scenario&, std::string* describe) -> ActionParams {
         const std::string function = r.RequiredString("function", kFunctions);
         const int64_t batches = r.Int("batches", 1, 1, 100'000);
         *describe = "deliver " + std::to_string(batches) + " " + function + " batches twice";
         return action::DuplicateDelivery{function, batches};
       }},
      {"slow_consumer",
       "a consumer function's invocations take longer for a span: its lag grows, then drains",
       [](ObjectReader& r, const Scenario& s, std::string* describe) -> ActionParams {
         const std::string function = r.RequiredString("function", kFunctions);
         const double extra_ms = r.RequiredNumber("extra_ms", 0, 600'000);
         const double span =
             r.RequiredNumber("for_s", 0.001, static_cast<double>(s.duration_us) / 1e6);
         *describe = function + " " + FormatNumber(extra_ms) + " ms slower for " +
                     FormatNumber(span) + " s";
         const auto extra_us = static_cast<int64_t>(extra_ms * 1000);
         const auto span_us = static_cast<int64_t>(span * 1e6);
         return action::SlowConsumer{function, extra_us, span_us};
       }},
  };
  return kActions;
}

}  // namespace meshsim
