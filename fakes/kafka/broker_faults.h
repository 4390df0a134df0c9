// The broker's injected faults: what is armed, and the record of what it did. Internal to the
// fake broker (fakes/kafka/broker.cc), which consults it only while armed() — one branch per call.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "fakes/kafka/broker.h"
#include "sim/core/runtime.h"

namespace meshsim::fakes {

class BrokerFaults {
 public:
  BrokerFaults(Runtime& runtime, size_t max_recorded_calls)
      : runtime_(runtime), lane_(runtime.NewLane()), max_recorded_calls_(max_recorded_calls) {}

  // True while any fault is armed; otherwise the broker need not ask anything else.
  bool armed() const { return armed_; }

  void PushErrors(BrokerApi api, std::vector<Code> errors);
  void SetDown(bool down);
  bool down() const { return down_; }
  // Bumped by every SetDown, so a scheduled end of a span knows whether it still applies.
  uint64_t down_generation() const { return down_generation_; }
  void SetLatency(int64_t latency_us);
  int64_t latency_us() const { return latency_us_; }
  void MoveLeader(const TopicPartition& tp);

  // The next pushed error for `api`, consumed and recorded against `tp`; kOk if none is pushed.
  Code PopError(BrokerApi api, const TopicPartition& tp);
  // True once after MoveLeader(tp) for each of produce and fetch; recorded.
  bool TakeLeaderMove(BrokerApi api, const TopicPartition& tp);

  // True while answers are delayed: latency is set, or delayed answers are still due.
  bool delaying() const { return latency_us_ > 0 || last_due_us_ > runtime_.NowMicros(); }
  // Runs `task` after the added latency, after every task delayed before it.
  void Delay(Task task);

  void Affected(BrokerApi api, const TopicPartition& tp, Code code, std::string_view cause);
  const std::vector<InjectedFault>& injected() const { return injected_; }
  const std::vector<AffectedCall>& affected() const { return affected_; }
  uint64_t affected_count() const { return affected_count_; }

 private:
  void Injected(std::string description);
  void Rearm();

  Runtime& runtime_;
  uint32_t lane_;
  size_t max_recorded_calls_;
  uint64_t affected_count_ = 0;
  bool armed_ = false;
  bool down_ = false;
  uint64_t down_generation_ = 0;
  int64_t latency_us_ = 0;
  int64_t last_due_us_ = 0;            // of the last delayed task: delays keep call order
  std::deque<Code> errors_[3];         // by BrokerApi
  std::set<TopicPartition> moved_[2];  // leader moved, not yet seen by produce / fetch
  std::vector<InjectedFault> injected_;
  std::vector<AffectedCall> affected_;
};

}  // namespace meshsim::fakes
