#include "fakes/storage/object_listing.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "sim/text/base64.h"

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
