#include "sim/latency/latency_ports.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "sim/core/box_pool.h"

namespace meshsim {
namespace {

// The next time a call may reach the target: now plus a sampled delay, but never before the
// previous call, so order is kept.
class Delay {
 public:
  Delay(Runtime& runtime, LatencyModel model)
      : runtime_(runtime), model_(std::move(model)), lane_(runtime.NewLane()) {}

  void Run(Task task) {
    const int64_t now = runtime_.NowMicros();
    const int64_t at = std::max(now + model_.Sample(runtime_.rng()), last_);
    last_ = at;
    if (at == now) {
      task();
    } else {
      runtime_.ScheduleInLane(lane_, at - now, std::move(task));  // due times never decrease
    }
  }

 private:
  Runtime& runtime_;
  LatencyModel model_;
  uint32_t lane_;
  int64_t last_ = 0;
};

template <typename Request, typename Callback>
struct Pending {
  Request request;
  Callback done;
};

// Only Produce is delayed; the rest is ForwardingEventStream's.
class DelayedEventStream final : public ForwardingEventStream {
 public:
  DelayedEventStream(Runtime& runtime, EventStream& target, LatencyModel produce,
                     ComputeMeter* meter)
      : ForwardingEventStream(target), delay_(runtime, std::move(produce)), meter_(meter) {}

  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    // Boxed: a ProducerRecord alone is larger than a Task keeps inline.
    auto* box = boxes_.Take();
    box->request = record;
    box->done = std::move(done);
    delay_.Run([this, box] {
      Metered(meter_, ComputeMeter::kProduce,
              [&] { target().Produce(box->request, std::move(box->done)); });
      box->done = nullptr;
      boxes_.Give(box);
    });
  }

 private:
  Delay delay_;
  ComputeMeter* meter_;
  BoxPool<Pending<ProducerRecord, ProduceCallback>> boxes_;
};

// Every modelled call is delayed; Settle (not a call a client makes) is ForwardingRecommender's.
class DelayedRecommender final : public ForwardingRecommender {
 public:
  DelayedRecommender(Runtime& runtime, Recommender& target, LatencyModel latency,
                     ComputeMeter* meter)
      : ForwardingRecommender(target), delay_(runtime, std::move(latency)), meter_(meter) {}

  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) override {
    Forward(&Recommender::PutEvents, events_, request, std::move(done));
  }
  void PutItems(const PutItemsRequest& request, Callback<Empty> done) override {
    Forward(&Recommender::PutItems, items_, request, std::move(done));
  }
  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) override {
    Forward(&Recommender::PutUsers, users_, request, std::move(done));
  }
  void GetRecommendations(const GetRecommendationsRequest& request,
                          Callback<GetRecommendationsResponse> done) override {
    Forward(&Recommender::GetRecommendations, queries_, request, std::move(done));
  }
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                              Callback<GetPersonalizedRankingResponse> done) override {
    Forward(&Recommender::GetPersonalizedRanking, rankings_, request, std::move(done));
  }

 private:
  template <typename Request, typename Reply>
  using Pool = BoxPool<Pending<Request, Callback<Reply>>>;

  template <typename Request, typename Reply>
  void Forward(void (Recommender::*call)(const Request&, Callback<Reply>),
               Pool<Request, Reply>& pool, const Request& request, Callback<Reply> done) {
    auto* box = pool.Take();
    box->request = request;
    box->done = std::move(done);
    delay_.Run([this, call, &pool, box] {
      Metered(meter_, ComputeMeter::kRecommender,
              [&] { (target().*call)(box->request, std::move(box->done)); });
      box->done = nullptr;
      pool.Give(box);
    });
  }

  Delay delay_;
  ComputeMeter* meter_;
  Pool<PutEventsRequest, Empty> events_;
  Pool<PutItemsRequest, Empty> items_;
  Pool<PutUsersRequest, Empty> users_;
  Pool<GetRecommendationsRequest, GetRecommendationsResponse> queries_;
  Pool<GetPersonalizedRankingRequest, GetPersonalizedRankingResponse> rankings_;
};

}  // namespace

std::unique_ptr<EventStream> MakeDelayedEventStream(Runtime& runtime, EventStream& target,
                                                    LatencyModel produce, ComputeMeter* meter) {
  return std::make_unique<DelayedEventStream>(runtime, target, std::move(produce), meter);
}

std::unique_ptr<Recommender> MakeDelayedRecommender(Runtime& runtime, Recommender& target,
                                                    LatencyModel latency, ComputeMeter* meter) {
  return std::make_unique<DelayedRecommender>(runtime, target, std::move(latency), meter);
}

}  // namespace meshsim
