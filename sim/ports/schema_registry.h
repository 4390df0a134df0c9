// SchemaRegistry: the Glue Schema Registry surface producers and consumers use to agree on the
// shape of the records on a topic: registries hold schemas, a schema holds numbered versions
// (numbers count from 1, each version also has a UUID that records carry in their Glue wire
// header, sim/serde/glue_wire.h), and a schema's compatibility mode decides which new versions are
// accepted (sim/ports/compatibility_mode.h). Control-plane calls, so they are synchronous. Field
// names follow the botocore model of Glue (snake_case of its member names); times are microseconds
// on the Runtime's clock rather than Glue's timestamp strings.
//
// Abstract so the domains run unchanged on the in-memory registry
// (fakes/glue_schema_registry/schema_registry.h) and on AWS Glue through SigV4-signed HTTPS
// (backends/, later). Errors use Glue's types: EntityNotFoundException, AlreadyExistsException,
// InvalidInputException (also for a definition that does not parse and for an incompatible version,
// with the reason).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/compatibility_mode.h"
#include "sim/ports/data_format.h"

namespace meshsim {

inline constexpr std::string_view kDefaultRegistryName = "default-registry";

// Versions are checked synchronously, so the fake's are always AVAILABLE; Glue's asynchronous
// states are here for a real backend.
enum class SchemaVersionStatus { kAvailable, kPending, kFailure, kDeleting };
inline std::string_view SchemaVersionStatusName(SchemaVersionStatus status) {
  switch (status) {
    case SchemaVersionStatus::kAvailable:
      return "AVAILABLE";
    case SchemaVersionStatus::kPending:
      return "PENDING";
    case SchemaVersionStatus::kFailure:
      return "FAILURE";
    case SchemaVersionStatus::kDeleting:
      return "DELETING";
  }
  return "UNKNOWN";
}

// RegistryName or RegistryArn; both empty names the default registry.
struct RegistryId {
  std::string registry_name;
  std::string registry_arn;
};

// SchemaArn, or SchemaName with RegistryName (empty: the default registry).
struct SchemaId {
  std::string schema_arn;
  std::string schema_name;
  std::string registry_name;
};

// LatestVersion, or a VersionNumber >= 1.
struct SchemaVersionNumber {
  bool latest_version = false;
  int64_t version_number = 0;
};

using Tags = std::map<std::string, std::string>;

struct CreateRegistryRequest {
  std::string registry_name;
  std::string description;
  Tags tags;
};

struct Registry {  // CreateRegistryResponse, GetRegistryResponse, a RegistryListItem
  std::string registry_name;
  std::string registry_arn;
  std::string description;
  std::string status;  // AVAILABLE, or DELETING in DeleteRegistry's response
  Tags tags;
  int64_t created_time_us = 0;
  int64_t updated_time_us = 0;
};

struct CreateSchemaRequest {
  RegistryId registry_id;
  std::string schema_name;
  DataFormat data_format = DataFormat::kAvro;
  Compatibility compatibility = Compatibility::kBackward;  // Glue's default
  std::string description;
  Tags tags;
  std::string schema_definition;  // becomes version 1
};

struct SchemaInfo {  // GetSchemaResponse, a SchemaListItem
  std::string registry_name;
  std::string registry_arn;
  std::string schema_name;
  std::string schema_arn;
  std::string description;
  DataFormat data_format = DataFormat::kAvro;
  Compatibility compatibility = Compatibility::kBackward;
  int64_t schema_checkpoint = 0;  // the version non-_ALL modes compare with
  int64_t latest_schema_version = 0;
  int64_t next_schema_version = 0;
  std::string schema_status;  // AVAILABLE, or DELETING in DeleteSchema's response
  Tags tags;
  int64_t created_time_us = 0;
  int64_t updated_time_us = 0;
};

struct CreateSchemaResponse : SchemaInfo {
  std::string schema_version_id;
  SchemaVersionStatus schema_version_status = SchemaVersionStatus::kAvailable;
};

struct UpdateSchemaRequest {
  SchemaId schema_id;
  // The new checkpoint. Glue requires it whenever `compatibility` is given.
  std::optional<SchemaVersionNumber> schema_version_number;
  std::optional<Compatibility> compatibility;
  std::optional<std::string> description;
};

struct RegisterSchemaVersionResponse {
  std::string schema_version_id;
  int64_t version_number = 0;
  SchemaVersionStatus status = SchemaVersionStatus::kAvailable;
};

// By SchemaVersionId alone, or by SchemaId with SchemaVersionNumber.
struct GetSchemaVersionRequest {
  SchemaId schema_id;
  std::string schema_version_id;
  std::optional<SchemaVersionNumber> schema_version_number;
};

struct SchemaVersion {  // GetSchemaVersionResponse, GetSchemaByDefinitionResponse, list items
  std::string schema_version_id;
  std::string schema_definition;
  DataFormat data_format = DataFormat::kAvro;
  std::string schema_arn;
  int64_t version_number = 0;
  SchemaVersionStatus status = SchemaVersionStatus::kAvailable;
  int64_t created_time_us = 0;
};

// A page of a List* call: at most `max_results` (1-100; Glue's default and maximum is 100)
// after the position `next_token` names; the response's next_token is empty on the last page.
struct ListRequest {
  int max_results = 100;
  std::string next_token;
};

template <typename T>
struct ListPage {
  std::vector<T> items;  // Glue: Registries, Schemas
  std::string next_token;
};

struct CheckSchemaVersionValidityResponse {
  bool valid = false;
  std::string error;
};

class SchemaRegistry {
 public:
  virtual ~SchemaRegistry() = default;

  // AlreadyExistsException for a taken name; InvalidInputException for a name outside
  // [a-zA-Z0-9-_$#.]{1,255}, a description over 2048 characters or more than 50 tags.
  virtual Result<Registry> CreateRegistry(const CreateRegistryRequest& request) = 0;
  virtual Result<Registry> GetRegistry(const RegistryId& id) const = 0;
  virtual Result<ListPage<Registry>> ListRegistries(const ListRequest& page) const = 0;
  // Deletes the registry with its schemas and versions; the response's status is DELETING.
  virtual Result<Registry> DeleteRegistry(const RegistryId& id) = 0;

  // Creates the schema and its version 1 from `schema_definition`, which must parse as
  // `data_format`. The default registry is created on first use, as Glue does.
  virtual Result<CreateSchemaResponse> CreateSchema(const CreateSchemaRequest& request) = 0;
  virtual Result<SchemaInfo> GetSchema(const SchemaId& id) const = 0;
  // The registry's schemas by name.
  virtual Result<ListPage<SchemaInfo>> ListSchemas(const RegistryId& id,
                                                   const ListRequest& page) const = 0;
  // Sets the compatibility, the checkpoint or the description; existing versions are not
  // re-checked against a new compatibility.
  virtual Result<SchemaInfo> UpdateSchema(const UpdateSchemaRequest& request) = 0;
  virtual Result<SchemaInfo> DeleteSchema(const SchemaId& id) = 0;

  // Adds a version if the definition parses and passes the schema's compatibility check: against
  // the checkpoint version, or every earlier version under an _ALL mode. A definition the same as
  // an existing version's (the same normalized form) returns that version and adds nothing. An
  // incompatible definition is refused with InvalidInputException carrying the reason and
  // nothing is stored. A new version becomes the latest and the checkpoint.
  virtual Result<RegisterSchemaVersionResponse> RegisterSchemaVersion(
      const SchemaId& id, const std::string& schema_definition) = 0;
  virtual Result<SchemaVersion> GetSchemaVersion(const GetSchemaVersionRequest& request) const = 0;
  // GetSchemaVersion for a caller on the runtime's thread, which must not wait on a network (a
  // consumer meeting a writer version it has not seen): `done` runs on the runtime, possibly
  // before the call returns. A registry across a network answers without blocking the thread;
  // the default answers through GetSchemaVersion at once.
  using SchemaVersionCallback = std::function<void(Result<SchemaVersion>)>;
  virtual void GetSchemaVersionAsync(const GetSchemaVersionRequest& request,
                                     SchemaVersionCallback done) const {
    done(GetSchemaVersion(request));
  }
  // The version whose definition is the same as `schema_definition`; EntityNotFoundException if
  // none is.
  virtual Result<SchemaVersion> GetSchemaByDefinition(
      const SchemaId& id, const std::string& schema_definition) const = 0;
  // Oldest first; items carry no schema_definition, as in Glue.
  virtual Result<ListPage<SchemaVersion>> ListSchemaVersions(const SchemaId& id,
                                                             const ListRequest& page) const = 0;
  // Whether the definition parses as `data_format`, and why not.
  virtual Result<CheckSchemaVersionValidityResponse> CheckSchemaVersionValidity(
      DataFormat data_format, const std::string& schema_definition) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingSchemaRegistry : public SchemaRegistry {
 public:
  explicit ForwardingSchemaRegistry(SchemaRegistry& target) : target_(target) {}

  Result<Registry> CreateRegistry(const CreateRegistryRequest& request) override {
    return target_.CreateRegistry(request);
  }
  Result<Registry> GetRegistry(const RegistryId& id) const override {
    return target_.GetRegistry(id);
  }
  Result<ListPage<Registry>> ListRegistries(const ListRequest& page) const override {
    return target_.ListRegistries(page);
  }
  Result<Registry> DeleteRegistry(const RegistryId& id) override {
    return target_.DeleteRegistry(id);
  }
  Result<CreateSchemaResponse> CreateSchema(const CreateSchemaRequest& request) override {
    return target_.CreateSchema(request);
  }
  Result<SchemaInfo> GetSchema(const SchemaId& id) const override { return target_.GetSchema(id); }
  Result<ListPage<SchemaInfo>> ListSchemas(const RegistryId& id,
                                           const ListRequest& page) const override {
    return target_.ListSchemas(id, page);
  }
  Result<SchemaInfo> UpdateSchema(const UpdateSchemaRequest& request) override {
    return target_.UpdateSchema(request);
  }
  Result<SchemaInfo> DeleteSchema(const SchemaId& id) override { return target_.DeleteSchema(id); }
  Result<RegisterSchemaVersionResponse> RegisterSchemaVersion(
      const SchemaId& id, const std::string& schema_definition) override {
    return target_.RegisterSchemaVersion(id, schema_definition);
  }
  Result<SchemaVersion> GetSchemaVersion(const GetSchemaVersionRequest& request) const override {
    return target_.GetSchemaVersion(request);
  }
  void GetSchemaVersionAsync(const GetSchemaVersionRequest& request,
                             SchemaVersionCallback done) const override {
    target_.GetSchemaVersionAsync(request, std::move(done));
  }
  Result<SchemaVersion> GetSchemaByDefinition(const SchemaId& id,
                                              const std::string& schema_definition) const override {
    return target_.GetSchemaByDefinition(id, schema_definition);
  }
  Result<ListPage<SchemaVersion>> ListSchemaVersions(const SchemaId& id,
                                                     const ListRequest& page) const override {
    return target_.ListSchemaVersions(id, page);
  }
  Result<CheckSchemaVersionValidityResponse> CheckSchemaVersionValidity(
      DataFormat data_format, const std::string& schema_definition) const override {
    return target_.CheckSchemaVersionValidity(data_format, schema_definition);
  }

 protected:
  SchemaRegistry& target() const { return target_; }

 private:
  SchemaRegistry& target_;
};

}  // namespace meshsim
