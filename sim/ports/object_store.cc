#include "sim/ports/object_store.h"

#include <string>

namespace meshsim {

Status CheckBucketName(std::string_view b) {
  auto bad = [&](const char* why) {
    std::string message = "The specified bucket is not valid: ";
    message += why;
    return Status(Code::kInvalidBucketName, std::move(message));
  };
  if (b.size() < 3 || b.size() > 63) return bad("a name has 3-63 characters");
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : b) {
    if (!alnum(c) && c != '.' && c != '-') {
      return bad("only lowercase letters, digits, '.' and '-'");
    }
  }
  if (!alnum(b.front()) || !alnum(b.back()))
    return bad("it starts and ends with a letter or digit");
  if (b.find("..") != std::string_view::npos) return bad("no two adjacent periods");
  // An IPv4 address: four dot-separated groups of digits.
  int groups = 1;
  bool digits_and_dots = true;
  for (char c : b) {
    if (c == '.') {
      ++groups;
    } else if (c < '0' || c > '9') {
      digits_and_dots = false;
    }
  }
  if (digits_and_dots && groups == 4) return bad("not formatted as an IP address");
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (b.starts_with(prefix)) return bad("reserved prefix");
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (b.ends_with(suffix)) return bad("reserved suffix");
  }
  return Status::Ok();
}

Status CheckObjectKey(std::string_view key) {
  if (key.empty()) return Status(Code::kInvalidArgument, "An object key cannot be empty");
  if (key.size() > 1024) {
    return Status(Code::kKeyTooLong, "Your key is too long: at most 1024 bytes");
  }
  return Status::Ok();
}

}  // namespace meshsim
