// The in-process Kafka broker behind the EventStream port, and the simulator's powers over it
// (fault injection and the log cleaner), which are no part of the port: a real cluster has no
// such calls, just as FoundationDB keeps kill and clog on its simulator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/ports/event_stream.h"

namespace meshsim::fakes {

struct FakeBrokerOptions {
  size_t max_record_bytes = 1 << 20;  // message.max.bytes. Default: 1 MiB, as in Kafka.
  // log.retention.check.interval.ms: how often the log cleaner runs retention and compaction on
  // every partition. Default: 0, never on a timer: a periodic timer would keep the Runtime busy
  // for ever (RunUntilIdle would not return). The cleaner always runs on a partition when its
  // active segment rolls, and on FakeBrokerControl::RunLogCleaner().
  int64_t log_cleaner_interval_us = 0;
  // How many affected calls FakeBrokerControl::affected() keeps; the rest are only counted (a
  // latency on every call of a long run would otherwise grow without bound). Default: 100,000.
  size_t max_recorded_calls = 100'000;
};

// The broker's request types that faults can target (Kafka's API keys).
enum class BrokerApi { kProduce, kFetch, kCommit };
std::string_view BrokerApiName(BrokerApi api);  // "Produce", "Fetch", "OffsetCommit"

// A fault as injected, for the record.
struct InjectedFault {
  int64_t at_us = 0;
  std::string description;  // e.g. "push 2 Produce errors", "broker down", "leader change t-0"
};

// A call that a fault changed.
struct AffectedCall {
  int64_t at_us = 0;
  BrokerApi api = BrokerApi::kProduce;
  TopicPartition tp;       // partition -1 for a produce refused before it was partitioned
  Code code = Code::kOk;   // the error it got; kOk for one only delayed or answered empty
  std::string_view cause;  // "error stack", "broker down", "latency", "leader change"
};

// The fault and maintenance powers, in the manner of librdkafka's mock cluster
// (rdkafka_mock.h). The fake is one broker leading every partition. Faults cost the broker one
// branch per call while none is armed. Every fault injected and every call it changed is
// recorded. A call a fault fails changes nothing: no record is appended, no position moved, no
// offset committed.
class FakeBrokerControl {
 public:
  virtual ~FakeBrokerControl() = default;

  // rd_kafka_mock_push_request_errors: the next errors.size() calls of `api` fail with these
  // codes, in this order (after any pushed earlier). A produce gets the code in its callback.
  virtual void PushErrors(BrokerApi api, std::vector<Code> errors) = 0;

  // rd_kafka_mock_broker_set_down / _up. While down, a produce fails with NETWORK_EXCEPTION
  // (retriable: what a Kafka client reports for a broker that is unreachable), a fetch returns
  // no records, and a commit fails with COORDINATOR_NOT_AVAILABLE (retriable). Coming up wakes
  // every consumer with records to read.
  virtual void SetDown() = 0;
  virtual void SetUp() = 0;
  // Down now and up again `span_us` later on the Runtime (a later SetDown/SetUp overrides it).
  virtual void SetDownFor(int64_t span_us) = 0;

  // rd_kafka_mock_broker_set_rtt: answers take `latency_us` (>= 0) longer on the Runtime. A
  // produce is appended at once and its callback runs that much later (the port lets a callback
  // come late); a consumer's wake-up for new records comes that much later, since Fetch itself
  // answers synchronously. Calls keep their order. 0 removes it.
  virtual void SetLatency(int64_t latency_us) = 0;

  // rd_kafka_mock_partition_set_leader: leadership of `tp` moves. The next produce to it and the
  // next fetch from it each fail once with NOT_LEADER_OR_FOLLOWER, then succeed, as a client
  // that refreshes its metadata sees. UNKNOWN_TOPIC_OR_PARTITION for an unknown partition.
  virtual Status ChangeLeader(const TopicPartition& tp) = 0;

  // Runs retention and compaction on every partition now, compacting even below the dirty ratio
  // (as a forced clean would).
  virtual void RunLogCleaner() = 0;

  // The topic's configuration as created (with the defaults filled in); its log start offset.
  virtual Result<TopicConfig> DescribeTopic(const std::string& topic) const = 0;
  virtual Result<int64_t> LogStartOffset(const TopicPartition& tp) const = 0;

  virtual const std::vector<InjectedFault>& injected() const = 0;
  // The first FakeBrokerOptions::max_recorded_calls affected calls, in order; and all of them.
  virtual const std::vector<AffectedCall>& affected() const = 0;
  virtual uint64_t affected_count() const = 0;
};

// REQUIRES: every Consumer it hands out is destroyed before it.
std::unique_ptr<EventStream> MakeFakeEventStream(Runtime& runtime, FakeBrokerOptions options = {});

// The broker and its control. `control` is owned by `stream` and valid while it lives.
struct FakeBroker {
  std::unique_ptr<EventStream> stream;
  FakeBrokerControl* control = nullptr;
};
FakeBroker MakeFakeBroker(Runtime& runtime, FakeBrokerOptions options = {});

}  // namespace meshsim::fakes
