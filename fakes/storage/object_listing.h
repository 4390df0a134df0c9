// What every ObjectStore implementation shares: S3's ListObjectsV2 paging over a sorted set of
// keys, and the ETag of a body. A pure function over (request, keys), so the folder and memory
// stores page alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/object_store.h"

namespace meshsim {

// One page of `request` over `objects`, which hold every key of the bucket in UTF-8 binary order
// (std::string's). Continuation tokens are base64 of what the last page ended on, so a page ends
// after a common prefix as S3's does: the next page starts past every key under it.
// InvalidArgument for a negative max_keys or a token this function did not hand out.
Result<ListObjectsResult> ListPage(const ListObjectsRequest& request,
                                   const std::vector<ObjectInfo>& objects);

// ObjectInfo::etag of `body`: "\"<16 hex digits>\"".
std::string ObjectETag(std::string_view body);

}  // namespace meshsim
