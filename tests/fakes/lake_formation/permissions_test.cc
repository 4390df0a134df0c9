#include "fakes/lake_formation/permissions.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/governance/permission_rules.h"
#include "tests/fakes/lake_formation/permissions_fixture.h"
#include "tests/support/temp_dir.h"

namespace meshsim::fakes {
namespace {

using namespace testing;  // NOLINT: the fixture's accounts and resources
using P = Permission;

const std::vector<Permission> kEveryPermission = {
    P::kAll,    P::kSelect,   P::kAlter,          P::kDrop,       P::kDelete,
    P::kInsert, P::kDescribe, P::kCreateDatabase, P::kCreateTable};

std::vector<Permission> Parse(const std::string& names, const Resource& resource) {
  std::vector<Permission> out;
  if (names == "*") {
    for (Permission p : kEveryPermission) {
      if (IsValidOn(p, KindOf(resource), false)) out.push_back(p);
    }
    return out;
  }
  std::istringstream words(names);
  std::string word;
  while (words >> word) {
    Permission p;
    REQUIRE(PermissionOfName(word, &p));
    out.push_back(p);
  }
  return out;
}

struct Mesh {
  Directory directory;
  int64_t clock = 1000;
  std::unique_ptr<Permissions> lf = OpenPermissions(OptionsFor(directory, &clock));
};

// The grants behind the matrix: what each producer shared with the consumers.
void ShareProducts(Permissions& lf) {
  Ok(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kSelect, P::kDescribe}));
  Ok(lf.GrantPermissions(kMusic, kRecs, Db(kMusic, "music_domain"), {P::kDescribe}));
  Ok(lf.GrantPermissions(
      kMusic, kTrends, Cols(kMusic, "music_domain", "songs", {"song_id", "title"}), {P::kSelect}));
  Ok(lf.GrantPermissions(kUsers, kRecs, kProfiles, {P::kAll}));
  Ok(lf.GrantPermissions(kUsers, kTrends, Db(kUsers, "users_domain"), {P::kCreateTable}));
  Ok(lf.GrantPermissions(kPodcasts, kTrends, AllTables(kPodcasts, "podcasts_domain"),
                         {P::kSelect}));
}

TEST_CASE("permission matrix of a small mesh: every principal, resource and permission") {
  Mesh mesh;
  ShareProducts(*mesh.lf);

  const std::vector<std::pair<std::string, Resource>> resources = {
      {"music catalog", Catalog(kMusic)},
      {"users_domain", Db(kUsers, "users_domain")},
      {"profiles", kProfiles},
      {"profiles.email", Cols(kUsers, "users_domain", "profiles", {"email"})},
      {"music_domain", Db(kMusic, "music_domain")},
      {"songs", kSongs},
      {"songs.title", Cols(kMusic, "music_domain", "songs", {"title"})},
      {"songs.title+artist_id", Cols(kMusic, "music_domain", "songs", {"title", "artist_id"})},
      {"podcasts_domain", Db(kPodcasts, "podcasts_domain")},
      {"podcasts", kPodcastsTable},
      {"all podcasts tables", AllTables(kPodcasts, "podcasts_domain")},
  };
  // principal -> resource name -> allowed permissions ("*": all valid on it); the rest denied.
  const std::map<Principal, std::map<std::string, std::string>> allowed = {
      {kUsers, {{"users_domain", "*"}, {"profiles", "*"}, {"profiles.email", "*"}}},
      {kMusic,
       {{"music catalog", "*"},
        {"music_domain", "*"},
        {"songs", "*"},
        {"songs.title", "*"},
        {"songs.title+artist_id", "*"}}},
      {kPodcasts, {{"podcasts_domain", "*"}, {"podcasts", "*"}, {"all podcasts tables", "*"}}},
      // ALL on profiles gives every table permission and its columns, nothing on the database.
      {kRecs,
       {{"profiles", "*"},
        {"profiles.email", "SELECT"},
        {"music_domain", "DESCRIBE"},
        {"songs", "SELECT DESCRIBE"},
        {"songs.title", "SELECT"},
        {"songs.title+artist_id", "SELECT"}}},
      // Column SELECT is no table SELECT; a table wildcard covers each table and DESCRIBE of the
      // database.
      {kTrends,
       {{"users_domain", "CREATE_TABLE"},
        {"songs.title", "SELECT"},
        {"podcasts_domain", "DESCRIBE"},
        {"podcasts", "SELECT"},
        {"all podcasts tables", "SELECT"}}},
      // The administrator may describe everything and nothing more.
      {kAdmin,
       {{"music catalog", "DESCRIBE"},
        {"users_domain", "DESCRIBE"},
        {"profiles", "DESCRIBE"},
        {"music_domain", "DESCRIBE"},
        {"songs", "DESCRIBE"},
        {"podcasts_domain", "DESCRIBE"},
        {"podcasts", "DESCRIBE"},
        {"all podcasts tables", "DESCRIBE"}}},
  };

  int checked = 0;
  int allowed_count = 0;
  for (const auto& [principal, row] : allowed) {
    for (const auto& [name, resource] : resources) {
      auto it = row.find(name);
      std::vector<Permission> expected =
          it == row.end() ? std::vector<Permission>{} : Parse(it->second, resource);
      for (Permission p : kEveryPermission) {
        if (!IsValidOn(p, KindOf(resource), false)) continue;
        bool expect = std::find(expected.begin(), expected.end(), p) != expected.end();
        Status s = mesh.lf->Check(principal, resource, p);
        INFO(principal << " " << PermissionName(p) << " on " << name << ": " << s.ToString());
        if (expect) {
          CHECK(s.ok());
        } else {
          CHECK(s.code() == Code::kAccessDenied);
          CHECK_THAT(s.message(), Catch::Contains(std::string(PermissionTitle(p))) &&
                                      Catch::Contains(principal));
        }
        ++checked;
        allowed_count += expect ? 1 : 0;
      }
    }
  }
  CHECK(checked == 6 * 51);  // 51 valid (resource, permission) pairs for each principal
  // users 13, music 19, podcasts 19, recs 13, trends 5, admin 8: a wrong table cannot pass.
  CHECK(allowed_count == 77);
}

TEST_CASE("a denial is worded as Lake Formation words it") {
  Mesh mesh;
  Status s = mesh.lf->Check(kTrends, kSongs, P::kSelect);
  CHECK(s.ToString() ==
        "AccessDeniedException: Insufficient Lake Formation permission(s): Required Select on "
        "table music_domain.songs (catalog 222222222222) for principal 555555555555");
}

TEST_CASE("only a grantee with the grant option may grant on") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  const Principal other = "666666666666";
  Ok(lf.GrantPermissions(kUsers, kRecs, kProfiles, {P::kSelect, P::kDescribe}, {P::kSelect}));
  Ok(lf.GrantPermissions(kUsers, kTrends, kProfiles, {P::kSelect}));

  // With the option: SELECT passes on. Without it (DESCRIBE, or kTrends's SELECT): denied.
  Ok(lf.GrantPermissions(kRecs, other, kProfiles, {P::kSelect}));
  Ok(lf.Check(other, kProfiles, P::kSelect));
  Fails(lf.GrantPermissions(kRecs, other, kProfiles, {P::kDescribe}), Code::kAccessDenied,
        "Resource does not exist or requester is not authorized to access requested permissions");
  Fails(lf.GrantPermissions(kTrends, other, kProfiles, {P::kSelect}), Code::kAccessDenied,
        "555555555555 holds no grantable SELECT");
  // Passing the option on needs it too, and the grantee got none.
  Fails(lf.GrantPermissions(other, kTrends, kProfiles, {P::kSelect}), Code::kAccessDenied,
        "666666666666");

  // Losing the grant option keeps the permission but not the right to pass it on.
  Ok(lf.RevokePermissions(kUsers, kRecs, kProfiles, {}, {P::kSelect}));
  Ok(lf.Check(kRecs, kProfiles, P::kSelect));
  Fails(lf.GrantPermissions(kRecs, kTrends, kProfiles, {P::kSelect}), Code::kAccessDenied,
        "holds no grantable SELECT");

  // Grant option on ALL lets the grantee grant anything on that resource; the administrator may
  // grant anything anywhere.
  Ok(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kAll}, {P::kAll}));
  Ok(lf.GrantPermissions(kRecs, kTrends, kSongs, {P::kInsert, P::kDelete}, {P::kInsert}));
  Ok(lf.Check(kTrends, kSongs, P::kInsert));
  Ok(lf.GrantPermissions(kAdmin, kTrends, kPodcastsTable, {P::kSelect}));
  Ok(lf.Check(kTrends, kPodcastsTable, P::kSelect));
}

TEST_CASE("revocation stops the next check, and revoking what is not held changes nothing") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  ShareProducts(lf);
  Ok(lf.Check(kRecs, kSongs, P::kSelect));
  Ok(lf.RevokePermissions(kMusic, kRecs, kSongs, {P::kSelect}));
  Fails(lf.Check(kRecs, kSongs, P::kSelect), Code::kAccessDenied, "Required Select");
  Ok(lf.Check(kRecs, kSongs, P::kDescribe));  // only what was revoked went

  Fails(lf.RevokePermissions(kMusic, kRecs, kSongs, {P::kSelect}), Code::kInvalidInput,
        "No permissions revoked. Grantee 444444444444 has no SELECT");
  // Only the owner (or a holder of the grant option) may revoke.
  Fails(lf.RevokePermissions(kTrends, kRecs, kSongs, {P::kDescribe}), Code::kAccessDenied,
        "555555555555");
  Ok(lf.Check(kRecs, kSongs, P::kDescribe));

  // Revoking some columns leaves the others.
  Resource two = Cols(kMusic, "music_domain", "songs", {"song_id", "title"});
  Ok(lf.RevokePermissions(kMusic, kTrends, Cols(kMusic, "music_domain", "songs", {"title"}),
                          {P::kSelect}));
  Ok(lf.Check(kTrends, Cols(kMusic, "music_domain", "songs", {"song_id"}), P::kSelect));
  Fails(lf.Check(kTrends, two, P::kSelect), Code::kAccessDenied, "columns song_id, title");
}

TEST_CASE("ALL implies every permission on its resource only") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  Ok(lf.GrantPermissions(kMusic, kRecs, Db(kMusic, "music_domain"), {P::kAll}));
  for (Permission p : {P::kAlter, P::kCreateTable, P::kDescribe, P::kDrop}) {
    Ok(lf.Check(kRecs, Db(kMusic, "music_domain"), p));
  }
  // Permissions do not flow down from a database to its tables.
  Fails(lf.Check(kRecs, kSongs, P::kSelect), Code::kAccessDenied, "Required Select");
  Fails(lf.Check(kRecs, kSongs, P::kDescribe), Code::kAccessDenied, "Required Describe");
  // Nor across catalogs.
  Fails(lf.Check(kRecs, Db(kUsers, "users_domain"), P::kDescribe), Code::kAccessDenied, "");
}

TEST_CASE("column-level SELECT: named columns and a wildcard with exclusions") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  Ok(lf.GrantPermissions(kUsers, kTrends, AllColsBut(kUsers, "users_domain", "profiles", {"email"}),
                         {P::kSelect}));
  Ok(lf.Check(kTrends, Cols(kUsers, "users_domain", "profiles", {"user_id", "country"}),
              P::kSelect));
  Fails(
      lf.Check(kTrends, Cols(kUsers, "users_domain", "profiles", {"user_id", "email"}), P::kSelect),
      Code::kAccessDenied, "columns email, user_id");
  Ok(lf.Check(kTrends, AllColsBut(kUsers, "users_domain", "profiles", {"email", "country"}),
              P::kSelect));
  Fails(lf.Check(kTrends, AllColsBut(kUsers, "users_domain", "profiles", {}), P::kSelect),
        Code::kAccessDenied, "all columns");
  Fails(lf.Check(kTrends, kProfiles, P::kSelect), Code::kAccessDenied, "table users_domain");

  // A wildcard that excludes nothing is SELECT on the whole table; names are case-insensitive.
  Ok(lf.GrantPermissions(kMusic, kTrends, AllColsBut(kMusic, "music_domain", "songs", {}),
                         {P::kSelect}));
  Ok(lf.Check(kTrends, Tbl(kMusic, "Music_Domain", "SONGS"), P::kSelect));
  Ok(lf.Check(kTrends, Cols(kMusic, "music_domain", "songs", {"Title"}), P::kSelect));

  Result<std::vector<Grant>> listed =
      lf.ListPermissions(kUsers, kTrends, Tbl(kUsers, "users_domain", "profiles"));
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);  // a Table filter finds the table's column grants
  CHECK(listed->front().resource == AllColsBut(kUsers, "users_domain", "profiles", {"email"}));
}

TEST_CASE("resource links: a grant on a link does not grant its target") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  Resource link = Db(kRecs, "music");
  Ok(lf.RegisterResourceLink(kRecs, {link, Db(kMusic, "music_domain")}));
  Resource songs_via_link = Tbl(kRecs, "music", "songs");

  // The link's owner may describe it, but reading through it needs a grant on the target.
  Ok(lf.Check(kRecs, link, P::kDescribe));
  Fails(lf.Check(kRecs, songs_via_link, P::kSelect), Code::kAccessDenied,
        "table music_domain.songs (catalog 222222222222)");
  Ok(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kSelect}));
  Ok(lf.Check(kRecs, songs_via_link, P::kSelect));
  Fails(lf.Check(kRecs, Db(kMusic, "music_domain"), P::kDescribe), Code::kAccessDenied,
        "database music_domain");

  // DESCRIBE and DROP are the only permissions on a link; a grant through it is refused.
  Fails(lf.GrantPermissions(kRecs, kTrends, link, {P::kSelect}), Code::kInvalidInput,
        "Permissions: SELECT is not valid on resource link database music (catalog 444444444444)");
  Fails(lf.GrantPermissions(kRecs, kTrends, link, {P::kAll}), Code::kInvalidInput, "ALL");
  Fails(lf.GrantPermissions(kRecs, kTrends, songs_via_link, {P::kSelect}), Code::kInvalidInput,
        "grant on its target table music_domain.songs");

  // Another account needs DESCRIBE on the link and the permission on the target.
  Fails(lf.Check(kTrends, songs_via_link, P::kSelect), Code::kAccessDenied,
        "Required Describe on database music (catalog 444444444444)");
  Ok(lf.GrantPermissions(kRecs, kTrends, link, {P::kDescribe}));
  Ok(lf.Check(kTrends, link, P::kDescribe));
  Fails(lf.Check(kTrends, songs_via_link, P::kSelect), Code::kAccessDenied,
        "Required Select on table music_domain.songs");
  Fails(lf.Check(kTrends, link, P::kDrop), Code::kAccessDenied, "Required Drop");

  // A table link, and what revoking the target does to it.
  Resource table_link = Tbl(kRecs, "rec_db", "songs_link");
  Ok(lf.RegisterResourceLink(kRecs, {table_link, kSongs}));
  Ok(lf.Check(kRecs, table_link, P::kSelect));
  Ok(lf.Check(kRecs, Cols(kRecs, "rec_db", "songs_link", {"title"}), P::kSelect));
  Ok(lf.RevokePermissions(kMusic, kRecs, kSongs, {P::kSelect}));
  Fails(lf.Check(kRecs, table_link, P::kSelect), Code::kAccessDenied, "Required Select");
  Ok(lf.Check(kRecs, table_link, P::kDrop));

  Result<std::vector<ResourceLink>> links = lf.ListResourceLinks(kRecs);
  REQUIRE(links.ok());
  CHECK(*links ==
        std::vector<ResourceLink>{{link, Db(kMusic, "music_domain")}, {table_link, kSongs}});
}

TEST_CASE("resource link registration is validated") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  Ok(lf.RegisterResourceLink(kRecs, {Db(kRecs, "music"), Db(kMusic, "music_domain")}));
  Fails(lf.RegisterResourceLink(kRecs, {Db(kRecs, "music"), Db(kUsers, "users_domain")}),
        Code::kAlreadyExists, "database music (catalog 444444444444) already exists");
  Fails(lf.RegisterResourceLink(kRecs, {Db(kRecs, "rec_db"), Db(kUsers, "users_domain")}),
        Code::kAlreadyExists, "rec_db");
  Fails(lf.RegisterResourceLink(kTrends, {Db(kRecs, "x"), Db(kMusic, "music_domain")}),
        Code::kAccessDenied, "caller's own catalog");
  Fails(lf.RegisterResourceLink(kRecs, {Db(kRecs, "y"), Db(kMusic, "no_such_db")}),
        Code::kEntityNotFound, "Database no_such_db not found.");
  Fails(lf.RegisterResourceLink(kTrends, {Db(kTrends, "z"), Db(kRecs, "music")}),
        Code::kInvalidInput, "is a resource link");
  Fails(lf.RegisterResourceLink(kRecs, {Db(kRecs, "w"), kSongs}), Code::kInvalidInput,
        "both databases or both named tables");
  Fails(lf.RegisterResourceLink(kRecs, {Tbl(kRecs, "no_db", "t"), kSongs}), Code::kEntityNotFound,
        "Database no_db not found.");
}

TEST_CASE("malformed grants name the field and change nothing") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  Fails(lf.GrantPermissions(kMusic, "12345", kSongs, {P::kSelect}), Code::kInvalidInput,
        "Principal.DataLakePrincipalIdentifier must be a 12-digit AWS account id, not '12345'");
  Fails(lf.GrantPermissions(kMusic, "22222222222x", kSongs, {P::kSelect}), Code::kInvalidInput,
        "Principal.DataLakePrincipalIdentifier");
  Fails(lf.GrantPermissions("music", kRecs, kSongs, {P::kSelect}), Code::kInvalidInput, "Caller");
  Fails(lf.GrantPermissions(kMusic, kRecs, Tbl("2222", "music_domain", "songs"), {P::kSelect}),
        Code::kInvalidInput, "Resource.Table.CatalogId");
  Fails(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kCreateTable}), Code::kInvalidInput,
        "Permissions: CREATE_TABLE is not valid on table music_domain.songs");
  Fails(lf.GrantPermissions(kMusic, kRecs, Db(kMusic, "music_domain"), {P::kSelect}),
        Code::kInvalidInput, "Permissions: SELECT is not valid on database music_domain");
  Fails(lf.GrantPermissions(kMusic, kRecs, Catalog(kMusic), {P::kCreateTable}), Code::kInvalidInput,
        "CREATE_TABLE is not valid on catalog 222222222222");
  Fails(lf.GrantPermissions(kMusic, kRecs, Cols(kMusic, "music_domain", "songs", {"title"}),
                            {P::kInsert}),
        Code::kInvalidInput, "INSERT is not valid on columns title");
  Fails(lf.GrantPermissions(kMusic, kRecs, kSongs, {}), Code::kInvalidInput,
        "Permissions must not be empty");
  Fails(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kSelect, P::kSelect}), Code::kInvalidInput,
        "lists SELECT twice");
  Fails(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kSelect}, {P::kInsert}), Code::kInvalidInput,
        "PermissionsWithGrantOption: INSERT is not in Permissions");
  Fails(lf.GrantPermissions(kMusic, kRecs, Tbl(kMusic, "music_domain", ""), {P::kSelect}),
        Code::kInvalidInput, "Resource.Table: at least one of Name or TableWildcard is required");
  Fails(lf.GrantPermissions(kMusic, kRecs, Tbl(kMusic, "music\ndomain", "songs"), {P::kSelect}),
        Code::kInvalidInput, "Resource.Table.DatabaseName must not contain control characters");
  Resource both =
      TableWithColumnsResource{kMusic, "music_domain", "songs", {"title"}, ColumnWildcard{}};
  Fails(lf.GrantPermissions(kMusic, kRecs, both, {P::kSelect}), Code::kInvalidInput,
        "exactly one of ColumnNames or ColumnWildcard");
  Fails(lf.GrantPermissions(kMusic, kRecs, Tbl(kMusic, "music_domain", "albums"), {P::kSelect}),
        Code::kEntityNotFound, "Table albums not found.");
  Fails(lf.GrantPermissions(kMusic, kRecs, Cols(kMusic, "music_domain", "songs", {"lyrics"}),
                            {P::kSelect}),
        Code::kEntityNotFound, "Column lyrics not found.");

  // A batch with one bad change writes none of them, not even the good one before it.
  std::vector<PermissionChange> batch = {
      {PermissionChange::Kind::kGrant, {kRecs, kSongs, {P::kSelect}, {}}},
      {PermissionChange::Kind::kGrant, {kTrends, kSongs, {P::kCreateTable}, {}}},
  };
  Fails(lf.Apply(kMusic, batch), Code::kInvalidInput, "CREATE_TABLE");
  Result<std::vector<Grant>> listed = lf.ListPermissions(kMusic);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  Result<std::vector<AuditEntry>> log = lf.AuditLog();
  REQUIRE(log.ok());
  CHECK(log->empty());
  Fails(lf.Check(kRecs, kSongs, P::kSelect), Code::kAccessDenied, "");

  // Check validates its request the same way.
  Fails(lf.Check(kRecs, Db(kMusic, "music_domain"), P::kSelect), Code::kInvalidInput,
        "Permission: SELECT is not valid on database music_domain");
  Fails(lf.Check("not-an-account", kSongs, P::kSelect), Code::kInvalidInput,
        "Principal.DataLakePrincipalIdentifier");
}

TEST_CASE("a check on a missing resource tells only its owner that it is missing") {
  Mesh mesh;
  Resource albums = Tbl(kMusic, "music_domain", "albums");
  Fails(mesh.lf->Check(kMusic, albums, P::kSelect), Code::kEntityNotFound, "Table albums");
  Fails(mesh.lf->Check(kRecs, albums, P::kSelect), Code::kAccessDenied, "Required Select");
}

TEST_CASE("the audit log records grants, revocations and denials in order with their time") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  mesh.clock = 5'000'000;
  Ok(lf.GrantPermissions(kMusic, kRecs, kSongs, {P::kSelect, P::kDescribe}, {P::kSelect}));
  mesh.clock = 6'000'000;
  Fails(lf.Check(kTrends, kSongs, P::kSelect), Code::kAccessDenied, "");
  mesh.clock = 7'000'000;
  Ok(lf.RevokePermissions(kMusic, kRecs, kSongs, {P::kSelect}));
  Fails(lf.GrantPermissions(kTrends, kRecs, kSongs, {P::kInsert}), Code::kAccessDenied, "");
  Ok(lf.Check(kRecs, kSongs, P::kDescribe));  // an allowed check is not logged

  Result<std::vector<AuditEntry>> log = lf.AuditLog();
  REQUIRE(log.ok());
  REQUIRE(log->size() == 4);
  const auto& e = *log;
  CHECK(e[0].sequence == 1);
  CHECK(e[0].time_micros == 5'000'000);
  CHECK(e[0].action == AuditEntry::Action::kGrant);
  CHECK(e[0].actor == kMusic);
  CHECK(e[0].grant == Grant{kRecs, kSongs, {P::kSelect, P::kDescribe}, {P::kSelect}});
  CHECK(e[1].sequence == 2);
  CHECK(e[1].action == AuditEntry::Action::kDenial);
  CHECK(e[1].time_micros == 6'000'000);
  CHECK(e[1].actor == kTrends);
  CHECK(e[1].grant == Grant{kTrends, kSongs, {P::kSelect}, {}});
  CHECK_THAT(e[1].message, Catch::StartsWith("Insufficient Lake Formation permission(s)"));
  CHECK(e[2].action == AuditEntry::Action::kRevoke);
  CHECK(e[2].grant.permissions == std::vector<Permission>{P::kSelect});
  CHECK(e[3].action == AuditEntry::Action::kDenial);
  CHECK(e[3].actor == kTrends);
  CHECK(e[3].grant.principal == kRecs);
  CHECK_THAT(e[3].message, Catch::Contains("holds no grantable INSERT"));

  Result<std::vector<AuditEntry>> tail = lf.AuditLog(2);
  REQUIRE(tail.ok());
  REQUIRE(tail->size() == 2);
  CHECK(tail->front().sequence == 3);
}

TEST_CASE("ListPermissions shows others' grants only to the owner and grant-option holders") {
  Mesh mesh;
  Permissions& lf = *mesh.lf;
  ShareProducts(lf);
  Ok(lf.GrantPermissions(kMusic, kTrends, kSongs, {P::kDescribe}, {P::kDescribe}));

  Result<std::vector<Grant>> owner = lf.ListPermissions(kMusic, std::nullopt, kSongs);
  REQUIRE(owner.ok());
  CHECK(
      *owner ==
      std::vector<Grant>{
          {kRecs, kSongs, {P::kSelect, P::kDescribe}, {}},
          {kTrends, kSongs, {P::kDescribe}, {P::kDescribe}},
          {kTrends, Cols(kMusic, "music_domain", "songs", {"song_id", "title"}), {P::kSelect}, {}},
      });
  // kRecs holds no grant option on songs: it sees its own grant only.
  Result<std::vector<Grant>> recs = lf.ListPermissions(kRecs, std::nullopt, kSongs);
  REQUIRE(recs.ok());
  CHECK(*recs == std::vector<Grant>{{kRecs, kSongs, {P::kSelect, P::kDescribe}, {}}});
  // kTrends holds DESCRIBE with the grant option: it sees DESCRIBE grants, not SELECT ones.
  Result<std::vector<Grant>> trends = lf.ListPermissions(kTrends, kRecs);
  REQUIRE(trends.ok());
  CHECK(*trends == std::vector<Grant>{{kRecs, kSongs, {P::kSelect, P::kDescribe}, {}}});
  Fails(lf.ListPermissions("x").status(), Code::kInvalidInput, "Caller");
}

TEST_CASE("grants, links and the audit log persist across reopen") {
  meshsim::testing::TempDir dir("meshsim_permissions_test_");
  std::string path = dir.File("permissions.db");
  Directory directory;
  int64_t clock = 1;
  {
    std::unique_ptr<Permissions> lf = OpenPermissions(OptionsFor(directory, &clock, path));
    ShareProducts(*lf);
    Ok(lf->RegisterResourceLink(kRecs, {Db(kRecs, "music"), Db(kMusic, "music_domain")}));
  }
  std::unique_ptr<Permissions> lf = OpenPermissions(OptionsFor(directory, &clock, path));
  Ok(lf->Check(kRecs, Tbl(kRecs, "music", "songs"), P::kSelect));
  Ok(lf->Check(kTrends, Cols(kMusic, "music_domain", "songs", {"title"}), P::kSelect));
  Ok(lf->Check(kTrends, kPodcastsTable, P::kSelect));
  Fails(lf->Check(kTrends, kSongs, P::kSelect), Code::kAccessDenied, "");
  Result<std::vector<AuditEntry>> log = lf->AuditLog();
  REQUIRE(log.ok());
  REQUIRE(log->size() == 7);  // six grants before, one denial after
  CHECK(log->back().sequence == 7);
  CHECK(log->back().action == AuditEntry::Action::kDenial);
}

TEST_CASE("options are validated at open") {
  PermissionsOptions options;
  Result<std::unique_ptr<Permissions>> none = MakeSqlitePermissions(options);
  CHECK(none.status().code() == Code::kInvalidInput);
  options.find_resource = [](const Resource&) { return Status::Ok(); };
  options.data_lake_admins = {"admin"};
  Result<std::unique_ptr<Permissions>> bad_admin = MakeSqlitePermissions(options);
  CHECK(bad_admin.status().code() == Code::kInvalidInput);
  CHECK_THAT(bad_admin.status().message(), Catch::Contains("data_lake_admins"));
}

}  // namespace
}  // namespace meshsim::fakes
