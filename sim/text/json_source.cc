#include "sim/text/json_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <vector>

namespace meshsim {
namespace {

constexpr int kMaxDepth = 64;

// Builds the document from nlohmann's SAX events (its parser is iterative, and so is this), and
// refuses a key given twice in one object, which nlohmann::json::parse would let the last one
// win silently. On a refusal or a syntax error, what went wrong is left for Parse to describe.
class DomBuilder {
 public:
  using json = nlohmann::json;

  explicit DomBuilder(json* root) : root_(root) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool v) { return Put(v); }
  bool number_integer(json::number_integer_t v) { return Put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Put(v); }
  bool number_float(json::number_float_t v, const std::string&) { return Put(v); }
  bool string(std::string& v) { return Put(std::move(v)); }
  bool binary(json::binary_t&) { return false; }  // not JSON text
  bool start_object(std::size_t) { return Open(json::object()); }
  bool start_array(std::size_t) { return Open(json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& k) {
    json& object = *open_.back().value;
    if (object.contains(k)) {
      duplicate_ = Pointer();
      duplicate_ += '/';
      duplicate_ += JsonPointerEscape(k);
      return false;
    }
    open_.back().key = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    error_position_ = position;
    error_ = e.what();
    error_id_ = e.id;
    token_ = token;
    return false;
  }

  // Set when a key was given twice: the JSON pointer of the second.
  const std::string& duplicate() const { return duplicate_; }
  const std::string& error() const { return error_; }
  int error_id() const { return error_id_; }
  size_t error_position() const { return error_position_; }  // just past the offending text
  const std::string& token() const { return token_; }

 private:
  struct Open_ {
    json* value;
    std::string key;   // of the member being read, in an object
    size_t index = 0;  // of the element being read, in an array
  };

  json* Slot() {
    if (open_.empty()) return root_;
    Open_& top = open_.back();
    if (top.value->is_array()) {
      ++top.index;
      return &top.value->emplace_back();
    }
    return &(*top.value)[top.key];
  }
  template <typename V>
  bool Put(V&& v) {
    *Slot() = std::forward<V>(v);
    return true;
  }
  bool Open(json empty) {
    json* slot = Slot();
    *slot = std::move(empty);
    open_.push_back(Open_{slot, {}, 0});
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }
  // The pointer of the innermost open value.
  std::string Pointer() const {
    std::string p;
    for (size_t i = 0; i + 1 < open_.size(); ++i) {
      const Open_& o = open_[i];
      p += '/';  // appended apart: GCC 12 warns falsely on "/" + std::string
      p += o.value->is_array() ? std::to_string(o.index - 1) : JsonPointerEscape(o.key);
    }
    return p;
  }

  json* root_;
  std::vector<Open_> open_;
  std::string duplicate_;
  std::string error_;
  int error_id_ = 0;
  size_t error_position_ = 0;
  std::string token_;
};

// Walks text that nlohmann::json has accepted (up to the point of interest), without building
// anything, to find where a value is. No validation: the text is known to be good that far.
class PathScanner {
 public:
  explicit PathScanner(const std::string& text) : text_(text) {}

  // The offsets of the values on the way to `segments` (for an object member, its key's), as far
  // as they exist: [0] is the root's.
  std::vector<size_t> Walk(const std::vector<std::string>& segments) {
    std::vector<size_t> found;
    pos_ = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte-order mark, as the parser
    SkipSpace();
    found.push_back(pos_);
    for (const std::string& segment : segments) {
      if (!Enter(segment)) break;
      found.push_back(at_);
    }
    return found;
  }

  // The offsets of every key `key` of the object at `segments`, in file order, up to `limit`.
  std::vector<size_t> KeysNamed(const std::vector<std::string>& segments, const std::string& key,
                                size_t limit) {
    std::vector<size_t> found;
    if (Walk(segments).size() != segments.size() + 1) return found;
    if (Peek() != '{') return found;
    ++pos_;
    while (found.size() < limit) {
      SkipSpace();
      if (Peek() != '"') break;
      const size_t key_at = pos_;
      if (String() == key) found.push_back(key_at);
      SkipSpace();
      ++pos_;  // ':'
      SkipSpace();
      SkipValue();
      SkipSpace();
      if (Peek() != ',') break;
      ++pos_;
    }
    return found;
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  void SkipString() {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    ++pos_;
  }
  // Consumes a string literal and returns its decoded value (through nlohmann, for escapes).
  std::string String() {
    const size_t start = pos_;
    SkipString();
    const size_t end = std::min(pos_, text_.size());
    if (end < start + 2) return {};  // cut off: not text the parser accepted
    const std::string_view raw = std::string_view(text_).substr(start + 1, end - start - 2);
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);
    const nlohmann::json decoded =
        nlohmann::json::parse(text_.substr(start, end - start), nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string();
  }
  // Consumes one value, however deep, without recursing.
  void SkipValue() {
    int depth = 0;
    do {
      SkipSpace();
      const char c = Peek();
      if (c == '"') {
        SkipString();
      } else if (c == '{' || c == '[') {
        ++depth;
        ++pos_;
      } else if (c == '}' || c == ']') {
        --depth;
        ++pos_;
      } else if (c == ',' || c == ':') {
        ++pos_;
      } else if (c == '\0') {
        return;
      } else {
        while (pos_ < text_.size() &&
               std::string_view(",:}] \n\r\t").find(text_[pos_]) == std::string_view::npos) {
          ++pos_;
        }
      }
    } while (depth > 0);
  }
  // From the value at pos_, moves into its member or element `segment`: at_ is where it (or its
  // key) starts, pos_ where its value starts. False when there is none.
  bool Enter(const std::string& segment) {
    SkipSpace();
    if (Peek() == '{') {
      ++pos_;
      for (;;) {
        SkipSpace();
        if (Peek() != '"') return false;
        const size_t key_at = pos_;
        const bool match = String() == segment;
        SkipSpace();
        ++pos_;  // ':'
        SkipSpace();
        if (match) {
          at_ = key_at;
          return true;
        }
        SkipValue();
        SkipSpace();
        if (Peek() != ',') return false;
        ++pos_;
      }
    }
    if (Peek() == '[') {
      size_t index = 0;
      auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc() || end != segment.data() + segment.size()) return false;
      ++pos_;
      for (size_t i = 0;; ++i) {
        SkipSpace();
        if (Peek() == ']' || Peek() == '\0') return false;
        if (i == index) {
          at_ = pos_;
          return true;
        }
        SkipValue();
        SkipSpace();
        if (Peek() != ',') return false;
        ++pos_;
      }
    }
    return false;
  }

  const std::string& text_;
  size_t pos_ = 0;
  size_t at_ = 0;
};

// "/a~1b/0" -> {"a/b", "0"}.
std::vector<std::string> Segments(const std::string& pointer) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < pointer.size() && pointer[i] == '/') {
    std::string segment;
    for (++i; i < pointer.size() && pointer[i] != '/'; ++i) {
      if (pointer[i] == '~' && i + 1 < pointer.size()) {
        segment += pointer[++i] == '1' ? '/' : '~';
      } else {
        segment += pointer[i];
      }
    }
    out.push_back(std::move(segment));
  }
  return out;
}

// A number's text for a message: whole when short, else its start and its length.
std::string Shorten(const std::string& token) {
  if (token.size() <= 24) return token;
  return token.substr(0, 16) + "... (" + std::to_string(token.size()) + " characters)";
}

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
  auto error_at = [&](size_t offset, const std::string& message) {
    const SourcePosition at = source.PositionAt(offset);
    return Status(Code::kValidation, source.filename_ + ":" + std::to_string(at.line) + ":" +
                                         std::to_string(at.column) + ": " + message);
  };
  const std::string& t = source.text_;
  // UTF-16 (a byte-order mark, or ASCII with every other byte zero) is a file saved in the wrong
  // encoding, not a syntax error to hunt for.
  if (t.starts_with("\xFF\xFE") || t.starts_with("\xFE\xFF") ||
      (t.size() >= 2 && (t[0] == '\0') != (t[1] == '\0'))) {
    return error_at(0, "the file is UTF-16; save it as UTF-8");
  }
  // Nesting is bounded before anything recurses over the document: no scenario needs more than a
  // few levels, and a file of 200,000 '[' would otherwise exhaust a reader's stack.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
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
        return error_at(i, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  DomBuilder builder(&source.root_);
  if (nlohmann::json::sax_parse(t, &builder)) return source;
  if (!builder.duplicate().empty()) {
    // Both keys' positions: the object's members up to the second, found again in the text.
    std::vector<std::string> path = Segments(builder.duplicate());
    const std::string key = std::move(path.back());
    path.pop_back();
    std::vector<size_t> keys = PathScanner(t).KeysNamed(path, key, 2);
    const size_t second = keys.size() == 2 ? keys[1] : 0;
    std::string first;
    if (!keys.empty()) {
      const SourcePosition at = source.PositionAt(keys[0]);
      first = " (first at " + std::to_string(at.line) + ":" + std::to_string(at.column) + ")";
    }
    const std::string& second_pointer = builder.duplicate();
    const std::string object = second_pointer.substr(0, second_pointer.rfind('/'));
    return error_at(second, "key \"" + key + "\" given twice in the object at " +
                                (object.empty() ? std::string("/") : object) + first +
                                "; JSON readers differ on which one wins, so meshsim refuses it");
  }
  // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
  // its position is just past the offending character (for a number, past the number).
  std::string what = builder.error();
  if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
  const size_t past = builder.error_position();
  if (builder.error_id() == 406) {  // out_of_range: a number no double holds
    return error_at(past - std::min(past, builder.token().size()),
                    "number " + Shorten(builder.token()) +
                        " is out of range (a double holds magnitudes up to about 1.8e308)");
  }
  return error_at(past > 0 ? past - 1 : 0, "invalid JSON: " + what);
}

Result<std::string> ReadTextFile(const std::string& path) {
  // Opened without blocking (a FIFO with no writer would wait forever) and checked by the
  // descriptor, so a path swapped between a check and the open changes nothing.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return Status(Code::kResourceNotFound, path + ": no such file");
    }
    return Status(Code::kResourceNotFound, path + ": cannot open file: " + std::strerror(errno));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status(Code::kResourceNotFound, path + ": cannot read file");
  if (S_ISDIR(st.st_mode)) return Status(Code::kValidation, path + ": is a directory, not a file");
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kValidation,
                  path + ": is not a regular file (a device, a FIFO or a socket); give a file");
  }
  auto too_large = [&] {
    return Status(Code::kValidation, path + ": larger than " +
                                         std::to_string(kMaxTextFileBytes >> 20) +
                                         " MiB, the most meshsim reads from one file");
  };
  if (static_cast<uint64_t>(st.st_size) > kMaxTextFileBytes) return too_large();
  // Read to the end, at most one byte past the limit: a file that grows while it is read too.
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(Code::kResourceNotFound, path + ": cannot read file");
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxTextFileBytes) return too_large();
  }
  return text;
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
  // Found again in the text each time: only a message asks, and keeping every value's position
  // would cost more than the document.
  const std::vector<size_t> found = PathScanner(text_).Walk(Segments(pointer));
  return PositionAt(found.back());
}

std::string JsonSource::Describe(const std::string& pointer, const std::string& message) const {
  const SourcePosition at = PositionOf(pointer);
  return filename_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": at " +
         (pointer.empty() ? "/" : pointer) + ": " + message;
}

}  // namespace meshsim
