// A recursive-descent parser over a token list, producing a flat list of nodes (children before
// parents) whose literals are already converted to their key's type, so evaluating a partition
// converts only the partition's own values.
#include "fakes/glue_catalog/partition_expression.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/glue_catalog/partition_values.h"
#include "sim/core/ids.h"

namespace meshsim::fakes {

using internal::Compare;
using internal::Convert;
using internal::Kind;
using internal::KindName;
using internal::KindOf;
using internal::Like;
using internal::LowerAscii;
using internal::Typed;

namespace {

constexpr size_t kMaxExpressionChars = 2048;  // Glue's PredicateString

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
  std::string cmp;       // kCompare: = <> != < <= > >=
  bool negated = false;  // NOT BETWEEN, NOT IN, NOT LIKE, IS NOT NULL
  size_t key = 0;
  Kind kind = Kind::kString;
  size_t left = 0, right = 0;   // kAnd, kOr: both; kNot: left
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
        tokens_.push_back({c == '('   ? Tok::kLParen
                           : c == ')' ? Tok::kRParen
                                      : Tok::kComma,
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
        return ErrorAt(token.at,
                       "Unknown type : '" + keys_[i].type + "' of partition key " + keys_[i].name);
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
  size_t chars =
      static_cast<size_t>(std::count_if(expression.begin(), expression.end(), [](char c) {
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
      error = Status(Code::kInvalidState,
                     "Partition value '" + raw + "' of key " + keys_[node.key].name + " " + *why);
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
