// The Recommendations functions against a recording recommender: how a batch becomes calls,
// how many run at once, order per key, and what a retried batch does.
#include "sim/domains/recommendations.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fakes/kafka/broker.h"
#include "sim/core/ids.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "tests/support/topic_schemas.h"

using namespace meshsim;

namespace {

// Answers each PutEvents after 10 ms of virtual time; records what was in flight, and fails the
// calls it is told to with ThrottlingException once.
class RecordingRecommender final : public Recommender {
 public:
  explicit RecordingRecommender(Runtime& runtime) : runtime_(runtime) {}

  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) override {
    ++calls;
    const std::string user = request.user_id;
    if (in_flight_users.count(user)) two_calls_for_one_user = true;
    in_flight_users.insert(user);
    max_in_flight = std::max(max_in_flight, in_flight_users.size());
    const bool throttle = throttle_user == user && !throttled;
    if (throttle) throttled = true;
    runtime_.ScheduleAfter(10'000, [this, request, done = std::move(done), throttle]() mutable {
      in_flight_users.erase(request.user_id);
      if (throttle) {
        done(Status(Code::kThrottling, "Rate exceeded"));
        return;
      }
      for (const auto& e : request.event_list) applied[request.user_id].push_back(e.event_id);
      done(Empty{});
    });
  }
  void PutItems(const PutItemsRequest&, Callback<Empty> done) override { done(Empty{}); }
  void PutUsers(const PutUsersRequest&, Callback<Empty> done) override { done(Empty{}); }
  void GetRecommendations(const GetRecommendationsRequest&,
                          Callback<GetRecommendationsResponse> done) override {
    done(GetRecommendationsResponse{});
  }
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest&,
                              Callback<GetPersonalizedRankingResponse> done) override {
    done(GetPersonalizedRankingResponse{});
  }

  int calls = 0;
  size_t max_in_flight = 0;
  bool two_calls_for_one_user = false;
  std::set<std::string> in_flight_users;
  std::map<std::string, std::vector<std::string>> applied;  // user -> event ids in apply order
  std::string throttle_user;
  bool throttled = false;

 private:
  Runtime& runtime_;
};

struct Fixture {
  explicit Fixture(int64_t concurrent_calls) {
    for (const char* t : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
      REQUIRE(broker->CreateTopic({t, 1}).ok());
    }
    RecommendationsConfig config;
    config.consumers.batch_size = 100;
    config.consumers.batching_window_us = 0;
    config.consumers.concurrent_calls = concurrent_calls;
    config.consumers.max_retries = 2;
    config.tracking_id = "t";
    config.registry = &schemas.registry();
    domain =
        std::make_unique<RecommendationsDomain>(*runtime, *broker, recommender, metrics, config);
  }
  ~Fixture() { domain.reset(); }

  // 60 interactions from 6 users, interleaved, each user's in one session; all in one batch.
  void Produce() {
    Interaction in;
    std::string value;
    for (int i = 0; i < 60; ++i) {
      in.event_id = NumberedId("e", static_cast<uint64_t>(i));
      in.user_id = NumberedId("u", static_cast<uint64_t>(i % 6));
      in.item_id = NumberedId("s", static_cast<uint64_t>(i));
      in.event_type = "play";
      in.session_id = in.user_id + "-s";
      EncodeInteraction(in, &value);
      broker->Produce(
          ProducerRecord{
              kInteractionsTopic, in.user_id, schemas.Frame(kInteractionsTopic, value), {}, 0},
          [](Result<RecordMetadata> r, const ProducerRecord*) { REQUIRE(r.ok()); });
    }
  }

  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<EventStream> broker = fakes::MakeFakeEventStream(*runtime);
  testing::TopicSchemas schemas{*runtime};
  RecordingRecommender recommender{*runtime};
  Metrics metrics;
  std::unique_ptr<RecommendationsDomain> domain;
};

void CheckOrderPerUser(const RecordingRecommender& r) {
  for (const auto& [user, events] : r.applied) {
    INFO(user);
    REQUIRE(events.size() == 10);
    for (size_t i = 1; i < events.size(); ++i) {
      CHECK(std::stoi(events[i].substr(1)) > std::stoi(events[i - 1].substr(1)));
    }
  }
}

}  // namespace

TEST_CASE("a batch becomes PutEvents calls of at most 10 events for one user and session") {
  Fixture f(1);
  f.Produce();
  REQUIRE(f.domain->Start().ok());
  f.runtime->RunUntilIdle();
  CHECK(f.recommender.calls == 6);  // 6 users x 10 events
  CHECK(f.recommender.max_in_flight == 1);
  CHECK(f.metrics.topic(kInteractionsTopic).applied == 60);
  CheckOrderPerUser(f.recommender);
  CHECK(f.runtime->NowMicros() == 60'000);  // six calls of 10 ms, one after another
}

TEST_CASE("concurrent calls overlap, never two for one key, and keep order per key") {
  Fixture f(4);
  f.Produce();
  REQUIRE(f.domain->Start().ok());
  f.runtime->RunUntilIdle();
  CHECK(f.recommender.max_in_flight == 4);
  CHECK_FALSE(f.recommender.two_calls_for_one_user);
  CHECK(f.metrics.topic(kInteractionsTopic).applied == 60);
  CheckOrderPerUser(f.recommender);
  CHECK(f.runtime->NowMicros() == 20'000);  // 6 calls, 4 at a time: two rounds of 10 ms
}

TEST_CASE("a user's events across interleaved sessions are applied in offset order") {
  // Regression: events were grouped by (user, session), so in a batch s1 s2 s1 of one user the
  // second s1 event joined the first call and was applied before the s2 event: order per key
  // (the user) broken, which the report's order_per_key_kept invariant then caught.
  for (int64_t concurrent : {1, 4}) {
    INFO("concurrent calls " << concurrent);
    Fixture f(concurrent);
    Interaction in;
    std::string value;
    for (int i = 0; i < 12; ++i) {
      in.event_id = NumberedId("e", static_cast<uint64_t>(i));
      in.user_id = i % 2 == 0 ? "u0" : "u1";
      in.item_id = NumberedId("s", static_cast<uint64_t>(i));
      in.event_type = "play";
      in.session_id = in.user_id + (i % 3 == 0 ? "-s1" : "-s2");
      EncodeInteraction(in, &value);
      f.broker->Produce(
          ProducerRecord{
              kInteractionsTopic, in.user_id, f.schemas.Frame(kInteractionsTopic, value), {}, 0},
          [](Result<RecordMetadata> r, const ProducerRecord*) { REQUIRE(r.ok()); });
    }
    REQUIRE(f.domain->Start().ok());
    f.runtime->RunUntilIdle();
    CHECK(f.metrics.topic(kInteractionsTopic).applied == 12);
    CHECK(f.metrics.topic(kInteractionsTopic).applied_out_of_order == 0);
    for (const auto& [user, events] : f.recommender.applied) {
      INFO(user);
      REQUIRE(events.size() == 6);
      for (size_t i = 1; i < events.size(); ++i) {
        CHECK(std::stoi(events[i].substr(1)) > std::stoi(events[i - 1].substr(1)));
      }
    }
  }
}

TEST_CASE("a throttled call fails the batch; the retry skips the calls that went through") {
  Fixture f(4);
  f.recommender.throttle_user = "u2";
  f.Produce();
  REQUIRE(f.domain->Start().ok());
  f.runtime->RunUntilIdle();
  CHECK(f.recommender.throttled);
  CHECK(f.recommender.calls == 7);  // 6 calls, then only u2's again
  CHECK(f.metrics.topic(kInteractionsTopic).applied == 60);
  CHECK(f.metrics.topic(kInteractionsTopic).delivered == 60);  // a redelivery is not counted
  CHECK(f.metrics.topic(kInteractionsTopic).rejected == 0);
  CheckOrderPerUser(f.recommender);
}

namespace {

// Answers PutUsers inline, and throttles every call that names `always_throttle`.
class InlineRecommender final : public Recommender {
 public:
  void PutEvents(const PutEventsRequest&, Callback<Empty> done) override { done(Empty{}); }
  void PutItems(const PutItemsRequest&, Callback<Empty> done) override { done(Empty{}); }
  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) override {
    ++calls;
    for (const auto& u : request.users) {
      if (u.user_id == always_throttle) return done(Status(Code::kThrottling, "Rate exceeded"));
    }
    done(Empty{});
  }
  void GetRecommendations(const GetRecommendationsRequest&,
                          Callback<GetRecommendationsResponse> done) override {
    done(GetRecommendationsResponse{});
  }
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest&,
                              Callback<GetPersonalizedRankingResponse> done) override {
    done(GetPersonalizedRankingResponse{});
  }
  std::string always_throttle;
  int calls = 0;
};

void ProduceUsers(EventStream& broker, const testing::TopicSchemas& schemas, int n) {
  std::string value;
  for (int i = 0; i < n; ++i) {
    UserProfile u{NumberedId("u", static_cast<uint64_t>(i)), "pop", 0};
    EncodeUser(u, &value);
    broker.Produce(ProducerRecord{kUsersTopic, u.user_id, schemas.Frame(kUsersTopic, value), {}, 0},
                   [](Result<RecordMetadata> r, const ProducerRecord*) { REQUIRE(r.ok()); });
  }
}

}  // namespace

TEST_CASE("a batch sent to the failure destination dead-letters only what was not applied") {
  // Regression: OnFailure dead-lettered every record of the batch, the applied ones too.
  auto runtime = MakeVirtualRuntime(1);
  auto broker = fakes::MakeFakeEventStream(*runtime);
  for (const char* t : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
    REQUIRE(broker->CreateTopic({t, 1}).ok());
  }
  InlineRecommender recommender;
  recommender.always_throttle = "u10";  // the second PutUsers call (records 10..10)
  Metrics metrics;
  testing::TopicSchemas schemas(*runtime);
  RecommendationsConfig config;
  config.consumers.batching_window_us = 0;
  config.consumers.max_retries = 2;
  config.registry = &schemas.registry();
  ProduceUsers(*broker, schemas, 11);
  {
    RecommendationsDomain domain(*runtime, *broker, recommender, metrics, config);
    REQUIRE(domain.Start().ok());
    runtime->RunUntilIdle();
  }
  const TopicCounts& c = metrics.topic(kUsersTopic);
  CHECK(c.delivered == 11);
  CHECK(c.applied == 10);
  CHECK(c.rejected == 1);
  CHECK(metrics.dead_letters().size() == 1);
  // The good call once; the throttled one 3 times (the SDK's attempts) in each of the batch's
  // 3 deliveries (max_retries 2).
  CHECK(recommender.calls == 1 + 3 * 3);
}

TEST_CASE("a recommender that answers inline does not nest one frame per call") {
  // Regression: Launch -> Send -> reply -> Launch recursed once per call of the batch.
  auto runtime = MakeVirtualRuntime(1);
  auto broker = fakes::MakeFakeEventStream(*runtime);
  for (const char* t : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
    REQUIRE(broker->CreateTopic({t, 1}).ok());
  }
  InlineRecommender recommender;
  Metrics metrics;
  testing::TopicSchemas schemas(*runtime);
  RecommendationsConfig config;
  config.consumers.batching_window_us = 0;
  config.consumers.batch_size = 10'000;
  config.registry = &schemas.registry();
  ProduceUsers(*broker, schemas, 200'000);  // 20,000 calls in one batch
  {
    RecommendationsDomain domain(*runtime, *broker, recommender, metrics, config);
    REQUIRE(domain.Start().ok());
    runtime->RunUntilIdle();
  }
  CHECK(metrics.topic(kUsersTopic).applied == 200'000);
}
