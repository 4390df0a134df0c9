// The field checks Personalize's event and runtime APIs share (botocore: StringType and Arn are
// at most 256 characters, lists have a minimum and a maximum), with the member named as the API
// names it: "userId", or "eventList[3].itemId" for a field of a list entry. Messages are built
// only on failure, so checking a valid request allocates nothing. For implementations of the
// Recommender port.
#pragma once

#include <cstddef>
#include <string>

#include "sim/core/status.h"

namespace meshsim::checks {

inline constexpr size_t kMaxIdLength = 256;

inline Status Invalid(std::string message) {
  return Status(Code::kInvalidInput, std::move(message));
}

inline std::string FieldName(const char* field, const char* list, size_t i) {
  if (list == nullptr) return field;
  std::string name(list);
  name += '[';
  name += std::to_string(i);
  name += "].";
  name += field;
  return name;
}

// A required string of 1 to `max` characters.
inline Status CheckId(const std::string& value, const char* field, const char* list = nullptr,
                      size_t i = 0, size_t max = kMaxIdLength) {
  if (value.empty()) return Invalid(FieldName(field, list, i) + " is required");
  if (value.size() > max) {
    return Invalid(FieldName(field, list, i) + " must be at most " + std::to_string(max) +
                   " characters");
  }
  return Status::Ok();
}

// An optional string: empty, or as CheckId.
inline Status CheckOptionalId(const std::string& value, const char* field,
                              const char* list = nullptr, size_t i = 0, size_t max = kMaxIdLength) {
  return value.empty() ? Status::Ok() : CheckId(value, field, list, i, max);
}

inline Status CheckCount(const char* field, size_t n, size_t max) {
  if (n >= 1 && n <= max) return Status::Ok();
  return Invalid(std::string(field) + " must have between 1 and " + std::to_string(max) +
                 " entries, got " + std::to_string(n));
}

}  // namespace meshsim::checks
