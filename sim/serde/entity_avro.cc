#include "sim/serde/entity_avro.h"

#include <cstdint>

#include "sim/core/varint.h"
#include "sim/ports/topics.h"

namespace meshsim {
namespace {

void PutLong(int64_t v, std::string* out) { PutZigZagLong(v, out); }

void PutString(std::string_view s, std::string* out) {
  PutLong(static_cast<int64_t>(s.size()), out);
  out->append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Long(int64_t* v) { return ReadZigZagLong(in_, &pos_, v); }

  bool String(std::string* s) {
    std::string_view v;
    if (!String(&v)) return false;
    s->assign(v);
    return true;
  }

  bool String(std::string_view* s) {
    int64_t n = 0;
    if (!Long(&n) || n < 0 || static_cast<uint64_t>(n) > in_.size() - pos_) return false;
    *s = in_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }

  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

void EncodeInteraction(const InteractionView& v, std::string* out) {
  out->clear();
  PutString(v.event_id, out);
  PutString(v.user_id, out);
  PutString(v.item_id, out);
  PutString(v.event_type, out);
  PutString(v.session_id, out);
  PutLong(v.timestamp_us, out);
}

void EncodeInteraction(const Interaction& v, std::string* out) {
  EncodeInteraction(
      InteractionView{v.event_id, v.user_id, v.item_id, v.event_type, v.session_id, v.timestamp_us},
      out);
}

void EncodeUser(const UserProfile& v, std::string* out) {
  out->clear();
  PutString(v.user_id, out);
  PutString(v.genres, out);
  PutLong(v.created_us, out);
}

void EncodeItem(const CatalogItem& v, std::string* out) {
  out->clear();
  PutString(v.item_id, out);
  PutLong(static_cast<int64_t>(v.type), out);
  PutString(v.genre, out);
  PutLong(v.created_us, out);
}

namespace {

template <typename Out>
bool DecodeInteractionInto(std::string_view in, Out* out) {
  Reader r(in);
  return r.String(&out->event_id) && r.String(&out->user_id) && r.String(&out->item_id) &&
         r.String(&out->event_type) && r.String(&out->session_id) && r.Long(&out->timestamp_us) &&
         r.AtEnd();
}

}  // namespace

bool DecodeInteraction(std::string_view in, Interaction* out) {
  return DecodeInteractionInto(in, out);
}

bool DecodeInteraction(std::string_view in, InteractionView* out) {
  return DecodeInteractionInto(in, out);
}

bool DecodeUser(std::string_view in, UserProfile* out) {
  Reader r(in);
  return r.String(&out->user_id) && r.String(&out->genres) && r.Long(&out->created_us) && r.AtEnd();
}

bool DecodeItem(std::string_view in, CatalogItem* out) {
  Reader r(in);
  int64_t type = 0;
  if (!r.String(&out->item_id) || !r.Long(&type) || type < 0 || type > 1) return false;
  out->type = static_cast<ItemType>(type);
  return r.String(&out->genre) && r.Long(&out->created_us) && r.AtEnd();
}

std::string_view InteractionSchemaJson() {
  return R"({"type":"record","name":"Interaction","namespace":"meshsim","fields":[)"
         R"({"name":"event_id","type":"string"},{"name":"user_id","type":"string"},)"
         R"({"name":"item_id","type":"string"},{"name":"event_type","type":"string"},)"
         R"({"name":"session_id","type":"string"},)"
         R"({"name":"timestamp","type":{"type":"long","logicalType":"timestamp-micros"}}]})";
}

std::string_view UserSchemaJson() {
  return R"({"type":"record","name":"User","namespace":"meshsim","fields":[)"
         R"({"name":"user_id","type":"string"},{"name":"genres","type":"string"},)"
         R"({"name":"creation_timestamp","type":{"type":"long","logicalType":"timestamp-micros"}}]})";
}

std::string_view ItemSchemaJson() {
  return R"({"type":"record","name":"Item","namespace":"meshsim","fields":[)"
         R"({"name":"item_id","type":"string"},)"
         R"({"name":"item_type","type":{"type":"enum","name":"ItemType","symbols":["SONG","PODCAST"]}},)"
         R"({"name":"genre","type":"string"},)"
         R"({"name":"creation_timestamp","type":{"type":"long","logicalType":"timestamp-micros"}}]})";
}

std::string_view TopicSchemaJson(std::string_view topic) {
  if (topic == kInteractionsTopic) return InteractionSchemaJson();
  if (topic == kUsersTopic) return UserSchemaJson();
  return ItemSchemaJson();
}

}  // namespace meshsim
