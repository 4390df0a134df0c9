#include "sim/object_listing.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "sim/base64.h"

namespace meshsim {
namespace {

// S3 returns at most 1000 keys a page whatever max-keys asks for.
constexpr int32_t kMaxKeysPerPage = 1000;

// A token is base64 of a one-letter kind and the marker: "k<key>" resumes after that key,
// "p<common prefix>" after every key under that prefix.
std::string Token(char kind, const std::string& marker) {
  std::string raw(1, kind);
  raw += marker;
  return Base64Encode(raw);
}

Status BadToken() {
  return Status(Code::kInvalidArgument, "The continuation token provided is incorrect");
}

}  // namespace

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

Result<ListObjectsResult> ListPage(const ListObjectsRequest& request,
                                   const std::vector<ObjectInfo>& objects) {
  if (request.max_keys < 0) {
    return Status(Code::kInvalidArgument, "max-keys cannot be negative");
  }
  const int32_t max_keys = std::min(request.max_keys, kMaxKeysPerPage);
  char kind = 'k';
  std::string marker = request.start_after;
  if (!request.continuation_token.empty()) {
    Result<std::string> raw = Base64Decode(request.continuation_token);
    if (!raw.ok() || raw->empty() || ((*raw)[0] != 'k' && (*raw)[0] != 'p')) return BadToken();
    kind = (*raw)[0];
    marker = raw->substr(1);
  }
  auto it = objects.begin();
  if (!marker.empty()) {
    it = std::upper_bound(objects.begin(), objects.end(), marker,
                          [](const std::string& m, const ObjectInfo& o) { return m < o.key; });
    if (kind == 'p') {
      while (it != objects.end() && it->key.starts_with(marker)) ++it;
    }
  }
  if (!request.prefix.empty()) {
    auto first =
        std::lower_bound(objects.begin(), objects.end(), request.prefix,
                         [](const ObjectInfo& o, const std::string& p) { return o.key < p; });
    it = std::max(it, first);
  }

  ListObjectsResult page;
  if (max_keys == 0) return page;  // nothing asked for, so nothing left over either
  char last_kind = 'k';
  std::string last;
  for (; it != objects.end() && it->key.starts_with(request.prefix);) {
    if (page.key_count == max_keys) {
      page.is_truncated = true;
      page.next_continuation_token = Token(last_kind, last);
      break;
    }
    const size_t cut = request.delimiter.empty()
                           ? std::string::npos
                           : it->key.find(request.delimiter, request.prefix.size());
    if (cut == std::string::npos) {
      page.contents.push_back(*it);
      last_kind = 'k';
      last = it->key;
      ++it;
    } else {
      std::string common = it->key.substr(0, cut + request.delimiter.size());
      while (it != objects.end() && it->key.starts_with(common)) ++it;
      page.common_prefixes.push_back(common);
      last_kind = 'p';
      last = std::move(common);
    }
    ++page.key_count;
  }
  return page;
}

std::string ObjectETag(std::string_view body) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char text[19];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace meshsim
