// Reading a run report (or any JSON) without trusting its shape. The report's readers (the HTML
// page, and anything that reads a report written by another version) must not throw or assert on
// a missing key or a value of the wrong type: each accessor here answers "absent" instead.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace meshsim {

// The value at `path` (object keys, outermost first) below `j`, or nullptr if `j` is null, or
// any step is missing or not an object.
const nlohmann::ordered_json* JsonAt(const nlohmann::ordered_json* j,
                                     std::initializer_list<const char*> path);

// A finite number, or nullopt for anything else (missing, string, NaN, ...).
std::optional<double> JsonNumber(const nlohmann::ordered_json* j);

// Any value as text: strings as they are, floating-point numbers as "%.6g", null or missing as "",
// anything else as compact JSON (invalid UTF-8 replaced, so this never throws).
std::string JsonText(const nlohmann::ordered_json* j);

// A value as prose for people: arrays as comma-separated lists, objects as "key: value" pairs
// separated by "; ", scalars as JsonText. Nesting deeper than a few levels falls back to JSON.
std::string JsonProse(const nlohmann::ordered_json* j);

// The first `n` entries of an array as numbers: NaN for entries that are not finite numbers and
// for those the array lacks; all NaN if `a` is not an array.
std::vector<double> JsonNumbers(const nlohmann::ordered_json* a, size_t n);

}  // namespace meshsim
