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

const RecordDeserializer::Version& RecordDeserializer::Find(const Uuid& id) {
  if (last_ < versions_.size() && versions_[last_].id == id) return versions_[last_];
  for (size_t i = 0; i < versions_.size(); ++i) {
    if (versions_[i].id == id) {
      last_ = i;
      return versions_[i];
    }
  }
  // A version not seen before: looked up once, and the answer (either way) kept, as the SerDe's
  // schema cache does.
  Version& v = versions_.emplace_back();
  last_ = versions_.size() - 1;
  v.id = id;
  GetSchemaVersionRequest request;
  request.schema_version_id = id.ToString();
  auto version = registry_.GetSchemaVersion(request);
  if (!version.ok()) {
    v.status = Status(version.status().code(),
                      "schema version " + request.schema_version_id + " is not in the registry");
    return v;
  }
  auto parsed = SchemaDefinition::Parse(version->data_format, version->schema_definition);
  if (!parsed.ok() || parsed->avro() == nullptr) {
    v.status = Status(Code::kInvalidInput, "schema version " + request.schema_version_id +
                                               " is not an Avro schema this reader can resolve");
    return v;
  }
  v.writer = std::make_shared<const SchemaDefinition>(std::move(*parsed));
  v.identity = v.writer->avro()->canonical_form() == reader_->avro()->canonical_form();
  if (!v.identity) {
    if (auto s = avro::CanRead(*reader_->avro(), *v.writer->avro()); !s.ok()) {
      v.status = Status(Code::kInvalidInput, "the reader cannot read schema version " +
                                                 request.schema_version_id + ": " + s.message());
    }
  }
  return v;
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
