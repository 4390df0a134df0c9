// The Recommendations domain's Lambda functions, one type per topic, each behind its own
// event-source mapping: InteractionsUpdate -> PutEvents, SongsUpdate and PodcastsUpdate ->
// PutItems, UsersUpdate -> PutUsers. The domain (recommendations.h) owns them through this
// interface; the factories are its only way to make one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/domains/recommendations.h"

namespace meshsim {

class RecommendationsFunction {
 public:
  virtual ~RecommendationsFunction() = default;
  // The mapping's handler. `done` runs once: OK when every record is applied or dead-lettered, or
  // the retriable error (throttling past the SDK's retries, an outage) that failed the batch.
  virtual void Handle(const KafkaBatch& batch, std::function<void(Status)> done) = 0;
  // The on-failure destination: every record of the batch not yet applied or dead-lettered is
  // dead-lettered with `status`.
  virtual void OnFailure(const KafkaBatch& batch, const Status& status) = 0;
};

// What a function uses of its domain. Everything must outlive the function.
struct FunctionContext {
  Runtime& runtime;
  Recommender& recommender;
  Metrics& metrics;
  const RecommendationsConfig& config;
  uint64_t& throttled_retries;  // counts recommender calls sent again after a throttle
};

std::unique_ptr<RecommendationsFunction> MakeInteractionsUpdate(const FunctionContext& context);
// SongsUpdate or PodcastsUpdate: `topic` is kSongsTopic or kPodcastsTopic.
std::unique_ptr<RecommendationsFunction> MakeItemsUpdate(const FunctionContext& context,
                                                         std::string topic);
std::unique_ptr<RecommendationsFunction> MakeUsersUpdate(const FunctionContext& context);

}  // namespace meshsim
