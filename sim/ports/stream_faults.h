// Fault powers over the event stream, for scenarios and tests. They live on their own interface,
// never on the EventStream a domain uses (FoundationDB keeps kill and clog on the simulator, not
// on the network its actors see): only the timeline reaches them.
//
// Abstract so the scenario engine names no fake: the in-process broker implements it (its
// fakes::FakeBrokerControl, adapted in the composition root); a real backend has none, and the
// mesh then reports a fault action as not applied.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/event_stream.h"

namespace meshsim {

enum class StreamApi { kProduce, kFetch, kCommit };

class StreamFaults {
 public:
  virtual ~StreamFaults() = default;

  // The broker is unreachable for `span_us`: produces fail with a retriable error, fetches
  // return nothing, commits fail; then it is back.
  virtual void BrokerDownFor(int64_t span_us) = 0;
  // The next errors.size() calls of `api` fail with these codes, in order.
  virtual void FailNext(StreamApi api, std::vector<Code> errors) = 0;
  // Every answer takes `latency_us` longer (0 removes it).
  virtual void SetLatency(int64_t latency_us) = 0;
  // Leadership of `tp` moves: its next produce and fetch fail once with NOT_LEADER_OR_FOLLOWER.
  virtual Status ChangeLeader(const TopicPartition& tp) = 0;
};

}  // namespace meshsim
