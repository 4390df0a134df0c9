// The in-process Kafka broker behind the EventStream port.
#pragma once

#include <memory>

#include "sim/ports/event_stream.h"
#include "sim/runtime.h"

namespace meshsim::fakes {

struct FakeBrokerOptions {
  size_t max_record_bytes = 1 << 20;  // message.max.bytes. Default: 1 MiB, as in Kafka.
};

// REQUIRES: every Consumer it hands out is destroyed before it.
std::unique_ptr<EventStream> MakeFakeEventStream(Runtime& runtime, FakeBrokerOptions options = {});

}  // namespace meshsim::fakes
