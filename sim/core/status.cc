#include "sim/core/status.h"

namespace meshsim {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kValidation:
      return "ValidationException";
    case Code::kInvalidParameterValue:
      return "InvalidParameterValueException";
    case Code::kInvalidInput:
      return "InvalidInputException";
    case Code::kResourceNotFound:
      return "ResourceNotFoundException";
    case Code::kEntityNotFound:
      return "EntityNotFoundException";
    case Code::kAlreadyExists:
      return "AlreadyExistsException";
    case Code::kInvalidState:
      return "InvalidStateException";
    case Code::kResourceInUse:
      return "ResourceInUseException";
    case Code::kAccessDenied:
      return "AccessDeniedException";
    case Code::kThrottling:
      return "ThrottlingException";
    case Code::kInternal:
      return "InternalFailure";
    case Code::kUnknownTopicOrPartition:
      return "UNKNOWN_TOPIC_OR_PARTITION";
    case Code::kTopicAlreadyExists:
      return "TOPIC_ALREADY_EXISTS";
    case Code::kOffsetOutOfRange:
      return "OFFSET_OUT_OF_RANGE";
    case Code::kRecordTooLarge:
      return "RECORD_TOO_LARGE";
    case Code::kNotLeaderOrFollower:
      return "NOT_LEADER_OR_FOLLOWER";
    case Code::kInvalidPartitions:
      return "INVALID_PARTITIONS";
    case Code::kUnknownMemberId:
      return "UNKNOWN_MEMBER_ID";
    case Code::kInvalidRecord:
      return "INVALID_RECORD";
    case Code::kNetworkException:
      return "NETWORK_EXCEPTION";
    case Code::kRequestTimedOut:
      return "REQUEST_TIMED_OUT";
    case Code::kLeaderNotAvailable:
      return "LEADER_NOT_AVAILABLE";
    case Code::kNotEnoughReplicas:
      return "NOT_ENOUGH_REPLICAS";
    case Code::kCoordinatorNotAvailable:
      return "COORDINATOR_NOT_AVAILABLE";
    case Code::kInconsistentGroupProtocol:
      return "INCONSISTENT_GROUP_PROTOCOL";
    case Code::kInvalidConfig:
      return "INVALID_CONFIG";
    case Code::kNoSuchBucket:
      return "NoSuchBucket";
    case Code::kNoSuchKey:
      return "NoSuchKey";
    case Code::kBucketAlreadyOwnedByYou:
      return "BucketAlreadyOwnedByYou";
    case Code::kBucketNotEmpty:
      return "BucketNotEmpty";
    case Code::kInvalidBucketName:
      return "InvalidBucketName";
    case Code::kKeyTooLong:
      return "KeyTooLongError";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kConditionalCheckFailed:
      return "ConditionalCheckFailedException";
    case Code::kResourceAlreadyExists:
      return "ResourceAlreadyExistsException";
    case Code::kLimitExceeded:
      return "LimitExceededException";
    case Code::kInvalidNextToken:
      return "InvalidNextTokenException";
    case Code::kCodeCount:
      break;
  }
  return "Unknown";
}

bool IsRetriable(Code code) {
  switch (code) {
    case Code::kThrottling:
    case Code::kUnknownTopicOrPartition:
    case Code::kNotLeaderOrFollower:
    case Code::kNetworkException:
    case Code::kRequestTimedOut:
    case Code::kLeaderNotAvailable:
    case Code::kNotEnoughReplicas:
    case Code::kCoordinatorNotAvailable:
      return true;
    default:
      return false;
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

bool CodeOfName(std::string_view name, Code* code) {
  for (int i = 0; i < static_cast<int>(Code::kCodeCount); ++i) {
    const auto c = static_cast<Code>(i);
    if (CodeName(c) == name) {
      *code = c;
      return true;
    }
  }
  return false;
}

}  // namespace meshsim
