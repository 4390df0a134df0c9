// Strict reading of a JSON object from a JsonSource: each accessor checks presence, type and range
// and records an error naming file, line, column and JSON path; Finish() reports every key that
// nobody read as unknown. Readers never throw, so a scenario loader reads the whole file and then
// decides, and nothing runs on half-read input.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/text/json_source.h"

namespace meshsim {

// A number as messages show it: a whole number as one (20, 2592000, not 2.592e+06), any other in
// "%g" with as many digits as it takes to read back as the same double (0.001, 1.2345678e+29).
std::string FormatNumber(double d);

// The errors of one file: the first kMax in full, then only counted, since each message finds its
// position in the text again (a file of a million bad values once took that many scans).
class JsonErrors {
 public:
  static constexpr size_t kMax = 20;

  void Add(std::string message) {
    if (full()) {
      ++more_;
    } else {
      messages_.push_back(std::move(message));
    }
  }
  // Whether the next error would only be counted: a caller can skip composing it.
  bool full() const { return messages_.size() >= kMax; }
  void Count() { ++more_; }
  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  // The messages a line each, then how many more there were.
  std::string Joined() const;

 private:
  std::vector<std::string> messages_;
  size_t more_ = 0;
};

class ObjectReader {
 public:
  // `value` must outlive the reader. If it is not an object, that is recorded as the error.
  ObjectReader(const JsonSource& source, const nlohmann::json& value, std::string pointer,
               JsonErrors* errors);

  bool Has(const std::string& key) const;
  // The object's keys, sorted (nlohmann::json does not keep file order).
  std::vector<std::string> Keys() const;
  const std::string& pointer() const { return pointer_; }
  std::string PointerOf(const std::string& key) const;
  void Error(const std::string& key, const std::string& message);

  // Optional fields return `fallback` when absent; Required* record "missing field" when absent.
  int64_t Int(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  int64_t RequiredInt(const std::string& key, int64_t min, int64_t max);
  double Number(const std::string& key, double fallback, double min, double max);
  double RequiredNumber(const std::string& key, double min, double max);
  std::string String(const std::string& key, const std::string& fallback,
                     std::initializer_list<const char*> allowed = {});
  std::string RequiredString(const std::string& key,
                             std::initializer_list<const char*> allowed = {});
  bool Bool(const std::string& key, bool fallback);
  std::vector<std::string> StringArray(const std::string& key, size_t min_size);

  // A nested object; nullopt (and no error) when absent. The returned reader shares the errors.
  std::optional<ObjectReader> Object(const std::string& key);
  // An array's elements; empty (and no error) when absent.
  const nlohmann::json* Array(const std::string& key);
  // An object as JSON, for values the scenario passes on whole (a schema, a record); null when
  // absent (an error if `required`) or not an object (an error).
  const nlohmann::json* JsonObject(const std::string& key, bool required);

  // Records one error per key that no accessor asked for.
  void Finish();

  const JsonSource& source() const { return source_; }
  JsonErrors* errors() const { return errors_; }

 private:
  const nlohmann::json* Get(const std::string& key);
  bool CheckNumber(const std::string& key, const nlohmann::json& v, double min, double max);
  // An integer literal, or a number with no fractional part (1.0, 1e1), as JSON Schema's
  // "integer" has it; compared exactly, not as a double.
  std::optional<int64_t> CheckInteger(const std::string& key, const nlohmann::json& v, int64_t min,
                                      int64_t max);

  const JsonSource& source_;
  const nlohmann::json& value_;
  std::string pointer_;
  JsonErrors* errors_;
  std::set<std::string> read_;
  bool is_object_;
};

}  // namespace meshsim
