#include "fakes/personalize/filter_expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <utility>

#include "sim/text/ascii.h"

namespace meshsim::fakes::personalize {
namespace {

enum class Tok {
  kWord,
  kString,
  kNumber,
  kParam,
  kStar,
  kOp,
  kDot,
  kLParen,
  kRParen,
  kComma,
  kPipe,
  kEnd,
  kError
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;  // as written
  size_t column = 0;      // 1-based
  std::string value;      // kString: unescaped; kParam: the name; kError: the message
  double number = 0;
  FilterOp op = FilterOp::kEq;
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The whole text as tokens, ending in kEnd. A lexical fault becomes a kError token, so that it is
// reported only if the parser gets that far: errors come out in column order.
std::vector<Token> Lex(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto push = [&](Tok kind, size_t start) {
    Token t;
    t.kind = kind;
    t.text = text.substr(start, i - start);
    t.column = start + 1;
    tokens.push_back(std::move(t));
    return &tokens.back();
  };
  while (i < text.size()) {
    const char c = text[i];
    const size_t start = i;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < text.size() && IsWordChar(text[i])) ++i;
      push(Tok::kWord, start);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && i + 1 < text.size() &&
                std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      if (i + 1 < text.size() && text[i] == '.' &&
          std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      }
      Token* t = push(Tok::kNumber, start);
      std::from_chars(t->text.data(), t->text.data() + t->text.size(), t->number);
    } else if (c == '"') {
      std::string value;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
      if (i == text.size()) {
        push(Tok::kError, start)->value = "unterminated string";
        break;
      }
      ++i;
      push(Tok::kString, start)->value = std::move(value);
    } else if (c == '$') {
      ++i;
      while (i < text.size() && IsWordChar(text[i])) ++i;
      Token* t = push(i == start + 1 ? Tok::kError : Tok::kParam, start);
      if (t->kind == Tok::kError) {
        t->value = "expected a parameter name after $";
        break;
      }
      t->value = std::string(t->text.substr(1));
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      ++i;
      const bool eq = i < text.size() && text[i] == '=';
      if (eq) ++i;
      if (c == '!' && !eq) {
        push(Tok::kError, start)->value = "expected = after !";
        break;
      }
      Token* t = push(Tok::kOp, start);
      t->op = c == '='   ? FilterOp::kEq
              : c == '!' ? FilterOp::kNe
              : c == '<' ? (eq ? FilterOp::kLe : FilterOp::kLt)
                         : (eq ? FilterOp::kGe : FilterOp::kGt);
    } else {
      static constexpr std::string_view kPunct = ".(),|*";
      static constexpr Tok kKinds[] = {Tok::kDot,   Tok::kLParen, Tok::kRParen,
                                       Tok::kComma, Tok::kPipe,   Tok::kStar};
      const size_t p = kPunct.find(c);
      ++i;
      if (p == std::string_view::npos) {
        push(Tok::kError, start)->value = "unexpected character '" + std::string(1, c) + "'";
        break;
      }
      push(kKinds[p], start);
    }
  }
  Token end;
  end.column = text.size() + 1;
  tokens.push_back(std::move(end));
  return tokens;
}

std::string_view DatasetName(FilterDataset d) {
  switch (d) {
    case FilterDataset::kItems:
      return "Items";
    case FilterDataset::kInteractions:
      return "Interactions";
    case FilterDataset::kCurrentItem:
      return "CurrentItem";
    case FilterDataset::kCurrentUser:
      return "CurrentUser";
  }
  return "";
}

std::string FieldName(FilterDataset d, std::string_view field) {
  return std::string(DatasetName(d)) + "." + std::string(field);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : tokens_(Lex(text)) {}

  Result<FilterExpression> Parse() {
    FilterExpression out;
    while (true) {
      FilterClause clause;
      if (Status s = ParseClause(&clause); !s.ok()) return s;
      out.clauses.push_back(std::move(clause));
      if (Peek().kind == Tok::kEnd) break;
      Take();  // ParseClause stops only at kEnd or kPipe
    }
    if (Status s = Summarize(&out); !s.ok()) return s;
    return out;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Take() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool PeekWord(std::string_view word) const {
    return Peek().kind == Tok::kWord && EqualsIgnoreAsciiCase(Peek().text, word);
  }

  static Status Error(size_t column, const std::string& what) {
    return Status(Code::kInvalidInput,
                  "filterExpression: at column " + std::to_string(column) + ": " + what);
  }
  // "expected X, got Y" at the next token, or that token's own lexical fault.
  Status Expected(const std::string& what) const {
    const Token& t = Peek();
    if (t.kind == Tok::kError) return Error(t.column, t.value);
    const std::string got = t.kind == Tok::kEnd ? "the end of the expression" : std::string(t.text);
    return Error(t.column, "expected " + what + ", got " + got);
  }

  Status ParseClause(FilterClause* clause) {
    if (PeekWord("INCLUDE") || PeekWord("EXCLUDE")) {
      clause->include = PeekWord("INCLUDE");
      Take();
    } else {
      return Expected("INCLUDE or EXCLUDE");
    }
    if (PeekWord("UserID") || PeekWord("ActionID")) {
      return Error(Peek().column, std::string(Peek().text) +
                                      " filters user segments or actions, which meshsim does not "
                                      "recommend; expected ItemID");
    }
    if (!PeekWord("ItemID"))
      return Expected(clause->include ? "ItemID after INCLUDE" : "ItemID after EXCLUDE");
    Take();
    if (!PeekWord("WHERE")) return Expected("WHERE after ItemID");
    Take();
    clause->where.emplace_back();
    while (true) {
      FilterCondition c;
      if (Status s = ParseWhereCondition(clause, &c); !s.ok()) return s;
      clause->where.back().push_back(std::move(c));
      if (PeekWord("AND")) {
        Take();
      } else if (PeekWord("OR")) {
        Take();
        clause->where.emplace_back();
      } else {
        break;
      }
    }
    if (PeekWord("IF")) {
      Take();
      while (true) {
        FilterCondition c;
        if (Status s = ParseUserCondition(&c); !s.ok()) return s;
        clause->if_conditions.push_back(std::move(c));
        if (!PeekWord("AND")) break;
        Take();
      }
      if (PeekWord("OR")) return Error(Peek().column, "only AND extends an IF condition");
      if (PeekWord("IF")) {
        return Error(Peek().column, "IF may appear only once, at the end of an expression");
      }
    }
    if (Peek().kind == Tok::kEnd || Peek().kind == Tok::kPipe) return Status::Ok();
    return Expected(clause->if_conditions.empty() ? "AND, OR, IF, | or the end of the expression"
                                                  : "AND, | or the end of the expression");
  }

  // Dataset "." field, with the dataset read case-insensitively.
  Status ParseFieldRef(const std::string& what, FilterDataset* dataset, std::string* field,
                       size_t* column) {
    static constexpr std::pair<std::string_view, FilterDataset> kDatasets[] = {
        {"Items", FilterDataset::kItems},
        {"Interactions", FilterDataset::kInteractions},
        {"CurrentItem", FilterDataset::kCurrentItem},
        {"CurrentUser", FilterDataset::kCurrentUser}};
    *column = Peek().column;
    if (PeekWord("Users")) {
      return Error(*column,
                   "Users fields filter user segments; an item filter tests the user with IF "
                   "CurrentUser.FIELD");
    }
    const auto* found = std::find_if(std::begin(kDatasets), std::end(kDatasets),
                                     [&](const auto& d) { return PeekWord(d.first); });
    if (found == std::end(kDatasets)) return Expected(what);
    *dataset = found->second;
    Take();
    if (Peek().kind != Tok::kDot) return Expected(". after " + std::string(found->first));
    Take();
    if (Peek().kind != Tok::kWord)
      return Expected("a field name after " + std::string(found->first) + ".");
    *field = std::string(Take().text);
    return Status::Ok();
  }

  Status ParseWhereCondition(FilterClause* clause, FilterCondition* c) {
    const bool first = clause->where.size() == 1 && clause->where[0].empty();
    if (Status s = ParseFieldRef("Items.FIELD or Interactions.EVENT_TYPE", &c->dataset, &c->field,
                                 &c->column);
        !s.ok()) {
      return s;
    }
    if (c->dataset == FilterDataset::kCurrentUser) {
      return Error(c->column, "CurrentUser goes in an IF condition at the end of the expression");
    }
    if (c->dataset == FilterDataset::kCurrentItem) {
      return Error(c->column,
                   "CurrentItem goes on the right-hand side, as in Items.GENRE IN "
                   "CurrentItem.GENRE");
    }
    if (first) {
      clause->dataset = c->dataset;
    } else if (c->dataset != clause->dataset) {
      return Error(c->column,
                   "conditions joined by AND or OR must use the first condition's "
                   "dataset (" +
                       std::string(DatasetName(clause->dataset)) +
                       "); chain another expression with | to filter on " +
                       std::string(DatasetName(c->dataset)));
    }
    const std::string name = FieldName(c->dataset, c->field);
    if (c->dataset == FilterDataset::kInteractions) {
      if (!EqualsIgnoreAsciiCase(c->field, "EVENT_TYPE")) {
        return Error(c->column, "Interactions filters only on EVENT_TYPE, got " + name);
      }
      c->field = "EVENT_TYPE";
      if (!PeekWord("IN")) return Expected("IN after Interactions.EVENT_TYPE");
      Take();
      c->op = FilterOp::kIn;
      return ParseList(c, /*allow_star=*/true);
    }
    return ParseTest(c, name, /*allow_current_item=*/true);
  }

  Status ParseUserCondition(FilterCondition* c) {
    if (Status s = ParseFieldRef("CurrentUser.FIELD after IF", &c->dataset, &c->field, &c->column);
        !s.ok()) {
      return s;
    }
    if (c->dataset != FilterDataset::kCurrentUser) {
      return Error(c->column, "an IF condition tests CurrentUser.FIELD, got " +
                                  FieldName(c->dataset, c->field));
    }
    return ParseTest(c, FieldName(c->dataset, c->field), /*allow_current_item=*/false);
  }

  // IN, NOT IN or a comparison, then its right-hand side.
  Status ParseTest(FilterCondition* c, const std::string& name, bool allow_current_item) {
    if (PeekWord("IN")) {
      Take();
      c->op = FilterOp::kIn;
    } else if (PeekWord("NOT")) {
      Take();
      if (!PeekWord("IN")) return Expected("IN after NOT");
      Take();
      c->op = FilterOp::kNotIn;
    } else if (Peek().kind == Tok::kOp) {
      const Token& op = Take();
      c->op = op.op;
      return ParseScalar(c, std::string(op.text), allow_current_item);
    } else {
      return Expected("IN, NOT IN or a comparison after " + name);
    }
    if (allow_current_item) {
      const bool paren = Peek().kind == Tok::kLParen && pos_ + 1 < tokens_.size() &&
                         tokens_[pos_ + 1].kind == Tok::kWord &&
                         EqualsIgnoreAsciiCase(tokens_[pos_ + 1].text, "CurrentItem");
      if (paren || PeekWord("CurrentItem")) {
        if (paren) Take();
        if (Status s = ParseCurrentItem(c); !s.ok()) return s;
        if (!paren) return Status::Ok();
        if (Peek().kind != Tok::kRParen) return Expected(") after CurrentItem." + c->field);
        Take();
        return Status::Ok();
      }
    }
    return ParseList(c, /*allow_star=*/false);
  }

  Status ParseCurrentItem(FilterCondition* c) {
    FilterDataset d;
    std::string field;
    size_t column;
    if (Status s = ParseFieldRef("CurrentItem.FIELD", &d, &field, &column); !s.ok()) return s;
    c->current_item_field = std::move(field);
    return Status::Ok();
  }

  // "(" value ( "," value )* ")".
  Status ParseList(FilterCondition* c, bool allow_star) {
    const char* in = c->op == FilterOp::kIn ? "IN" : "NOT IN";
    if (Peek().kind != Tok::kLParen) return Expected(std::string("( after ") + in);
    Take();
    while (true) {
      const Token& t = Peek();
      if (t.kind == Tok::kString || t.kind == Tok::kStar) {
        const std::string value = t.kind == Tok::kStar ? "*" : t.value;
        if (value == "*" && !allow_star) {
          return Error(t.column, "* (every event type) goes only with Interactions.EVENT_TYPE");
        }
        c->values.push_back(value);
      } else if (t.kind == Tok::kParam) {
        if (c->op == FilterOp::kNotIn) {
          // AWS's own words for it (Troubleshooting, "Filtering recommendations").
          return Error(t.column, "Invalid input symbol: " + std::string(t.text) +
                                     ". Placeholders are not allowed with NOT_IN operator; use "
                                     "IN with the opposite action (INCLUDE for EXCLUDE)");
        }
        c->params.push_back(t.value);
      } else {
        return Expected("a quoted string or $PARAM");
      }
      Take();
      if (Peek().kind == Tok::kRParen) break;
      if (Peek().kind != Tok::kComma) return Expected(", or ) in the value list");
      Take();
    }
    Take();
    return Status::Ok();
  }

  // number | $PARAM | CurrentItem.FIELD, optionally in parentheses (AWS writes `> ($VALUE)`).
  Status ParseScalar(FilterCondition* c, const std::string& op, bool allow_current_item) {
    const bool paren = Peek().kind == Tok::kLParen;
    if (paren) Take();
    if (Peek().kind == Tok::kNumber) {
      c->number = Take().number;
    } else if (Peek().kind == Tok::kParam) {
      c->params.push_back(Take().value);
    } else if (allow_current_item && PeekWord("CurrentItem")) {
      if (Status s = ParseCurrentItem(c); !s.ok()) return s;
    } else {
      return Expected((allow_current_item ? "a number, $PARAM or CurrentItem.FIELD after "
                                          : "a number or $PARAM after ") +
                      op);
    }
    if (paren) {
      if (Peek().kind != Tok::kRParen) return Expected(")");
      Take();
    }
    return Status::Ok();
  }

  // The parameter list, the CurrentItem flag and the distinct-field limit, over the whole chain.
  static Status Summarize(FilterExpression* out) {
    std::set<std::string> fields;
    auto count = [&](FilterDataset d, const std::string& field, size_t column) -> Status {
      if (fields.insert(FieldName(d, field)).second && fields.size() > kMaxDistinctFilterFields) {
        return Error(column,
                     "a filter may use at most " + std::to_string(kMaxDistinctFilterFields) +
                         " distinct dataset fields; " + FieldName(d, field) + " is one more");
      }
      return Status::Ok();
    };
    auto visit = [&](const FilterCondition& c) -> Status {
      if (Status s = count(c.dataset, c.field, c.column); !s.ok()) return s;
      if (c.current_item_field) {
        out->uses_current_item = true;
        // CurrentItem.F is a field of the Items dataset.
        if (Status s = count(FilterDataset::kItems, *c.current_item_field, c.column); !s.ok()) {
          return s;
        }
      }
      for (const std::string& p : c.params) {
        if (std::find(out->params.begin(), out->params.end(), p) == out->params.end()) {
          out->params.push_back(p);
        }
      }
      return Status::Ok();
    };
    for (const FilterClause& clause : out->clauses) {
      for (const auto& group : clause.where) {
        for (const FilterCondition& c : group) {
          if (Status s = visit(c); !s.ok()) return s;
        }
      }
      for (const FilterCondition& c : clause.if_conditions) {
        if (Status s = visit(c); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

Result<FilterExpression> ParseFilterExpression(std::string_view text) {
  if (text.empty() || text.size() > kMaxFilterExpressionLength) {
    return Status(Code::kInvalidInput, "filterExpression: length must be between 1 and " +
                                           std::to_string(kMaxFilterExpressionLength) +
                                           " characters, got " + std::to_string(text.size()));
  }
  return Parser(text).Parse();
}

}  // namespace meshsim::fakes::personalize
