// A JSON document that remembers where each value came from, so a message about a bad value can
// name the file, line and column as well as the JSON path. nlohmann::json keeps no positions: the
// text is kept, and a message's position found in it again (a light scan along the path), so a
// document costs its nlohmann::json and its text, linear in its size.
//
// Stricter than nlohmann::json::parse: a key given twice in one object is an error naming both
// positions (parse keeps the last silently); a number no double holds is an error naming its
// position (parse throws); UTF-16 text is named as such; nesting is bounded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

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
  // Reads (ReadTextFile) and parses a file.
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
};

// The largest file ReadTextFile reads.
inline constexpr size_t kMaxTextFileBytes = size_t{256} << 20;

// Reads a whole file: kResourceNotFound naming the path when it is missing or unreadable;
// kValidation when it is a directory, not a regular file (a device such as /dev/zero, a FIFO,
// which would block) or larger than kMaxTextFileBytes.
Result<std::string> ReadTextFile(const std::string& path);

// Escapes a key for use in a JSON pointer (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string JsonPointerEscape(const std::string& key);

}  // namespace meshsim
