// Errors as values. Every port call returns a Status or a Result<T>; nothing throws across a port.
// Each code maps one to one onto the error type a real service would return (AWS's error shape,
// Kafka's error names), so a fake and a real backend fail the same way.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace meshsim {

enum class Code {
  kOk = 0,
  // AWS error types.
  kValidation,             // ValidationException
  kInvalidParameterValue,  // InvalidParameterValueException (Lambda)
  kInvalidInput,           // InvalidInputException (Personalize, Glue)
  kResourceNotFound,       // ResourceNotFoundException
  kEntityNotFound,         // EntityNotFoundException (Glue)
  kAlreadyExists,          // AlreadyExistsException (Glue)
  kInvalidState,           // InvalidStateException (Glue: data that no longer fits its schema)
  kResourceInUse,          // ResourceInUseException
  kAccessDenied,           // AccessDeniedException
  kThrottling,             // ThrottlingException
  kInternal,               // InternalServiceException / InternalFailure
  // Kafka error names.
  kUnknownTopicOrPartition,    // UNKNOWN_TOPIC_OR_PARTITION
  kTopicAlreadyExists,         // TOPIC_ALREADY_EXISTS
  kOffsetOutOfRange,           // OFFSET_OUT_OF_RANGE
  kRecordTooLarge,             // RECORD_TOO_LARGE
  kNotLeaderOrFollower,        // NOT_LEADER_OR_FOLLOWER
  kInvalidPartitions,          // INVALID_PARTITIONS
  kUnknownMemberId,            // UNKNOWN_MEMBER_ID
  kInvalidRecord,              // INVALID_RECORD (e.g. an unkeyed record on a compacted topic)
  kNetworkException,           // NETWORK_EXCEPTION: the broker went away before it answered
  kRequestTimedOut,            // REQUEST_TIMED_OUT
  kLeaderNotAvailable,         // LEADER_NOT_AVAILABLE
  kNotEnoughReplicas,          // NOT_ENOUGH_REPLICAS
  kCoordinatorNotAvailable,    // COORDINATOR_NOT_AVAILABLE
  kInconsistentGroupProtocol,  // INCONSISTENT_GROUP_PROTOCOL
  kInvalidConfig,              // INVALID_CONFIG
  // S3 error codes (the Code element of S3's XML error).
  kNoSuchBucket,             // NoSuchBucket
  kNoSuchKey,                // NoSuchKey
  kBucketAlreadyOwnedByYou,  // BucketAlreadyOwnedByYou
  kBucketNotEmpty,           // BucketNotEmpty
  kInvalidBucketName,        // InvalidBucketName
  kKeyTooLong,               // KeyTooLongError
  kInvalidArgument,          // InvalidArgument
  // DynamoDB.
  kConditionalCheckFailed,  // ConditionalCheckFailedException
  // More AWS error types (kept below the Kafka names so existing code values do not move).
  kResourceAlreadyExists,  // ResourceAlreadyExistsException (Personalize)
  kLimitExceeded,          // LimitExceededException (Personalize)
  kInvalidNextToken,       // InvalidNextTokenException (Personalize)
  kCodeCount,              // not a code: how many there are (a new one goes above)
};

// The wire name of a code: AWS's __type ("ValidationException") or Kafka's error name.
std::string_view CodeName(Code code);

// True for the Kafka errors a client retries on its own (Kafka's RetriableException subclasses:
// NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT,
// NETWORK_EXCEPTION, NOT_ENOUGH_REPLICAS, COORDINATOR_NOT_AVAILABLE), and for AWS throttling.
// A request that failed with one of them changed nothing, so sending it again is safe.
bool IsRetriable(Code code);

// The code whose CodeName() is `name`, or false.
bool CodeOfName(std::string_view name, Code* code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ValidationException: numResults must be between 1 and 500"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none. REQUIRES: an error Status is not OK.
template <typename T>
class [[nodiscard]] Result {
 public:
  // By reference, not by value: a value moved into a Result moves once (a by-value parameter
  // would move twice, which for a string is an out-of-line call each).
  Result(const T& value) : v_(value) {}        // NOLINT: implicit by design, as with std::expected
  Result(T&& value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace meshsim
