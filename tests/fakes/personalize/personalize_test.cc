// The data plane of the in-process Personalize: what PutEvents, PutItems, GetRecommendations and
// GetPersonalizedRanking do to and with the models the control plane trains.
#include "fakes/personalize/personalize.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/personalize/arn.h"
#include "fakes/personalize/model.h"
#include "sim/core/ids.h"
#include "sim/core/runtime.h"
#include "tests/fakes/personalize/personalize_fixture.h"

namespace meshsim::fakes {
namespace {

using namespace personalize;  // NOLINT

constexpr const char* kInteractionsSchema = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"})";
constexpr const char* kItemsSchema = R"({"type":"record","name":"Items",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"ITEM_ID","type":"string"},{"name":"GENRE","type":"string","categorical":true},
  {"name":"CREATION_TIMESTAMP","type":"long"}],"version":"1.0"})";
constexpr const char* kRole = "arn:aws:iam::000000000000:role/PersonalizeRole";
constexpr int64_t kEpoch = 1'795'478'400;

FakePersonalizeOptions FastOptions() {
  FakePersonalizeOptions o;
  o.control = testing::FastControlPlaneOptions();
  o.autoscale_delay_us = 0;  // no throttling unless a test asks for it
  return o;
}

// Two tastes: even users play rock items r0..r19, odd users jazz items j0..j19, each user 30
// plays; r0 and j0 are the most played of their genre (every user of the taste plays them).
std::string PlantedInteractions(int users) {
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
  for (int u = 0; u < users; ++u) {
    const char* genre = u % 2 == 0 ? "r" : "j";
    for (int k = 0; k < 30; ++k) {
      const int item = k < 10 ? k : (u * 7 + k) % 20;
      csv += NumberedId("u", static_cast<uint64_t>(u)) + "," +
             NumberedId(genre, static_cast<uint64_t>(item)) + "," +
             std::to_string(kEpoch - 86'400 + u * 100 + k) + ",play\n";
    }
  }
  return csv;
}

std::string PlantedItems() {
  std::string csv = "ITEM_ID,GENRE,CREATION_TIMESTAMP\n";
  for (int i = 0; i < 20; ++i) {
    csv += NumberedId("r", static_cast<uint64_t>(i)) + ",rock," +
           std::to_string(kEpoch - 9'000'000) + "\n";
    csv += NumberedId("j", static_cast<uint64_t>(i)) + ",jazz," +
           std::to_string(kEpoch - 9'000'000) + "\n";
  }
  return csv;
}

template <typename T>
Result<T> Call(std::function<void(Recommender::Callback<T>)> call) {
  std::optional<Result<T>> out;
  call([&](Result<T> r) { out.emplace(std::move(r)); });
  REQUIRE(out.has_value());  // every call answers before it returns
  return std::move(*out);
}

struct Fixture {
  std::unique_ptr<Runtime> rt = MakeVirtualRuntime(1);
  std::map<std::string, std::string> files;
  FakePersonalize pz;
  std::string group, interactions, items, tracking_id;

  explicit Fixture(FakePersonalizeOptions o = FastOptions())
      : pz(
            *rt,
            [this](const std::string& uri) -> Result<std::string> {
              const auto it = files.find(uri);
              if (it == files.end()) return Status(Code::kResourceNotFound, "no such key");
              return it->second;
            },
            std::move(o)) {
    PersonalizeControlPlane& c = pz.control();
    group = *c.CreateDatasetGroup({"mesh", "", ""});
    Advance(10);
    interactions = *c.CreateDataset(
        {"interactions", *c.CreateSchema({"i", kInteractionsSchema, ""}), group, "Interactions"});
    items = *c.CreateDataset({"items", *c.CreateSchema({"t", kItemsSchema, ""}), group, "Items"});
    const std::string tracker = *c.CreateEventTracker({"tracker", group});
    Advance(10);
    tracking_id = c.DescribeEventTracker(tracker)->tracking_id;
  }

  void Advance(int64_t seconds) { rt->RunUntil(rt->NowMicros() + seconds * kMicrosPerSecond); }

  void Import(const std::string& dataset, const std::string& csv, const std::string& name) {
    files["s3://bucket/" + name + ".csv"] = csv;
    REQUIRE(
        pz.control()
            .CreateDatasetImportJob({name, dataset, "s3://bucket/" + name + ".csv", kRole, "FULL"})
            .ok());
    Advance(3600);
  }

  void ImportPlanted(int users = 60) {
    Import(interactions, PlantedInteractions(users), "interactions");
    Import(items, PlantedItems(), "items");
  }

  // A solution of `recipe` and its first version, asked for: the version's ARN.
  std::string RequestTraining(const std::string& recipe, const std::string& name,
                              Hyperparameters hp = {}, Hyperparameters features = {}) {
    PersonalizeControlPlane& c = pz.control();
    CreateSolutionRequest s{name,  group,         RecipeArn(recipe),  "",
                            false, std::move(hp), std::move(features)};
    const Result<std::string> solution = c.CreateSolution(s);
    REQUIRE(solution.ok());
    Advance(10);
    const Result<std::string> version = c.CreateSolutionVersion({*solution, "", "FULL"});
    REQUIRE(version.ok());
    return *version;
  }

  // A solution of `recipe`, its first version trained, and a campaign serving it: its ARN.
  std::string Deploy(const std::string& recipe, const std::string& name, Hyperparameters hp = {},
                     int min_tps = 1, Hyperparameters features = {}) {
    PersonalizeControlPlane& c = pz.control();
    const std::string version = RequestTraining(recipe, name, std::move(hp), std::move(features));
    Advance(3600);
    REQUIRE(c.DescribeSolutionVersion(version)->status == "ACTIVE");
    const Result<std::string> campaign = c.CreateCampaign({name, version, min_tps});
    REQUIRE(campaign.ok());
    Advance(600);
    REQUIRE(c.DescribeCampaign(*campaign)->status == "ACTIVE");
    return *campaign;
  }

  Result<Recommender::Empty> Put(const std::string& user, const std::string& item,
                                 const std::string& event_id = "", const char* type = "play") {
    PutEventsRequest r;
    r.tracking_id = tracking_id;
    r.user_id = user;
    r.session_id = "s-" + user;
    Event e;
    e.event_type = type;
    e.item_id = item;
    e.event_id = event_id;
    e.sent_at_us = rt->NowMicros();
    r.event_list.push_back(e);
    return Call<Recommender::Empty>([&](auto done) { pz.PutEvents(r, std::move(done)); });
  }

  Result<GetRecommendationsResponse> Recommend(const GetRecommendationsRequest& r) {
    return Call<GetRecommendationsResponse>(
        [&](auto done) { pz.GetRecommendations(r, std::move(done)); });
  }
  Result<GetRecommendationsResponse> Recommend(const std::string& campaign, const std::string& user,
                                               int n = 10) {
    GetRecommendationsRequest r;
    r.campaign_arn = campaign;
    r.user_id = user;
    r.num_results = n;
    return Recommend(r);
  }
};

std::vector<std::string> Ids(const GetRecommendationsResponse& r) {
  std::vector<std::string> ids;
  for (const PredictedItem& p : r.item_list) ids.push_back(p.item_id);
  return ids;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

size_t CountPrefix(const std::vector<std::string>& ids, char prefix) {
  return static_cast<size_t>(
      std::count_if(ids.begin(), ids.end(), [&](const auto& id) { return id[0] == prefix; }));
}

TEST_CASE("a user-personalization campaign answers with the user's taste, sorted by score") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-user-personalization", "up");
  const auto rock = f.Recommend(campaign, "u0");  // an even user: rock
  REQUIRE(rock.ok());
  REQUIRE(rock->item_list.size() == 10);
  CHECK(CountPrefix(Ids(*rock), 'r') >= 8);
  CHECK(std::is_sorted(rock->item_list.begin(), rock->item_list.end(),
                       [](const auto& a, const auto& b) { return a.score > b.score; }));
  const auto jazz = f.Recommend(campaign, "u1");
  REQUIRE(jazz.ok());
  CHECK(CountPrefix(Ids(*jazz), 'j') >= 8);
  CHECK(rock->recommendation_id != jazz->recommendation_id);
}

TEST_CASE("a user's PutEvents count in the very next GetRecommendations") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-user-personalization", "up");
  // A user the training never saw plays jazz: the next answer is jazz.
  for (const char* item : {"j0", "j1", "j2", "j3"}) REQUIRE(f.Put("newcomer", item).ok());
  const auto after = f.Recommend(campaign, "newcomer");
  REQUIRE(after.ok());
  CHECK(CountPrefix(Ids(*after), 'j') >= 8);
  // And then rock, once they play rock.
  for (const char* item : {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}) {
    REQUIRE(f.Put("newcomer", item).ok());
  }
  const auto later = f.Recommend(campaign, "newcomer");
  REQUIRE(later.ok());
  CHECK(CountPrefix(Ids(*later), 'r') > CountPrefix(Ids(*after), 'r'));
}

TEST_CASE("popularity-count changes only when retrained") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-popularity-count", "pop");
  const auto before = f.Recommend(campaign, "u0", 3);
  REQUIRE(before.ok());
  CHECK_FALSE(Contains(Ids(*before), "fresh"));
  // Everyone plays a new item: the campaign does not move until a new version is deployed.
  for (int u = 0; u < 60; ++u) REQUIRE(f.Put(NumberedId("u", u), "fresh").ok());
  CHECK(Ids(*f.Recommend(campaign, "u0", 3)) == Ids(*before));

  PersonalizeControlPlane& c = f.pz.control();
  const std::string solution = c.DescribeCampaign(campaign)->solution_version_arn;
  const auto version =
      c.CreateSolutionVersion({c.DescribeSolutionVersion(solution)->solution_arn, "", "FULL"});
  REQUIRE(version.ok());
  f.Advance(3600);
  REQUIRE(c.UpdateCampaign({campaign, *version, std::nullopt}).ok());
  f.Advance(600);
  const auto retrained = f.Recommend(campaign, "u0", 3);
  REQUIRE(retrained.ok());
  REQUIRE_FALSE(retrained->item_list.empty());
  CHECK(retrained->item_list.front().item_id == "fresh");  // 60 users, more than any other
}

TEST_CASE("training counts the events put through the tracker, not only imports") {
  Fixture f;
  for (int u = 0; u < 30; ++u) {
    for (int k = 0; k < 40; ++k) {
      REQUIRE(f.Put(NumberedId("u", u), NumberedId("i", (u + k) % 50)).ok());
    }
  }
  PersonalizeControlPlane& c = f.pz.control();
  const std::string version = f.RequestTraining("aws-popularity-count", "pop");
  f.Advance(3600);
  const auto described = c.DescribeSolutionVersion(version);
  CHECK(described->status == "ACTIVE");
  CHECK(described->failure_reason.empty());
}

TEST_CASE("an eventId is applied once") {
  Fixture f;
  REQUIRE(f.Put("u1", "a", "e-1").ok());
  REQUIRE(f.Put("u1", "b", "e-1").ok());  // the same id again: not applied
  REQUIRE(f.Put("u1", "c", "e-2").ok());
  REQUIRE(f.Put("u1", "d").ok());  // no id: always applied
  CHECK(f.pz.Memory().interactions == 3);
}

TEST_CASE("PutEvents refuses what the botocore model refuses, naming the member") {
  Fixture f;
  PutEventsRequest good;
  good.tracking_id = f.tracking_id;
  good.user_id = "u1";
  good.session_id = "s1";
  good.event_list.push_back(Event{"", "play", std::nullopt, "a", 0, "", {}, ""});
  const auto put = [&](const PutEventsRequest& r) {
    return Call<Recommender::Empty>([&](auto done) { f.pz.PutEvents(r, std::move(done)); });
  };
  REQUIRE(put(good).ok());

  struct Case {
    const char* name;
    std::function<void(PutEventsRequest&)> change;
    Code code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"no tracking id", [](auto& r) { r.tracking_id.clear(); }, Code::kInvalidInput,
       "trackingId is required"},
      {"no session id", [](auto& r) { r.session_id.clear(); }, Code::kInvalidInput,
       "sessionId is required"},
      {"eleven events", [](auto& r) { r.event_list.assign(11, r.event_list[0]); },
       Code::kInvalidInput, "eventList must have between 1 and 10 entries, got 11"},
      {"no event type", [](auto& r) { r.event_list[0].event_type.clear(); }, Code::kInvalidInput,
       "eventList[0].eventType is required"},
      {"properties too long",
       [](auto& r) { r.event_list[0].properties = "{\"a\":\"" + std::string(1100, 'x') + "\"}"; },
       Code::kInvalidInput, "eventList[0].properties must be at most 1024 characters"},
      {"properties not JSON", [](auto& r) { r.event_list[0].properties = "{oops"; },
       Code::kInvalidInput, "eventList[0].properties must be a JSON object"},
      {"26 impressions", [](auto& r) { r.event_list[0].impression.assign(26, "x"); },
       Code::kInvalidInput, "eventList[0].impression must have between 1 and 25 entries"},
      {"no item and no impression", [](auto& r) { r.event_list[0].item_id.clear(); },
       Code::kInvalidInput, "eventList[0].itemId is required unless the event has an impression"},
      {"long recommendation id",
       [](auto& r) { r.event_list[0].recommendation_id = std::string(41, 'r'); },
       Code::kInvalidInput, "eventList[0].recommendationId must be at most 40 characters"},
      {"unknown tracker", [](auto& r) { r.tracking_id = "nope"; }, Code::kInvalidInput,
       "The event tracker with tracking ID nope was not found"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      PutEventsRequest r = good;
      c.change(r);
      const auto s = put(r);
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().code() == c.code);
      CHECK(s.status().message() == c.message);
      CHECK(f.pz.Memory().interactions == 1);  // nothing of a refused call is applied
    }
  }
}

TEST_CASE("GetRecommendations refuses bad requests with Personalize's errors") {
  Fixture f;
  f.ImportPlanted();
  const std::string up = f.Deploy("aws-user-personalization", "up");
  const std::string sims = f.Deploy("aws-sims", "sims");
  GetRecommendationsRequest r;
  r.campaign_arn = up;
  r.user_id = "u0";

  SECTION("numResults out of range") {
    for (int n : {-1, 501}) {
      r.num_results = n;
      const auto s = f.Recommend(r);
      REQUIRE_FALSE(s.ok());
      CHECK(s.status().message() == "numResults must be between 0 and 500");
    }
    r.num_results = 0;  // botocore's minimum: the default
    CHECK(f.Recommend(r)->item_list.size() == 25);
  }
  SECTION("25 by default, at most what exists") {
    const auto s = f.Recommend(r);
    REQUIRE(s.ok());
    CHECK(s->item_list.size() == 25);
  }
  SECTION("an unknown campaign") {
    r.campaign_arn = "arn:aws:personalize:us-east-1:000000000000:campaign/nope";
    const auto s = f.Recommend(r);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kResourceNotFound);
  }
  SECTION("a user campaign without a user") {
    r.user_id.clear();
    r.item_id = "r1";
    const auto s = f.Recommend(r);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidInput);
    CHECK(s.status().message() == "userId is required for a USER_PERSONALIZATION campaign");
  }
  SECTION("a related-items campaign needs an item, and answers without it") {
    r.campaign_arn = sims;
    CHECK(f.Recommend(r).status().message() == "itemId is required for a RELATED_ITEMS campaign");
    r.item_id = "j3";
    const auto s = f.Recommend(r);
    REQUIRE(s.ok());
    const auto ids = Ids(*s);
    CHECK_FALSE(Contains(ids, "j3"));
    CHECK(CountPrefix(ids, 'j') > CountPrefix(ids, 'r'));
  }
  SECTION("filterValues without a filter") {
    r.filter_values["GENRE"] = "\"rock\"";
    CHECK(f.Recommend(r).status().message() == "filterValues is given without a filterArn");
  }
  SECTION("a ranking call on a user campaign") {
    GetPersonalizedRankingRequest rank;
    rank.campaign_arn = up;
    rank.user_id = "u0";
    rank.input_list = {"r1", "j1"};
    const auto s = Call<GetPersonalizedRankingResponse>(
        [&](auto done) { f.pz.GetPersonalizedRanking(rank, std::move(done)); });
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidInput);
  }
}

TEST_CASE("a filter applies its expression with the request's filterValues") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-user-personalization", "up");
  PersonalizeControlPlane& c = f.pz.control();
  const auto genre =
      c.CreateFilter({"genre", f.group, "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"});
  const auto unplayed = c.CreateFilter(
      {"unplayed", f.group, "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"play\")"});
  REQUIRE(genre.ok());
  REQUIRE(unplayed.ok());
  GetRecommendationsRequest r;
  r.campaign_arn = campaign;
  r.user_id = "u0";  // rock
  r.filter_arn = *genre;
  SECTION("not before the filter is ACTIVE") {
    const auto s = f.Recommend(r);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kResourceNotFound);
  }
  f.Advance(60);
  SECTION("an INCLUDE needs its values") {
    const auto s = f.Recommend(r);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidInput);
  }
  SECTION("jazz only, for a rock listener") {
    r.filter_values["GENRE"] = "\"jazz\"";
    const auto s = f.Recommend(r);
    REQUIRE(s.ok());
    REQUIRE_FALSE(s->item_list.empty());
    CHECK(CountPrefix(Ids(*s), 'j') == s->item_list.size());
  }
  SECTION("items put with PutItems are filtered by their new metadata") {
    PutItemsRequest put;
    put.dataset_arn = f.items;
    put.items.push_back(Item{"r1", {{"genre", "jazz"}}});  // camel case, as the API names it
    REQUIRE(Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); }).ok());
    r.filter_values["GENRE"] = "\"rock\"";
    const auto s = f.Recommend(r);
    REQUIRE(s.ok());
    CHECK_FALSE(Contains(Ids(*s), "r1"));
  }
  SECTION("what the user played, and plays now, is excluded") {
    r.filter_arn = *unplayed;
    REQUIRE(f.Put("u0", "j5").ok());
    const auto s = f.Recommend(r);
    REQUIRE(s.ok());
    const auto ids = Ids(*s);
    CHECK_FALSE(Contains(ids, "j5"));
    CHECK_FALSE(Contains(ids, "r0"));  // every rock listener played r0..r9
    CHECK_FALSE(Contains(ids, "r9"));
  }
}

TEST_CASE("PutItems and PutUsers name the dataset they write") {
  Fixture f;
  PutItemsRequest put;
  put.dataset_arn = f.interactions;
  put.items.push_back(Item{"x", {{"GENRE", "rock"}}});
  auto s = Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); });
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kInvalidInput);
  put.dataset_arn = "arn:aws:personalize:us-east-1:000000000000:dataset/other/ITEMS";
  s = Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); });
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kResourceNotFound);
  put.items.assign(11, put.items[0]);
  s = Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); });
  CHECK(s.status().message() == "items must have between 1 and 10 entries, got 11");
}

TEST_CASE("GetPersonalizedRanking reorders the input list, unknown items last") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-personalized-ranking", "rank");
  GetPersonalizedRankingRequest r;
  r.campaign_arn = campaign;
  r.user_id = "u0";  // rock
  r.input_list = {"never-seen", "j2", "r2", "j0", "r0"};
  const auto s = Call<GetPersonalizedRankingResponse>(
      [&](auto done) { f.pz.GetPersonalizedRanking(r, std::move(done)); });
  REQUIRE(s.ok());
  REQUIRE(s->personalized_ranking.size() == 5);
  CHECK(s->personalized_ranking.back().item_id == "never-seen");
  CHECK(s->personalized_ranking[0].item_id[0] == 'r');
  CHECK(s->personalized_ranking[1].item_id[0] == 'r');
  r.input_list.assign(501, "r1");
  const auto big = Call<GetPersonalizedRankingResponse>(
      [&](auto done) { f.pz.GetPersonalizedRanking(r, std::move(done)); });
  CHECK(big.status().message() == "inputList must have between 1 and 500 entries, got 501");
}

TEST_CASE("a campaign throttles past its capacity and scales up to the demand it saw") {
  FakePersonalizeOptions o = FastOptions();
  o.autoscale_delay_us = 60 * kMicrosPerSecond;
  Fixture f(o);
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-popularity-count", "pop", {}, 2);
  f.Advance(1);
  int throttled = 0;
  for (int i = 0; i < 5; ++i) {
    const auto s = f.Recommend(campaign, "u0");
    if (!s.ok()) {
      CHECK(s.status().code() == Code::kThrottling);
      ++throttled;
    }
  }
  CHECK(throttled == 3);  // minProvisionedTPS 2
  // Scaling up takes the autoscale delay: the next second is throttled the same way.
  f.Advance(1);
  int again = 0;
  for (int i = 0; i < 5; ++i) again += f.Recommend(campaign, "u0").ok() ? 0 : 1;
  CHECK(again == 3);
  f.Advance(60);
  for (int i = 0; i < 5; ++i) CHECK(f.Recommend(campaign, "u0").ok());  // scaled to 5
  // A refused request spends no capacity: five bad calls, then the five good ones still pass.
  f.Advance(1);
  for (int i = 0; i < 5; ++i) {
    GetRecommendationsRequest bad;
    bad.campaign_arn = campaign;  // no userId
    CHECK(f.Recommend(bad).status().code() == Code::kInvalidInput);
  }
  for (int i = 0; i < 5; ++i) CHECK(f.Recommend(campaign, "u0").ok());
}

TEST_CASE("trending-now refreshes its trends at its trend_discovery_frequency") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-trending-now", "trending", {}, 1,
                                        {{"trend_discovery_frequency", "30 minutes"}});
  const auto top = [&] {
    const auto s = f.Recommend(campaign, "u1", 5);
    REQUIRE(s.ok());
    REQUIRE_FALSE(s->item_list.empty());
    return s->item_list.front().item_id;
  };
  (void)top();  // a refresh was due (training ended more than 30 minutes ago): it happens now
  // Now a rarely played item takes off; the trends stay as they were until the next refresh,
  // at most 30 minutes away.
  for (int u = 1; u < 60; u += 2) REQUIRE(f.Put(NumberedId("u", u), "j19").ok());
  CHECK(top() != "j19");
  for (int minute = 0; minute < 30; ++minute) {
    f.Advance(60);
    for (int u = 0; u < 4; ++u) REQUIRE(f.Put(NumberedId("u", u), "j19").ok());
    (void)top();
  }
  CHECK(top() == "j19");
}

TEST_CASE("user-personalization's automatic update brings new items in every two hours") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-user-personalization", "up");
  // After training a new rock item comes, and two listeners play it: new and little seen, what
  // exploration is for. u2 is neither of them.
  PutItemsRequest put;
  put.dataset_arn = f.items;
  put.items.push_back(
      Item{"r-new", {{"GENRE", "rock"}, {"CREATION_TIMESTAMP", std::to_string(kEpoch + 7200)}}});
  REQUIRE(Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); }).ok());
  for (const char* u : {"u0", "u4"}) REQUIRE(f.Put(u, "r-new").ok());
  CHECK_FALSE(Contains(Ids(*f.Recommend(campaign, "u2", 25)), "r-new"));
  f.Advance(2 * 3600);
  CHECK(Contains(Ids(*f.Recommend(campaign, "u2", 25)), "r-new"));
}

TEST_CASE("an automatic update keeps the trained neighbours: it is not a full retraining") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign =
      f.Deploy("aws-user-personalization", "up", {{"exploration_weight", "0"}});
  const auto before = Ids(*f.Recommend(campaign, "u0", 10));
  // The rock listeners other than u0 turn to jazz: retrained, rock's neighbours would be jazz.
  for (int u = 2; u < 60; u += 2) {
    for (int k = 0; k < 20; ++k) {
      REQUIRE(f.Put(NumberedId("u", u), NumberedId(k % 2 == 0 ? "r" : "j", k / 2)).ok());
    }
  }
  f.Advance(2 * 3600);
  CHECK(Ids(*f.Recommend(campaign, "u0", 10)) == before);  // u0 itself did nothing new

  // A FULL training on the same data does move them.
  PersonalizeControlPlane& c = f.pz.control();
  const std::string solution =
      c.DescribeSolutionVersion(c.DescribeCampaign(campaign)->solution_version_arn)->solution_arn;
  const auto version = c.CreateSolutionVersion({solution, "", "FULL"});
  REQUIRE(version.ok());
  f.Advance(3600);
  REQUIRE(c.UpdateCampaign({campaign, *version, std::nullopt}).ok());
  f.Advance(600);
  CHECK(Ids(*f.Recommend(campaign, "u0", 10)) != before);
}

TEST_CASE("a version trains on the data as CreateSolutionVersion found it") {
  Fixture f;
  f.ImportPlanted();
  PersonalizeControlPlane& c = f.pz.control();
  const std::string version = f.RequestTraining("aws-popularity-count", "pop");
  f.Advance(60);
  // While it trains, everyone plays a new item: the version does not see it.
  for (int u = 0; u < 60; ++u) REQUIRE(f.Put(NumberedId("u", u), "late").ok());
  f.Advance(3600);
  REQUIRE(c.DescribeSolutionVersion(version)->status == "ACTIVE");
  const auto campaign = c.CreateCampaign({"pop", version, 1});
  REQUIRE(campaign.ok());
  f.Advance(600);
  CHECK_FALSE(Contains(Ids(*f.Recommend(*campaign, "u0", 25)), "late"));
}

TEST_CASE("a FULL import of items keeps the metadata PutItems sent") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-user-personalization", "up");
  PersonalizeControlPlane& c = f.pz.control();
  const auto rock =
      c.CreateFilter({"rock", f.group, "INCLUDE ItemID WHERE Items.GENRE IN (\"rock\")"});
  REQUIRE(rock.ok());
  f.Advance(60);
  PutItemsRequest put;
  put.dataset_arn = f.items;
  put.items.push_back(Item{"j4", {{"GENRE", "rock"}}});  // sent individually
  REQUIRE(Call<Recommender::Empty>([&](auto done) { f.pz.PutItems(put, std::move(done)); }).ok());
  // "Overwrite all existing bulk data in your dataset. Data you imported individually is not
  // replaced": the bulk file says jazz, the individual record still says rock.
  f.Import(f.items, PlantedItems(), "items-again");
  GetRecommendationsRequest r;
  r.campaign_arn = campaign;
  r.user_id = "u1";  // a jazz listener: j4 is among their best
  r.filter_arn = *rock;
  const auto s = f.Recommend(r);
  REQUIRE(s.ok());
  CHECK(Contains(Ids(*s), "j4"));
  CHECK(CountPrefix(Ids(*s), 'j') == 1);
}

TEST_CASE("deleting the Interactions dataset takes its rows and the events with it") {
  Fixture f;
  f.ImportPlanted();
  REQUIRE(f.Put("u1", "j1").ok());
  PersonalizeControlPlane& c = f.pz.control();
  REQUIRE(c.DeleteDataset(f.interactions).ok());
  f.Advance(60);
  const auto again = c.CreateDataset(
      {"interactions", *c.CreateSchema({"i2", kInteractionsSchema, ""}), f.group, "Interactions"});
  REQUIRE(again.ok());
  CHECK(*again == f.interactions);  // the same ARN: nothing of the old dataset may come back
  f.Advance(10);
  CHECK(f.pz.Memory().interactions == 0);
  const std::string version = f.RequestTraining("aws-popularity-count", "pop");
  f.Advance(3600);
  const auto v = c.DescribeSolutionVersion(version);
  CHECK(v->status == "CREATE FAILED");
  CHECK(v->failure_reason == "Dataset has fewer than 1000 interactions");
}

TEST_CASE("a filter of another dataset group is refused on every call, cached or not") {
  Fixture f;
  f.ImportPlanted();
  const std::string campaign = f.Deploy("aws-popularity-count", "pop");
  PersonalizeControlPlane& c = f.pz.control();
  const auto other = c.CreateDatasetGroup({"other", "", ""});
  REQUIRE(other.ok());
  f.Advance(10);
  const auto foreign =
      c.CreateFilter({"foreign", *other, "EXCLUDE ItemID WHERE Items.GENRE IN (\"rock\")"});
  REQUIRE(foreign.ok());
  f.Advance(60);
  GetRecommendationsRequest r;
  r.campaign_arn = campaign;
  r.user_id = "u0";
  r.filter_arn = *foreign;
  for (int i = 0; i < 2; ++i) {
    const auto s = f.Recommend(r);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidInput);
  }
}

}  // namespace
}  // namespace meshsim::fakes
