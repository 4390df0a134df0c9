// What the Personalize suites share: control-plane stages short enough that a test walks the
// whole chain (import, training, campaign) in a few virtual hours.
#pragma once

#include "fakes/personalize/control_plane.h"
#include "sim/core/runtime.h"

namespace meshsim::fakes::testing {

inline PersonalizeControlPlaneOptions FastControlPlaneOptions() {
  PersonalizeControlPlaneOptions o;
  o.pending_us = 1 * kMicrosPerSecond;
  o.dataset_group_us = 2 * kMicrosPerSecond;
  o.dataset_us = 2 * kMicrosPerSecond;
  o.event_tracker_us = 2 * kMicrosPerSecond;
  o.solution_us = 2 * kMicrosPerSecond;
  o.filter_us = 2 * kMicrosPerSecond;
  o.import_base_us = 60 * kMicrosPerSecond;
  o.training_floor_us = 600 * kMicrosPerSecond;
  o.training_check_us = 60 * kMicrosPerSecond;
  o.campaign_us = 300 * kMicrosPerSecond;
  o.delete_us = 5 * kMicrosPerSecond;
  return o;
}

}  // namespace meshsim::fakes::testing
