#include "sim/core/compute_meter.h"

namespace meshsim {

std::string_view ComputeMeter::StageName(Stage stage) {
  switch (stage) {
    case kProduce:
      return "produce";
    case kFetch:
      return "fetch";
    case kHandle:
      return "handle";
    case kRecommender:
      return "recommender";
    case kStages:
      break;
  }
  return "?";
}

}  // namespace meshsim
