#include "fakes/personalize/arn.h"

#include <string_view>

namespace meshsim::fakes::personalize {

namespace {

constexpr size_t kMaxNameLength = 63;
constexpr size_t kMaxArnLength = 256;

Status Invalid(std::string_view member, std::string_view what) {
  std::string message(member);
  message += ' ';
  message += what;
  return Status(Code::kInvalidInput, std::move(message));
}

}  // namespace

Status ValidateName(std::string_view member, std::string_view name) {
  if (name.empty()) return Invalid(member, "is required");
  if (name.size() > kMaxNameLength) return Invalid(member, "must be at most 63 characters");
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) {
    return Invalid(member, "must match the pattern ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
  }
  for (const char c : name) {
    if (!alnum(c) && c != '-' && c != '_') {
      return Invalid(member, "must match the pattern ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    }
  }
  return Status::Ok();
}

Status ValidateArn(std::string_view member, std::string_view arn) {
  if (arn.empty()) return Invalid(member, "is required");
  if (arn.size() > kMaxArnLength) return Invalid(member, "must be at most 256 characters");
  // arn:([a-z\d-]+):personalize:.*:.*:.+ by hand: a std::regex costs microseconds a call, and
  // every runtime call checks its campaign's ARN.
  const auto bad = [&] {
    return Invalid(member, "must match the pattern arn:([a-z\\d-]+):personalize:.*:.*:.+");
  };
  if (!arn.starts_with("arn:")) return bad();
  std::string_view rest = arn.substr(4);
  const size_t partition = rest.find(':');
  if (partition == 0 || partition == std::string_view::npos) return bad();
  for (const char c : rest.substr(0, partition)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return bad();
  }
  rest = rest.substr(partition + 1);
  if (!rest.starts_with("personalize:")) return bad();
  rest = rest.substr(12);
  if (rest.find_first_of("\n\r") != std::string_view::npos) return bad();  // '.' stops at them
  const size_t region = rest.find(':');
  if (region == std::string_view::npos) return bad();
  const size_t account = rest.find(':', region + 1);
  if (account == std::string_view::npos || account + 1 >= rest.size()) return bad();
  return Status::Ok();
}

std::string MakeArn(std::string_view region, std::string_view account, std::string_view kind,
                    std::string_view path) {
  std::string arn = "arn:aws:personalize:";
  arn += region;
  arn += ':';
  arn += account;
  arn += ':';
  arn += kind;
  arn += '/';
  arn += path;
  return arn;
}

std::string RecipeArn(std::string_view recipe_name) {
  std::string arn = "arn:aws:personalize:::recipe/";
  arn += recipe_name;
  return arn;
}

}  // namespace meshsim::fakes::personalize
