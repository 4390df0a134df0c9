// A recursive-descent parser over a token list, producing a flat list of nodes (children before
// parents) whose literals are already converted to their key's type, so evaluating a partition
// converts only the partition's own values.
#include "fakes/partition_expression.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/ids.h"

namespace meshsim::fakes {
namespace {

constexpr size_t kMaxExpressionChars = 2048;  // Glue's PredicateString

enum class Kind { kString, kInteger, kDecimal, kDate, kTimestamp };

// A value of one key's type: integers, dates and timestamps order by (whole, nanos).
struct Typed {
  int64_t whole = 0;
  int64_t nanos = 0;
  double decimal = 0;
  std::string text;
};

int Compare(Kind kind, const Typed& a, const Typed& b) {
  switch (kind) {
    case Kind::kString:
      return a.text.compare(b.text) < 0 ? -1 : a.text == b.text ? 0 : 1;
    case Kind::kDecimal:
      return a.decimal < b.decimal ? -1 : a.decimal == b.decimal ? 0 : 1;
    default:
      if (a.whole != b.whole) return a.whole < b.whole ? -1 : 1;
      return a.nanos < b.nanos ? -1 : a.nanos == b.nanos ? 0 : 1;
  }
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The types Glue's GetPartitions documents as filterable, plus char and varchar (text).
std::optional<Kind> KindOf(std::string_view type) {
  std::string base = LowerAscii(type.substr(0, type.find('(')));
  if (base == "string" || base == "char" || base == "varchar") return Kind::kString;
  if (base == "int" || base == "integer" || base == "bigint" || base == "long" ||
      base == "smallint" || base == "tinyint") {
    return Kind::kInteger;
  }
  if (base == "decimal") return Kind::kDecimal;
  if (base == "date") return Kind::kDate;
  if (base == "timestamp") return Kind::kTimestamp;
  return std::nullopt;
}

bool ParseInt(std::string_view text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

// Exactly `width` digits at text[at...].
bool Digits(std::string_view text, size_t at, size_t width, int64_t* out) {
  if (at + width > text.size()) return false;
  std::string_view part = text.substr(at, width);
  if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return ParseInt(part, out);
}

// yyyy-mm-dd as yyyymmdd, with real month lengths.
bool ParseDate(std::string_view text, int64_t* out) {
  int64_t y = 0, m = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d)) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return false;
  *out = y * 10000 + m * 100 + d;
  return true;
}

// yyyy-mm-dd hh:mm:ss[.f{1,9}] as (yyyymmddhhmmss, nanoseconds).
bool ParseTimestamp(std::string_view text, Typed* out) {
  int64_t date = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') return false;
  if (!ParseDate(text.substr(0, 10), &date) || !Digits(text, 11, 2, &h) ||
      !Digits(text, 14, 2, &mi) || !Digits(text, 17, 2, &s) || h > 23 || mi > 59 || s > 59) {
    return false;
  }
  int64_t nanos = 0;
  if (text.size() > 19) {
    size_t width = text.size() - 20;
    if (text[19] != '.' || width < 1 || width > 9 || !Digits(text, 20, width, &nanos)) return false;
    for (size_t i = width; i < 9; ++i) nanos *= 10;
  }
  out->whole = ((date * 100 + h) * 100 + mi) * 100 + s;
  out->nanos = nanos;
  return true;
}

// `text` as a value of `kind`, or why not ("is not an integer").
std::optional<std::string> Convert(Kind kind, std::string_view text, Typed* out) {
  switch (kind) {
    case Kind::kString:
      out->text = std::string(text);
      return std::nullopt;
    case Kind::kInteger:
      if (ParseInt(text, &out->whole)) return std::nullopt;
      return "is not an integer";
    case Kind::kDecimal: {
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, out->decimal);
      if (ec == std::errc() && ptr == end && !text.empty()) return std::nullopt;
      return "is not a decimal";
    }
    case Kind::kDate:
      if (text.size() == 10 && ParseDate(text, &out->whole)) return std::nullopt;
      return "is not a date (yyyy-mm-dd)";
    case Kind::kTimestamp:
      if (ParseTimestamp(text, out)) return std::nullopt;
      return "is not a timestamp (yyyy-mm-dd hh:mm:ss[.fffffffff])";
  }
  return "has no type";
}

// The name Glue gives a type in "<Type> data type doesn't support operation 'LIKE'".
std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kInteger:
      return "Integral";
    case Kind::kDecimal:
      return "Decimal";
    case Kind::kDate:
      return "Date";
    case Kind::kTimestamp:
      return "Timestamp";
    case Kind::kString:
      break;
  }
  return "String";
}

// SQL LIKE: '%' matches any run of characters, '_' one (UTF-8) character, the rest itself.
// Greedy with one backtrack point, so linear in practice and never exponential.
bool Like(std::string_view text, std::string_view pattern) {
  auto next_char = [&](size_t at) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    return at;
  };
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '_') {
      t = next_char(t);
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++t;
      ++p;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = star_t = next_char(star_t);
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

enum class Tok { kName, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  Tok kind;
  std::string text;  // a string's text with quotes removed and '' undoubled
  size_t at;         // byte offset in the expression
};

enum class Truth { kFalse, kTrue, kUnknown };

Truth Not(Truth t) {
  return t == Truth::kUnknown ? t : t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

}  // namespace

struct PartitionExpression::Node {
  enum class Op { kAnd, kOr, kNot, kCompare, kBetween, kIn, kLike, kIsNull };
  Op op = Op::kCompare;
  std::string cmp;      // kCompare: = <> != < <= > >=
  bool negated = false;  // NOT BETWEEN, NOT IN, NOT LIKE, IS NOT NULL
  size_t key = 0;
  Kind kind = Kind::kString;
  size_t left = 0, right = 0;  // kAnd, kOr: both; kNot: left
  std::vector<Typed> operands;  // kCompare: 1, kBetween: 2, kIn: 1 or more
  std::string pattern;          // kLike
};

namespace {

using Node = PartitionExpression::Node;

Node MakeNode(Node::Op op) {
  Node node;
  node.op = op;
  return node;
}

class Parser {
 public:
  Parser(std::string_view source, const std::vector<Column>& keys, std::vector<Node>& nodes)
      : source_(source), keys_(keys), nodes_(nodes) {}

  Status Run() {
    if (Status s = Tokenize(); !s.ok()) return s;
    if (tokens_.size() == 1) return Status::Ok();  // nothing but blanks
    Result<size_t> root = ParseOr();
    if (!root.ok()) return root.status();
    if (Peek().kind != Tok::kEnd) return Error(Peek(), "expected AND, OR or the end");
    return Status::Ok();
  }

 private:
  // 1-based position in characters, not bytes.
  size_t Position(size_t at) const {
    return 1 + static_cast<size_t>(std::count_if(source_.begin(), source_.begin() + at, [](char c) {
             return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
           }));
  }
  Status ErrorAt(size_t at, std::string_view what) const {
    std::string message = NumberedId("Expression at position ", Position(at));
    message += ": ";
    message += what;
    return Status(Code::kInvalidInput, std::move(message));
  }
  Status Error(const Token& token, std::string_view what) const {
    std::string message(what);
    message += token.kind == Tok::kEnd ? ", found the end" : ", found '" + token.text + "'";
    return ErrorAt(token.at, message);
  }

  Status Tokenize() {
    size_t i = 0;
    auto is_name = [](char c, bool first) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
             (!first && c >= '0' && c <= '9');
    };
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < source_.size()) {
      char c = source_[i];
      size_t start = i;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (is_name(c, true)) {
        while (i < source_.size() && is_name(source_[i], false)) ++i;
        tokens_.push_back({Tok::kName, std::string(source_.substr(start, i - start)), start});
      } else if (is_digit(c) || (c == '-' && i + 1 < source_.size() && is_digit(source_[i + 1]))) {
        ++i;
        while (i < source_.size() && is_digit(source_[i])) ++i;
        if (i + 1 < source_.size() && source_[i] == '.' && is_digit(source_[i + 1])) {
          ++i;
          while (i < source_.size() && is_digit(source_[i])) ++i;
        }
        tokens_.push_back({Tok::kNumber, std::string(source_.substr(start, i - start)), start});
      } else if (c == '\'') {
        std::string text;
        for (++i;; ++i) {
          if (i >= source_.size()) return ErrorAt(start, "unterminated string");
          if (source_[i] == '\'') {
            if (i + 1 < source_.size() && source_[i + 1] == '\'') {
              text += '\'';
              ++i;
            } else {
              ++i;
              break;
            }
          } else {
            text += source_[i];
          }
        }
        tokens_.push_back({Tok::kString, std::move(text), start});
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        ++i;
        if (i < source_.size() && (source_[i] == '=' || (c == '<' && source_[i] == '>'))) ++i;
        std::string op(source_.substr(start, i - start));
        if (op == "!" || op == "==") return ErrorAt(start, "unexpected '" + op + "'");
        tokens_.push_back({Tok::kOp, std::move(op), start});
      } else if (c == '(' || c == ')' || c == ',') {
        ++i;
        tokens_.push_back({c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : Tok::kComma,
                           std::string(1, c), start});
      } else {
        return ErrorAt(start, "unexpected character '" + std::string(1, c) + "'");
      }
    }
    tokens_.push_back({Tok::kEnd, "", source_.size()});
    return Status::Ok();
  }

  const Token& Peek() const { return tokens_[next_]; }
  bool IsKeyword(const Token& token, std::string_view word) const {
    return token.kind == Tok::kName && LowerAscii(token.text) == word;
  }
  bool Accept(std::string_view word) {
    if (!IsKeyword(Peek(), word)) return false;
    ++next_;
    return true;
  }
  size_t Add(Node node) {
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }

  Result<size_t> ParseOr() { return ParseChain(Node::Op::kOr, "or"); }
  Result<size_t> ParseAnd() { return ParseChain(Node::Op::kAnd, "and"); }

  // A left-associative chain of OR (of ANDs) or of AND (of factors).
  Result<size_t> ParseChain(Node::Op op, std::string_view word) {
    Result<size_t> left = op == Node::Op::kOr ? ParseAnd() : ParseFactor();
    if (!left.ok()) return left;
    size_t out = *left;
    while (Accept(word)) {
      Result<size_t> right = op == Node::Op::kOr ? ParseAnd() : ParseFactor();
      if (!right.ok()) return right;
      Node node = MakeNode(op);
      node.left = out;
      node.right = *right;
      out = Add(std::move(node));
    }
    return out;
  }

  Result<size_t> ParseFactor() {
    if (Accept("not")) {
      Result<size_t> inner = ParseFactor();
      if (!inner.ok()) return inner;
      Node node = MakeNode(Node::Op::kNot);
      node.left = *inner;
      return Add(std::move(node));
    }
    if (Peek().kind == Tok::kLParen) {
      ++next_;
      Result<size_t> inner = ParseOr();
      if (!inner.ok()) return inner;
      if (Peek().kind != Tok::kRParen) return Error(Peek(), "expected ')'");
      ++next_;
      return inner;
    }
    return ParsePredicate();
  }

  static bool IsLiteral(const Token& token) {
    return token.kind == Tok::kString || token.kind == Tok::kNumber;
  }

  // The key a name token names, with its kind.
  Status ResolveKey(const Token& token, Node* node) {
    std::string wanted = LowerAscii(token.text);
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (LowerAscii(keys_[i].name) != wanted) continue;
      std::optional<Kind> kind = KindOf(keys_[i].type);
      if (!kind) {
        return ErrorAt(token.at, "Unknown type : '" + keys_[i].type + "' of partition key " +
                                     keys_[i].name);
      }
      node->key = i;
      node->kind = *kind;
      return Status::Ok();
    }
    return ErrorAt(token.at, "Unknown column '" + token.text + "'");
  }

  // The next token as a literal of the node's key's type.
  Status TakeLiteral(Node* node) {
    const Token& token = Peek();
    if (!IsLiteral(token)) return Error(token, "expected a value");
    Typed value;
    if (std::optional<std::string> why = Convert(node->kind, token.text, &value)) {
      return ErrorAt(token.at, "'" + token.text + "' " + *why + ", the type of partition key " +
                                   keys_[node->key].name);
    }
    node->operands.push_back(std::move(value));
    ++next_;
    return Status::Ok();
  }

  static std::string Flipped(const std::string& op) {
    if (op == "<") return ">";
    if (op == ">") return "<";
    if (op == "<=") return ">=";
    if (op == ">=") return "<=";
    return op;
  }

  Result<size_t> ParsePredicate() {
    Node node = MakeNode(Node::Op::kCompare);
    // literal op key: the comparison seen from the key's side.
    if (IsLiteral(Peek())) {
      size_t literal = next_++;
      if (Peek().kind != Tok::kOp) return Error(Peek(), "expected a comparison operator");
      std::string op = tokens_[next_++].text;
      if (Peek().kind != Tok::kName) return Error(Peek(), "expected a partition key");
      if (Status s = ResolveKey(tokens_[next_++], &node); !s.ok()) return s;
      size_t after = next_;
      next_ = literal;
      if (Status s = TakeLiteral(&node); !s.ok()) return s;
      next_ = after;
      node.cmp = Flipped(op);
      return Add(std::move(node));
    }
    if (Peek().kind != Tok::kName || IsKeyword(Peek(), "and") || IsKeyword(Peek(), "or")) {
      return Error(Peek(), "expected a partition key");
    }
    if (Status s = ResolveKey(tokens_[next_++], &node); !s.ok()) return s;

    if (Peek().kind == Tok::kOp) {
      node.cmp = tokens_[next_++].text;
      if (Status s = TakeLiteral(&node); !s.ok()) return s;
      return Add(std::move(node));
    }
    if (Accept("is")) {
      node.op = Node::Op::kIsNull;
      node.negated = Accept("not");
      if (!Accept("null")) return Error(Peek(), "expected NULL");
      return Add(std::move(node));
    }
    node.negated = Accept("not");
    if (Accept("between")) {
      node.op = Node::Op::kBetween;
      if (Status s = TakeLiteral(&node); !s.ok()) return s;
      if (!Accept("and")) return Error(Peek(), "expected AND");
      if (Status s = TakeLiteral(&node); !s.ok()) return s;
      return Add(std::move(node));
    }
    if (Accept("in")) {
      node.op = Node::Op::kIn;
      if (Peek().kind != Tok::kLParen) return Error(Peek(), "expected '('");
      ++next_;
      do {
        if (Status s = TakeLiteral(&node); !s.ok()) return s;
      } while (Peek().kind == Tok::kComma && ++next_ > 0);
      if (Peek().kind != Tok::kRParen) return Error(Peek(), "expected ',' or ')'");
      ++next_;
      return Add(std::move(node));
    }
    if (IsKeyword(Peek(), "like")) {
      node.op = Node::Op::kLike;
      if (node.kind != Kind::kString) {
        return ErrorAt(Peek().at, std::string(KindName(node.kind)) +
                                      " data type doesn't support operation 'LIKE'");
      }
      ++next_;
      if (Peek().kind != Tok::kString) return Error(Peek(), "expected a quoted pattern");
      node.pattern = tokens_[next_++].text;
      return Add(std::move(node));
    }
    return Error(Peek(), node.negated ? "expected BETWEEN, IN or LIKE"
                                      : "expected an operator, BETWEEN, IN, LIKE or IS");
  }

  std::string_view source_;
  const std::vector<Column>& keys_;
  std::vector<Node>& nodes_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

PartitionExpression::PartitionExpression() = default;
PartitionExpression::PartitionExpression(PartitionExpression&&) noexcept = default;
PartitionExpression& PartitionExpression::operator=(PartitionExpression&&) noexcept = default;
PartitionExpression::~PartitionExpression() = default;

Result<PartitionExpression> PartitionExpression::Compile(std::string_view expression,
                                                         const std::vector<Column>& keys) {
  size_t chars = static_cast<size_t>(std::count_if(expression.begin(), expression.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
  if (chars > kMaxExpressionChars) {
    return Status(Code::kInvalidInput, "Expression must be at most 2048 characters");
  }
  PartitionExpression out;
  out.keys_ = keys;
  if (Status s = Parser(expression, keys, out.nodes_).Run(); !s.ok()) return s;
  return out;
}

Result<bool> PartitionExpression::Matches(const std::vector<std::string>& values) const {
  if (nodes_.empty()) return true;
  Status error;
  // Nodes come children first, so one pass in order evaluates every child before its parent.
  std::vector<Truth> truth(nodes_.size(), Truth::kUnknown);
  for (size_t i = 0; i < nodes_.size() && error.ok(); ++i) {
    const Node& node = nodes_[i];
    switch (node.op) {
      case Node::Op::kAnd: {
        Truth a = truth[node.left], b = truth[node.right];
        truth[i] = a == Truth::kFalse || b == Truth::kFalse ? Truth::kFalse
                   : a == Truth::kTrue && b == Truth::kTrue ? Truth::kTrue
                                                            : Truth::kUnknown;
        continue;
      }
      case Node::Op::kOr: {
        Truth a = truth[node.left], b = truth[node.right];
        truth[i] = a == Truth::kTrue || b == Truth::kTrue     ? Truth::kTrue
                   : a == Truth::kFalse && b == Truth::kFalse ? Truth::kFalse
                                                              : Truth::kUnknown;
        continue;
      }
      case Node::Op::kNot:
        truth[i] = Not(truth[node.left]);
        continue;
      default:
        break;
    }
    const std::string& raw = values[node.key];
    bool is_null = raw == kHiveNullPartition;
    if (node.op == Node::Op::kIsNull) {
      truth[i] = is_null != node.negated ? Truth::kTrue : Truth::kFalse;
      continue;
    }
    if (is_null) continue;  // unknown
    Typed value;
    if (std::optional<std::string> why = Convert(node.kind, raw, &value)) {
      error = Status(Code::kInvalidState, "Partition value '" + raw + "' of key " +
                                              keys_[node.key].name + " " + *why);
      break;
    }
    bool match = false;
    switch (node.op) {
      case Node::Op::kCompare: {
        int c = Compare(node.kind, value, node.operands[0]);
        const std::string& op = node.cmp;
        match = op == "="                  ? c == 0
                : op == "<>" || op == "!=" ? c != 0
                : op == "<"                ? c < 0
                : op == "<="               ? c <= 0
                : op == ">"                ? c > 0
                                           : c >= 0;
        break;
      }
      case Node::Op::kBetween:
        match = Compare(node.kind, value, node.operands[0]) >= 0 &&
                Compare(node.kind, value, node.operands[1]) <= 0;
        break;
      case Node::Op::kIn:
        match = std::any_of(node.operands.begin(), node.operands.end(),
                            [&](const Typed& v) { return Compare(node.kind, value, v) == 0; });
        break;
      case Node::Op::kLike:
        match = Like(value.text, node.pattern);
        break;
      default:
        break;
    }
    truth[i] = match != node.negated ? Truth::kTrue : Truth::kFalse;
  }
  if (!error.ok()) return error;
  return truth.back() == Truth::kTrue;
}

}  // namespace meshsim::fakes
