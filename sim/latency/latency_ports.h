// Forwarding wrappers that make a port's calls take the time a latency model says (the virtual
// clock's model of the network between a component and the service). Each call is delayed before
// it reaches the wrapped port; the reply comes back when the wrapped port answers. Calls keep their
// order per wrapper (a later call never overtakes an earlier one), as one producer connection or
// one function's sequential calls would.
#pragma once

#include <memory>

#include "sim/core/compute_meter.h"
#include "sim/core/runtime.h"
#include "sim/latency/latency_model.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/recommender.h"

namespace meshsim {

// Delays Produce; everything else passes straight through. With a `meter`, the target's Produce
// is timed as ComputeMeter::kProduce (a zero model then makes a pure meter: nothing is delayed).
std::unique_ptr<EventStream> MakeDelayedEventStream(Runtime& runtime, EventStream& target,
                                                    LatencyModel produce,
                                                    ComputeMeter* meter = nullptr);
// Delays every call; with a `meter`, times each as ComputeMeter::kRecommender.
std::unique_ptr<Recommender> MakeDelayedRecommender(Runtime& runtime, Recommender& target,
                                                    LatencyModel latency,
                                                    ComputeMeter* meter = nullptr);

}  // namespace meshsim
