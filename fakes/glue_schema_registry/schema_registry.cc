// Every call validates the whole request and finds everything it names before it changes
// anything, so an error leaves the registry as it was. Versions are kept parsed, and an index
// from version id to its schema serves the consumers' GetSchemaVersion by id.
#include "fakes/glue_schema_registry/schema_registry.h"

#include <charconv>
#include <map>
#include <utility>
#include <vector>

#include "sim/core/uuid.h"
#include "sim/serde/schema_definition.h"

namespace meshsim::fakes {
namespace {

// Glue's limits from the botocore model.
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxDescriptionLength = 2048;
constexpr size_t kMaxTags = 50;
constexpr size_t kMaxDefinitionLength = 170000;
constexpr int kMaxResults = 100;

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }
Status NotFound(std::string message) { return Status(Code::kEntityNotFound, std::move(message)); }

Status CheckName(const std::string& name, const char* what) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return Invalid(std::string(what) + " must be 1 to 255 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '$' || c == '#' || c == '.';
    if (!ok)
      return Invalid(std::string(what) + " \"" + name +
                     "\" has characters outside [a-zA-Z0-9-_$#.]");
  }
  return Status::Ok();
}

Status CheckDescriptionAndTags(const std::string& description, const Tags& tags) {
  if (description.size() > kMaxDescriptionLength) {
    return Invalid("description is longer than 2048 characters");
  }
  if (tags.size() > kMaxTags) return Invalid("more than 50 tags");
  return Status::Ok();
}

Result<SchemaDefinition> ParseDefinition(DataFormat format, const std::string& text) {
  if (text.empty() || text.size() > kMaxDefinitionLength ||
      text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid("schemaDefinition must be 1 to 170000 characters and not blank");
  }
  Result<SchemaDefinition> parsed = SchemaDefinition::Parse(format, text);
  if (!parsed.ok()) {
    return Invalid("Schema definition of " + std::string(DataFormatName(format)) +
                   " data format is invalid: " + parsed.status().message());
  }
  return parsed;
}

struct VersionRecord {
  Uuid id;
  int64_t number = 0;
  std::string definition;
  SchemaDefinition parsed;
  int64_t created_us = 0;
};

struct SchemaRecord {
  SchemaInfo info;                      // names, ARNs, format, compatibility, checkpoint, times
  std::vector<VersionRecord> versions;  // versions[i].number == i + 1
};

struct RegistryRecord {
  Registry info;
  std::map<std::string, SchemaRecord> schemas;
};

// The items of `all` after `request.next_token`, at most `request.max_results` of them.
template <typename T>
Result<ListPage<T>> Paginate(std::vector<T> all, const ListRequest& request) {
  if (request.max_results < 1 || request.max_results > kMaxResults) {
    return Invalid("maxResults must be between 1 and 100");
  }
  size_t start = 0;
  if (!request.next_token.empty()) {
    const char* end = request.next_token.data() + request.next_token.size();
    auto [ptr, ec] = std::from_chars(request.next_token.data(), end, start);
    if (ec != std::errc() || ptr != end || start > all.size()) return Invalid("invalid nextToken");
  }
  ListPage<T> page;
  const size_t stop = std::min(all.size(), start + static_cast<size_t>(request.max_results));
  for (size_t i = start; i < stop; ++i) page.items.push_back(std::move(all[i]));
  if (stop < all.size()) page.next_token = std::to_string(stop);
  return page;
}

class FakeSchemaRegistry : public SchemaRegistry {
 public:
  FakeSchemaRegistry(Runtime& runtime, FakeSchemaRegistryOptions options)
      : runtime_(runtime),
        arn_prefix_("arn:aws:glue:" + options.region + ":" + options.account_id + ":") {}

  Result<Registry> CreateRegistry(const CreateRegistryRequest& request) override {
    if (Status s = CheckName(request.registry_name, "registryName"); !s.ok()) return s;
    if (Status s = CheckDescriptionAndTags(request.description, request.tags); !s.ok()) return s;
    if (registries_.count(request.registry_name)) {
      return Status(Code::kAlreadyExists,
                    "Registry already exists. RegistryName: " + request.registry_name);
    }
    return AddRegistry(request.registry_name, request.description, request.tags).info;
  }

  Result<Registry> GetRegistry(const RegistryId& id) const override {
    Result<const RegistryRecord*> registry = FindRegistry(id);
    if (!registry.ok()) return registry.status();
    return (*registry)->info;
  }

  Result<ListPage<Registry>> ListRegistries(const ListRequest& page) const override {
    std::vector<Registry> all;
    for (const auto& [name, registry] : registries_) all.push_back(registry.info);
    return Paginate(std::move(all), page);
  }

  Result<Registry> DeleteRegistry(const RegistryId& id) override {
    Result<const RegistryRecord*> found = FindRegistry(id);
    if (!found.ok()) return found.status();
    Registry out = (*found)->info;
    out.status = "DELETING";
    for (const auto& [name, schema] : (*found)->schemas) Unindex(schema);
    registries_.erase(out.registry_name);
    return out;
  }

  Result<CreateSchemaResponse> CreateSchema(const CreateSchemaRequest& request) override {
    Result<std::string> registry_name = RegistryName(request.registry_id);
    if (!registry_name.ok()) return registry_name.status();
    if (Status s = CheckName(request.schema_name, "schemaName"); !s.ok()) return s;
    if (Status s = CheckDescriptionAndTags(request.description, request.tags); !s.ok()) return s;
    Result<SchemaDefinition> parsed =
        ParseDefinition(request.data_format, request.schema_definition);
    if (!parsed.ok()) return parsed.status();
    auto registry_it = registries_.find(*registry_name);
    if (registry_it == registries_.end() && *registry_name != kDefaultRegistryName) {
      return NotFound("Registry is not found. RegistryName: " + *registry_name);
    }
    if (registry_it != registries_.end() &&
        registry_it->second.schemas.count(request.schema_name)) {
      return Status(Code::kAlreadyExists,
                    "Schema already exists. SchemaName: " + request.schema_name +
                        ", RegistryName: " + *registry_name);
    }
    // Validated: from here on nothing fails.
    RegistryRecord& registry = registry_it != registries_.end()
                                   ? registry_it->second
                                   : AddRegistry(*registry_name, "", {});
    SchemaRecord& schema = registry.schemas[request.schema_name];
    SchemaInfo& info = schema.info;
    info.registry_name = registry.info.registry_name;
    info.registry_arn = registry.info.registry_arn;
    info.schema_name = request.schema_name;
    info.schema_arn = arn_prefix_ + "schema/" + info.registry_name + "/" + info.schema_name;
    info.description = request.description;
    info.data_format = request.data_format;
    info.compatibility = request.compatibility;
    info.schema_status = "AVAILABLE";
    info.tags = request.tags;
    info.created_time_us = runtime_.NowMicros();
    const VersionRecord& v1 = AddVersion(&schema, request.schema_definition, std::move(*parsed));
    CreateSchemaResponse out;
    static_cast<SchemaInfo&>(out) = info;
    out.schema_version_id = v1.id.ToString();
    return out;
  }

  Result<SchemaInfo> GetSchema(const SchemaId& id) const override {
    Result<const SchemaRecord*> schema = FindSchema(id);
    if (!schema.ok()) return schema.status();
    return (*schema)->info;
  }

  Result<ListPage<SchemaInfo>> ListSchemas(const RegistryId& id,
                                           const ListRequest& page) const override {
    Result<const RegistryRecord*> registry = FindRegistry(id);
    if (!registry.ok()) return registry.status();
    std::vector<SchemaInfo> all;
    for (const auto& [name, schema] : (*registry)->schemas) all.push_back(schema.info);
    return Paginate(std::move(all), page);
  }

  Result<SchemaInfo> UpdateSchema(const UpdateSchemaRequest& request) override {
    Result<const SchemaRecord*> found = FindSchema(request.schema_id);
    if (!found.ok()) return found.status();
    if (!request.compatibility && !request.schema_version_number && !request.description) {
      return Invalid("one of compatibility, schemaVersionNumber or description must be given");
    }
    if (request.compatibility && !request.schema_version_number) {
      return Invalid("schemaVersionNumber (the checkpoint) is required with compatibility");
    }
    std::string description = request.description.value_or((*found)->info.description);
    if (Status s = CheckDescriptionAndTags(description, {}); !s.ok()) return s;
    int64_t checkpoint = (*found)->info.schema_checkpoint;
    if (request.schema_version_number) {
      Result<const VersionRecord*> v = FindVersion(**found, *request.schema_version_number);
      if (!v.ok()) return v.status();
      checkpoint = (*v)->number;
    }
    SchemaInfo& info = const_cast<SchemaRecord*>(*found)->info;  // found in this object's maps
    info.compatibility = request.compatibility.value_or(info.compatibility);
    info.schema_checkpoint = checkpoint;
    info.description = std::move(description);
    info.updated_time_us = runtime_.NowMicros();
    return info;
  }

  Result<SchemaInfo> DeleteSchema(const SchemaId& id) override {
    Result<const SchemaRecord*> found = FindSchema(id);
    if (!found.ok()) return found.status();
    SchemaInfo out = (*found)->info;
    out.schema_status = "DELETING";
    Unindex(**found);
    registries_[out.registry_name].schemas.erase(out.schema_name);
    return out;
  }

  Result<RegisterSchemaVersionResponse> RegisterSchemaVersion(
      const SchemaId& id, const std::string& schema_definition) override {
    Result<const SchemaRecord*> found = FindSchema(id);
    if (!found.ok()) return found.status();
    const SchemaRecord& schema = **found;
    Result<SchemaDefinition> parsed = ParseDefinition(schema.info.data_format, schema_definition);
    if (!parsed.ok()) return parsed.status();
    if (const VersionRecord* same = SameDefinition(schema, *parsed)) return Registered(*same);
    const Compatibility mode = schema.info.compatibility;
    const bool all = mode == Compatibility::kBackwardAll || mode == Compatibility::kForwardAll ||
                     mode == Compatibility::kFullAll;
    const int64_t first = all ? 1 : schema.info.schema_checkpoint;
    std::vector<const SchemaDefinition*> earlier;
    for (int64_t n = first; n <= (all ? schema.info.latest_schema_version : first); ++n) {
      earlier.push_back(&schema.versions[static_cast<size_t>(n - 1)].parsed);
    }
    if (Status s = CheckCompatibility(mode, *parsed, earlier, first); !s.ok()) {
      return Invalid("Schema version is not compatible with the schema's compatibility: " +
                     s.message());
    }
    SchemaRecord& mutable_schema = const_cast<SchemaRecord&>(schema);  // in this object's maps
    return Registered(AddVersion(&mutable_schema, schema_definition, std::move(*parsed)));
  }

  Result<SchemaVersion> GetSchemaVersion(const GetSchemaVersionRequest& request) const override {
    const bool by_schema = !request.schema_id.schema_arn.empty() ||
                           !request.schema_id.schema_name.empty() ||
                           !request.schema_id.registry_name.empty();
    if (!request.schema_version_id.empty()) {
      if (by_schema || request.schema_version_number) {
        return Invalid("schemaVersionId cannot be given with schemaId or schemaVersionNumber");
      }
      std::optional<Uuid> uuid = Uuid::Parse(request.schema_version_id);
      if (!uuid)
        return Invalid("schemaVersionId \"" + request.schema_version_id + "\" is not a UUID");
      auto it = version_index_.find(*uuid);
      if (it == version_index_.end()) {
        return NotFound("Schema version is not found. SchemaVersionId: " +
                        request.schema_version_id);
      }
      const SchemaRecord& schema = registries_.at(it->second.first).schemas.at(it->second.second);
      for (const VersionRecord& v : schema.versions) {
        if (v.id == *uuid) return Describe(schema, v, true);
      }
      return Status(Code::kInternal, "version index names a missing version");
    }
    if (!by_schema || !request.schema_version_number) {
      return Invalid("give schemaVersionId, or schemaId with schemaVersionNumber");
    }
    Result<const SchemaRecord*> schema = FindSchema(request.schema_id);
    if (!schema.ok()) return schema.status();
    Result<const VersionRecord*> v = FindVersion(**schema, *request.schema_version_number);
    if (!v.ok()) return v.status();
    return Describe(**schema, **v, true);
  }

  Result<SchemaVersion> GetSchemaByDefinition(const SchemaId& id,
                                              const std::string& schema_definition) const override {
    Result<const SchemaRecord*> schema = FindSchema(id);
    if (!schema.ok()) return schema.status();
    Result<SchemaDefinition> parsed =
        ParseDefinition((*schema)->info.data_format, schema_definition);
    if (!parsed.ok()) return parsed.status();
    const VersionRecord* same = SameDefinition(**schema, *parsed);
    if (same == nullptr) return NotFound("Schema version is not found for the given definition");
    SchemaVersion out = Describe(**schema, *same, false);
    return out;
  }

  Result<ListPage<SchemaVersion>> ListSchemaVersions(const SchemaId& id,
                                                     const ListRequest& page) const override {
    Result<const SchemaRecord*> schema = FindSchema(id);
    if (!schema.ok()) return schema.status();
    std::vector<SchemaVersion> all;
    for (const VersionRecord& v : (*schema)->versions) all.push_back(Describe(**schema, v, false));
    return Paginate(std::move(all), page);
  }

  Result<CheckSchemaVersionValidityResponse> CheckSchemaVersionValidity(
      DataFormat data_format, const std::string& schema_definition) const override {
    Result<SchemaDefinition> parsed = ParseDefinition(data_format, schema_definition);
    CheckSchemaVersionValidityResponse out;
    out.valid = parsed.ok();
    if (!parsed.ok()) out.error = parsed.status().message();
    return out;
  }

 private:
  RegistryRecord& AddRegistry(const std::string& name, const std::string& description,
                              const Tags& tags) {
    RegistryRecord& r = registries_[name];
    r.info.registry_name = name;
    r.info.registry_arn = arn_prefix_ + "registry/" + name;
    r.info.description = description;
    r.info.status = "AVAILABLE";
    r.info.tags = tags;
    r.info.created_time_us = r.info.updated_time_us = runtime_.NowMicros();
    return r;
  }

  const VersionRecord& AddVersion(SchemaRecord* schema, const std::string& definition,
                                  SchemaDefinition parsed) {
    Uuid id;
    do {
      id = Uuid::Random(runtime_.rng());
    } while (version_index_.count(id));
    const int64_t number = static_cast<int64_t>(schema->versions.size()) + 1;
    schema->versions.push_back({id, number, definition, std::move(parsed), runtime_.NowMicros()});
    version_index_[id] = {schema->info.registry_name, schema->info.schema_name};
    SchemaInfo& info = schema->info;
    info.latest_schema_version = info.schema_checkpoint = number;
    info.next_schema_version = number + 1;
    info.updated_time_us = runtime_.NowMicros();
    return schema->versions.back();
  }

  void Unindex(const SchemaRecord& schema) {
    for (const VersionRecord& v : schema.versions) version_index_.erase(v.id);
  }

  static const VersionRecord* SameDefinition(const SchemaRecord& schema,
                                             const SchemaDefinition& parsed) {
    for (const VersionRecord& v : schema.versions) {
      if (v.parsed.normalized_form() == parsed.normalized_form()) return &v;
    }
    return nullptr;
  }

  static RegisterSchemaVersionResponse Registered(const VersionRecord& v) {
    return {v.id.ToString(), v.number, SchemaVersionStatus::kAvailable};
  }

  static SchemaVersion Describe(const SchemaRecord& schema, const VersionRecord& v,
                                bool with_definition) {
    return {v.id.ToString(),
            with_definition ? v.definition : "",
            schema.info.data_format,
            schema.info.schema_arn,
            v.number,
            SchemaVersionStatus::kAvailable,
            v.created_us};
  }

  Result<std::string> RegistryName(const RegistryId& id) const {
    if (!id.registry_name.empty() && !id.registry_arn.empty()) {
      return Invalid("give one of registryName or registryArn, not both");
    }
    if (id.registry_arn.empty()) {
      if (id.registry_name.empty()) return std::string(kDefaultRegistryName);
      if (Status s = CheckName(id.registry_name, "registryName"); !s.ok()) return s;
      return id.registry_name;
    }
    const std::string prefix = arn_prefix_ + "registry/";
    if (id.registry_arn.rfind(prefix, 0) != 0) {
      return NotFound("Registry is not found. RegistryArn: " + id.registry_arn);
    }
    return id.registry_arn.substr(prefix.size());
  }

  Result<const RegistryRecord*> FindRegistry(const RegistryId& id) const {
    Result<std::string> name = RegistryName(id);
    if (!name.ok()) return name.status();
    auto it = registries_.find(*name);
    if (it == registries_.end()) return NotFound("Registry is not found. RegistryName: " + *name);
    return &it->second;
  }

  Result<const SchemaRecord*> FindSchema(const SchemaId& id) const {
    std::string registry =
        id.registry_name.empty() ? std::string(kDefaultRegistryName) : id.registry_name;
    std::string name = id.schema_name;
    if (!id.schema_arn.empty()) {
      if (!id.schema_name.empty() || !id.registry_name.empty()) {
        return Invalid("give schemaArn, or schemaName with registryName, not both");
      }
      const std::string prefix = arn_prefix_ + "schema/";
      const size_t slash = id.schema_arn.find('/', prefix.size());
      if (id.schema_arn.rfind(prefix, 0) != 0 || slash == std::string::npos) {
        return NotFound("Schema is not found. SchemaArn: " + id.schema_arn);
      }
      registry = id.schema_arn.substr(prefix.size(), slash - prefix.size());
      name = id.schema_arn.substr(slash + 1);
    }
    if (Status s = CheckName(name, "schemaName"); !s.ok()) return s;
    if (auto r = registries_.find(registry); r != registries_.end()) {
      if (auto it = r->second.schemas.find(name); it != r->second.schemas.end()) {
        return &it->second;
      }
    }
    return NotFound("Schema is not found. RegistryName: " + registry + ", SchemaName: " + name);
  }

  static Result<const VersionRecord*> FindVersion(const SchemaRecord& schema,
                                                  const SchemaVersionNumber& number) {
    if (number.latest_version && number.version_number != 0) {
      return Invalid("give latestVersion or versionNumber, not both");
    }
    const int64_t n =
        number.latest_version ? schema.info.latest_schema_version : number.version_number;
    if (n < 1) return Invalid("versionNumber must be at least 1");
    if (n > schema.info.latest_schema_version) {
      return NotFound("Schema version is not found. SchemaName: " + schema.info.schema_name +
                      ", VersionNumber: " + std::to_string(n));
    }
    return &schema.versions[static_cast<size_t>(n - 1)];
  }

  Runtime& runtime_;
  const std::string arn_prefix_;  // "arn:aws:glue:REGION:ACCOUNT:"
  std::map<std::string, RegistryRecord> registries_;
  std::map<Uuid, std::pair<std::string, std::string>> version_index_;  // (registry, schema)
};

}  // namespace

Result<std::unique_ptr<SchemaRegistry>> MakeFakeSchemaRegistry(Runtime& runtime,
                                                               FakeSchemaRegistryOptions options) {
  if (options.region.empty() || options.account_id.empty()) {
    return Invalid("the fake schema registry needs a region and an account id");
  }
  return std::unique_ptr<SchemaRegistry>(
      std::make_unique<FakeSchemaRegistry>(runtime, std::move(options)));
}

}  // namespace meshsim::fakes
