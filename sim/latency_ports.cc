#include "sim/latency_ports.h"

#include <algorithm>

namespace meshsim {
namespace {

// The next time a call may reach the target: now plus a sampled delay, but never before the
// previous call, so order is kept.
class Delay {
 public:
  Delay(Runtime& runtime, LatencyModel model) : runtime_(runtime), model_(std::move(model)) {}

  void Run(Task task) {
    const int64_t now = runtime_.NowMicros();
    const int64_t at = std::max(now + model_.Sample(runtime_.rng()), last_);
    last_ = at;
    if (at == now) {
      task();
    } else {
      runtime_.ScheduleAfter(at - now, std::move(task));
    }
  }

 private:
  Runtime& runtime_;
  LatencyModel model_;
  int64_t last_ = 0;
};

class DelayedEventStream final : public EventStream {
 public:
  DelayedEventStream(Runtime& runtime, EventStream& target, LatencyModel produce)
      : target_(target), delay_(runtime, std::move(produce)) {}

  Status CreateTopic(const TopicConfig& config) override { return target_.CreateTopic(config); }
  Result<int32_t> PartitionCount(const std::string& topic) const override {
    return target_.PartitionCount(topic);
  }
  void Produce(ProducerRecord record, ProduceCallback done) override {
    // Boxed: a ProducerRecord alone is larger than a Task keeps inline.
    auto box = std::make_unique<std::pair<ProducerRecord, ProduceCallback>>(std::move(record),
                                                                            std::move(done));
    delay_.Run([this, box = std::move(box)] {
      target_.Produce(std::move(box->first), std::move(box->second));
    });
  }
  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) override {
    return target_.Subscribe(config);
  }
  Result<int64_t> EndOffset(const TopicPartition& tp) const override {
    return target_.EndOffset(tp);
  }

 private:
  EventStream& target_;
  Delay delay_;
};

class DelayedRecommender final : public Recommender {
 public:
  DelayedRecommender(Runtime& runtime, Recommender& target, LatencyModel latency)
      : target_(target), delay_(runtime, std::move(latency)) {}

  void PutEvents(PutEventsRequest request, Callback<Empty> done) override {
    Forward(&Recommender::PutEvents, std::move(request), std::move(done));
  }
  void PutItems(PutItemsRequest request, Callback<Empty> done) override {
    Forward(&Recommender::PutItems, std::move(request), std::move(done));
  }
  void PutUsers(PutUsersRequest request, Callback<Empty> done) override {
    Forward(&Recommender::PutUsers, std::move(request), std::move(done));
  }
  void GetRecommendations(GetRecommendationsRequest request,
                          Callback<GetRecommendationsResponse> done) override {
    Forward(&Recommender::GetRecommendations, std::move(request), std::move(done));
  }

 private:
  template <typename Request, typename Reply>
  void Forward(void (Recommender::*call)(Request, Callback<Reply>), Request request,
               Callback<Reply> done) {
    auto box =
        std::make_unique<std::pair<Request, Callback<Reply>>>(std::move(request), std::move(done));
    delay_.Run([this, call, box = std::move(box)] {
      (target_.*call)(std::move(box->first), std::move(box->second));
    });
  }

  Recommender& target_;
  Delay delay_;
};

}  // namespace

std::unique_ptr<EventStream> MakeDelayedEventStream(Runtime& runtime, EventStream& target,
                                                    LatencyModel produce) {
  return std::make_unique<DelayedEventStream>(runtime, target, std::move(produce));
}

std::unique_ptr<Recommender> MakeDelayedRecommender(Runtime& runtime, Recommender& target,
                                                    LatencyModel latency) {
  return std::make_unique<DelayedRecommender>(runtime, target, std::move(latency));
}

}  // namespace meshsim
