// The mesh's own real-time recommender behind the Recommender port: popularity or exact
// co-occurrence, updated per event and serving from the first one. Not a fake of an AWS service:
// it speaks Personalize's event and runtime APIs (one dataset group, one event tracker, one
// campaign) so the domains call it as they would call Personalize, and fakes/personalize is the
// fake of the service itself.
#pragma once

#include <memory>
#include <string>

#include "sim/core/runtime.h"
#include "sim/ports/recommender.h"

namespace meshsim::realtime {

struct RealtimeRecommenderOptions {
  // "popularity": items by distinct users who interacted, the same for everyone but the user's own
  // items excluded. "co-occurrence": items that co-occur with the items in the user's recent
  // history, scored by co-occurrence count; popular items fill in. Default: co-occurrence.
  std::string recipe = "co-occurrence";
  // How many of a user's most recent distinct items count as their history. Default: 50.
  size_t history_length = 50;
  // The event tracker's id and the campaign's ARN that calls must name. Empty accepts any.
  std::string tracking_id;
  std::string campaign_arn;
  // PutEvents calls per second before ThrottlingException, as a token bucket holding one
  // second's worth on the Runtime's clock. Default: 0, no limit.
  double put_events_tps = 0;
};

// InvalidInputException for an unknown recipe or a zero history length. The recommender applies
// events on a thread of its own, in call order; every call but PutEvents waits for it to catch
// up, so answers are those of applying each event inline (deterministic per seed).
Result<std::unique_ptr<Recommender>> MakeRealtimeRecommender(Runtime& runtime,
                                                         RealtimeRecommenderOptions options = {});

}  // namespace meshsim::realtime
