#include "sim/metrics/metrics.h"

#include <cstring>

#include "sim/ports/topics.h"

namespace meshsim {

void EncodeTraceHeader(int64_t produced_us, std::string* out) {
  out->resize(8);
  auto v = static_cast<uint64_t>(produced_us);
  for (int i = 0; i < 8; ++i) (*out)[static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

std::string EncodeTraceHeader(int64_t produced_us) {
  std::string out;
  EncodeTraceHeader(produced_us, &out);
  return out;
}

int64_t ProducedMicros(const ConsumedRecord& record) {
  for (const auto& h : record.headers) {
    if (h.key == kTraceHeader && h.value.size() == 8) {
      uint64_t v = 0;
      for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<uint8_t>(h.value[static_cast<size_t>(i)]);
      return static_cast<int64_t>(v);
    }
  }
  return record.timestamp_us;
}

Metrics::Metrics()
    : produce_hop_(&hops_["produce"]),  // produced -> appended by the broker
      deliver_hop_(&hops_["deliver"]),  // appended -> handed to the consumer function
      apply_hop_(&hops_["apply"]) {}    // handed to the function -> the recommender returned

TopicCounts Metrics::Total() const {
  TopicCounts t;
  for (const auto& [name, c] : topics_) {
    t.produced += c.produced;
    t.delivered += c.delivered;
    t.applied += c.applied;
    t.rejected += c.rejected;
    t.rejected_after_produce += c.rejected_after_produce;
  }
  return t;
}

void Metrics::RecordApplied(const std::string& topic, const Trace& trace) {
  // Records come topic after topic in runs, so the last topic's histogram is remembered.
  if (last_topic_latency_ == nullptr || topic != last_topic_) {
    last_topic_ = topic;
    last_topic_latency_ = &topic_e2e_[topic];
    last_topic_is_interactions_ = topic == kInteractionsTopic;
  }
  last_topic_latency_->Record(trace.applied_us - trace.produced_us);
  if (!last_topic_is_interactions_) return;
  e2e_.Record(trace.applied_us - trace.produced_us);
  interval_e2e_.Record(trace.applied_us - trace.produced_us);
  produce_hop_->Record(trace.appended_us - trace.produced_us);
  deliver_hop_->Record(trace.delivered_us - trace.appended_us);
  apply_hop_->Record(trace.applied_us - trace.delivered_us);
}

void Metrics::AddDeadLetter(DeadLetter letter) {
  const std::string reason = letter.stage + ": " + letter.reason.substr(0, letter.reason.find(':'));
  ++reasons_[reason];
  if (dead_letters_.size() >= kMaxDeadLettersKept) dead_letters_.pop_front();
  dead_letters_.push_back(std::move(letter));
}

}  // namespace meshsim
