#include "sim/serde/avro/compatibility.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace meshsim::avro {
namespace {

// Recursive types make the walk over (reader, writer) pairs cyclic; a pair under check is assumed
// to hold (the coinductive reading the specification implies), and the depth is bounded anyway.
constexpr int kMaxCheckDepth = 512;

std::string Unqualified(const std::string& fullname) {
  const size_t dot = fullname.rfind('.');
  return dot == std::string::npos ? fullname : fullname.substr(dot + 1);
}

bool NamesMatch(const Node& reader, const Node& writer) {
  if (reader.name == writer.name) return true;
  return std::any_of(reader.aliases.begin(), reader.aliases.end(), [&](const std::string& a) {
    return a == writer.fullname || Unqualified(a) == writer.name;
  });
}

std::string Short(const Node& n) {
  return IsNamed(n.type) ? std::string(TypeName(n.type)) + " " + n.fullname : n.Describe();
}

class Checker {
 public:
  Status Check(const Node& r, const Node& w, const std::string& path, int depth) {
    if (depth > kMaxCheckDepth) return Error(path, "schemas nested too deeply to compare");
    if (!assumed_.insert({&r, &w}).second) return Status::Ok();
    if (w.type == Type::kUnion) {
      for (size_t i = 0; i < w.branches.size(); ++i) {
        Status s = Check(r, *w.branches[i], path, depth + 1);
        if (!s.ok()) {
          return Status(Code::kInvalidInput, "writer union branch " + std::to_string(i) + " (" +
                                                 Short(*w.branches[i]) + "): " + s.message());
        }
      }
      return Status::Ok();
    }
    if (r.type == Type::kUnion) {
      const int branch = ResolveUnionBranch(r, w);
      if (branch < 0) {
        return Error(path, "the writer's " + Short(w) + " matches no branch of the reader's " +
                               r.Describe());
      }
      return Check(*r.branches[static_cast<size_t>(branch)], w, path, depth + 1);
    }
    if (r.type != w.type) {
      if (Promotes(w.type, r.type)) return Status::Ok();
      return Error(path, "the writer's " + Short(w) + " cannot be read as the reader's " +
                             Short(r) + " (not a permitted promotion)");
    }
    if (IsNamed(r.type) && !NamesMatch(r, w)) {
      return Error(path, "the reader's " + Short(r) + " does not match the writer's " + Short(w) +
                             " by name or alias");
    }
    switch (r.type) {
      case Type::kRecord:
        return CheckRecord(r, w, path, depth);
      case Type::kEnum:
        if (r.enum_default) return Status::Ok();
        for (const std::string& symbol : w.symbols) {
          if (r.SymbolIndex(symbol) < 0) {
            return Status(Code::kInvalidInput, "writer enum symbol \"" + symbol + "\" at " +
                                                   Display(path) +
                                                   " is not in the reader and the reader has no "
                                                   "default");
          }
        }
        return Status::Ok();
      case Type::kFixed:
        if (r.size != w.size) {
          return Error(path, "fixed " + r.fullname + " has size " + std::to_string(w.size) +
                                 " in the writer but " + std::to_string(r.size) + " in the reader");
        }
        return Status::Ok();
      case Type::kArray:
        return Check(*r.items, *w.items, path + "/items", depth + 1);
      case Type::kMap:
        return Check(*r.items, *w.items, path + "/values", depth + 1);
      default:
        return Status::Ok();  // the same primitive
    }
  }

  static std::string Display(const std::string& path) { return path.empty() ? "/" : path; }

 private:
  static Status Error(const std::string& path, const std::string& message) {
    return Status(Code::kInvalidInput, "at " + Display(path) + ": " + message);
  }

  Status CheckRecord(const Node& r, const Node& w, const std::string& path, int depth) {
    for (const Field& rf : r.fields) {
      int wi = w.FieldIndex(rf.name);
      for (size_t a = 0; wi < 0 && a < rf.aliases.size(); ++a) wi = w.FieldIndex(rf.aliases[a]);
      if (wi < 0) {
        if (rf.default_value) continue;
        return Status(Code::kInvalidInput, "reader field \"" + rf.name + "\" at " + Display(path) +
                                               " has no default and is missing in the writer");
      }
      const Field& wf = w.fields[static_cast<size_t>(wi)];
      if (Status s = Check(*rf.type, *wf.type, path + "/" + rf.name, depth + 1); !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  std::set<std::pair<const Node*, const Node*>> assumed_;
};

std::string RootPath(const Node& root) { return IsNamed(root.type) ? "/" + root.name : ""; }

}  // namespace

bool Promotes(Type writer, Type reader) {
  switch (writer) {
    case Type::kInt:
      return reader == Type::kLong || reader == Type::kFloat || reader == Type::kDouble;
    case Type::kLong:
      return reader == Type::kFloat || reader == Type::kDouble;
    case Type::kFloat:
      return reader == Type::kDouble;
    case Type::kString:
      return reader == Type::kBytes;
    case Type::kBytes:
      return reader == Type::kString;
    default:
      return false;
  }
}

int ResolveUnionBranch(const Node& reader_union, const Node& writer) {
  const auto& branches = reader_union.branches;
  for (size_t i = 0; i < branches.size(); ++i) {
    const Node& b = *branches[i];
    if (b.type == writer.type && (!IsNamed(b.type) || NamesMatch(b, writer))) {
      return static_cast<int>(i);
    }
  }
  for (size_t i = 0; i < branches.size(); ++i) {
    if (Promotes(writer.type, branches[i]->type)) return static_cast<int>(i);
  }
  return -1;
}

Status CanReadNode(const Node& reader, const Node& writer) {
  return Checker().Check(reader, writer, RootPath(reader), 0);
}

Status CanRead(const Schema& reader, const Schema& writer) {
  return CanReadNode(reader.root(), writer.root());
}

Status CheckCompatibility(Compatibility mode, const Schema& proposed,
                          const std::vector<const Schema*>& earlier, int64_t first_version_number) {
  return CheckAgainstVersions(mode, proposed, earlier, CanRead, first_version_number);
}

}  // namespace meshsim::avro
