#include "sim/text/bounded_json.h"

#include <string>

namespace meshsim {

Result<nlohmann::json> ParseBoundedJson(std::string_view text, int max_depth) {
  bool too_deep = false;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    if ((event == nlohmann::json::parse_event_t::object_start ||
         event == nlohmann::json::parse_event_t::array_start) &&
        depth >= max_depth) {
      too_deep = true;
    }
    return !too_deep;  // once too deep, keep nothing more
  };
  const Status deep(Code::kInvalidInput,
                    "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  try {
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), callback);
    if (too_deep) return deep;
    return value;
  } catch (const nlohmann::json::exception& e) {
    if (too_deep) return deep;
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    if (auto bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    return Status(Code::kInvalidInput, "invalid JSON: " + what);
  }
}

std::string DescribeJson(const nlohmann::json& value) {
  constexpr size_t kMaxShown = 64;
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s.size() > kMaxShown) return DescribeJson(nlohmann::json(s.substr(0, kMaxShown))) + "...";
  }
  // `replace` so that invalid UTF-8 (or a string cut inside a character) cannot throw.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace meshsim
