// Micro benchmarks of the event path's pieces: the runtime's scheduler, the broker's append and
// fetch, the record codec, the recommender's PutEvents and GetRecommendations.
#include <benchmark/benchmark.h>

#include "fakes/kafka/broker.h"
#include "sim/core/ids.h"
#include "sim/core/runtime.h"
#include "sim/realtime_recommender/realtime_recommender.h"
#include "sim/serde/entity_avro.h"

using namespace meshsim;

static void BM_VirtualRuntimeScheduleAndRun(benchmark::State& state) {
  auto rt = MakeVirtualRuntime(1);
  uint64_t ran = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i)
      rt->ScheduleAfter(static_cast<int64_t>(rt->rng().Below(1000)), [&ran] { ++ran; });
    rt->RunUntilIdle();
  }
  benchmark::DoNotOptimize(ran);
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_VirtualRuntimeScheduleAndRun);

static void BM_CodecInteractionRoundTrip(benchmark::State& state) {
  Interaction in{"e123456", "u4242", "s31337", "play", "u4242-s77", 1'700'000'000'000'000};
  Interaction out;
  std::string buf;
  for (auto _ : state) {
    EncodeInteraction(in, &buf);
    benchmark::DoNotOptimize(DecodeInteraction(buf, &out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodecInteractionRoundTrip);

namespace {

// Keyed produces of 60-byte values over 10,000 keys to an 8-partition topic, fetched every 256.
void ProduceAndFetch(benchmark::State& state, const TopicConfig& config) {
  auto rt = MakeVirtualRuntime(1);
  auto broker = fakes::MakeFakeEventStream(*rt);
  (void)broker->CreateTopic(config);
  auto consumer = broker->Subscribe({"g", {config.name}, OffsetReset::kEarliest});
  RecordBuffer out;
  const std::string value(60, 'x');
  uint64_t n = 0;
  for (auto _ : state) {
    broker->Produce(ProducerRecord{config.name, NumberedId("u", n++ % 10000), value, {}, 0},
                    [](Result<RecordMetadata>, const ProducerRecord*) {});
    if ((n & 255) == 0) {
      out.clear();
      for (const auto& tp : (*consumer)->Assignment()) (void)(*consumer)->Fetch(tp, 1000, &out);
      rt->RunUntilIdle();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

static void BM_BrokerProduceAndFetch(benchmark::State& state) { ProduceAndFetch(state, {"t", 8}); }
BENCHMARK(BM_BrokerProduceAndFetch);

// The same on a compacted topic (cleanup.policy=compact, as for the entity topics) of 1 MiB
// segments: the cleaner runs as segments roll, so its cost is spread over the appends.
static void BM_BrokerProduceAndFetchCompacted(benchmark::State& state) {
  TopicConfig config{"t", 8};
  config.cleanup_policy = CleanupPolicy::kCompact;
  ProduceAndFetch(state, config);
}
BENCHMARK(BM_BrokerProduceAndFetchCompacted);

namespace {

// A recommender loaded with `users` users each with `per_user` interactions over `items` items.
std::unique_ptr<Recommender> Loaded(Runtime& rt, const char* recipe, int users, int items,
                                    int per_user) {
  realtime::RealtimeRecommenderOptions o;
  o.recipe = recipe;
  std::unique_ptr<Recommender> rec = std::move(realtime::MakeRealtimeRecommender(rt, o)).value();
  Rng rng(7);
  for (int u = 0; u < users; ++u) {
    PutEventsRequest r{"t", NumberedId("u", u), "s", {}};
    for (int i = 0; i < per_user; ++i) {
      r.event_list.push_back(Event{"", "play", std::nullopt,
                                   NumberedId("i", rng.Below(static_cast<uint64_t>(items))),
                                   0, "", {}, ""});
      if (r.event_list.size() == kMaxEventsPerPutEvents || i == per_user - 1) {
        rec->PutEvents(r, [](Result<Recommender::Empty>) {});
        r.event_list.clear();
      }
    }
  }
  return rec;
}

}  // namespace

static void BM_RecommenderPutEvent(benchmark::State& state) {
  auto rt = MakeVirtualRuntime(1);
  auto rec = Loaded(*rt, state.range(0) == 0 ? "popularity" : "co-occurrence", 2000, 5000, 20);
  Rng rng(9);
  PutEventsRequest r{"t", "", "s", {Event{"", "play", std::nullopt, "", 0, "", {}, ""}}};
  for (auto _ : state) {
    r.user_id = NumberedId("u", rng.Below(2000));
    r.event_list[0].item_id = NumberedId("i", rng.Below(5000));
    rec->PutEvents(r, [](Result<Recommender::Empty>) {});
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "popularity" : "co-occurrence");
}
// Real time: the recommender applies events on a worker thread, so the caller's CPU time is only
// the hand-off; the wall clock shows the throughput of both (the caller waits when the worker
// falls behind by 16 buffers, the backlog left unmeasured at the end).
BENCHMARK(BM_RecommenderPutEvent)->Arg(0)->Arg(1)->UseRealTime();

static void BM_RecommenderGetRecommendations25(benchmark::State& state) {
  auto rt = MakeVirtualRuntime(1);
  auto rec = Loaded(*rt, state.range(0) == 0 ? "popularity" : "co-occurrence", 2000, 5000, 20);
  Rng rng(9);
  GetRecommendationsRequest r = UserRecommendations("", "", 25);
  size_t got = 0;
  for (auto _ : state) {
    r.user_id = NumberedId("u", rng.Below(2000));
    rec->GetRecommendations(r, [&got](Result<GetRecommendationsResponse> res) {
      got += res.ok() ? res->item_list.size() : 0;
    });
  }
  benchmark::DoNotOptimize(got);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "popularity" : "co-occurrence");
}
BENCHMARK(BM_RecommenderGetRecommendations25)->Arg(0)->Arg(1);
