// What a run counts and measures: records per topic at each stage, the latency of each hop of an
// interaction's path, and every rejected record with its reason (the dead-letter store). Owned by
// the mesh and written by the domains; reports read it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/histogram.h"
#include "sim/ports/event_stream.h"

namespace meshsim {

struct TopicCounts {
  uint64_t produced = 0;   // acknowledged by the broker
  uint64_t delivered = 0;  // handed to the Recommendations handler for the topic
  uint64_t applied = 0;    // accepted by the recommender (visible to the next recommendation)
  uint64_t rejected = 0;   // refused at any stage, each kept as a dead letter
  uint64_t rejected_after_produce = 0;  // the part of `rejected` that the broker had accepted
  // Records applied after a later record of the same key had been: order per key broken.
  uint64_t applied_out_of_order = 0;
};

struct DeadLetter {
  std::string topic;
  std::string stage;   // produce | decode | apply | handler
  std::string reason;  // the error, e.g. "InvalidInputException: ..."
  std::optional<std::string> key;
  std::string value;
  int64_t at_us = 0;
};

// The trace an interaction carries from producer to recommender.
struct Trace {
  int64_t produced_us = 0;   // the producer sent it (header meshsim-trace)
  int64_t appended_us = 0;   // the broker appended it (LogAppendTime)
  int64_t delivered_us = 0;  // the consumer function received it
  int64_t applied_us = 0;    // the recommender's call returned OK
};

// The header that carries the produce time (microseconds, 8 bytes little-endian): Kafka's own
// CreateTime has only millisecond resolution.
inline constexpr const char* kTraceHeader = "meshsim-trace";
std::string EncodeTraceHeader(int64_t produced_us);
void EncodeTraceHeader(int64_t produced_us, std::string* out);  // reuses `out`
// The produce time from a record's headers, or its CreateTime when the header is absent.
int64_t ProducedMicros(const ConsumedRecord& record);

// What changed over simulated time, sampled every `interval_us` (throughput, the interval's p99
// event-to-recommendation latency, each consumer function's lag). Arrays have equal length.
struct Series {
  int64_t interval_us = 0;
  std::vector<double> t_s;
  std::vector<double> produced_per_s;
  std::vector<double> applied_per_s;
  std::vector<int64_t> e2e_p99_us;
  std::map<std::string, std::vector<int64_t>> lag;  // by function name
};

class Metrics {
 public:
  static constexpr size_t kMaxDeadLettersKept = 10'000;  // counts stay exact beyond this

  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  TopicCounts& topic(const std::string& name) { return topics_[name]; }
  const std::map<std::string, TopicCounts>& topics() const { return topics_; }
  TopicCounts Total() const;

  // Records one applied record's trace: its topic's end-to-end latency, and for interactions the
  // event-to-recommendation latency and each hop.
  void RecordApplied(const std::string& topic, const Trace& trace);

  void AddDeadLetter(DeadLetter letter);
  const std::deque<DeadLetter>& dead_letters() const { return dead_letters_; }
  const std::map<std::string, uint64_t>& dead_letter_reasons() const { return reasons_; }

  const LatencyHistogram& event_to_recommendation() const { return e2e_; }
  // Event-to-recommendation latency since the last TakeInterval().
  LatencyHistogram TakeInterval() { return std::exchange(interval_e2e_, {}); }
  Series& series() { return series_; }
  const Series& series() const { return series_; }
  const std::map<std::string, LatencyHistogram>& hops() const { return hops_; }
  const std::map<std::string, LatencyHistogram>& topic_latency() const { return topic_e2e_; }

 private:
  std::map<std::string, TopicCounts> topics_;
  std::deque<DeadLetter> dead_letters_;
  std::map<std::string, uint64_t> reasons_;  // by stage and error type
  LatencyHistogram e2e_;
  LatencyHistogram interval_e2e_;
  Series series_;
  std::map<std::string, LatencyHistogram> hops_;  // keys are report names: latency.hops.<hop>
  LatencyHistogram* produce_hop_;
  LatencyHistogram* deliver_hop_;
  LatencyHistogram* apply_hop_;
  std::map<std::string, LatencyHistogram> topic_e2e_;
  std::string last_topic_;  // RecordApplied's last topic
  LatencyHistogram* last_topic_latency_ = nullptr;
  bool last_topic_is_interactions_ = false;
};

}  // namespace meshsim
