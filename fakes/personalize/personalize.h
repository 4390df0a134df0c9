// Amazon Personalize in process: the control plane (control_plane.h) and, behind the Recommender
// port, the data plane that serves what it trains — PutEvents, PutItems and PutUsers
// (personalize-events), GetRecommendations and GetPersonalizedRanking (personalize-runtime).
//
// Each dataset group keeps its data in dense ids: the imported rows, every event put through its
// tracker, item and user metadata, and per user the most recent distinct items with the event
// types seen on each. A campaign serves the model its solution version trained (model.h); the
// user's live history goes into every query, so a recipe that answers in real time sees an
// event in the very next call. Recipes that AWS updates on a schedule
// (AutomaticUpdateSeconds) are retrained on the group's current data when the first query after
// the due time comes in, before it is answered.
//
// What each call checks and answers follows the botocore models; errors are
// InvalidInputException, ResourceNotFoundException, ResourceInUseException and
// ThrottlingException. Not thread-safe: call it from the Runtime's thread; every callback runs
// before the call returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fakes/personalize/control_plane.h"
#include "sim/core/runtime.h"
#include "sim/core/sim_epoch.h"
#include "sim/ports/recommender.h"

namespace meshsim::fakes {

struct FakePersonalizeOptions {
  // The control plane's options; its trainer and data_plane are FakePersonalize's own.
  PersonalizeControlPlaneOptions control;
  // Distinct items per user that queries (UserQuery::recent) and filters see, most recent kept.
  // AWS's filters consider "the most recent 100 interactions" per user and event type.
  // Default 100.
  size_t history_window = 100;
  // Unix seconds at the Runtime's time 0: event and query times in the model's Unix seconds.
  // Default: the scenario epoch, 2026-11-24T00:00:00Z.
  int64_t epoch_unix = kScenarioEpochUnix;
  // Campaign capacity: a campaign serves up to its minProvisionedTPS calls a second. Demand above
  // that raises the capacity autoscale_delay_us later (AWS: "auto-scales ... There's a short time
  // delay while the capacity is increased that might cause loss of transactions"), to the busiest
  // second it saw, and the raised capacity holds for autoscale_hold_us before it falls back
  // towards the minimum. Calls beyond the capacity are ThrottlingException. A delay of 0: no
  // limit at all. Defaults 60 s and 5 min.
  int64_t autoscale_delay_us = 60 * kMicrosPerSecond;
  int64_t autoscale_hold_us = 5 * 60 * kMicrosPerSecond;
};

// Figures for the memory report: what the dataset groups hold, in bytes.
struct PersonalizeMemory {
  size_t interactions = 0;       // retained: imported rows and events
  size_t interaction_bytes = 0;  // the interaction logs, event-id sets and user histories
  size_t metadata_bytes = 0;     // id tables, item and user metadata
  size_t model_bytes = 0;        // the trained models
};

class FakePersonalize final : public Recommender {
 public:
  // `reader` fetches import files (s3:// URIs); it may be empty when nothing is imported.
  FakePersonalize(Runtime& runtime, personalize::ObjectReader reader,
                  FakePersonalizeOptions options = {});
  ~FakePersonalize() override;

  PersonalizeControlPlane& control();
  const PersonalizeControlPlane& control() const;

  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) override;
  void PutItems(const PutItemsRequest& request, Callback<Empty> done) override;
  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) override;
  void GetRecommendations(const GetRecommendationsRequest& request,
                          Callback<GetRecommendationsResponse> done) override;
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                              Callback<GetPersonalizedRankingResponse> done) override;

  PersonalizeMemory Memory() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace meshsim::fakes
