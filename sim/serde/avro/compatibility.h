// Avro schema compatibility by the specification's "Schema Resolution" rules (Avro 1.11), with the
// reason for a refusal: which field, which rule. What the schema registry runs before it accepts a
// new version, and what Decode (datum.h) checks before it reads.
//
// CanRead(reader, writer) holds when every datum written with `writer` can be read with `reader`:
//   - the same primitive, or a promotion: int to long, float or double; long to float or double;
//     float to double; string to bytes and bytes to string;
//   - records match by unqualified name, or the writer's name among the reader's aliases; a reader
//     field is matched to the writer field of the same name or of one of its aliases, and must have
//     a default when the writer has no such field; writer fields the reader lacks are ignored;
//   - enums match by name as records do; a writer symbol missing from the reader is an error unless
//     the reader has an enum default;
//   - fixed types match by name and size; arrays by items; maps by values;
//   - a writer union: every branch must be readable by the reader; a reader union: the writer's
//     type is read by the first branch of the same type (and name), else the first it promotes to.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/compatibility_mode.h"
#include "sim/serde/avro/schema.h"

namespace meshsim::avro {

// OK, or InvalidInputException with the path (the root record's name, then field names) and rule:
//   reader field "genre" at /Interaction has no default and is missing in the writer
//   writer enum symbol "SKIP" at /Interaction/event_type is not in the reader and the reader has
//   no default
Status CanRead(const Schema& reader, const Schema& writer);
Status CanReadNode(const Node& reader, const Node& writer);

// Whether a datum of primitive type `writer` reads as `reader` by the specification's promotions.
bool Promotes(Type writer, Type reader);

// The branch of `reader_union` that a datum of the non-union `writer` type is read with, or -1.
int ResolveUnionBranch(const Node& reader_union, const Node& writer);

// The registry's check of `proposed` against the versions `earlier` (oldest first, the last being
// the checkpoint, earlier[0] being version `first_version_number`): see compatibility_mode.h.
Status CheckCompatibility(Compatibility mode, const Schema& proposed,
                          const std::vector<const Schema*>& earlier,
                          int64_t first_version_number = 1);

}  // namespace meshsim::avro
