#include "sim/text/json_source.h"

#include <fstream>
#include <sstream>

namespace meshsim {
namespace {

// Walks text that nlohmann::json has already accepted, recording the offset of every value (and
// of every member's key) under its JSON pointer. No validation: the text is known to be good.
class PositionScanner {
 public:
  PositionScanner(const std::string& text, std::unordered_map<std::string, size_t>* out)
      : text_(text), out_(out) {}

  void Scan() {
    SkipSpace();
    Value("", pos_);
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  // Records `pointer` at `record_at` and consumes the value starting at pos_.
  void Value(const std::string& pointer, size_t record_at) {
    out_->emplace(pointer, record_at);
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return;
      }
      while (pos_ < text_.size()) {
        SkipSpace();
        const size_t key_at = pos_;
        std::string key = String();
        SkipSpace();
        ++pos_;  // ':'
        SkipSpace();
        Value(pointer + "/" + JsonPointerEscape(key), key_at);
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_++] == '}') return;
      }
    } else if (c == '[') {
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return;
      }
      for (size_t i = 0; pos_ < text_.size(); ++i) {
        SkipSpace();
        Value(pointer + "/" + std::to_string(i), pos_);
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_++] == ']') return;
      }
    } else if (c == '"') {
      String();
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']' && text_[pos_] != ' ' && text_[pos_] != '\n' &&
             text_[pos_] != '\r' && text_[pos_] != '\t')
        ++pos_;
    }
  }

  // Consumes a string literal and returns its decoded value (through nlohmann, for escapes).
  std::string String() {
    const size_t start = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    ++pos_;
    return nlohmann::json::parse(text_.substr(start, pos_ - start)).get<std::string>();
  }

  const std::string& text_;
  std::unordered_map<std::string, size_t>* out_;
  size_t pos_ = 0;
};

}  // namespace

std::string JsonPointerEscape(const std::string& key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Result<JsonSource> JsonSource::Parse(std::string text, std::string filename) {
  JsonSource source;
  source.filename_ = std::move(filename);
  source.text_ = std::move(text);
  // Nesting is bounded before anything recurses over the text: no scenario needs more than a
  // few levels, and a file of 200,000 '[' would otherwise exhaust the stack.
  constexpr int kMaxDepth = 64;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < source.text_.size(); ++i) {
    const char c = source.text_[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) {
        const SourcePosition at = source.PositionAt(i);
        return Status(Code::kValidation, source.filename_ + ":" + std::to_string(at.line) + ":" +
                                             std::to_string(at.column) +
                                             ": JSON nested deeper than " +
                                             std::to_string(kMaxDepth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  try {
    source.root_ = nlohmann::json::parse(source.text_);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const SourcePosition at = source.PositionAt(offset);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    return Status(Code::kValidation, source.filename_ + ":" + std::to_string(at.line) + ":" +
                                         std::to_string(at.column) + ": invalid JSON: " + what);
  }
  PositionScanner(source.text_, &source.offsets_).Scan();
  return source;
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kResourceNotFound, path + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status(Code::kResourceNotFound, path + ": cannot read file");
  return buffer.str();
}

Result<JsonSource> JsonSource::Load(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return Parse(std::move(*text), path);
}

SourcePosition JsonSource::PositionAt(size_t offset) const {
  SourcePosition at;
  for (size_t i = 0; i < offset && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

SourcePosition JsonSource::PositionOf(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = offsets_.find(p); it != offsets_.end()) return PositionAt(it->second);
    const size_t slash = p.rfind('/');
    if (p.empty() || slash == std::string::npos) return {};
    p.resize(slash);
  }
}

std::string JsonSource::Describe(const std::string& pointer, const std::string& message) const {
  const SourcePosition at = PositionOf(pointer);
  return filename_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": at " +
         (pointer.empty() ? "/" : pointer) + ": " + message;
}

}  // namespace meshsim
