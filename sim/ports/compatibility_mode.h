// The eight compatibility modes of the Glue Schema Registry and what each asks of a proposed
// schema version, independent of the data format: a format supplies only CanRead(reader, writer),
// "can a reader with this schema read every datum written with that one", and the modes combine it:
//
//   NONE         anything is accepted
//   DISABLED     no new version is accepted
//   BACKWARD     the new schema can read data written with the checkpoint (the latest) version
//   FORWARD      the checkpoint version can read data written with the new schema
//   FULL         both
//   *_ALL        the same against every earlier version, not only the checkpoint
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

enum class Compatibility {
  kNone,
  kDisabled,
  kBackward,
  kBackwardAll,
  kForward,
  kForwardAll,
  kFull,
  kFullAll,
};

// Glue's names: "NONE", "DISABLED", "BACKWARD", ..., "FULL_ALL".
std::string_view CompatibilityName(Compatibility mode);
std::optional<Compatibility> CompatibilityFromName(std::string_view name);

// Checks `proposed` against `earlier` (oldest first; the last one is the checkpoint) under `mode`.
// `can_read(reader, writer)` is the format's resolution check; `first_version_number` is the
// version number of earlier[0], for messages. An incompatibility is an InvalidInputException
// naming the mode, the version and the reason, e.g. "BACKWARD: the new schema cannot read data
// written with version 3: reader field ...". DISABLED is refused whatever `earlier` holds; every
// other mode accepts anything when `earlier` is empty.
template <typename S, typename CanRead>
Status CheckAgainstVersions(Compatibility mode, const S& proposed,
                            const std::vector<const S*>& earlier, CanRead&& can_read,
                            int64_t first_version_number = 1) {
  if (mode == Compatibility::kDisabled) {
    return Status(Code::kInvalidInput,
                  "compatibility is DISABLED: no new version of this schema is accepted");
  }
  if (mode == Compatibility::kNone || earlier.empty()) return Status::Ok();
  const bool all = mode == Compatibility::kBackwardAll || mode == Compatibility::kForwardAll ||
                   mode == Compatibility::kFullAll;
  const bool backward = mode != Compatibility::kForward && mode != Compatibility::kForwardAll;
  const bool forward = mode != Compatibility::kBackward && mode != Compatibility::kBackwardAll;
  // Newest first, so the message names the version a user changed from when several fail.
  const size_t stop = all ? 0 : earlier.size() - 1;
  for (size_t i = earlier.size(); i-- > stop;) {
    const std::string version = std::to_string(first_version_number + static_cast<int64_t>(i));
    const std::string prefix = std::string(CompatibilityName(mode)) + ": ";
    if (backward) {
      if (Status s = can_read(proposed, *earlier[i]); !s.ok()) {
        return Status(Code::kInvalidInput, prefix +
                                               "the new schema cannot read data written with "
                                               "version " +
                                               version + ": " + s.message());
      }
    }
    if (forward) {
      if (Status s = can_read(*earlier[i], proposed); !s.ok()) {
        return Status(Code::kInvalidInput,
                      prefix + "version " + version +
                          " cannot read data written with the new schema: " + s.message());
      }
    }
  }
  return Status::Ok();
}

}  // namespace meshsim
