// Kafka's default partitioner hash (org.apache.kafka.common.utils.Utils.murmur2), so a keyed
// record lands in the partition a Java or librdkafka (murmur2_random) producer would choose.
#pragma once

#include <cstdint>
#include <string_view>

namespace meshsim::fakes {

int32_t Murmur2(std::string_view data);

// Utils.toPositive(murmur2(key)) % partitions. REQUIRES: partitions >= 1.
inline int32_t KafkaPartitionForKey(std::string_view key, int32_t partitions) {
  return (Murmur2(key) & 0x7fffffff) % partitions;
}

}  // namespace meshsim::fakes
