#include "apps/cli/catalog_command.h"

#include <filesystem>
#include <ostream>

#include "apps/cli/cli.h"
#include "apps/registry/backend_registry.h"
#include "fakes/lake_formation/permission_columns.h"
#include "sim/governance/accounts.h"
#include "sim/governance/permission_rules.h"

namespace meshsim {
namespace {

constexpr const char* kUsage =
    "usage: meshsim catalog --state DIR list | describe DB[.TABLE] | search TEXT | grants "
    "[PRINCIPAL]";

std::string Columns(const std::vector<Column>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name + " " + c.type;
  }
  return out;
}

std::string OwnerOf(const std::string& domain) {
  const std::string_view account = DomainAccount(domain);
  return account.empty() ? domain : domain + " (" + std::string(account) + ")";
}

void TableLine(const Table& t, std::ostream& out) {
  out << "  " << t.database << "." << t.name << "  " << t.format << "  " << t.location
      << "  version " << t.version_id << "  owner " << OwnerOf(t.owner_domain) << "\n";
}

int List(Catalog& catalog, std::ostream& out, std::ostream& err) {
  auto databases = catalog.GetDatabases();
  if (!databases.ok()) {
    err << "meshsim catalog: " << databases.status().ToString() << "\n";
    return kExitUsage;
  }
  if (databases->empty()) out << "no databases\n";
  for (const auto& db : *databases) {
    out << db.name << "  owner " << OwnerOf(db.owner_domain) << "  " << db.description << "\n";
    auto tables = catalog.GetTables(db.name);
    if (!tables.ok()) continue;
    for (const auto& t : *tables) TableLine(t, out);
  }
  return kExitOk;
}

int Describe(Catalog& catalog, const std::string& name, std::ostream& out, std::ostream& err) {
  const size_t dot = name.find('.');
  const std::string db_name = name.substr(0, dot);
  auto db = catalog.GetDatabase(db_name);
  if (!db.ok()) {
    err << "meshsim catalog: " << db.status().ToString() << "\n";
    return kExitUsage;
  }
  if (dot == std::string::npos) {
    out << "database " << db->name << "\n  owner " << OwnerOf(db->owner_domain)
        << "\n  description " << db->description << "\n";
    auto tables = catalog.GetTables(db->name);
    if (tables.ok()) {
      out << "  tables " << tables->size() << "\n";
      for (const auto& t : *tables) TableLine(t, out);
    }
    return kExitOk;
  }
  auto t = catalog.GetTable(db_name, name.substr(dot + 1));
  if (!t.ok()) {
    err << "meshsim catalog: " << t.status().ToString() << "\n";
    return kExitUsage;
  }
  out << "table " << t->database << "." << t->name << "\n"
      << "  description " << t->description << "\n"
      << "  owner " << OwnerOf(t->owner_domain) << "\n"
      << "  location " << t->location << "\n"
      << "  format " << t->format << "\n"
      << "  columns " << Columns(t->columns) << "\n";
  if (!t->partition_keys.empty()) out << "  partition keys " << Columns(t->partition_keys) << "\n";
  if (!t->serde.serialization_library.empty()) {
    out << "  serde " << t->serde.serialization_library << "\n";
  }
  for (const auto& [k, v] : t->parameters) out << "  parameter " << k << " = " << v << "\n";
  if (t->schema_reference) {
    const SchemaReference& r = *t->schema_reference;
    out << "  schema "
        << (r.schema_arn.empty() ? r.registry_name + "/" + r.schema_name : r.schema_arn)
        << (r.schema_version_id.empty() ? "" : " version " + r.schema_version_id) << "\n";
  }
  out << "  version " << t->version_id;
  if (auto versions = catalog.GetTableVersions(t->database, t->name); versions.ok()) {
    out << " (" << versions->size() << " kept)";
  }
  out << "\n";
  if (auto parts = catalog.GetPartitions(t->database, t->name, ""); parts.ok()) {
    out << "  partitions " << parts->size() << "\n";
    for (const auto& p : *parts) {
      out << "   ";
      for (size_t i = 0; i < p.values.size(); ++i) {
        out << " " << (i < t->partition_keys.size() ? t->partition_keys[i].name : "?") << "="
            << p.values[i];
      }
      out << "  " << p.location << "\n";
    }
  }
  return kExitOk;
}

int Search(Catalog& catalog, const std::string& text, std::ostream& out, std::ostream& err) {
  auto tables = catalog.SearchTables(text);
  if (!tables.ok()) {
    err << "meshsim catalog: " << tables.status().ToString() << "\n";
    return kExitUsage;
  }
  if (tables->empty()) out << "no tables match \"" << text << "\"\n";
  for (const auto& t : *tables) TableLine(t, out);
  return kExitOk;
}

int Grants(Permissions& permissions, const std::optional<Principal>& principal, std::ostream& out,
           std::ostream& err) {
  auto grants = permissions.ListPermissions(kGovernanceAccount, principal);
  if (!grants.ok()) {
    err << "meshsim catalog: " << grants.status().ToString() << "\n";
    return kExitUsage;
  }
  if (grants->empty()) out << "no grants\n";
  for (const auto& g : *grants) {
    const std::string_view domain = AccountDomain(g.principal);
    out << g.principal << (domain.empty() ? "" : " (" + std::string(domain) + ")") << "  "
        << fakes::JoinPermissions(g.permissions);
    if (!g.permissions_with_grant_option.empty()) {
      out << "  grantable " << fakes::JoinPermissions(g.permissions_with_grant_option);
    }
    out << "  on " << DescribeResource(g.resource) << "\n";
  }
  return kExitOk;
}

}  // namespace

int CatalogCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string state_dir;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--state") {
      if (i + 1 >= args.size()) {
        err << "meshsim catalog: --state needs a directory\n" << kUsage << "\n";
        return kExitUsage;
      }
      state_dir = args[++i];
    } else {
      rest.push_back(args[i]);
    }
  }
  if (state_dir.empty() || rest.empty()) {
    err << "meshsim catalog: " << (state_dir.empty() ? "which state? " : "what to show? ") << kUsage
        << "\n";
    return kExitUsage;
  }
  // Opening a store creates it, so a mistyped directory must not become an empty state.
  if (!std::filesystem::exists(std::filesystem::path(state_dir) / kCatalogFile)) {
    err << "meshsim catalog: " << state_dir << " holds no state (no " << kCatalogFile
        << "; run a scenario with --state " << state_dir << " first)\n";
    return kExitUsage;
  }
  auto state = OpenState(nullptr, state_dir);
  if (!state.ok()) {
    err << "meshsim catalog: " << state.status().ToString() << "\n";
    return kExitUsage;
  }
  const std::string& verb = rest[0];
  const size_t want = verb == "list" ? 1 : verb == "grants" ? (rest.size() > 1 ? 2 : 1) : 2;
  if ((verb != "list" && verb != "describe" && verb != "search" && verb != "grants") ||
      rest.size() != want) {
    err << "meshsim catalog: unexpected \"" << (rest.size() > want ? rest[want] : verb) << "\"; "
        << kUsage << "\n";
    return kExitUsage;
  }
  if (verb == "list") return List(*state->catalog, out, err);
  if (verb == "describe") return Describe(*state->catalog, rest[1], out, err);
  if (verb == "search") return Search(*state->catalog, rest[1], out, err);
  std::optional<Principal> principal;
  if (rest.size() > 1) principal = rest[1];
  return Grants(*state->permissions, principal, out, err);
}

}  // namespace meshsim
