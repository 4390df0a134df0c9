#include "fakes/kafka/assignors.h"

#include <algorithm>

namespace meshsim::fakes {
namespace {

bool Subscribes(const std::vector<std::string>& topics, const std::string& topic) {
  return std::find(topics.begin(), topics.end(), topic) != topics.end();
}

// RangeAssignor: per topic, the members subscribed to it each take a contiguous range, the first
// (partitions % members) one extra.
void AssignRange(const Subscriptions& members, const std::map<std::string, int32_t>& partitions,
                 std::vector<std::vector<TopicPartition>>* out) {
  for (const auto& [topic, n] : partitions) {
    std::vector<size_t> subscribers;
    for (size_t m = 0; m < members.size(); ++m) {
      if (Subscribes(members[m], topic)) subscribers.push_back(m);
    }
    const auto count = static_cast<int32_t>(subscribers.size());
    int32_t next = 0;
    for (int32_t i = 0; i < count; ++i) {
      const int32_t take = n / count + (i < n % count ? 1 : 0);
      for (int32_t p = next; p < next + take; ++p) (*out)[subscribers[i]].push_back({topic, p});
      next += take;
    }
  }
}

// RoundRobinAssignor: every subscribed partition, sorted by topic then partition, goes to the
// next member in a circle (sorted by id) that subscribes to its topic.
void AssignRoundRobin(const Subscriptions& members,
                      const std::map<std::string, int32_t>& partitions,
                      std::vector<std::vector<TopicPartition>>* out) {
  size_t next = 0;
  for (const auto& [topic, n] : partitions) {
    if (std::none_of(members.begin(), members.end(),
                     [&](const auto& topics) { return Subscribes(topics, topic); })) {
      continue;
    }
    for (int32_t p = 0; p < n; ++p) {
      while (!Subscribes(members[next], topic)) next = (next + 1) % members.size();
      (*out)[next].push_back({topic, p});
      next = (next + 1) % members.size();
    }
  }
}

}  // namespace

std::vector<std::vector<TopicPartition>> Assign(AssignmentStrategy strategy,
                                                const Subscriptions& members,
                                                const std::map<std::string, int32_t>& partitions) {
  std::vector<std::vector<TopicPartition>> out(members.size());
  if (members.empty()) return out;
  switch (strategy) {
    case AssignmentStrategy::kRange:
      AssignRange(members, partitions, &out);
      break;
    case AssignmentStrategy::kRoundRobin:
      AssignRoundRobin(members, partitions, &out);
      break;
  }
  // Range fills topic by topic in map order already; keep the contract explicit for both.
  for (auto& tps : out) std::sort(tps.begin(), tps.end());
  return out;
}

}  // namespace meshsim::fakes
