#include "fakes/lake_formation/permission_columns.h"

#include <string>
#include <string_view>
#include <vector>

namespace meshsim::fakes {
namespace {

constexpr char kSeparator = '\x1f';

}  // namespace

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += kSeparator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(kSeparator, start);
    out.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::string JoinPermissions(const std::vector<Permission>& permissions) {
  std::string out;
  for (Permission p : permissions) {
    if (!out.empty()) out += ',';
    out += PermissionName(p);
  }
  return out;
}

std::vector<Permission> SplitPermissions(std::string_view text) {
  std::vector<Permission> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    Permission p;
    if (PermissionOfName(text.substr(start, end - start), &p)) out.push_back(p);
    start = end + 1;
  }
  return out;
}

StoredResource StoreResource(const Resource& resource) {
  StoredResource out;
  out.kind = ResourceKindName(KindOf(resource));
  out.catalog_id = CatalogIdOf(resource);
  if (const auto* database = std::get_if<DatabaseResource>(&resource)) {
    out.database_name = database->name;
  } else if (const auto* table = std::get_if<TableResource>(&resource)) {
    out.database_name = table->database_name;
    out.table_name = table->name;
  } else if (const auto* columns = std::get_if<TableWithColumnsResource>(&resource)) {
    out.database_name = columns->database_name;
    out.table_name = columns->name;
    if (columns->column_wildcard) {
      out.kind = ResourceKindName(ResourceKind::kColumnWildcard);
      out.columns = JoinList(columns->column_wildcard->excluded_column_names);
    } else {
      out.columns = JoinList(columns->column_names);
    }
  }
  return out;
}

Resource LoadResource(const StoredResource& stored) {
  ResourceKind kind = ResourceKind::kCatalog;
  (void)ResourceKindOfName(stored.kind, &kind);
  switch (kind) {
    case ResourceKind::kCatalog:
      return CatalogResource{stored.catalog_id};
    case ResourceKind::kDatabase:
      return DatabaseResource{stored.catalog_id, stored.database_name};
    case ResourceKind::kTable:
      return TableResource{stored.catalog_id, stored.database_name, stored.table_name, false};
    case ResourceKind::kTableWildcard:
      return TableResource{stored.catalog_id, stored.database_name, "", true};
    case ResourceKind::kColumn:
      return TableWithColumnsResource{stored.catalog_id, stored.database_name, stored.table_name,
                                      SplitList(stored.columns), std::nullopt};
    case ResourceKind::kColumnWildcard:
      return TableWithColumnsResource{stored.catalog_id,
                                      stored.database_name,
                                      stored.table_name,
                                      {},
                                      ColumnWildcard{SplitList(stored.columns)}};
  }
  return CatalogResource{stored.catalog_id};
}

}  // namespace meshsim::fakes
