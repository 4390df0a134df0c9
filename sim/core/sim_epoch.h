// Where the simulation's clock stands in real time: Runtime time 0 is the scenario epoch,
// 2026-11-24T00:00:00Z. Every piece that writes a timestamp AWS reads as Unix seconds (landed
// events, products, Personalize's CREATION_TIMESTAMP and event times) converts through here.
#pragma once

#include <cstdint>

namespace meshsim {

inline constexpr int64_t kScenarioEpochUnix = 1'795'478'400;  // 2026-11-24T00:00:00Z, in seconds

// Simulation microseconds as Unix seconds (whole seconds, rounded down for times >= 0).
inline constexpr int64_t SimUnixSeconds(int64_t sim_us) {
  return kScenarioEpochUnix + sim_us / 1'000'000;
}

}  // namespace meshsim
