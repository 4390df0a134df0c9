// The in-memory Glue Schema Registry behind the SchemaRegistry port: registries, schemas and
// versions with Glue's names, ARNs, identifiers and compatibility checks, for producers and
// consumers in one process. Version ids are UUIDs drawn from the Runtime's Rng, so a seed gives
// the same ids on every run.
#pragma once

#include <memory>
#include <string>

#include "sim/core/runtime.h"
#include "sim/ports/schema_registry.h"

namespace meshsim::fakes {

struct FakeSchemaRegistryOptions {
  // What ARNs are built from: arn:aws:glue:REGION:ACCOUNT:registry/NAME and
  // arn:aws:glue:REGION:ACCOUNT:schema/REGISTRY/NAME. Default: us-east-1, 123456789012.
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
};

// InvalidInputException for an empty region or account id. `runtime` must outlive the registry.
// Not thread-safe, like the Runtime.
Result<std::unique_ptr<SchemaRegistry>> MakeFakeSchemaRegistry(
    Runtime& runtime, FakeSchemaRegistryOptions options = {});

}  // namespace meshsim::fakes
