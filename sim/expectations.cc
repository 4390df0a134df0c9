#include "sim/expectations.h"

#include "sim/scenario.h"

namespace meshsim {

void ReadExpectations(ObjectReader& root, Scenario* scenario) {
  (void)root;
  (void)scenario;
}

}  // namespace meshsim
