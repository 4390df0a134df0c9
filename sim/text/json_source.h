// A JSON document that remembers where each value came from, so a message about a bad value can
// name the file, line and column as well as the JSON path. nlohmann::json keeps no positions; a
// second, light scan of the already-validated text maps each JSON pointer to its offset.
#pragma once

#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "sim/core/status.h"

namespace meshsim {

struct SourcePosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes
};

class JsonSource {
 public:
  // Parses `text`. A syntax error comes back as kValidation with "FILE:LINE:COL: MESSAGE".
  static Result<JsonSource> Parse(std::string text, std::string filename);
  // Reads and parses a file; a missing or unreadable file is kResourceNotFound.
  static Result<JsonSource> Load(const std::string& path);

  const nlohmann::json& root() const { return root_; }
  const std::string& filename() const { return filename_; }

  // Where the value at `pointer` ("/traffic/events_per_second") starts; for an object member,
  // where its key starts. Falls back to the nearest ancestor that exists.
  SourcePosition PositionOf(const std::string& pointer) const;

  // "FILE:LINE:COL: at POINTER: MESSAGE" — the one format of every scenario error.
  std::string Describe(const std::string& pointer, const std::string& message) const;

 private:
  JsonSource() = default;
  SourcePosition PositionAt(size_t offset) const;

  std::string filename_;
  std::string text_;
  nlohmann::json root_;
  std::unordered_map<std::string, size_t> offsets_;  // JSON pointer -> byte offset
};

// Reads a whole file; kResourceNotFound naming the path when it cannot.
Result<std::string> ReadTextFile(const std::string& path);

// Escapes a key for use in a JSON pointer (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string JsonPointerEscape(const std::string& key);

}  // namespace meshsim
