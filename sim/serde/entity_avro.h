// Record values on the event path, in Avro's binary encoding (zig-zag varint longs, length-prefixed
// strings, enums by index), field order as in the domain schemas below. Avro so a schema registry
// can describe these bytes exactly and a Glue SerDe consumer could read them; hand-written for the
// three fixed record shapes because it sits on the hot path and allocates nothing but the output.
//
//   Interaction {event_id: string, user_id: string, item_id: string, event_type: string,
//                session_id: string, timestamp: long (micros)}
//   User        {user_id: string, genres: string, creation_timestamp: long}
//   Item        {item_id: string, item_type: enum {SONG, PODCAST}, genre: string,
//                creation_timestamp: long}
#pragma once

#include <string>
#include <string_view>

#include "sim/ports/records.h"

namespace meshsim {

// Encoders replace the contents of `out`, reusing its capacity.
void EncodeInteraction(const Interaction& v, std::string* out);
void EncodeUser(const UserProfile& v, std::string* out);
void EncodeItem(const CatalogItem& v, std::string* out);

// An Interaction decoded in place: its strings are views into the encoded bytes, valid while
// those are. Consumers on the event path read each record once and copy only what they keep.
struct InteractionView {
  std::string_view event_id, user_id, item_id, event_type, session_id;
  int64_t timestamp_us = 0;
};
// The same bytes as EncodeInteraction of an Interaction holding these fields, without one.
void EncodeInteraction(const InteractionView& v, std::string* out);

// Decoders overwrite `out`, reusing its strings' capacity. False on truncated or malformed input
// (and `out` is then unspecified).
bool DecodeInteraction(std::string_view in, Interaction* out);
bool DecodeInteraction(std::string_view in, InteractionView* out);
bool DecodeUser(std::string_view in, UserProfile* out);
bool DecodeItem(std::string_view in, CatalogItem* out);

// The Avro schemas above as JSON, for registries and catalogs.
std::string_view InteractionSchemaJson();
std::string_view UserSchemaJson();
std::string_view ItemSchemaJson();
// The schema of a mesh topic's records (sim/ports/topics.h): users, songs, podcasts, interactions.
// REQUIRES: one of those.
std::string_view TopicSchemaJson(std::string_view topic);

}  // namespace meshsim
