// The Recommender contract (sim/ports/recommender.h), run against every implementation a factory
// below returns: the mesh's real-time recommender with each of its recipes, behind a plain
// forwarding wrapper, and behind the latency decorator. A real backend (Personalize over HTTPS)
// added later is one more factory; the suite reruns unchanged. Each case asserts what the port
// promises: validation before any change, callbacks exactly once on the runtime, requests copied,
// and events visible to the very next GetRecommendations.
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/latency/latency_ports.h"
#include "sim/ports/recommender.h"
#include "sim/realtime_recommender/realtime_recommender.h"

namespace meshsim {
namespace {

constexpr const char* kTracker = "tracker-1";
constexpr const char* kCampaign = "arn:aws:personalize:us-east-1:000000000000:campaign/c";

std::unique_ptr<Recommender> MakeRealtime(Runtime& runtime, const char* recipe) {
  realtime::RealtimeRecommenderOptions options;
  options.recipe = recipe;
  options.tracking_id = kTracker;
  options.campaign_arn = kCampaign;
  auto made = realtime::MakeRealtimeRecommender(runtime, options);
  REQUIRE(made.ok());
  return std::move(*made);
}

struct RealtimePopularity {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<Recommender> impl = MakeRealtime(*runtime, "popularity");
  Recommender& recommender() { return *impl; }
};

struct RealtimeCooccurrence {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<Recommender> impl = MakeRealtime(*runtime, "co-occurrence");
  Recommender& recommender() { return *impl; }
};

struct ForwardedRealtime {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<Recommender> impl = MakeRealtime(*runtime, "co-occurrence");
  ForwardingRecommender forwarding{*impl};
  Recommender& recommender() { return forwarding; }
};

struct DelayedRealtime {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<Recommender> impl = MakeRealtime(*runtime, "co-occurrence");
  std::unique_ptr<Recommender> delayed =
      MakeDelayedRecommender(*runtime, *impl, LatencyModel::Constant(20'000));
  Recommender& recommender() { return *delayed; }
};

template <typename Impl>
class Rig {
 public:
  Recommender& rec() { return impl_.recommender(); }
  Runtime& runtime() { return *impl_.runtime; }

  // Runs `call` with a callback, then the clock until idle; the callback must have run once.
  template <typename T, typename F>
  Result<T> Call(F&& call) {
    std::optional<Result<T>> out;
    int calls = 0;
    call([&](Result<T> r) {
      ++calls;
      out.emplace(std::move(r));
    });
    runtime().RunUntilIdle();
    REQUIRE(calls == 1);
    return std::move(*out);
  }

  Status Put(const PutEventsRequest& request) {
    return Call<Recommender::Empty>([&](auto done) { rec().PutEvents(request, done); }).status();
  }
  Result<GetRecommendationsResponse> Get(const GetRecommendationsRequest& request) {
    return Call<GetRecommendationsResponse>(
        [&](auto done) { rec().GetRecommendations(request, done); });
  }
  std::vector<std::string> Items(const std::string& user, int n = kDefaultNumResults) {
    auto r = Get(UserRecommendations(kCampaign, user, n));
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    std::vector<std::string> ids;
    for (const auto& item : r->item_list) ids.push_back(item.item_id);
    return ids;
  }

  static PutEventsRequest Events(const std::string& user, const std::vector<std::string>& items) {
    PutEventsRequest request;
    request.tracking_id = kTracker;
    request.user_id = user;
    request.session_id = user + "-session";
    for (const auto& item : items) {
      Event& e = request.event_list.emplace_back();
      e.event_type = "click";
      e.item_id = item;
    }
    return request;
  }

  // Ten users each interact with `items`: enough signal for any recipe to recommend them.
  void Crowd(const std::vector<std::string>& items) {
    for (int u = 0; u < 10; ++u) {
      std::string user = "crowd-";
      user += std::to_string(u);
      REQUIRE(Put(Events(user, items)).ok());
    }
  }

 private:
  Impl impl_;
};

#define RECOMMENDER_CONTRACT(name)                                                              \
  TEMPLATE_TEST_CASE("Recommender contract: " name, "[contract][recommender]",                 \
                     RealtimePopularity, RealtimeCooccurrence, ForwardedRealtime, DelayedRealtime)

RECOMMENDER_CONTRACT("events count in the very next GetRecommendations") {
  Rig<TestType> rig;
  CHECK(rig.Items("newcomer").empty());  // nothing known yet
  rig.Crowd({"song-1", "song-2"});
  const auto items = rig.Items("newcomer");
  const std::set<std::string> got(items.begin(), items.end());
  CHECK(got.count("song-1") == 1);
  CHECK(got.count("song-2") == 1);
}

RECOMMENDER_CONTRACT("an invalid PutEvents is refused whole and changes nothing") {
  Rig<TestType> rig;
  PutEventsRequest empty = Rig<TestType>::Events("u1", {});
  CHECK(rig.Put(empty).code() == Code::kInvalidInput);
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("s" + std::to_string(100 + i));
  CHECK(rig.Put(Rig<TestType>::Events("u1", eleven)).code() == Code::kInvalidInput);
  // Ten valid events and one without an item id: none of them counts.
  PutEventsRequest mixed = Rig<TestType>::Events("u2", {"s1", "s2", "s3"});
  mixed.event_list.back().item_id.clear();
  CHECK(rig.Put(mixed).code() == Code::kInvalidInput);
  CHECK(rig.Items("someone-else").empty());
}

RECOMMENDER_CONTRACT("the caller may reuse its request at once: the call took a copy") {
  Rig<TestType> rig;
  for (int u = 0; u < 10; ++u) {
    std::string user = "crowd-";
    user += std::to_string(u);
    PutEventsRequest request = Rig<TestType>::Events(user, {"kept"});
    std::optional<Status> status;
    rig.rec().PutEvents(request, [&](Result<Recommender::Empty> r) { status = r.status(); });
    request.event_list[0].item_id = "overwritten";  // before the clock runs
    request.user_id = "someone";
    rig.runtime().RunUntilIdle();
    REQUIRE(status.has_value());
    REQUIRE(status->ok());
  }
  const auto items = rig.Items("newcomer");
  CHECK(std::find(items.begin(), items.end(), "kept") != items.end());
  CHECK(std::find(items.begin(), items.end(), "overwritten") == items.end());
}

RECOMMENDER_CONTRACT("numResults is 1 to 500 and bounds the answer; no item twice") {
  Rig<TestType> rig;
  std::vector<std::string> items;
  for (int i = 0; i < 10; ++i) items.push_back("s" + std::to_string(i));
  rig.Crowd(items);
  CHECK(rig.Get(UserRecommendations(kCampaign, "u", 0)).status().code() == Code::kInvalidInput);
  CHECK(rig.Get(UserRecommendations(kCampaign, "u", kMaxNumResults + 1)).status().code() ==
        Code::kInvalidInput);
  const auto three = rig.Items("u", 3);
  CHECK(three.size() == 3);
  const auto all = rig.Items("u", kMaxNumResults);
  CHECK(all.size() <= 10);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == all.size());
}

RECOMMENDER_CONTRACT("calls name the event tracker and the campaign the implementation has") {
  Rig<TestType> rig;
  PutEventsRequest wrong_tracker = Rig<TestType>::Events("u1", {"s1"});
  wrong_tracker.tracking_id = "another-tracker";
  CHECK(rig.Put(wrong_tracker).code() == Code::kResourceNotFound);
  auto wrong_campaign = rig.Get(UserRecommendations(kCampaign + std::string("x"), "u1"));
  CHECK(wrong_campaign.status().code() == Code::kResourceNotFound);
}

RECOMMENDER_CONTRACT("PutItems and PutUsers take 1 to 10 records") {
  Rig<TestType> rig;
  PutItemsRequest items;
  CHECK(rig.template Call<Recommender::Empty>([&](auto done) { rig.rec().PutItems(items, done); })
            .status()
            .code() == Code::kInvalidInput);
  items.items.push_back(Item{"s1", {{"GENRE", "rock"}}});
  CHECK(rig.template Call<Recommender::Empty>([&](auto done) { rig.rec().PutItems(items, done); })
            .ok());
  PutUsersRequest users;
  for (int i = 0; i < 11; ++i) users.users.push_back(User{"u" + std::to_string(i), {}});
  CHECK(rig.template Call<Recommender::Empty>([&](auto done) { rig.rec().PutUsers(users, done); })
            .status()
            .code() == Code::kInvalidInput);
  users.users.resize(10);
  CHECK(rig.template Call<Recommender::Empty>([&](auto done) { rig.rec().PutUsers(users, done); })
            .ok());
}

RECOMMENDER_CONTRACT("Settle returns once every answered call has taken effect") {
  Rig<TestType> rig;
  rig.Crowd({"s1"});
  rig.rec().Settle();
  const auto items = rig.Items("newcomer");
  CHECK(std::find(items.begin(), items.end(), "s1") != items.end());
}

}  // namespace
}  // namespace meshsim
