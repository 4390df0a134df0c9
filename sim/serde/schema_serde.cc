#include "sim/serde/schema_serde.h"

#include <algorithm>

#include "sim/serde/avro/compatibility.h"
#include "sim/serde/avro/datum.h"
#include "sim/serde/glue_wire.h"

namespace meshsim {
namespace {

const avro::Node* FieldType(const avro::Node& record, const std::string& name) {
  for (const auto& f : record.fields) {
    if (f.name == name) return f.type;
  }
  return nullptr;
}

}  // namespace

std::shared_ptr<const SchemaDefinition> ParseBaseSchema(std::string_view avro_json) {
  auto parsed = SchemaDefinition::Parse(DataFormat::kAvro, avro_json);
  return parsed.ok() ? std::make_shared<const SchemaDefinition>(std::move(*parsed)) : nullptr;
}

RecordSerializer::RecordSerializer(std::shared_ptr<const SchemaDefinition> base, bool zlib)
    : base_(std::move(base)), zlib_(zlib) {}

Status RecordSerializer::CheckWriter(const WriterVersion& writer) {
  if (writer.definition == nullptr || writer.definition->avro() == nullptr) {
    return Status(Code::kInvalidInput, "the writer's schema must be an Avro schema");
  }
  if (!writer.values.is_object()) {
    return Status(Code::kInvalidInput, "values: expected an object of field values");
  }
  const avro::Node& root = writer.definition->avro()->root();
  std::string scratch;
  for (const auto& [name, value] : writer.values.items()) {
    const avro::Node* type = root.type == avro::Type::kRecord ? FieldType(root, name) : nullptr;
    if (type == nullptr) {
      return Status(Code::kInvalidInput,
                    "values: \"" + name + "\" is not a field of the writer's schema");
    }
    if (auto s = avro::EncodeNode(*type, value, false, &scratch); !s.ok()) {
      return Status(Code::kInvalidInput, "values: \"" + name + "\": " + s.message());
    }
  }
  return Status::Ok();
}

Status RecordSerializer::SetWriter(WriterVersion writer) {
  if (auto s = CheckWriter(writer); !s.ok()) return s;
  writer_is_base_ = writer.definition->avro()->canonical_form() == base_->avro()->canonical_form();
  writer_ = std::move(writer);
  return Status::Ok();
}

Status RecordSerializer::NoWriter() {
  return Status(Code::kInternal, "no schema version to write with: the producer has not started");
}

Status RecordSerializer::Frame(std::string_view payload, std::string* out) {
  FrameRecord(writer_.id, payload, zlib_, out);
  return Status::Ok();
}

Status RecordSerializer::Serialize(std::string_view base_payload, std::string* out) {
  if (writer_is_base_) return Frame(base_payload, out);
  if (!has_writer()) return NoWriter();
  // The base record as a datum, reshaped for the writer: what a producer's code would build for
  // the new schema from the fields it has.
  const avro::Node& base = base_->avro()->root();
  auto datum = avro::DecodeNode(base, base, base_payload);
  if (!datum.ok()) return datum.status();
  const avro::Node& root = writer_.definition->avro()->root();
  if (root.type == avro::Type::kRecord) {
    for (auto it = datum->begin(); it != datum->end();) {
      it = FieldType(root, it.key()) == nullptr ? datum->erase(it) : std::next(it);
    }
    for (const auto& [name, value] : writer_.values.items()) (*datum)[name] = value;
  }
  return SerializeDatum(*datum, out);
}

Status RecordSerializer::SerializeDatum(const nlohmann::json& datum, std::string* out) {
  if (!has_writer()) return NoWriter();
  scratch_.clear();
  if (auto s = avro::EncodeNode(writer_.definition->avro()->root(), datum, false, &scratch_);
      !s.ok()) {
    return s;
  }
  return Frame(scratch_, out);
}

RecordDeserializer::RecordDeserializer(const SchemaRegistry& registry,
                                       std::shared_ptr<const SchemaDefinition> reader)
    : registry_(registry), reader_(std::move(reader)) {}

const RecordDeserializer::Version* RecordDeserializer::Cached(const Uuid& id) const {
  if (last_ < versions_.size() && versions_[last_].id == id) return &versions_[last_];
  for (const Version& v : versions_) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const RecordDeserializer::Version& RecordDeserializer::Find(const Uuid& id) {
  if (const Version* v = Cached(id)) {
    last_ = static_cast<size_t>(v - versions_.data());
    return *v;
  }
  // A version not seen before: looked up once, and the answer (either way) kept, as the SerDe's
  // schema cache does.
  GetSchemaVersionRequest request;
  request.schema_version_id = id.ToString();
  return Store(id, registry_.GetSchemaVersion(request));
}

const RecordDeserializer::Version& RecordDeserializer::Store(const Uuid& id,
                                                             const Result<SchemaVersion>& version) {
  Version& v = versions_.emplace_back();
  last_ = versions_.size() - 1;
  v.id = id;
  const std::string version_id = id.ToString();
  if (!version.ok()) {
    v.status = Status(version.status().code(),
                      "schema version " + version_id + " is not in the registry");
    return v;
  }
  auto parsed = SchemaDefinition::Parse(version->data_format, version->schema_definition);
  if (!parsed.ok() || parsed->avro() == nullptr) {
    v.status = Status(Code::kInvalidInput, "schema version " + version_id +
                                               " is not an Avro schema this reader can resolve");
    return v;
  }
  v.writer = std::make_shared<const SchemaDefinition>(std::move(*parsed));
  v.identity = v.writer->avro()->canonical_form() == reader_->avro()->canonical_form();
  if (!v.identity) {
    if (auto s = avro::CanRead(*reader_->avro(), *v.writer->avro()); !s.ok()) {
      v.status = Status(Code::kInvalidInput,
                        "the reader cannot read schema version " + version_id + ": " + s.message());
    }
  }
  return v;
}

bool RecordDeserializer::Known(const RecordBuffer& records) const {
  const Uuid* last = nullptr;  // records come in runs of one version
  for (const ConsumedRecord& r : records) {
    const std::optional<Uuid> id = PeekSchemaVersionId(r.value);
    if (!id || (last != nullptr && *last == *id)) continue;
    const Version* v = Cached(*id);
    if (v == nullptr) return false;
    last = &v->id;
  }
  return true;
}

void RecordDeserializer::Resolve(const RecordBuffer& records, std::function<void()> ready) {
  auto waiter = std::make_shared<Waiter>();
  waiter->ready = std::move(ready);
  std::vector<Uuid> asked;  // by this call
  for (const ConsumedRecord& r : records) {
    const std::optional<Uuid> id = PeekSchemaVersionId(r.value);
    if (!id || Cached(*id) != nullptr ||
        std::find(asked.begin(), asked.end(), *id) != asked.end()) {
      continue;
    }
    asked.push_back(*id);
    ++waiter->remaining;
    auto pending = std::find_if(lookups_.begin(), lookups_.end(),
                                [&](const Lookup& l) { return l.id == *id; });
    if (pending != lookups_.end()) {
      pending->waiters.push_back(waiter);
      continue;
    }
    lookups_.push_back(Lookup{*id, {waiter}});
    GetSchemaVersionRequest request;
    request.schema_version_id = id->ToString();
    registry_.GetSchemaVersionAsync(request, [this, alive = std::weak_ptr<bool>(alive_),
                                              id = *id](Result<SchemaVersion> version) {
      if (!alive.expired()) Answered(id, version);
    });
  }
  Release(waiter);  // Resolve has asked for everything it needs
}

void RecordDeserializer::Answered(const Uuid& id, const Result<SchemaVersion>& version) {
  auto pending = std::find_if(lookups_.begin(), lookups_.end(),
                              [&](const Lookup& l) { return l.id == id; });
  if (pending == lookups_.end()) return;
  std::vector<std::shared_ptr<Waiter>> waiters = std::move(pending->waiters);
  lookups_.erase(pending);
  if (Cached(id) == nullptr) Store(id, version);
  for (const auto& w : waiters) Release(w);
}

void RecordDeserializer::Release(const std::shared_ptr<Waiter>& waiter) {
  if (--waiter->remaining == 0 && waiter->ready) {
    std::function<void()> ready = std::move(waiter->ready);
    ready();
  }
}

Result<std::string_view> RecordDeserializer::Deserialize(std::string_view record,
                                                         std::string* scratch) {
  auto framed = UnframeView(record, &inflated_);
  if (!framed.ok()) return framed.status();
  const Version& v = Find(framed->schema_version_id);
  if (!v.status.ok()) return v.status;
  if (v.identity) return framed->payload;
  auto datum = avro::DecodeNode(v.writer->avro()->root(), reader_->avro()->root(), framed->payload);
  if (!datum.ok()) return datum.status();
  scratch->clear();
  if (auto s = avro::EncodeNode(reader_->avro()->root(), *datum, false, scratch); !s.ok()) return s;
  ++resolved_;
  return std::string_view(*scratch);
}

}  // namespace meshsim
