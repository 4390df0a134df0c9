// Loading a scenario file (issue 17 item 4: once 1.6 s and 65 MB per MB of input, superlinear in
// its number of values). Beside the scenario loader, its peers on the same text in the same run:
// nlohmann::json::parse alone (the floor: the document it builds), and JsonSource::Parse (the
// document with its positions and strictness). Arg: the timeline's actions, ~61 bytes each.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sim/scenario/scenario.h"
#include "sim/text/json_source.h"

namespace {

std::string ScenarioText(int64_t actions) {
  std::string text = R"({"name": "big", "seed": 1, "duration_s": 120,
 "population": {"users": 100, "songs": 100, "podcasts": 10},
 "traffic": {"events_per_second": 10},
 "timeline": [)";
  for (int64_t i = 0; i < actions; ++i) {
    if (i > 0) text += ",\n  ";
    text += R"({"at_s": )" + std::to_string(1 + i % 100) +
            R"(, "action": "set_rate", "events_per_second": )" + std::to_string(50 + i % 7) + "}";
  }
  return text + "]}";
}

void SetBytes(benchmark::State& state, const std::string& text) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_LoadNlohmannParse(benchmark::State& state) {
  const std::string text = ScenarioText(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(text));
  SetBytes(state, text);
}
BENCHMARK(BM_LoadNlohmannParse)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_LoadJsonSource(benchmark::State& state) {
  const std::string text = ScenarioText(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(meshsim::JsonSource::Parse(text, "big.json"));
  SetBytes(state, text);
}
BENCHMARK(BM_LoadJsonSource)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_LoadScenario(benchmark::State& state) {
  const std::string text = ScenarioText(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(meshsim::ParseScenario(text, "big.json"));
  SetBytes(state, text);
}
BENCHMARK(BM_LoadScenario)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
