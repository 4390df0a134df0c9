// Recommender: the Amazon Personalize surface the consumer domains call — PutEvents, PutItems,
// PutUsers (personalize-events) and GetRecommendations (personalize-runtime). Field names follow
// the botocore service models so a real backend maps them one to one.
//
// Abstract so the Recommendations domain runs unchanged on the in-process recommender
// (sim/realtime_recommender/realtime_recommender.h) and on Amazon Personalize through SigV4-signed
// HTTPS (backends/, later).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

// Personalize's per-call limits, shared by the fake's validation and the callers that batch.
inline constexpr size_t kMaxEventsPerPutEvents = 10;
inline constexpr size_t kMaxRecordsPerPutItems = 10;
inline constexpr size_t kMaxRecordsPerPutUsers = 10;
inline constexpr int kDefaultNumResults = 25;
inline constexpr int kMaxNumResults = 500;
inline constexpr size_t kMaxImpressionLength = 25;    // botocore: Impression, 1-25 item ids
inline constexpr size_t kMaxRankingInputList = 500;   // GetPersonalizedRanking's inputList
inline constexpr size_t kMaxFilterValueEntries = 25;  // filterValues
inline constexpr size_t kMaxContextEntries = 150;     // context

// Item and user metadata by column name (ITEM_TYPE, GENRE, CREATION_TIMESTAMP, ...). Personalize
// carries it as a JSON string in `properties`; the structured form saves a parse per call.
using Attributes = std::map<std::string, std::string>;

struct Event {
  std::string event_id;  // optional; de-duplicates when set
  std::string event_type;
  std::optional<double> event_value;
  std::string item_id;
  int64_t sent_at_us = 0;
  std::string properties;  // JSON string, optional
  // The items shown with item_id, 1-25 ids, optional: what Personalize learns a user passed over.
  std::vector<std::string> impression;
  std::string recommendation_id;  // the GetRecommendations answer that showed them, optional
};

struct PutEventsRequest {
  std::string tracking_id;
  std::string user_id;
  std::string session_id;
  std::vector<Event> event_list;
};

struct Item {
  std::string item_id;
  Attributes properties;
};

struct User {
  std::string user_id;
  Attributes properties;
};

struct PutItemsRequest {
  std::string dataset_arn;
  std::vector<Item> items;
};

struct PutUsersRequest {
  std::string dataset_arn;
  std::vector<User> users;
};

// GetRecommendations' filterValues and context: names to values. A filter value is one or more
// quoted strings separated by commas ("\"rock\",\"pop\""), as the API takes them.
using StringMap = std::map<std::string, std::string>;

struct GetRecommendationsRequest {
  std::string campaign_arn;
  std::string user_id;  // USER_PERSONALIZATION recipes
  std::string item_id;  // RELATED_ITEMS recipes
  int num_results = kDefaultNumResults;
  std::string filter_arn;  // optional
  StringMap filter_values;
  StringMap context;  // accepted and validated; the recipes here do not use it
};

struct PredictedItem {
  std::string item_id;
  double score = 0;
  bool operator==(const PredictedItem&) const = default;
};

struct GetRecommendationsResponse {
  std::vector<PredictedItem> item_list;  // sorted by score, highest first
  std::string recommendation_id;
};

// The request for a user's top `num_results`, with no filter and no context.
inline GetRecommendationsRequest UserRecommendations(std::string campaign_arn, std::string user_id,
                                                     int num_results = kDefaultNumResults) {
  GetRecommendationsRequest r;
  r.campaign_arn = std::move(campaign_arn);
  r.user_id = std::move(user_id);
  r.num_results = num_results;
  return r;
}

struct GetPersonalizedRankingRequest {
  std::string campaign_arn;
  std::string user_id;
  std::vector<std::string> input_list;  // 1-500 item ids
  std::string filter_arn;
  StringMap filter_values;
  StringMap context;
};

struct GetPersonalizedRankingResponse {
  std::vector<PredictedItem> personalized_ranking;  // input_list reordered, highest score first
  std::string recommendation_id;
};

class Recommender {
 public:
  virtual ~Recommender() = default;

  template <typename T>
  using Callback = std::function<void(Result<T>)>;
  struct Empty {};

  // Each call validates fully before it changes anything; `done` runs on the Runtime, possibly
  // before the call returns. Once PutEvents' `done` has run with OK, the events count in the
  // very next GetRecommendations for that user.
  //
  // Requests are taken by reference and copied where an implementation needs them later (as the
  // AWS SDKs' async calls do), so a caller may reuse its request objects, capacity and all.
  virtual void PutEvents(const PutEventsRequest& request, Callback<Empty> done) = 0;
  virtual void PutItems(const PutItemsRequest& request, Callback<Empty> done) = 0;
  virtual void PutUsers(const PutUsersRequest& request, Callback<Empty> done) = 0;
  virtual void GetRecommendations(const GetRecommendationsRequest& request,
                                  Callback<GetRecommendationsResponse> done) = 0;
  // Only a campaign of a PERSONALIZED_RANKING recipe ranks; any other campaign answers
  // InvalidInputException, as Personalize does.
  virtual void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                                      Callback<GetPersonalizedRankingResponse> done) = 0;

  // Returns once every call answered so far has taken full effect in this process: an
  // implementation that applies events on a thread of its own waits for that thread, so a
  // caller timing a run counts that work in it. Nothing to wait for by default (a remote
  // service's effects are its own).
  virtual void Settle() {}
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingRecommender : public Recommender {
 public:
  explicit ForwardingRecommender(Recommender& target) : target_(target) {}

  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) override {
    target_.PutEvents(request, std::move(done));
  }
  void PutItems(const PutItemsRequest& request, Callback<Empty> done) override {
    target_.PutItems(request, std::move(done));
  }
  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) override {
    target_.PutUsers(request, std::move(done));
  }
  void GetRecommendations(const GetRecommendationsRequest& request,
                          Callback<GetRecommendationsResponse> done) override {
    target_.GetRecommendations(request, std::move(done));
  }
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                              Callback<GetPersonalizedRankingResponse> done) override {
    target_.GetPersonalizedRanking(request, std::move(done));
  }
  void Settle() override { target_.Settle(); }

 protected:
  Recommender& target() const { return target_; }

 private:
  Recommender& target_;
};

}  // namespace meshsim
