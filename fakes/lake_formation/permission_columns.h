// How the SQLite permissions store writes resources, grant rows and permission lists into text
// columns and reads them back. Lists are joined with the unit separator (0x1F): Glue names cannot
// hold control characters, so it never occurs inside a name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/governance/permission_rules.h"
#include "sim/ports/permissions.h"

namespace meshsim::fakes {

std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(std::string_view text);

// "SELECT,DESCRIBE" and back; unknown names are dropped (the store writes only known ones).
std::string JoinPermissions(const std::vector<Permission>& permissions);
std::vector<Permission> SplitPermissions(std::string_view text);

// A resource as the audit log stores it: kind name, catalog id, database, table, and a list of
// column names (kColumn) or of excluded names (kColumnWildcard).
struct StoredResource {
  std::string kind;
  std::string catalog_id;
  std::string database_name;
  std::string table_name;
  std::string columns;
};
StoredResource StoreResource(const Resource& resource);
Resource LoadResource(const StoredResource& stored);

}  // namespace meshsim::fakes
