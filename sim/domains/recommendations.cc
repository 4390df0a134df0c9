#include "sim/domains/recommendations.h"

#include "sim/domains/recommendations_function.h"
#include "sim/ports/topics.h"

namespace meshsim {

RecommendationsDomain::RecommendationsDomain(Runtime& runtime, EventStream& stream,
                                             Recommender& recommender, Metrics& metrics,
                                             RecommendationsConfig config)
    : runtime_(runtime),
      stream_(stream),
      recommender_(recommender),
      metrics_(metrics),
      config_(std::move(config)) {}

RecommendationsDomain::~RecommendationsDomain() { Stop(); }

Status RecommendationsDomain::Start() {
  if (!mappings_.empty()) return Status::Ok();
  using Make = std::unique_ptr<RecommendationsFunction> (*)(const FunctionContext&);
  static constexpr struct {
    const char* topic;
    const char* name;
    Make make;
  } kFunctions[] = {{kUsersTopic, "UsersUpdate", &MakeUsersUpdate},
                    {kSongsTopic, "SongsUpdate",
                     [](const FunctionContext& c) { return MakeItemsUpdate(c, kSongsTopic); }},
                    {kPodcastsTopic, "PodcastsUpdate",
                     [](const FunctionContext& c) { return MakeItemsUpdate(c, kPodcastsTopic); }},
                    {kInteractionsTopic, "InteractionsUpdate", &MakeInteractionsUpdate}};
  const FunctionContext context{runtime_, recommender_, metrics_, config_, throttled_retries_};
  for (const auto& [topic, name, make] : kFunctions) {
    std::unique_ptr<RecommendationsFunction> function = make(context);
    RecommendationsFunction* f = function.get();
    EventSourceMappingConfig c;
    c.function_name = name;
    c.topic = topic;
    c.batch_size = config_.consumers.batch_size;
    c.batching_window_us = config_.consumers.batching_window_us;
    c.max_retries = config_.consumers.max_retries;
    c.invoke = config_.invoke;
    c.meter = config_.meter;
    auto mapping = std::make_unique<EventSourceMapping>(
        runtime_, stream_, std::move(c),
        [f](const KafkaBatch& b, std::function<void(Status)> done) {
          f->Handle(b, std::move(done));
        },
        [f](const KafkaBatch& b, const KafkaFailure& k) { f->OnFailure(b, k.error); });
    if (auto s = mapping->Start(); !s.ok()) {
      Stop();
      return s;
    }
    functions_.push_back(std::move(function));
    mappings_.push_back(std::move(mapping));
  }
  return Status::Ok();
}

void RecommendationsDomain::Stop() {
  for (auto& m : mappings_) m->Stop();
}

bool RecommendationsDomain::Idle() const {
  for (const auto& m : mappings_) {
    if (!m->Idle()) return false;
  }
  return true;
}

}  // namespace meshsim
