// The end-to-end latency bench: the whole mesh on the in-process fakes and the REAL clock, so the
// figures are meshsim's own cost per event, not a model. Each iteration publishes a burst of
// interactions through the Interactions producer and runs until every one is applied by the
// recommender; counters report events per second and the event-to-recommendation percentiles.
// Args: the batching window in milliseconds (0 and AWS's default 500 side by side) and the burst
// size (1: one event at a time, the unloaded path; 2000: throughput, with queueing in the numbers).
#include <benchmark/benchmark.h>

#include "apps/harness/harness.h"

using namespace meshsim;

namespace {

std::unique_ptr<Harness> MakeMesh(int64_t window_ms) {
  const std::string text = R"({
    "name": "pipeline_bench", "seed": 3, "duration_s": 3600,
    "population": {"users": 10000, "songs": 20000, "podcasts": 2000},
    "traffic": {"events_per_second": 0},
    "topics": {"partitions": 8},
    "consumers": {"batch_size": 100, "batching_window_ms": )" +
                           std::to_string(window_ms) + "}}";
  auto scenario = ParseScenario(text, "pipeline_bench.json");
  HarnessOptions options;
  options.clock = ClockKind::kReal;
  auto h = Harness::FromScenario(std::move(*scenario), options);
  if (!h.ok()) return nullptr;
  (*h)->mesh().RunFor(0);
  (*h)->mesh().Drain();  // the initial population reaches the recommender
  return std::move(*h);
}

}  // namespace

static void BM_PipelineRealClock(benchmark::State& state) {
  auto h = MakeMesh(state.range(0));
  const auto burst = static_cast<int>(state.range(1));
  if (!h) {
    state.SkipWithError("cannot build the mesh");
    return;
  }
  Mesh& mesh = h->mesh();
  const auto& users = mesh.workload().users();
  const auto& items = mesh.workload().items();
  Rng rng(5);
  const uint64_t applied_before = mesh.metrics().topic("interactions").applied;
  for (auto _ : state) {
    for (int i = 0; i < burst; ++i) {
      const auto& user = users[rng.Below(users.size())].user_id;
      mesh.workload().Interact(user, items[rng.Below(items.size())].item_id, "play",
                               user + "-bench");
    }
    mesh.Drain();
  }
  const auto& e2e = mesh.metrics().event_to_recommendation();
  const uint64_t applied = mesh.metrics().topic("interactions").applied - applied_before;
  state.SetItemsProcessed(static_cast<int64_t>(applied));
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(applied), benchmark::Counter::kIsRate);
  state.counters["e2e_p50_us"] = static_cast<double>(e2e.Percentile(50));
  state.counters["e2e_p99_us"] = static_cast<double>(e2e.Percentile(99));
  state.counters["e2e_p999_us"] = static_cast<double>(e2e.Percentile(99.9));
  state.counters["e2e_max_us"] = static_cast<double>(e2e.max());
  state.counters["lost"] = static_cast<double>(mesh.metrics().topic("interactions").produced -
                                               mesh.metrics().topic("interactions").applied);
}
BENCHMARK(BM_PipelineRealClock)
    ->ArgNames({"window_ms", "burst"})
    ->Args({0, 1})
    ->Args({0, 2000})
    ->Args({500, 2000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The virtual clock's speed on the shipped scenario: simulated seconds per wall second.
static void BM_VirtualClockMusicStreaming(benchmark::State& state) {
  double sim = 0;
  for (auto _ : state) {
    auto h = Harness::FromFile(MESHSIM_SOURCE_DIR "/scenarios/music_streaming.json");
    if (!h.ok() || !(*h)->Run().ok()) {
      state.SkipWithError("scenario failed");
      return;
    }
    sim += static_cast<double>((*h)->runtime().NowMicros()) / 1e6;
  }
  state.counters["sim_seconds_per_wall_second"] =
      benchmark::Counter(sim, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VirtualClockMusicStreaming)->Unit(benchmark::kMillisecond)->UseRealTime();
