#include "fakes/kafka/broker_faults.h"

#include <algorithm>

namespace meshsim::fakes {

std::string_view BrokerApiName(BrokerApi api) {
  switch (api) {
    case BrokerApi::kProduce:
      return "Produce";
    case BrokerApi::kFetch:
      return "Fetch";
    case BrokerApi::kCommit:
      return "OffsetCommit";
  }
  return "Unknown";
}

void BrokerFaults::Injected(std::string description) {
  injected_.push_back({runtime_.NowMicros(), std::move(description)});
}

void BrokerFaults::Affected(BrokerApi api, const TopicPartition& tp, Code code,
                            std::string_view cause) {
  ++affected_count_;
  if (affected_.size() < max_recorded_calls_) {
    affected_.push_back({runtime_.NowMicros(), api, tp, code, cause});
  }
}

void BrokerFaults::Rearm() {
  armed_ = down_ || latency_us_ > 0 || !moved_[0].empty() || !moved_[1].empty() ||
           std::any_of(std::begin(errors_), std::end(errors_),
                       [](const auto& stack) { return !stack.empty(); });
}

void BrokerFaults::PushErrors(BrokerApi api, std::vector<Code> errors) {
  std::string description =
      "push " + std::to_string(errors.size()) + " " + std::string(BrokerApiName(api)) + " errors:";
  for (Code code : errors) {
    description += " ";
    description += CodeName(code);
    errors_[static_cast<size_t>(api)].push_back(code);
  }
  Injected(std::move(description));
  Rearm();
}

void BrokerFaults::SetDown(bool down) {
  down_ = down;
  ++down_generation_;
  Injected(down ? "broker down" : "broker up");
  Rearm();
}

void BrokerFaults::SetLatency(int64_t latency_us) {
  latency_us_ = std::max<int64_t>(latency_us, 0);
  Injected("latency " + std::to_string(latency_us_) + "us");
  Rearm();
}

void BrokerFaults::MoveLeader(const TopicPartition& tp) {
  moved_[0].insert(tp);
  moved_[1].insert(tp);
  Injected("leader change " + tp.topic + "-" + std::to_string(tp.partition));
  Rearm();
}

Code BrokerFaults::PopError(BrokerApi api, const TopicPartition& tp) {
  auto& stack = errors_[static_cast<size_t>(api)];
  if (stack.empty()) return Code::kOk;
  const Code code = stack.front();
  stack.pop_front();
  Affected(api, tp, code, "error stack");
  Rearm();
  return code;
}

bool BrokerFaults::TakeLeaderMove(BrokerApi api, const TopicPartition& tp) {
  if (api == BrokerApi::kCommit) return false;
  auto& moved = moved_[api == BrokerApi::kProduce ? 0 : 1];
  if (moved.erase(tp) == 0) return false;
  Affected(api, tp, Code::kNotLeaderOrFollower, "leader change");
  Rearm();
  return true;
}

void BrokerFaults::Delay(Task task) {
  const int64_t now = runtime_.NowMicros();
  const int64_t due = std::max(now + latency_us_, last_due_us_);
  last_due_us_ = due;
  runtime_.ScheduleInLane(lane_, due - now, std::move(task));
}

}  // namespace meshsim::fakes
