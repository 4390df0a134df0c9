// A small mesh for the permissions and subscriptions suites: three producer accounts, each with
// one database and table, two consumer accounts, and a directory standing in for the catalog.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/lake_formation/permissions.h"
#include "sim/governance/permission_rules.h"

namespace meshsim::fakes::testing {

inline const Principal kUsers = "111111111111";     // producer: users_domain.profiles
inline const Principal kMusic = "222222222222";     // producer: music_domain.songs
inline const Principal kPodcasts = "333333333333";  // producer: podcasts_domain.podcasts
inline const Principal kRecs = "444444444444";      // consumer: recommendations (rec_db)
inline const Principal kTrends = "555555555555";    // consumer: analytics
inline const Principal kAdmin = "999999999999";     // data-lake administrator

// What the catalog holds, by (catalog, database) and (catalog, database, table) with columns.
class Directory {
 public:
  Directory() {
    AddTable(kUsers, "users_domain", "profiles", {"user_id", "country", "email"});
    AddTable(kMusic, "music_domain", "songs", {"song_id", "title", "artist_id"});
    AddTable(kPodcasts, "podcasts_domain", "podcasts", {"podcast_id", "title"});
    databases_.insert({kRecs, "rec_db"});
  }

  void AddTable(const Principal& catalog, const std::string& database, const std::string& table,
                std::vector<std::string> columns) {
    databases_.insert({catalog, database});
    tables_[{catalog, database, table}] = std::set<std::string>(columns.begin(), columns.end());
  }

  Status Find(const Resource& resource) const {
    if (const auto* d = std::get_if<DatabaseResource>(&resource)) {
      return HasDatabase(d->catalog_id, d->name);
    }
    if (const auto* t = std::get_if<TableResource>(&resource)) {
      if (t->table_wildcard) return HasDatabase(t->catalog_id, t->database_name);
      return HasTable(t->catalog_id, t->database_name, t->name).status();
    }
    if (const auto* c = std::get_if<TableWithColumnsResource>(&resource)) {
      Result<const std::set<std::string>*> columns =
          HasTable(c->catalog_id, c->database_name, c->name);
      if (!columns.ok()) return columns.status();
      std::vector<std::string> named = c->column_names;
      if (c->column_wildcard) named = c->column_wildcard->excluded_column_names;
      for (const std::string& name : named) {
        if ((*columns)->count(name) == 0) {
          return Status(Code::kEntityNotFound, "Column " + name + " not found.");
        }
      }
    }
    return Status::Ok();
  }

 private:
  Status HasDatabase(const std::string& catalog, const std::string& name) const {
    if (databases_.count({catalog, name}) > 0) return Status::Ok();
    return Status(Code::kEntityNotFound, "Database " + name + " not found.");
  }
  Result<const std::set<std::string>*> HasTable(const std::string& catalog,
                                                const std::string& database,
                                                const std::string& name) const {
    if (Status s = HasDatabase(catalog, database); !s.ok()) return s;
    auto it = tables_.find({catalog, database, name});
    if (it == tables_.end()) return Status(Code::kEntityNotFound, "Table " + name + " not found.");
    return &it->second;
  }

  std::set<std::pair<std::string, std::string>> databases_;
  std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> tables_;
};

inline void Ok(const Status& status) {
  INFO(status.ToString());
  REQUIRE(status.ok());
}

// The call failed with `code` and a message containing `fragment`.
inline void Fails(const Status& status, Code code, const std::string& fragment) {
  INFO(status.ToString());
  REQUIRE(status.code() == code);
  REQUIRE_THAT(status.message(), Catch::Contains(fragment));
}

inline PermissionsOptions OptionsFor(const Directory& directory, const int64_t* clock,
                                     const std::string& path = ":memory:") {
  PermissionsOptions options;
  options.path = path;
  options.find_resource = [&directory](const Resource& r) { return directory.Find(r); };
  options.now_micros = [clock] { return *clock; };
  options.data_lake_admins = {kAdmin};
  return options;
}

inline std::unique_ptr<Permissions> OpenPermissions(PermissionsOptions options) {
  Result<std::unique_ptr<Permissions>> store = MakeSqlitePermissions(std::move(options));
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return std::move(store).value();
}

inline Resource Catalog(const Principal& id) { return CatalogResource{id}; }
inline Resource Db(const Principal& id, const std::string& name) {
  return DatabaseResource{id, name};
}
inline Resource Tbl(const Principal& id, const std::string& db, const std::string& name) {
  return TableResource{id, db, name, false};
}
inline Resource AllTables(const Principal& id, const std::string& db) {
  return TableResource{id, db, "", true};
}
inline Resource Cols(const Principal& id, const std::string& db, const std::string& table,
                     std::vector<std::string> names) {
  return TableWithColumnsResource{id, db, table, std::move(names), std::nullopt};
}
inline Resource AllColsBut(const Principal& id, const std::string& db, const std::string& table,
                           std::vector<std::string> excluded) {
  return TableWithColumnsResource{id, db, table, {}, ColumnWildcard{std::move(excluded)}};
}

inline const Resource kProfiles = Tbl(kUsers, "users_domain", "profiles");
inline const Resource kSongs = Tbl(kMusic, "music_domain", "songs");
inline const Resource kPodcastsTable = Tbl(kPodcasts, "podcasts_domain", "podcasts");

}  // namespace meshsim::fakes::testing
