#include "sim/realtime_recommender/realtime_recommender.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace meshsim::realtime {
namespace {

using Ids = std::vector<std::string>;

// Builders rather than designated initializers: GCC 12's -Wextra flags every member they omit.
RealtimeRecommenderOptions Options(const std::string& recipe, size_t history_length = 50) {
  RealtimeRecommenderOptions options;
  options.recipe = recipe;
  options.history_length = history_length;
  return options;
}
RealtimeRecommenderOptions Popularity() { return Options("popularity"); }
RealtimeRecommenderOptions CoOccurrence(size_t history_length = 50) {
  return Options("co-occurrence", history_length);
}

GetRecommendationsRequest Query(const std::string& user, int n = kDefaultNumResults,
                                const std::string& campaign = "") {
  GetRecommendationsRequest request;
  request.campaign_arn = campaign;
  request.user_id = user;
  request.num_results = n;
  return request;
}

PutItemsRequest ItemsRequest(const Ids& ids, const Attributes& properties = {}) {
  PutItemsRequest request;
  for (const std::string& id : ids) request.items.push_back(Item{id, properties});
  return request;
}

PutUsersRequest UsersRequest(const Ids& ids, const Attributes& properties = {}) {
  PutUsersRequest request;
  for (const std::string& id : ids) request.users.push_back(User{id, properties});
  return request;
}

// Appending, because GCC 12 at -O3 sees a false -Wrestrict in "prefix" + std::to_string(n).
std::string Id(const char* prefix, uint64_t n) {
  std::string id = prefix;
  id += std::to_string(n);
  return id;
}

// Drives one recommender through the port as a caller would: every call runs the runtime until
// idle and returns what reached the callback, whether the callback ran inline or later.
class Harness {
 public:
  explicit Harness(RealtimeRecommenderOptions options = {}, uint64_t seed = 7)
      : runtime_(MakeVirtualRuntime(seed)) {
    auto made = MakeRealtimeRecommender(*runtime_, std::move(options));
    REQUIRE(made.ok());
    rec_ = std::move(made).value();
  }

  Status PutEvents(PutEventsRequest request) {
    return Call<Recommender::Empty>(
               [&](auto done) { rec_->PutEvents(std::move(request), std::move(done)); })
        .status();
  }
  Status PutItems(PutItemsRequest request) {
    return Call<Recommender::Empty>(
               [&](auto done) { rec_->PutItems(std::move(request), std::move(done)); })
        .status();
  }
  Status PutUsers(PutUsersRequest request) {
    return Call<Recommender::Empty>(
               [&](auto done) { rec_->PutUsers(std::move(request), std::move(done)); })
        .status();
  }
  Result<GetRecommendationsResponse> Get(GetRecommendationsRequest request) {
    return Call<GetRecommendationsResponse>(
        [&](auto done) { rec_->GetRecommendations(std::move(request), std::move(done)); });
  }

  // One PutEvents with a "click" per item, in order. REQUIRES: 1 to 10 items.
  void Interact(const std::string& user, const Ids& items) {
    PutEventsRequest request = Events(user, items);
    const Status status = PutEvents(std::move(request));
    REQUIRE(status.ok());
  }

  std::vector<PredictedItem> Recs(const std::string& user, int n = kDefaultNumResults) {
    auto result = Get(Query(user, n));
    REQUIRE(result.ok());
    return result->item_list;
  }

  Ids RecIds(const std::string& user, int n = kDefaultNumResults) {
    Ids ids;
    for (const PredictedItem& item : Recs(user, n)) ids.push_back(item.item_id);
    return ids;
  }

  static PutEventsRequest Events(const std::string& user, const Ids& items) {
    PutEventsRequest request;
    request.tracking_id = "tracker";
    request.user_id = user;
    request.session_id = "session";
    for (const std::string& item : items) {
      Event& event = request.event_list.emplace_back();
      event.event_type = "click";
      event.item_id = item;
    }
    return request;
  }

 private:
  template <typename T, typename F>
  Result<T> Call(F&& call) {
    std::optional<Result<T>> out;
    call([&out](Result<T> result) { out.emplace(std::move(result)); });
    runtime_->RunUntilIdle();
    REQUIRE(out.has_value());
    return std::move(*out);
  }

  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<Recommender> rec_;
};

bool Contains(const Ids& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_CASE("the factory rejects an unknown recipe and a zero history length") {
  auto runtime = MakeVirtualRuntime(1);
  auto unknown = MakeRealtimeRecommender(*runtime, Options("hrnn"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Code::kInvalidInput);
  CHECK_THAT(unknown.status().message(), Catch::Contains("hrnn"));

  auto zero = MakeRealtimeRecommender(*runtime, Options("co-occurrence", 0));
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.status().code() == Code::kInvalidInput);

  CHECK(MakeRealtimeRecommender(*runtime, Popularity()).ok());
  CHECK(MakeRealtimeRecommender(*runtime, CoOccurrence()).ok());
  CHECK(MakeRealtimeRecommender(*runtime).ok());
}

TEST_CASE("popularity counts distinct users, not events") {
  Harness h(Popularity());
  h.Interact("u1", {"a", "a", "a", "a", "a"});  // one user, five plays: counts once
  h.Interact("u2", {"b"});
  h.Interact("u3", {"b"});
  h.Interact("u4", {"c", "c"});

  const auto recs = h.Recs("nobody");
  REQUIRE(recs.size() == 3);
  CHECK(recs[0] == PredictedItem{"b", 1.0});
  CHECK(recs[1] == PredictedItem{"a", 0.5});  // ties with c: id order
  CHECK(recs[2] == PredictedItem{"c", 0.5});
}

TEST_CASE("one PutEvents changes the very next GetRecommendations") {
  for (const char* recipe : {"popularity", "co-occurrence"}) {
    CAPTURE(recipe);
    Harness h(Options(recipe));
    h.Interact("u1", {"a"});
    h.Interact("u2", {"a"});
    h.Interact("u3", {"b"});
    REQUIRE(h.RecIds("probe") == Ids{"a", "b"});

    // Interact returns once the callback has run OK: from then on, b has passed a.
    h.Interact("u4", {"b"});
    h.Interact("u5", {"b"});
    CHECK(h.RecIds("probe") == Ids{"b", "a"});
    h.Interact("u6", {"z"});
    CHECK(h.RecIds("probe") == Ids{"b", "a", "z"});
  }
}

TEST_CASE("popularity excludes the requesting user's own items") {
  Harness h(Popularity());
  h.Interact("u1", {"a", "b"});
  h.Interact("u2", {"a", "c"});
  h.Interact("u3", {"a"});
  CHECK(h.RecIds("probe") == Ids{"a", "b", "c"});
  CHECK(h.RecIds("u1") == Ids{"c"});
  CHECK(h.RecIds("u2") == Ids{"b"});
  const auto recs = h.Recs("u3");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].score == Approx(1.0 / 3));  // scores stay relative to the top item, a
}

TEST_CASE("a cold user gets the popular items under co-occurrence") {
  Harness h(CoOccurrence());
  h.Interact("u1", {"x", "y"});
  h.Interact("u2", {"y", "z"});
  h.Interact("u3", {"y"});

  const auto recs = h.Recs("never-seen");
  REQUIRE(recs.size() == 3);
  CHECK(recs[0] == PredictedItem{"y", 1.0});
  CHECK(recs[1] == PredictedItem{"x", 1.0 / 3});
  CHECK(recs[2] == PredictedItem{"z", 1.0 / 3});

  // Known from PutUsers but without events: still cold.
  REQUIRE(h.PutUsers(UsersRequest({"registered"}, {{"AGE", "30"}})).ok());
  CHECK(h.Recs("registered") == recs);
}

TEST_CASE("co-occurrence ranks co-occurring items above merely popular ones") {
  Harness h(CoOccurrence());
  for (int u = 0; u < 5; ++u) h.Interact(Id("fan", u), {"hit"});
  h.Interact("u1", {"x", "y"});
  h.Interact("u2", {"x", "y", "w"});
  h.Interact("u3", {"x"});

  const auto recs = h.Recs("u3");
  REQUIRE(recs.size() == 3);
  CHECK(recs[0] == PredictedItem{"y", 1.0});  // co-occurs with x twice
  CHECK(recs[1] == PredictedItem{"w", 0.5});  // once
  CHECK(recs[2].item_id == "hit");            // most popular, but only fills in
  CHECK(recs[2].score < recs[1].score);
  CHECK(recs[2].score > 0);
}

// The co-occurrence increments are queued and applied in bulk before a query reads them: how
// often queries force that changes nothing they see.
TEST_CASE("co-occurrence answers the same whether queries come after every event or at the end") {
  // `eager` queries after every event, so it soon keeps a reverse index, and applies a few
  // increments at a time; `lazy` applies them all at the first query, and answers its first
  // queries by scanning every item's table before it builds that index. Both must agree.
  Harness eager(CoOccurrence(5));
  Harness lazy(CoOccurrence(5));
  Harness popular(Popularity());
  uint64_t state = 12345;
  const auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int i = 0; i < 1500; ++i) {
    const std::string user = Id("u", next(100));
    const Ids items = {Id("i", next(400)), Id("i", next(400))};
    eager.Interact(user, items);
    lazy.Interact(user, items);
    popular.Interact(user, items);
    eager.Recs(Id("u", next(100)));
  }
  size_t unlike_popularity = 0;  // so the answers compared are co-occurrence's own
  for (int u = 0; u < 20; ++u) {
    const auto want = eager.Recs(Id("u", u), 10);
    CHECK(lazy.Recs(Id("u", u), 10) == want);
    if (popular.RecIds(Id("u", u), 10) != lazy.RecIds(Id("u", u), 10)) ++unlike_popularity;
  }
  CHECK(unlike_popularity >= 15);
}

TEST_CASE("co-occurrence excludes every item the user ever interacted with") {
  Harness h(CoOccurrence(2));
  h.Interact("u1", {"a", "b"});
  h.Interact("u2", {"a", "c"});
  // u3's history ends as [c, d]; a fell out of it but is still u3's.
  h.Interact("u3", {"a", "c", "d"});
  const Ids recs = h.RecIds("u3");
  CHECK(recs == Ids{"b"});
  for (const char* own : {"a", "c", "d"}) CHECK_FALSE(Contains(recs, own));
}

TEST_CASE("an item that left the recent history stops pairing") {
  Harness h(CoOccurrence(2));
  // History [m] -> [m, z] -> [z, a]: pairs (m, z) and (z, a), never (m, a).
  h.Interact("u1", {"m", "z", "a"});
  h.Interact("u2", {"m"});
  const auto recs = h.Recs("u2");
  REQUIRE(recs.size() == 2);
  // Were (m, a) a pair, a would tie z and come first by id.
  CHECK(recs[0] == PredictedItem{"z", 1.0});
  CHECK(recs[1].item_id == "a");
  CHECK(recs[1].score < 1.0);
}

TEST_CASE("an item that left the recent history stops scoring") {
  Harness h(CoOccurrence(2));
  h.Interact("u4", {"p", "s"});       // pair (p, s)
  h.Interact("u5", {"q", "t"});       // pair (q, t)
  h.Interact("u3", {"p", "q", "r"});  // history [q, r]: p no longer counts
  const auto recs = h.Recs("u3");
  REQUIRE(recs.size() == 2);
  // Were p still counted, s would tie t and come first by id.
  CHECK(recs[0] == PredictedItem{"t", 1.0});
  CHECK(recs[1].item_id == "s");
  CHECK(recs[1].score < 1.0);
}

TEST_CASE("re-interacting moves an item to the end of the recent history") {
  Harness h(CoOccurrence(2));
  // [p] -> [p, q] -> [q, p] -> [p, r]: r pairs with p, and q is evicted rather than p.
  h.Interact("u1", {"p", "q", "p", "r"});
  h.Interact("u2", {"r"});
  const auto recs = h.Recs("u2");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0] == PredictedItem{"p", 1.0});
  CHECK(recs[1].item_id == "q");  // popular only
  CHECK(recs[1].score < 1.0);
}

TEST_CASE("an eventId already applied is accepted and not counted again") {
  Harness h(Popularity());
  PutEventsRequest first = Harness::Events("u1", {"a"});
  first.event_list[0].event_id = "e1";
  REQUIRE(h.PutEvents(first).ok());
  h.Interact("u2", {"b"});
  h.Interact("u3", {"b"});

  PutEventsRequest replay = Harness::Events("u4", {"a"});
  replay.event_list[0].event_id = "e1";
  CHECK(h.PutEvents(replay).ok());
  // Counted, a would have two users and come before b by id.
  CHECK(h.Recs("probe") == std::vector<PredictedItem>{{"b", 1.0}, {"a", 0.5}});
  CHECK(h.RecIds("u4") == Ids{"b", "a"});  // a is not u4's either

  SECTION("within one batch") {
    PutEventsRequest twice = Harness::Events("u5", {"c", "d"});
    twice.event_list[0].event_id = "e9";
    twice.event_list[1].event_id = "e9";
    CHECK(h.PutEvents(twice).ok());
    CHECK(h.RecIds("probe") == Ids{"b", "a", "c"});
  }
  SECTION("a rejected call remembers no eventId") {
    PutEventsRequest rejected = Harness::Events("u5", {"c", "d"});
    rejected.event_list[0].event_id = "e5";
    rejected.event_list[1].event_type.clear();
    CHECK_FALSE(h.PutEvents(rejected).ok());
    PutEventsRequest retry = Harness::Events("u5", {"c"});
    retry.event_list[0].event_id = "e5";
    CHECK(h.PutEvents(retry).ok());
    CHECK(h.RecIds("probe") == Ids{"b", "a", "c"});
  }
}

TEST_CASE("a rejected call fails with the right code and changes nothing") {
  for (const char* recipe : {"popularity", "co-occurrence"}) {
    CAPTURE(recipe);
    RealtimeRecommenderOptions options = Options(recipe);
    options.tracking_id = "tracker";
    options.campaign_arn = "arn:campaign";
    Harness h(options);
    h.Interact("u1", {"a", "b"});
    h.Interact("u2", {"b", "c"});
    const auto snapshot = [&] {
      std::vector<std::vector<PredictedItem>> out;
      for (const char* user : {"u1", "u2", "u9", "probe"}) {
        auto result = h.Get(Query(user, kDefaultNumResults, "arn:campaign"));
        REQUIRE(result.ok());
        out.push_back(result->item_list);
      }
      return out;
    };
    const auto before = snapshot();

    // Every bad batch starts with good events for new items and users, which would show.
    const auto bad_events = [](auto&& spoil) {
      PutEventsRequest request = Harness::Events("u9", {"new1", "new2", "b"});
      spoil(request);
      return request;
    };
    const std::string too_long(257, 'x');
    struct Case {
      const char* name;
      PutEventsRequest request;
      Code code;
    };
    const std::vector<Case> events = {
        {"no events", bad_events([](auto& r) { r.event_list.clear(); }), Code::kInvalidInput},
        {"11 events", bad_events([](auto& r) {
           const Event copy = r.event_list[0];
           r.event_list.resize(11, copy);
         }),
         Code::kInvalidInput},
        {"no trackingId", bad_events([](auto& r) { r.tracking_id.clear(); }), Code::kInvalidInput},
        {"unknown trackingId", bad_events([](auto& r) { r.tracking_id = "other"; }),
         Code::kResourceNotFound},
        {"no userId", bad_events([](auto& r) { r.user_id.clear(); }), Code::kInvalidInput},
        {"long userId", bad_events([&](auto& r) { r.user_id = too_long; }), Code::kInvalidInput},
        {"no sessionId", bad_events([](auto& r) { r.session_id.clear(); }), Code::kInvalidInput},
        {"no eventType", bad_events([](auto& r) { r.event_list[2].event_type.clear(); }),
         Code::kInvalidInput},
        {"no itemId", bad_events([](auto& r) { r.event_list[2].item_id.clear(); }),
         Code::kInvalidInput},
        {"long itemId", bad_events([&](auto& r) { r.event_list[2].item_id = too_long; }),
         Code::kInvalidInput},
        {"long eventId", bad_events([&](auto& r) { r.event_list[2].event_id = too_long; }),
         Code::kInvalidInput},
        {"long properties",
         bad_events([](auto& r) { r.event_list[2].properties = std::string(1025, 'p'); }),
         Code::kInvalidInput},
    };
    for (const Case& c : events) {
      CAPTURE(c.name);
      const Status status = h.PutEvents(c.request);
      CHECK(status.code() == c.code);
      CHECK_FALSE(status.message().empty());
      CHECK(snapshot() == before);
    }

    // The limits themselves are accepted.
    PutEventsRequest at_limits = Harness::Events("u1", Ids(10, "a"));
    at_limits.event_list[0].properties = std::string(1024, 'p');
    at_limits.event_list[0].item_id = std::string(256, 'a');
    CHECK(h.PutEvents(at_limits).ok());
    const auto after_limits = snapshot();

    CHECK(h.PutItems(ItemsRequest({})).code() == Code::kInvalidInput);
    CHECK(h.PutItems(ItemsRequest(Ids(11, "new1"))).code() == Code::kInvalidInput);
    CHECK(h.PutItems(ItemsRequest({"new1", ""})).code() == Code::kInvalidInput);
    CHECK(h.PutItems(ItemsRequest({"new1", too_long})).code() == Code::kInvalidInput);
    CHECK(h.PutUsers(UsersRequest({})).code() == Code::kInvalidInput);
    CHECK(h.PutUsers(UsersRequest(Ids(11, "u9"))).code() == Code::kInvalidInput);
    CHECK(h.PutUsers(UsersRequest({"u9", ""})).code() == Code::kInvalidInput);
    CHECK(snapshot() == after_limits);

    const auto get_code = [&](GetRecommendationsRequest request) {
      return h.Get(std::move(request)).status().code();
    };
    CHECK(get_code(Query("u1", kDefaultNumResults, "arn:other")) == Code::kResourceNotFound);
    CHECK(get_code(Query("", kDefaultNumResults, "arn:campaign")) == Code::kInvalidInput);
    CHECK(get_code(Query(too_long, kDefaultNumResults, "arn:campaign")) == Code::kInvalidInput);
    for (int n : {0, -1, 501}) {
      CAPTURE(n);
      auto result = h.Get(Query("u1", n, "arn:campaign"));
      CHECK(result.status().code() == Code::kInvalidInput);
      CHECK(result.status().message() == "numResults must be between 1 and 500");
    }
    CHECK(snapshot() == after_limits);
  }
}

TEST_CASE("empty tracking id and campaign ARN in the options accept any") {
  Harness h(Popularity());
  PutEventsRequest request = Harness::Events("u1", {"a"});
  request.tracking_id = "whatever";
  CHECK(h.PutEvents(request).ok());
  auto result = h.Get(Query("u2", kDefaultNumResults, "arn:anything"));
  REQUIRE(result.ok());
  CHECK(result->item_list.size() == 1);
}

TEST_CASE("numResults defaults to 25 and is honoured up to 500") {
  Harness h(Popularity());
  for (int u = 0; u < 60; ++u) {
    Ids items;
    for (int i = 0; i < 10; ++i) items.push_back(Id("item", u * 10 + i));
    h.Interact(Id("u", u), items);
  }
  GetRecommendationsRequest defaults;
  defaults.user_id = "probe";
  auto result = h.Get(defaults);
  REQUIRE(result.ok());
  CHECK(result->item_list.size() == 25);
  CHECK(h.Recs("probe", 1).size() == 1);
  CHECK(h.Recs("probe", 500).size() == 500);
  CHECK(h.Recs("u0", 500).size() == 500);  // own items skipped, others take their place

  Harness small(Popularity());
  small.Interact("u1", {"a", "b"});
  CHECK(small.Recs("probe", 500).size() == 2);  // never more than the catalogue
}

TEST_CASE("ties break by item id, wherever the cut falls") {
  for (const char* recipe : {"popularity", "co-occurrence"}) {
    CAPTURE(recipe);
    Harness h(Options(recipe));
    // Increments reorder items inside their count block; the answer must not show it.
    h.Interact("u1", {"i7", "i3", "i9", "i1", "i5", "i2", "i8"});
    h.Interact("u2", {"i9", "i2"});
    h.Interact("u3", {"i4", "i6"});
    CHECK(h.RecIds("probe", 1) == Ids{"i2"});
    CHECK(h.RecIds("probe", 3) == Ids{"i2", "i9", "i1"});
    CHECK(h.RecIds("probe", 5) == Ids{"i2", "i9", "i1", "i3", "i4"});
    CHECK(h.RecIds("probe", 9) == Ids{"i2", "i9", "i1", "i3", "i4", "i5", "i6", "i7", "i8"});
  }
  Harness h(CoOccurrence());
  h.Interact("u1", {"x", "c", "b", "d"});
  h.Interact("u2", {"x"});
  CHECK(h.RecIds("u2") == Ids{"b", "c", "d"});  // equal co-occurrence sums
}

TEST_CASE("recommendation ids are fresh per call and the same in every run") {
  Harness a(CoOccurrence(), 1);
  Harness b(CoOccurrence(), 1);
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto ra = a.Get(Query("u"));
    auto rb = b.Get(Query("u"));
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    CHECK(ra->recommendation_id.rfind("RID-", 0) == 0);
    CHECK(ra->recommendation_id == rb->recommendation_id);
    CHECK(seen.insert(ra->recommendation_id).second);
  }
}

TEST_CASE("items known only from PutItems are not recommended") {
  Harness h(CoOccurrence());
  PutItemsRequest items = ItemsRequest({"catalog-only", "a"}, {{"GENRE", "jazz"}});
  items.dataset_arn = "arn:items";
  REQUIRE(h.PutItems(items).ok());
  REQUIRE(h.PutItems(ItemsRequest({"a"}, {{"GENRE", "rock"}})).ok());  // upsert
  CHECK(h.RecIds("probe").empty());
  h.Interact("u1", {"a"});
  CHECK(h.RecIds("probe") == Ids{"a"});
}

// A direct, slow model of both recipes, to compare with on random traffic.
class Reference {
 public:
  explicit Reference(bool cooccurrence, size_t history_length)
      : cooccurrence_(cooccurrence), history_length_(history_length) {}

  void Apply(const std::string& user, const std::string& item) {
    if (items_[user].insert(item).second) ++users_of_[item];
    if (!cooccurrence_) return;
    auto& recent = recent_[user];
    const auto at = std::find(recent.begin(), recent.end(), item);
    if (at != recent.end()) {
      recent.erase(at);
      recent.push_back(item);
      return;
    }
    if (recent.size() == history_length_) recent.pop_front();
    for (const std::string& other : recent) {
      ++pairs_[{item, other}];
      ++pairs_[{other, item}];
    }
    recent.push_back(item);
  }

  std::vector<PredictedItem> Recs(const std::string& user, size_t n) const {
    const std::set<std::string> none;
    const auto found = items_.find(user);
    const std::set<std::string>& own = found == items_.end() ? none : found->second;
    std::vector<PredictedItem> out;
    double fill_scale = 1;
    if (cooccurrence_ && recent_.count(user)) {
      std::map<std::string, uint64_t> sums;
      for (const std::string& seen : recent_.at(user)) {
        for (auto it = pairs_.lower_bound({seen, ""});
             it != pairs_.end() && it->first.first == seen; ++it) {
          if (!own.count(it->first.second)) sums[it->first.second] += it->second;
        }
      }
      std::vector<std::pair<std::string, uint64_t>> ranked(sums.begin(), sums.end());
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      if (ranked.size() > n) ranked.resize(n);
      for (const auto& [item, sum] : ranked) {
        out.push_back({item, static_cast<double>(sum) / static_cast<double>(ranked[0].second)});
      }
      if (!out.empty()) fill_scale = out.back().score / 2;
    }
    std::vector<std::pair<std::string, uint32_t>> popular(users_of_.begin(), users_of_.end());
    std::stable_sort(popular.begin(), popular.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const double top = popular.empty() ? 0 : popular[0].second;
    for (const auto& [item, count] : popular) {
      if (out.size() >= n) break;
      const bool chosen = std::any_of(out.begin(), out.end(),
                                      [&](const PredictedItem& p) { return p.item_id == item; });
      if (own.count(item) || chosen) continue;
      out.push_back({item, fill_scale * count / top});
    }
    return out;
  }

 private:
  bool cooccurrence_;
  size_t history_length_;
  std::map<std::string, std::set<std::string>> items_;
  std::map<std::string, uint32_t> users_of_;
  std::map<std::string, std::deque<std::string>> recent_;
  std::map<std::pair<std::string, std::string>, uint64_t> pairs_;
};

TEST_CASE("random traffic matches a direct model of both recipes") {
  for (const char* recipe : {"popularity", "co-occurrence"}) {
    for (size_t history_length : {1, 3, 8}) {
      CAPTURE(recipe, history_length);
      Harness h(Options(recipe, history_length));
      Reference ref(std::string(recipe) == "co-occurrence", history_length);
      Rng rng(history_length);
      for (int call = 0; call < 400; ++call) {
        const std::string user = Id("u", rng.Below(40));
        Ids items;
        const uint64_t n = 1 + rng.Below(kMaxEventsPerPutEvents);
        for (uint64_t i = 0; i < n; ++i) {
          // Skewed: low numbers are far more popular, so counts grow and blocks reshuffle.
          const uint64_t item = rng.Below(1 + rng.Below(120));
          items.push_back(Id("item", item));
          ref.Apply(user, items.back());
        }
        h.Interact(user, items);
        if (call % 20 == 0) {
          for (int u = 0; u < 41; ++u) {  // u40 never interacts: cold
            const std::string probe = Id("u", u);
            const int want = 1 + static_cast<int>(rng.Below(30));
            const auto got = h.Recs(probe, want);
            const auto expected = ref.Recs(probe, want);
            CAPTURE(call, probe, want);
            REQUIRE(got.size() == expected.size());
            for (size_t i = 0; i < got.size(); ++i) {
              CAPTURE(i);
              CHECK(got[i].item_id == expected[i].item_id);
              CHECK(got[i].score == Approx(expected[i].score));
            }
          }
        }
      }
    }
  }
}

TEST_CASE("a flush split over two threads counts what one thread would") {
  // `lazy` is first queried once over a million increments are queued, so that flush is split
  // over two threads; `eager` is queried every 200 calls, so its flushes are small and on one.
  Harness eager(CoOccurrence(50));
  Harness lazy(CoOccurrence(50));
  uint64_t state = 777;
  const auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int call = 0; call < 3200; ++call) {  // 32,000 events, ~1.5M increments
    const std::string user = Id("u", next(200));
    Ids items;
    for (int i = 0; i < 10; ++i) items.push_back(Id("i", next(1 + next(5000))));
    eager.Interact(user, items);
    lazy.Interact(user, items);
    if (call % 200 == 0) eager.Recs(user);
  }
  for (int u = 0; u < 20; ++u) {
    CAPTURE(u);
    const auto want = eager.Recs(Id("u", u), 50);
    REQUIRE(!want.empty());
    CHECK(lazy.Recs(Id("u", u), 50) == want);
  }
}

// The co-occurrence counts start in tables of 16-bit keys and counts, move to 32-bit ones when a
// key or a count outgrows that, and to plain arrays when a table holds much of the catalogue:
// every move must keep every count.
TEST_CASE("co-occurrence stays exact past 16-bit keys and counts and into dense tables") {
  Harness h(CoOccurrence(2));
  Reference ref(true, 2);
  // Items known first, in order, so that the last ones' indices are past 65,535.
  constexpr int kItems = 66000;
  for (int i = 0; i < kItems; i += 10) {
    Ids ids;
    for (int j = i; j < i + 10; ++j) ids.push_back(Id("item", static_cast<uint64_t>(j)));
    REQUIRE(h.PutItems(ItemsRequest(ids)).ok());
  }
  Ids pending;
  std::string pending_user;
  const auto interact = [&](const std::string& user, const std::string& item) {
    if (user != pending_user || pending.size() == kMaxEventsPerPutEvents) {
      if (!pending.empty()) h.Interact(pending_user, pending);
      pending.clear();
      pending_user = user;
    }
    pending.push_back(item);
    ref.Apply(user, item);
  };
  // With a history of two, each item entering it pairs with the one before: cycling three items
  // adds one to each of their three pairs per cycle, past what 16 bits can count.
  const auto cycle = [&](const std::string& user, int times, const Ids& items) {
    for (int t = 0; t < times; ++t) {
      for (const std::string& item : items) interact(user, item);
    }
  };
  cycle("heavy", 70000, {Id("item", 1), Id("item", 2), Id("item", 3)});
  cycle("lighter", 50000, {Id("item", 1), Id("item", 4), Id("item", 5)});
  // A hub past 65,535 pairing with thousands of items: its table starts wide and ends dense.
  const std::string hub = Id("item", kItems - 1);
  for (uint64_t k = 0; k < 14000; ++k) {
    interact("spread", hub);
    interact("spread", Id("item", 10 + k));
    interact("spread", Id("item", 30000 + k));
  }
  h.Interact(pending_user, pending);
  for (const auto& [probe, item] : std::vector<std::pair<std::string, std::string>>{
           {"p1", Id("item", 1)}, {"p2", Id("item", 4)}, {"p3", hub}, {"p4", Id("item", 30007)}}) {
    h.Interact(probe, {item});
    ref.Apply(probe, item);
  }
  for (const char* probe : {"heavy", "lighter", "spread", "p1", "p2", "p3", "p4"}) {
    const auto got = h.Recs(probe, kMaxNumResults);
    const auto expected = ref.Recs(probe, kMaxNumResults);
    CAPTURE(probe);
    REQUIRE(got.size() == expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i].item_id == expected[i].item_id);
      CHECK(got[i].score == Approx(expected[i].score));
    }
  }
}

TEST_CASE("PutEvents past the TPS limit is throttled until the bucket refills") {
  RealtimeRecommenderOptions options = Popularity();
  options.put_events_tps = 10;
  auto runtime = MakeVirtualRuntime(1);
  auto made = MakeRealtimeRecommender(*runtime, options);
  REQUIRE(made.ok());
  Recommender& rec = **made;
  auto put = [&](int i) {
    std::optional<Status> out;
    PutEventsRequest request;
    request.tracking_id = "tracker";
    request.user_id = "u1";
    request.session_id = "s1";
    request.event_list.push_back(Event{"e" + std::to_string(i), "click", {}, "i1", 0, "", {}, ""});
    rec.PutEvents(request, [&](Result<Recommender::Empty> r) { out = r.status(); });
    REQUIRE(out.has_value());
    return *out;
  };
  for (int i = 0; i < 10; ++i) CHECK(put(i).ok());  // one second's worth at once
  const Status throttled = put(10);
  CHECK(throttled.code() == Code::kThrottling);
  CHECK(throttled.ToString() == "ThrottlingException: Rate exceeded");
  runtime->RunUntil(100'000);  // a tenth of a second: one more token
  CHECK(put(11).ok());
  CHECK(put(12).code() == Code::kThrottling);
  runtime->RunUntil(10'000'000);  // the bucket holds at most one second's worth
  for (int i = 0; i < 10; ++i) CHECK(put(20 + i).ok());
  CHECK(put(30).code() == Code::kThrottling);
}

}  // namespace
}  // namespace meshsim::realtime
