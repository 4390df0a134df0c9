#include "sim/report/report_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace meshsim {

using Json = nlohmann::ordered_json;

const Json* JsonAt(const Json* j, std::initializer_list<const char*> path) {
  for (const char* key : path) {
    if (j == nullptr || !j->is_object()) return nullptr;
    auto it = j->find(key);
    j = it == j->end() ? nullptr : &*it;
  }
  return j;
}

std::optional<double> JsonNumber(const Json* j) {
  if (j == nullptr || !j->is_number()) return std::nullopt;
  const double v = j->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::string JsonText(const Json* j) {
  if (j == nullptr || j->is_null()) return "";
  if (j->is_string()) return j->get_ref<const std::string&>();
  if (j->is_number_float()) return fmt::format("{:.6g}", j->get<double>());
  return j->dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

std::string Prose(const Json& j, int depth) {
  if (!j.is_structured()) return JsonText(&j);
  if (depth > 3) return JsonText(&j);
  std::string out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!out.empty()) out += j.is_array() ? ", " : "; ";
    if (j.is_object()) out += it.key() + ": ";
    out += Prose(*it, depth + 1);
  }
  return out;
}

}  // namespace

std::string JsonProse(const Json* j) { return j == nullptr ? "" : Prose(*j, 0); }

std::vector<double> JsonNumbers(const Json* a, size_t n) {
  std::vector<double> v(n, NAN);
  if (a != nullptr && a->is_array()) {
    for (size_t i = 0; i < std::min(n, a->size()); ++i) v[i] = JsonNumber(&(*a)[i]).value_or(NAN);
  }
  return v;
}

}  // namespace meshsim
