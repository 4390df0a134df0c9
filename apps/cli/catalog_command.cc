#include "apps/cli/catalog_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

#include "apps/cli/cli.h"
#include "apps/registry/backend_registry.h"
#include "fakes/lake_formation/permission_columns.h"
#include "sim/governance/accounts.h"
#include "sim/governance/permission_rules.h"

namespace meshsim {
namespace {

struct CatalogFlags {
  std::string state_dir;
  std::string name;  // describe's DB[.TABLE], search's TEXT
  std::optional<Principal> principal;
};

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

ToolAction DefineCatalog(CLI::App& app) {
  auto flags = std::make_shared<CatalogFlags>();
  app.add_option("--state", flags->state_dir, "the state directory a run kept (run --state DIR)")
      ->type_name("DIR")
      ->required();
  // --state may come after the verb too: the verbs hand the flags they do not know up to here.
  app.fallthrough();
  app.require_subcommand(0, 1);
  // Checked here rather than by require_subcommand(1), so that a mistyped verb is named as such.
  app.final_callback([&app] {
    if (app.get_subcommands().empty()) {
      throw CLI::RequiredError("a verb (list, describe, search or grants)");
    }
  });
  CLI::App* list = app.add_subcommand("list", "the databases and their tables");
  CLI::App* describe = app.add_subcommand("describe", "a database, or a table with its versions");
  describe->add_option("DB[.TABLE]", flags->name, "a database, or DB.TABLE")->required();
  CLI::App* search = app.add_subcommand("search", "the tables whose names or descriptions match");
  search->add_option("TEXT", flags->name, "the text to look for")->required();
  app.add_subcommand("grants", "the Lake Formation grants, of one principal or of all")
      ->add_option("PRINCIPAL", flags->principal, "an account id");
  return [flags, list, describe, search](std::ostream& out, std::ostream& err) {
    // Opening a store creates it, so a mistyped directory must not become an empty state.
    const std::string& dir = flags->state_dir;
    if (!std::filesystem::exists(std::filesystem::path(dir) / kCatalogFile)) {
      err << "meshsim catalog: " << dir << " holds no state (no " << kCatalogFile
          << "; run a scenario with --state " << dir << " first)\n";
      return kExitUsage;
    }
    auto state = OpenState(nullptr, dir);
    if (!state.ok()) {
      err << "meshsim catalog: " << state.status().ToString() << "\n";
      return kExitUsage;
    }
    if (list->parsed()) return List(*state->catalog, out, err);
    if (describe->parsed()) return Describe(*state->catalog, flags->name, out, err);
    if (search->parsed()) return Search(*state->catalog, flags->name, out, err);
    return Grants(*state->permissions, flags->principal, out, err);
  };
}

}  // namespace meshsim
