// Helpers the control plane's two source files share: paging and the common error messages.
// Internal to fakes/personalize.
#pragma once

#include <charconv>
#include <map>
#include <string>
#include <string_view>

#include "fakes/personalize/resources.h"
#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

inline Status NotFound(std::string_view what, const std::string& arn) {
  std::string message(what);
  message += " does not exist: ";
  message += arn;
  return Status(Code::kResourceNotFound, std::move(message));
}

inline Status AlreadyExists(std::string_view what, const std::string& arn) {
  std::string message(what);
  message += " already exists: ";
  message += arn;
  return Status(Code::kResourceAlreadyExists, std::move(message));
}

inline Status InUse(std::string message) {
  return Status(Code::kResourceInUse, std::move(message));
}

// The values of `map` that `keep` accepts, a page at a time: the token is the index of the next
// item, so a token from a different listing fails only when it is out of range.
template <typename T, typename Keep>
Result<ListPage<T>> Paginate(const std::map<std::string, T>& map, const ListRequest& request,
                             Keep keep) {
  if (request.max_results < 1 || request.max_results > 100) {
    return Status(Code::kInvalidInput, "maxResults must be between 1 and 100");
  }
  size_t start = 0;
  if (!request.next_token.empty()) {
    const char* b = request.next_token.data();
    const char* e = b + request.next_token.size();
    const auto r = std::from_chars(b, e, start);
    if (r.ec != std::errc() || r.ptr != e) {
      return Status(Code::kInvalidNextToken, "The nextToken is not valid");
    }
  }
  ListPage<T> page;
  size_t index = 0;
  for (const auto& [arn, value] : map) {
    if (!keep(value)) continue;
    if (index >= start) {
      if (page.items.size() == static_cast<size_t>(request.max_results)) {
        page.next_token = std::to_string(index);
        break;
      }
      page.items.push_back(value);
    }
    ++index;
  }
  if (start > index) return Status(Code::kInvalidNextToken, "The nextToken is not valid");
  return page;
}

}  // namespace meshsim::fakes::personalize
