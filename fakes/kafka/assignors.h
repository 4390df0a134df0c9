// Kafka's partition assignors, as pure functions of a group's subscriptions: what the group
// leader's client computes in a rebalance (ConsumerPartitionAssignor.assign).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ports/event_stream.h"

namespace meshsim::fakes {

// REQUIRES: `members` is sorted by member id (the order the assignors sort members in); every
// topic a member subscribes to is in `partitions` (its partition count). Returns, for each member
// in that order, its partitions sorted by topic then partition.
using Subscriptions = std::vector<std::vector<std::string>>;
std::vector<std::vector<TopicPartition>> Assign(AssignmentStrategy strategy,
                                                const Subscriptions& members,
                                                const std::map<std::string, int32_t>& partitions);

}  // namespace meshsim::fakes
