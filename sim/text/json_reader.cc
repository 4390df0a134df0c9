#include "sim/text/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace meshsim {
namespace {

std::string TypeName(const nlohmann::json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number_float()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

std::string Quoted(std::initializer_list<const char*> allowed) {
  std::string out;
  for (const char* a : allowed) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += a;
    out += '"';
  }
  return out;
}

}  // namespace

std::string FormatNumber(double d) {
  char buf[32];
  if (std::trunc(d) == d && std::fabs(d) < 1e15) {  // whole: as such, 2592000 not 2.592e+06
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  for (int precision = 6;; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (precision >= 17 || std::strtod(buf, nullptr) == d) return buf;
  }
}

ObjectReader::ObjectReader(const JsonSource& source, const nlohmann::json& value,
                           std::string pointer, JsonErrors* errors)
    : source_(source),
      value_(value),
      pointer_(std::move(pointer)),
      errors_(errors),
      is_object_(value.is_object()) {
  if (!is_object_) {
    Error("", "expected an object, got " + TypeName(value));
  }
}

bool ObjectReader::Has(const std::string& key) const { return is_object_ && value_.contains(key); }

std::vector<std::string> ObjectReader::Keys() const {
  std::vector<std::string> keys;
  if (!is_object_) return keys;
  for (const auto& [key, unused] : value_.items()) keys.push_back(key);
  return keys;
}

std::string ObjectReader::PointerOf(const std::string& key) const {
  return pointer_ + "/" + JsonPointerEscape(key);
}

void ObjectReader::Error(const std::string& key, const std::string& message) {
  if (errors_->full()) return errors_->Count();
  errors_->Add(source_.Describe(key.empty() ? pointer_ : PointerOf(key), message));
}

std::string JsonErrors::Joined() const {
  std::string all;
  for (const std::string& m : messages_) {
    if (!all.empty()) all += '\n';
    all += m;
  }
  if (more_ > 0) all += "\n... and " + std::to_string(more_) + " more errors";
  return all;
}

const nlohmann::json* ObjectReader::Get(const std::string& key) {
  read_.insert(key);
  if (!is_object_) return nullptr;
  auto it = value_.find(key);
  return it == value_.end() ? nullptr : &*it;
}

bool ObjectReader::CheckNumber(const std::string& key, const nlohmann::json& v, double min,
                               double max) {
  if (!v.is_number()) {
    Error(key, "expected a number, got " + TypeName(v));
    return false;
  }
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    Error(key, "value " + FormatNumber(d) + " is out of range [" + FormatNumber(min) + ", " +
                   FormatNumber(max) + "]");
    return false;
  }
  return true;
}

std::optional<int64_t> ObjectReader::CheckInteger(const std::string& key, const nlohmann::json& v,
                                                  int64_t min, int64_t max) {
  auto out_of_range = [&](const std::string& shown) -> std::optional<int64_t> {
    Error(key, "value " + shown + " is out of range [" + std::to_string(min) + ", " +
                   std::to_string(max) + "]");
    return std::nullopt;
  };
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (max < 0 || u > static_cast<uint64_t>(max)) return out_of_range(std::to_string(u));
    return static_cast<int64_t>(u) < min ? out_of_range(std::to_string(u))
                                         : std::optional<int64_t>(static_cast<int64_t>(u));
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    return i < min || i > max ? out_of_range(std::to_string(i)) : std::optional<int64_t>(i);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::trunc(d) != d) {
      Error(key, "expected an integer, got " + FormatNumber(d));
      return std::nullopt;
    }
    // Past int64's range (an integer literal too long for one is read as a double too).
    constexpr double kTwo63 = 9223372036854775808.0;
    if (d < -kTwo63 || d >= kTwo63) return out_of_range(FormatNumber(d));
    const auto i = static_cast<int64_t>(d);
    return i < min || i > max ? out_of_range(FormatNumber(d)) : std::optional<int64_t>(i);
  }
  Error(key, "expected an integer, got " + TypeName(v));
  return std::nullopt;
}

int64_t ObjectReader::Int(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const nlohmann::json* v = Get(key);
  if (!v) return fallback;
  return CheckInteger(key, *v, min, max).value_or(fallback);
}

int64_t ObjectReader::RequiredInt(const std::string& key, int64_t min, int64_t max) {
  if (is_object_ && !Has(key)) Error("", "missing required field \"" + key + "\" (an integer)");
  return Int(key, min, min, max);
}

double ObjectReader::Number(const std::string& key, double fallback, double min, double max) {
  const nlohmann::json* v = Get(key);
  if (!v) return fallback;
  return CheckNumber(key, *v, min, max) ? v->get<double>() : fallback;
}

double ObjectReader::RequiredNumber(const std::string& key, double min, double max) {
  if (is_object_ && !Has(key)) Error("", "missing required field \"" + key + "\" (a number)");
  return Number(key, min, min, max);
}

std::string ObjectReader::String(const std::string& key, const std::string& fallback,
                                 std::initializer_list<const char*> allowed) {
  const nlohmann::json* v = Get(key);
  if (!v) return fallback;
  if (!v->is_string()) {
    Error(key, "expected a string, got " + TypeName(*v));
    return fallback;
  }
  std::string s = v->get<std::string>();
  if (allowed.size() == 0) return s;
  for (const char* a : allowed) {
    if (s == a) return s;
  }
  Error(key, "unknown value \"" + s + "\"; expected one of " + Quoted(allowed));
  return fallback;
}

std::string ObjectReader::RequiredString(const std::string& key,
                                         std::initializer_list<const char*> allowed) {
  if (is_object_ && !Has(key)) Error("", "missing required field \"" + key + "\" (a string)");
  return String(key, "", allowed);
}

bool ObjectReader::Bool(const std::string& key, bool fallback) {
  const nlohmann::json* v = Get(key);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    Error(key, "expected a boolean, got " + TypeName(*v));
    return fallback;
  }
  return v->get<bool>();
}

std::vector<std::string> ObjectReader::StringArray(const std::string& key, size_t min_size) {
  std::vector<std::string> out;
  const nlohmann::json* v = Get(key);
  if (!v) return out;
  if (!v->is_array()) {
    Error(key, "expected an array of strings, got " + TypeName(*v));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_string()) {
      if (errors_->full()) {
        errors_->Count();
        continue;
      }
      errors_->Add(source_.Describe(PointerOf(key) + "/" + std::to_string(i),
                                    "expected a string, got " + TypeName(e)));
      continue;
    }
    out.push_back(e.get<std::string>());
  }
  if (out.size() < min_size) {
    Error(key, "expected at least " + std::to_string(min_size) + " entries");
  }
  return out;
}

std::optional<ObjectReader> ObjectReader::Object(const std::string& key) {
  const nlohmann::json* v = Get(key);
  if (!v) return std::nullopt;
  return ObjectReader(source_, *v, PointerOf(key), errors_);
}

const nlohmann::json* ObjectReader::Array(const std::string& key) {
  const nlohmann::json* v = Get(key);
  if (!v) return nullptr;
  if (!v->is_array()) {
    Error(key, "expected an array, got " + TypeName(*v));
    return nullptr;
  }
  return v;
}

const nlohmann::json* ObjectReader::JsonObject(const std::string& key, bool required) {
  const nlohmann::json* v = Get(key);
  if (!v) {
    if (required && is_object_) Error("", "missing required field \"" + key + "\" (an object)");
    return nullptr;
  }
  if (!v->is_object()) {
    Error(key, "expected an object, got " + TypeName(*v));
    return nullptr;
  }
  return v;
}

void ObjectReader::Finish() {
  if (!is_object_) return;
  for (const auto& [key, unused] : value_.items()) {
    if (!read_.count(key)) {
      std::string known;
      for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
      Error(key, "unknown key \"" + key + "\"; expected one of: " + known);
    }
  }
}

}  // namespace meshsim
