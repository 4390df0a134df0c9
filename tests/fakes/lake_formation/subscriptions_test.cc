#include "fakes/lake_formation/subscriptions.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "fakes/lake_formation/permissions.h"
#include "tests/fakes/lake_formation/permissions_fixture.h"
#include "tests/support/temp_dir.h"

namespace meshsim::fakes {
namespace {

using namespace testing;  // NOLINT: the fixture's accounts and resources
using P = Permission;
using S = SubscriptionStatus;

struct Workflow {
  explicit Workflow(const std::string& path = ":memory:")
      : lf(OpenPermissions(OptionsFor(directory, &clock))) {
    SubscriptionsOptions options;
    options.path = path;
    options.now_micros = [this] { return clock; };
    Result<std::unique_ptr<Subscriptions>> made = MakeSqliteSubscriptions(*lf, options);
    INFO(made.status().ToString());
    REQUIRE(made.ok());
    subs = std::move(made).value();
  }

  Subscription Request(const Principal& consumer, std::vector<std::string> tables,
                       std::vector<Permission> permissions = {P::kSelect, P::kDescribe}) {
    Result<Subscription> sub =
        subs->RequestAccess(consumer, {kMusic, "music_domain", std::move(tables), permissions});
    INFO(sub.status().ToString());
    REQUIRE(sub.ok());
    return *sub;
  }

  S StatusOf(const std::string& id) {
    Result<Subscription> sub = subs->Get(id);
    REQUIRE(sub.ok());
    return sub->status;
  }

  Directory directory;
  int64_t clock = 10;
  std::unique_ptr<Permissions> lf;
  std::unique_ptr<Subscriptions> subs;
};

TEST_CASE("request, approve, finalize, delete: Pending, Active, Deleted, with the grants") {
  Workflow w;
  Subscription sub = w.Request(kRecs, {"Songs"});
  CHECK(sub.subscription_id == "sub-1");
  CHECK(sub.status == S::kPending);
  CHECK(sub.table_names == std::vector<std::string>{"songs"});
  CHECK(sub.creation_micros == 10);
  Fails(w.lf->Check(kRecs, kSongs, P::kSelect), Code::kAccessDenied, "");

  Result<std::vector<Subscription>> pending = w.subs->List(kMusic, std::nullopt, S::kPending);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);

  w.clock = 20;
  Ok(w.subs->Approve(kMusic, sub.subscription_id, {}, {}, "approved for training"));
  Result<Subscription> active = w.subs->Get(sub.subscription_id);
  REQUIRE(active.ok());
  CHECK(active->status == S::kActive);
  CHECK(active->permitted_grants == std::vector<Permission>{P::kSelect, P::kDescribe});
  CHECK(active->notes == std::vector<std::string>{"approved for training"});
  CHECK(active->updated_micros == 20);
  Ok(w.lf->Check(kRecs, kSongs, P::kSelect));
  Ok(w.lf->Check(kRecs, Db(kMusic, "music_domain"), P::kDescribe));
  Fails(w.lf->Check(kTrends, kSongs, P::kSelect), Code::kAccessDenied, "");

  // Finalizing imports the product as a resource link; reads through it now pass.
  Ok(w.subs->Finalize(kRecs, sub.subscription_id));
  Ok(w.subs->Finalize(kRecs, sub.subscription_id));  // harmless twice
  Ok(w.lf->Check(kRecs, Tbl(kRecs, "music_domain", "songs"), P::kSelect));
  Result<Subscription> finalized = w.subs->Get(sub.subscription_id);
  REQUIRE(finalized.ok());
  CHECK(finalized->finalized);

  Ok(w.subs->Delete(kRecs, sub.subscription_id, "no longer needed"));
  CHECK(w.StatusOf(sub.subscription_id) == S::kDeleted);
  Fails(w.lf->Check(kRecs, kSongs, P::kSelect), Code::kAccessDenied, "");
  Fails(w.lf->Check(kRecs, Db(kMusic, "music_domain"), P::kDescribe), Code::kAccessDenied, "");
  Fails(w.lf->Check(kRecs, Tbl(kRecs, "music_domain", "songs"), P::kSelect), Code::kAccessDenied,
        "");

  // Asking again brings the same subscription back to Pending.
  Subscription again = w.Request(kRecs, {"songs"});
  CHECK(again.subscription_id == sub.subscription_id);
  CHECK(again.status == S::kPending);
}

TEST_CASE("deny changes no permission; a denied request may still be approved") {
  Workflow w;
  Subscription sub = w.Request(kTrends, {"songs"});
  Result<std::vector<AuditEntry>> before = w.lf->AuditLog();
  REQUIRE(before.ok());
  Ok(w.subs->Deny(kMusic, sub.subscription_id, "not for analytics"));
  CHECK(w.StatusOf(sub.subscription_id) == S::kDenied);
  Result<std::vector<Grant>> grants = w.lf->ListPermissions(kMusic);
  REQUIRE(grants.ok());
  CHECK(grants->empty());
  Result<std::vector<AuditEntry>> after = w.lf->AuditLog();
  REQUIRE(after.ok());
  CHECK(after->size() == before->size());

  // Denied -> Active, with fewer permissions than asked and one grantable.
  Ok(w.subs->Approve(kMusic, sub.subscription_id, {P::kSelect}, {P::kSelect}));
  Ok(w.lf->Check(kTrends, kSongs, P::kSelect));
  Fails(w.lf->Check(kTrends, kSongs, P::kDescribe), Code::kAccessDenied, "");
  Ok(w.lf->GrantPermissions(kTrends, kRecs, kSongs, {P::kSelect}));
}

TEST_CASE("invalid transitions name the state and change nothing") {
  Workflow w;
  Subscription sub = w.Request(kRecs, {"songs"});
  Fails(w.subs->Finalize(kRecs, sub.subscription_id), Code::kInvalidInput,
        "cannot finalize subscription sub-1 in state Pending; it must be Active");
  Fails(w.subs->Delete(kRecs, sub.subscription_id, ""), Code::kInvalidInput, "state Pending");
  Ok(w.subs->Deny(kMusic, sub.subscription_id));
  Fails(w.subs->Deny(kMusic, sub.subscription_id), Code::kInvalidInput,
        "cannot deny subscription sub-1 in state Denied; it must be Pending");
  Fails(w.subs->Finalize(kRecs, sub.subscription_id), Code::kInvalidInput, "state Denied");
  Fails(w.subs->Delete(kMusic, sub.subscription_id, ""), Code::kInvalidInput, "state Denied");
  Ok(w.subs->Approve(kMusic, sub.subscription_id));
  Fails(w.subs->Approve(kMusic, sub.subscription_id), Code::kInvalidInput,
        "cannot approve subscription sub-1 in state Active; it must be Pending or Denied or "
        "Deleted");
  Fails(w.subs->Deny(kMusic, sub.subscription_id), Code::kInvalidInput, "state Active");
  Ok(w.subs->Delete(kMusic, sub.subscription_id, "retired"));
  Fails(w.subs->Delete(kMusic, sub.subscription_id, ""), Code::kInvalidInput, "state Deleted");
  // Deleted -> Active again through approval.
  Ok(w.subs->Approve(kMusic, sub.subscription_id));
  CHECK(w.StatusOf(sub.subscription_id) == S::kActive);
}

TEST_CASE("only the producer decides; either side ends; requests are validated") {
  Workflow w;
  Subscription sub = w.Request(kRecs, {"songs"});
  Fails(w.subs->Approve(kRecs, sub.subscription_id), Code::kAccessDenied,
        "444444444444 is not the owner of subscription sub-1");
  Fails(w.subs->Deny(kTrends, sub.subscription_id), Code::kAccessDenied, "not the owner");
  CHECK(w.StatusOf(sub.subscription_id) == S::kPending);
  Ok(w.subs->Approve(kMusic, sub.subscription_id));
  Fails(w.subs->Finalize(kTrends, sub.subscription_id), Code::kAccessDenied, "Only subscriber");
  Fails(w.subs->Delete(kTrends, sub.subscription_id, ""), Code::kAccessDenied,
        "not the owner or the subscriber");

  Fails(w.subs->Get("sub-99").status(), Code::kEntityNotFound, "Subscription sub-99 not found.");
  Fails(w.subs->Get("bogus").status(), Code::kEntityNotFound, "bogus");
  Fails(w.subs->RequestAccess("123", {kMusic, "music_domain", {}, {P::kSelect}}).status(),
        Code::kInvalidInput, "SubscriberPrincipal must be a 12-digit AWS account id");
  Fails(w.subs->RequestAccess(kRecs, {"x", "music_domain", {}, {P::kSelect}}).status(),
        Code::kInvalidInput, "OwnerPrincipal");
  Fails(w.subs->RequestAccess(kRecs, {kMusic, "music_domain", {}, {P::kCreateTable}}).status(),
        Code::kInvalidInput, "RequestedGrants: CREATE_TABLE is not valid on a table");
  Fails(w.subs->RequestAccess(kRecs, {kMusic, "music_domain", {}, {}}).status(),
        Code::kInvalidInput, "RequestedGrants must not be empty");
  Fails(w.subs->RequestAccess(kRecs, {kMusic, "", {}, {P::kSelect}}).status(), Code::kInvalidInput,
        "Resource.Database.Name");
  Fails(w.subs->RequestAccess(kMusic, {kMusic, "music_domain", {}, {P::kSelect}}).status(),
        Code::kInvalidInput, "own product");
}

TEST_CASE("an approval that cannot be granted leaves the subscription Pending") {
  Workflow w;
  Result<Subscription> sub =
      w.subs->RequestAccess(kRecs, {kMusic, "music_domain", {"songs", "albums"}, {P::kSelect}});
  REQUIRE(sub.ok());
  Fails(w.subs->Approve(kMusic, sub->subscription_id), Code::kEntityNotFound,
        "Table albums not found.");
  CHECK(w.StatusOf(sub->subscription_id) == S::kPending);
  // Apply is all or nothing: not even the database DESCRIBE or songs was granted.
  Result<std::vector<Grant>> grants = w.lf->ListPermissions(kMusic);
  REQUIRE(grants.ok());
  CHECK(grants->empty());
  Fails(w.subs->Approve(kMusic, sub->subscription_id, {P::kSelect}, {P::kInsert}),
        Code::kInvalidInput, "GrantablePermissions: INSERT is not in GrantPermissions");
}

TEST_CASE("a database subscription grants every table; ending one keeps what another needs") {
  Workflow w;
  w.directory.AddTable(kMusic, "music_domain", "artists", {"artist_id", "name"});
  Subscription whole = w.Request(kRecs, {}, {P::kSelect});
  Subscription songs = w.Request(kRecs, {"songs"}, {P::kDescribe});
  Ok(w.subs->Approve(kMusic, whole.subscription_id));
  Ok(w.subs->Approve(kMusic, songs.subscription_id));
  Ok(w.lf->Check(kRecs, Tbl(kMusic, "music_domain", "artists"), P::kSelect));
  Ok(w.subs->Delete(kMusic, whole.subscription_id, ""));
  Fails(w.lf->Check(kRecs, Tbl(kMusic, "music_domain", "artists"), P::kSelect), Code::kAccessDenied,
        "");
  Ok(w.lf->Check(kRecs, kSongs, P::kDescribe));
  Ok(w.lf->Check(kRecs, Db(kMusic, "music_domain"), P::kDescribe));  // songs still needs it
  // The producer revoked a permission itself: ending still works and revokes the rest.
  Ok(w.lf->RevokePermissions(kMusic, kRecs, kSongs, {P::kDescribe}));
  Ok(w.subs->Delete(kRecs, songs.subscription_id, ""));
  Fails(w.lf->Check(kRecs, Db(kMusic, "music_domain"), P::kDescribe), Code::kAccessDenied, "");
}

TEST_CASE("subscriptions persist across reopen") {
  meshsim::testing::TempDir dir("meshsim_subscriptions_test_");
  std::string path = dir.File("subscriptions.db");
  std::string id;
  {
    Workflow w(path);
    id = w.Request(kRecs, {"songs"}).subscription_id;
    Ok(w.subs->Deny(kMusic, id, "later"));
  }
  Workflow w(path);
  Result<Subscription> sub = w.subs->Get(id);
  REQUIRE(sub.ok());
  CHECK(sub->status == S::kDenied);
  CHECK(sub->notes == std::vector<std::string>{"later"});
  CHECK(sub->requested_grants == std::vector<Permission>{P::kSelect, P::kDescribe});
  CHECK(w.Request(kTrends, {"songs"}).subscription_id == "sub-2");
}

}  // namespace
}  // namespace meshsim::fakes
