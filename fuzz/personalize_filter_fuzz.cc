// Personalize's filter expression parser (INCLUDE/EXCLUDE ItemID WHERE Items.GENRE IN ($g) ...).
#include "fakes/personalize/filter_expression.h"
#include "fuzz/fuzz_main.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)meshsim::fakes::personalize::ParseFilterExpression(meshsim::fuzz::Text(data, size));
  return 0;
}
