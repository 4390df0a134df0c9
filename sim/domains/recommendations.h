// The Personalized Recommendations consumer domain: one function per topic, each behind its own
// event-source mapping, feeding the recommender — UsersUpdate -> PutUsers, SongsUpdate and
// PodcastsUpdate -> PutItems (with ITEM_TYPE), InteractionsUpdate -> PutEvents, one type each
// (recommendations_function.h). A record the recommender refuses is dead-lettered with its reason;
// a failing call (throttling, an outage) fails the batch so the mapping retries it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/metrics/metrics.h"
#include "sim/ports/recommender.h"
#include "sim/ports/schema_registry.h"
#include "sim/scenario/scenario.h"
#include "sim/streaming/event_source_mapping.h"

namespace meshsim {

class RecommendationsFunction;

struct RecommendationsConfig {
  ConsumerSettings consumers;
  LatencyModel invoke;
  std::string tracking_id;
  std::string items_dataset_arn;
  std::string users_dataset_arn;
  // Where the records' writer schemas are looked up (sim/serde/schema_serde.h). REQUIRES: not null.
  const SchemaRegistry* registry = nullptr;
  ComputeMeter* meter = nullptr;  // times the functions' fetches and batches. Default: none.
};

class RecommendationsDomain {
 public:
  RecommendationsDomain(Runtime& runtime, EventStream& stream, Recommender& recommender,
                        Metrics& metrics, RecommendationsConfig config);
  ~RecommendationsDomain();

  // Starts the four functions' mappings. The topics must exist.
  Status Start();
  void Stop();
  // No record buffered or in flight in any function.
  bool Idle() const;
  const std::vector<std::unique_ptr<EventSourceMapping>>& mappings() const { return mappings_; }
  // Recommender calls sent again after a ThrottlingException.
  uint64_t throttled_retries() const { return throttled_retries_; }

 private:
  Runtime& runtime_;
  EventStream& stream_;
  Recommender& recommender_;
  Metrics& metrics_;
  RecommendationsConfig config_;
  std::vector<std::unique_ptr<RecommendationsFunction>> functions_;
  std::vector<std::unique_ptr<EventSourceMapping>> mappings_;
  uint64_t throttled_retries_ = 0;
};

}  // namespace meshsim
