// The data plane of the in-process Personalize: see personalize.h for what it serves.
//
// Memory per retained interaction (issue 5's 10M interactions over 100k users and 100k items):
// - the interaction itself, 24 bytes in its group's log (model.h's Interaction), kept for the
//   next training;
// - an eventId, when set: an 8-byte fingerprint in an open-addressing set at 3/8 to 3/4 load,
//   11-21 bytes. Fingerprints are 64-bit hashes, so two distinct ids collide with probability
//   about n^2 / 2^65 over n ids (3e-6 at 10M): the second would be taken for a duplicate;
// - the user's history: 8 bytes per distinct recent item (id and event-type mask), at most
//   history_window per user.
#include "fakes/personalize/personalize.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fakes/personalize/arn.h"
#include "fakes/personalize/filter_evaluator.h"
#include "fakes/personalize/filter_expression.h"
#include "fakes/personalize/group_data.h"
#include "fakes/personalize/model.h"
#include "sim/core/fingerprint_set.h"
#include "sim/core/ids.h"
#include "sim/core/string_index.h"
#include "sim/ports/request_checks.h"

namespace meshsim::fakes {

using personalize::DataPlane;
using personalize::FilterExpression;
using personalize::Interaction;
using personalize::kUnknownId;
using personalize::Model;
using personalize::RecipeType;
using personalize::ScoredItem;

namespace {

using namespace checks;  // NOLINT: the Recommender port's request checks

// botocore: EventPropertiesJSON at most 1024 characters, RecommendationId at most 40; context
// keys at most 150 characters and values at most 1000.
constexpr size_t kMaxPropertiesLength = 1024;
constexpr size_t kMaxRecommendationIdLength = 40;
constexpr size_t kMaxContextKeyLength = 150;
constexpr size_t kMaxContextValueLength = 1000;

using Group = personalize::GroupData;
using personalize::ColumnNames;

}  // namespace

class FakePersonalize::Impl final : public DataPlane {
 public:
  Impl(Runtime& runtime, personalize::ObjectReader reader, FakePersonalizeOptions options)
      : runtime_(runtime),
        options_(std::move(options)),
        control_(runtime, std::move(reader), ControlOptions()) {}

  PersonalizeControlPlane& control() { return control_; }

  // --- personalize-events -------------------------------------------------------------------

  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) {
    if (Status s = Validate(request); !s.ok()) return done(std::move(s));
    Result<Group*> group = TrackerGroup(request.tracking_id);
    if (!group.ok()) return done(group.status());
    Group& g = **group;
    for (const Event& event : request.event_list) {
      if (!event.event_id.empty()) g.event_ids.Prefetch(FingerprintSet::Of(event.event_id));
    }
    const uint32_t user =
        g.InternUser(request.user_id.empty() ? request.session_id : request.user_id);
    for (const Event& event : request.event_list) {
      // "Any subsequent events after the first with the same event ID are not used in model
      // training" (PutEvents, eventId).
      if (!event.event_id.empty() && !g.event_ids.Insert(FingerprintSet::Of(event.event_id))) {
        continue;
      }
      // Impressions are validated and not kept: no recipe here reads them (AWS's
      // user-personalization steers exploration with them), and an impression-only event trains
      // nothing.
      if (event.item_id.empty()) continue;
      Interaction e;
      e.user = user;
      e.item = g.InternItem(event.item_id);
      e.timestamp = UnixSeconds(event.sent_at_us);
      e.event_type = g.InternEventType(event.event_type);
      if (event.event_value) e.event_value = static_cast<float>(*event.event_value);
      g.events.push_back(e);
      g.Remember(user, e.item, e.event_type);
    }
    done(Empty{});
  }

  void PutItems(const PutItemsRequest& request, Callback<Empty> done) {
    Status s = CheckCount("items", request.items.size(), kMaxRecordsPerPutItems);
    for (size_t i = 0; s.ok() && i < request.items.size(); ++i) {
      s = CheckId(request.items[i].item_id, "itemId", "items", i);
    }
    Result<Group*> group = s.ok() ? DatasetGroup(request.dataset_arn, personalize::kItemsDataset)
                                  : Result<Group*>(std::move(s));
    if (!group.ok()) return done(group.status());
    for (const Item& item : request.items) {
      (*group)->SetItem((*group)->InternItem(item.item_id), item.properties, false);  // replaces
    }
    done(Empty{});
  }

  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) {
    Status s = CheckCount("users", request.users.size(), kMaxRecordsPerPutUsers);
    for (size_t i = 0; s.ok() && i < request.users.size(); ++i) {
      s = CheckId(request.users[i].user_id, "userId", "users", i);
    }
    Result<Group*> group = s.ok() ? DatasetGroup(request.dataset_arn, personalize::kUsersDataset)
                                  : Result<Group*>(std::move(s));
    if (!group.ok()) return done(group.status());
    for (const User& user : request.users) {
      Group& g = **group;
      g.SetUser(g.InternUser(user.user_id), user.properties, false);  // replaces
    }
    done(Empty{});
  }

  // --- personalize-runtime ------------------------------------------------------------------

  void GetRecommendations(const GetRecommendationsRequest& request,
                          Callback<GetRecommendationsResponse> done) {
    Status s = personalize::ValidateArn("campaignArn", request.campaign_arn);
    if (s.ok()) s = CheckOptionalId(request.user_id, "userId");
    if (s.ok()) s = CheckOptionalId(request.item_id, "itemId");
    // botocore: NumResults 0..500; 0 is taken as the default, 25.
    if (s.ok() && (request.num_results < 0 || request.num_results > kMaxNumResults)) {
      s = Invalid("numResults must be between 0 and " + std::to_string(kMaxNumResults));
    }
    if (s.ok() && !request.filter_arn.empty()) {
      s = personalize::ValidateArn("filterArn", request.filter_arn);
    }
    if (s.ok()) s = CheckContext(request.context);
    Result<CampaignView*> view =
        s.ok() ? Find(request.campaign_arn) : Result<CampaignView*>(std::move(s));
    if (!view.ok()) return done(view.status());
    Group& g = *(*view)->group;
    const RecipeType type = (*view)->type;
    if (type == RecipeType::kPersonalizedRanking) {
      return done(Invalid("The campaign " + request.campaign_arn +
                          " ranks items: call GetPersonalizedRanking with an inputList"));
    }
    if (type == RecipeType::kUserPersonalization && request.user_id.empty()) {
      return done(Invalid("userId is required for a USER_PERSONALIZATION campaign"));
    }
    if (type == RecipeType::kRelatedItems && request.item_id.empty()) {
      return done(Invalid("itemId is required for a RELATED_ITEMS campaign"));
    }
    Result<std::optional<personalize::BoundFilter>> filter =
        Bind(request.filter_arn, request.filter_values, request.user_id, request.item_id, g);
    if (!filter.ok()) return done(filter.status());
    Result<const Model*> model = Admit(request.campaign_arn, **view);
    if (!model.ok()) return done(model.status());

    const personalize::UserQuery query = Query(
        g, request.user_id, request.num_results == 0 ? kDefaultNumResults : request.num_results);
    const uint32_t current = request.item_id.empty() ? kUnknownId : g.items.Find(request.item_id);
    const auto keep = [&](uint32_t item) {
      return item != current && (!*filter || (*filter)->Keep(g.items.name(item)));
    };
    scored_.clear();
    if (type == RecipeType::kRelatedItems) {
      (*model)->Related(current, query.want, keep, scored_);
    } else {
      (*model)->Recommend(query, keep, scored_);
    }
    GetRecommendationsResponse response;
    response.item_list.reserve(scored_.size());
    for (const ScoredItem& s2 : scored_) {
      response.item_list.push_back({g.items.name(s2.item), s2.score});
    }
    response.recommendation_id = HexId("RID-", ++recommendations_);
    done(std::move(response));
  }

  void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                              Callback<GetPersonalizedRankingResponse> done) {
    Status s = personalize::ValidateArn("campaignArn", request.campaign_arn);
    if (s.ok()) s = CheckId(request.user_id, "userId");
    if (s.ok() && !request.filter_arn.empty()) {
      s = personalize::ValidateArn("filterArn", request.filter_arn);
    }
    if (s.ok()) s = CheckCount("inputList", request.input_list.size(), kMaxRankingInputList);
    for (size_t i = 0; s.ok() && i < request.input_list.size(); ++i) {
      s = CheckId(request.input_list[i], "inputList", nullptr, 0);
      if (!s.ok()) s = Invalid("inputList[" + std::to_string(i) + "] " + s.message());
    }
    if (s.ok()) s = CheckContext(request.context);
    Result<CampaignView*> view =
        s.ok() ? Find(request.campaign_arn) : Result<CampaignView*>(std::move(s));
    if (!view.ok()) return done(view.status());
    if ((*view)->type != RecipeType::kPersonalizedRanking) {
      return done(Invalid("The campaign " + request.campaign_arn +
                          " does not rank: GetPersonalizedRanking needs a campaign of a "
                          "PERSONALIZED_RANKING recipe (aws-personalized-ranking)"));
    }
    Group& g = *(*view)->group;
    Result<std::optional<personalize::BoundFilter>> filter =
        Bind(request.filter_arn, request.filter_values, request.user_id, "", g);
    if (!filter.ok()) return done(filter.status());
    Result<const Model*> model = Admit(request.campaign_arn, **view);
    if (!model.ok()) return done(model.status());

    // Filtered items leave the list; the rest keep their input order among equal scores.
    std::vector<const std::string*> kept;
    std::vector<uint32_t> ids;
    for (const std::string& id : request.input_list) {
      if (*filter && !(*filter)->Keep(id)) continue;
      kept.push_back(&id);
      ids.push_back(g.items.Find(id));  // kAbsent is kUnknownId
    }
    std::vector<double> scores;
    (*model)->Rank(Query(g, request.user_id, ids.size()), ids, scores);
    std::vector<size_t> order(ids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    GetPersonalizedRankingResponse response;
    for (size_t i : order) response.personalized_ranking.push_back({*kept[i], scores[i]});
    response.recommendation_id = HexId("RID-", ++recommendations_);
    done(std::move(response));
  }

  PersonalizeMemory Memory() const {
    PersonalizeMemory m;
    for (const auto& [arn, g] : groups_) {
      m.interactions += g->imported->size() + g->events.size();
      m.interaction_bytes += g->InteractionBytes();
      m.metadata_bytes += g->MetadataBytes();
    }
    for (const auto& [arn, t] : models_) m.model_bytes += t.model ? t.model->MemoryBytes() : 0;
    return m;
  }

  // --- DataPlane ----------------------------------------------------------------------------

  void Imported(const personalize::Dataset& dataset, const personalize::ImportedRows& rows,
                bool replace) override {
    GroupFor(dataset.dataset_group_arn).Import(dataset, rows, replace);
  }

  void TrainingRequested(const std::string& solution_version_arn,
                         const std::string& dataset_group_arn) override {
    snapshots_[solution_version_arn] = Snapshot(dataset_group_arn);
  }

  void DatasetDeleted(const personalize::Dataset& dataset) override {
    const auto it = groups_.find(dataset.dataset_group_arn);
    if (it != groups_.end()) it->second->Clear(dataset.dataset_type);
  }

  void DatasetGroupDeleted(const std::string& dataset_group_arn) override {
    // The caches hold pointers into the group: they go first.
    campaigns_.clear();
    trackers_.clear();
    filters_.clear();
    std::erase_if(models_,
                  [&](const auto& kv) { return kv.second.group_arn == dataset_group_arn; });
    groups_.erase(dataset_group_arn);
  }

  Counts CountInteractions(const std::string& dataset_group_arn, const std::string& event_type,
                           size_t per_user) const override {
    Counts counts;
    const auto it = groups_.find(dataset_group_arn);
    if (it == groups_.end()) return counts;
    const Group& g = *it->second;
    const uint32_t type = event_type.empty() ? kUnknownId : g.event_types.Find(event_type);
    if (!event_type.empty() && type == StringIndex::kAbsent) return counts;
    std::vector<uint32_t> per(g.users.size(), 0);
    g.ForEachInteraction(type, [&](const Interaction& e) {
      ++counts.interactions;
      if (++per[e.user] == per_user) ++counts.users_with_min;
    });
    return counts;
  }

 private:
  // A group's data at one moment: its imported rows then and how many events it had.
  struct DataSnapshot {
    std::shared_ptr<const std::vector<Interaction>> imported;
    size_t events = 0;
  };

  DataSnapshot Snapshot(const std::string& dataset_group_arn) {
    Group& g = GroupFor(dataset_group_arn);
    return {g.imported, g.events.size()};
  }

  // A trained solution version and what retraining it needs.
  struct Trained {
    std::shared_ptr<const Model> model;
    std::string recipe;
    personalize::Hyperparameters hyperparameters;
    std::string solution_arn;
    std::string group_arn;
    std::string event_type;
    uint64_t order = 0;           // training order, to find a solution's newest version
    int64_t update_every_us = 0;  // automatic updates; 0: none
    int64_t next_update_us = 0;
  };

  // What a campaign serves, resolved once per control-plane generation.
  struct CampaignView {
    uint64_t generation = ~uint64_t{0};
    Group* group = nullptr;
    Trained* trained = nullptr;
    RecipeType type = RecipeType::kUserPersonalization;
    int min_tps = 1;
  };

  // The campaign's calls per second over the autoscaling delay, for ThrottlingException.
  struct Capacity {
    int64_t second = -1;
    uint32_t calls = 0;                             // in `second`
    uint32_t limit = 0;                             // for `second`
    std::deque<std::pair<int64_t, uint32_t>> past;  // earlier seconds with calls
  };

  PersonalizeControlPlaneOptions ControlOptions() {
    PersonalizeControlPlaneOptions o = options_.control;
    o.data_plane = this;
    o.trainer = [this](const personalize::TrainingInput& input) { return Train(input); };
    return o;
  }

  int64_t UnixSeconds(int64_t runtime_us) const {
    return options_.epoch_unix + runtime_us / kMicrosPerSecond;
  }

  Group& GroupFor(const std::string& arn) {
    std::unique_ptr<Group>& g = groups_[arn];
    if (!g) g = std::make_unique<Group>(options_.history_window);
    return *g;
  }

  Status Validate(const PutEventsRequest& request) const {
    if (Status s = CheckId(request.tracking_id, "trackingId"); !s.ok()) return s;
    if (Status s = CheckOptionalId(request.user_id, "userId"); !s.ok()) return s;
    if (Status s = CheckId(request.session_id, "sessionId"); !s.ok()) return s;
    const size_t n = request.event_list.size();
    if (Status s = CheckCount("eventList", n, kMaxEventsPerPutEvents); !s.ok()) return s;
    for (size_t i = 0; i < n; ++i) {
      const Event& e = request.event_list[i];
      if (Status s = CheckId(e.event_type, "eventType", "eventList", i); !s.ok()) return s;
      if (Status s = CheckOptionalId(e.item_id, "itemId", "eventList", i); !s.ok()) return s;
      if (Status s = CheckOptionalId(e.event_id, "eventId", "eventList", i); !s.ok()) return s;
      if (Status s = CheckOptionalId(e.recommendation_id, "recommendationId", "eventList", i,
                                     kMaxRecommendationIdLength);
          !s.ok()) {
        return s;
      }
      if (e.event_value && !std::isfinite(*e.event_value)) {
        return Invalid(FieldName("eventValue", "eventList", i) + " must be a number");
      }
      if (e.item_id.empty() && e.impression.empty()) {
        return Invalid(FieldName("itemId", "eventList", i) +
                       " is required unless the event has an impression");
      }
      if (!e.impression.empty()) {
        if (e.impression.size() > kMaxImpressionLength) {
          return Invalid(FieldName("impression", "eventList", i) + " must have between 1 and " +
                         std::to_string(kMaxImpressionLength) + " entries");
        }
        for (const std::string& shown : e.impression) {
          if (Status s = CheckId(shown, "impression", "eventList", i); !s.ok()) return s;
        }
      }
      if (!e.properties.empty()) {
        if (e.properties.size() > kMaxPropertiesLength) {
          return Invalid(FieldName("properties", "eventList", i) + " must be at most " +
                         std::to_string(kMaxPropertiesLength) + " characters");
        }
        const auto json = nlohmann::json::parse(e.properties, nullptr, false);
        if (!json.is_object()) {
          return Invalid(FieldName("properties", "eventList", i) + " must be a JSON object");
        }
      }
    }
    return Status::Ok();
  }

  static Status CheckContext(const StringMap& context) {
    if (context.size() > kMaxContextEntries) {
      return Invalid("context must have at most " + std::to_string(kMaxContextEntries) +
                     " entries");
    }
    for (const auto& [k, v] : context) {
      // botocore: AttributeName [A-Za-z\d_]+, at most 150; AttributeValue at most 1000.
      const bool name_ok = std::all_of(k.begin(), k.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
      if (k.empty() || !name_ok || k.size() > kMaxContextKeyLength ||
          v.size() > kMaxContextValueLength) {
        return Invalid("context entry \"" + k + "\" must have a name of 1 to " +
                       std::to_string(kMaxContextKeyLength) +
                       " characters and a value of at most " +
                       std::to_string(kMaxContextValueLength));
      }
    }
    return Status::Ok();
  }

  Result<Group*> TrackerGroup(const std::string& tracking_id) {
    auto& [generation, group] = trackers_[tracking_id];
    if (generation != control_.generation() || group == nullptr) {
      const personalize::EventTracker* t = control_.FindTracker(tracking_id);
      if (t == nullptr || t->status != personalize::kActive) {
        trackers_.erase(tracking_id);
        // PutEvents declares InvalidInputException only (botocore personalize-events).
        return Invalid("The event tracker with tracking ID " + tracking_id + " was not found");
      }
      generation = control_.generation();
      group = &GroupFor(t->dataset_group_arn);
    }
    return group;
  }

  Result<Group*> DatasetGroup(const std::string& dataset_arn, std::string_view type) {
    if (Status s = personalize::ValidateArn("datasetArn", dataset_arn); !s.ok()) return s;
    const personalize::Dataset* d = control_.FindDataset(dataset_arn);
    if (d == nullptr) {
      return Status(Code::kResourceNotFound, "The dataset " + dataset_arn + " does not exist");
    }
    if (d->dataset_type != type) {
      return Invalid("The dataset " + dataset_arn + " is an " + d->dataset_type + " dataset, not " +
                     std::string(type));
    }
    if (d->status != personalize::kActive) {
      return Status(
          Code::kResourceInUse,
          "The dataset " + dataset_arn + " is not in ACTIVE state (status: " + d->status + ")");
    }
    return &GroupFor(d->dataset_group_arn);
  }

  // What the campaign serves, without changing anything: a refused request must not spend the
  // campaign's capacity nor move its model on.
  Result<CampaignView*> Find(const std::string& campaign_arn) {
    CampaignView& view = campaigns_[campaign_arn];
    if (view.generation != control_.generation()) {
      if (Status s = Resolve(campaign_arn, view); !s.ok()) {
        campaigns_.erase(campaign_arn);
        return s;
      }
    }
    return &view;
  }

  // Once the request has passed every check: the capacity check, then any automatic update
  // that is due. Returns the model to query.
  Result<const Model*> Admit(const std::string& campaign_arn, CampaignView& view) {
    if (!TakeCall(capacity_[campaign_arn], view.min_tps)) {
      return Status(Code::kThrottling, "Rate exceeded");
    }
    Trained& t = *view.trained;
    if (t.update_every_us > 0 && runtime_.NowMicros() >= t.next_update_us) {
      if (Result<std::unique_ptr<Model>> m = Fit(t, t.model.get(), Snapshot(t.group_arn)); m.ok()) {
        t.model = std::move(m).value();
      }  // a failed update keeps serving the model it has, as AWS's does
      const int64_t now = runtime_.NowMicros();
      while (t.next_update_us <= now) t.next_update_us += t.update_every_us;
    }
    return t.model.get();
  }

  Status Resolve(const std::string& campaign_arn, CampaignView& view) {
    const personalize::Campaign* c = control_.FindCampaign(campaign_arn);
    if (c == nullptr) {
      return Status(Code::kResourceNotFound, "The campaign " + campaign_arn + " does not exist");
    }
    // A campaign stays ACTIVE through an update, serving the version it had until the update is.
    if (c->status != personalize::kActive) {
      return Status(Code::kResourceNotFound,
                    "The campaign " + campaign_arn + " is not ACTIVE (status: " + c->status + ")");
    }
    const auto t = models_.find(c->solution_version_arn);
    if (t == models_.end() || !t->second.model) {
      return Status(Code::kResourceNotFound, "The campaign's solution version " +
                                                 c->solution_version_arn + " has no trained model");
    }
    const personalize::Recipe* recipe = nullptr;
    Result<personalize::Recipe> r =
        control_.DescribeRecipe(personalize::RecipeArn(t->second.recipe));
    if (r.ok()) recipe = &*r;
    view.generation = control_.generation();
    view.group = &GroupFor(t->second.group_arn);
    view.trained = &t->second;
    view.min_tps = c->min_provisioned_tps;
    view.type = RecipeType::kUserPersonalization;
    if (recipe != nullptr && recipe->recipe_type == "RELATED_ITEMS") {
      view.type = RecipeType::kRelatedItems;
    } else if (recipe != nullptr && recipe->recipe_type == "PERSONALIZED_RANKING") {
      view.type = RecipeType::kPersonalizedRanking;
    }
    return Status::Ok();
  }

  // One call against the campaign's capacity this second: max(minProvisionedTPS, the busiest
  // second between autoscale_hold_us + autoscale_delay_us and autoscale_delay_us ago). Demand
  // raises the capacity only once the delay has passed, so a burst is throttled until then.
  bool TakeCall(Capacity& c, int min_tps) {
    if (options_.autoscale_delay_us <= 0) return true;
    const int64_t second = runtime_.NowMicros() / kMicrosPerSecond;
    if (second != c.second) {
      if (c.second >= 0 && c.calls > 0) c.past.emplace_back(c.second, c.calls);
      const int64_t delay = std::max<int64_t>(1, options_.autoscale_delay_us / kMicrosPerSecond);
      const int64_t hold = std::max<int64_t>(0, options_.autoscale_hold_us / kMicrosPerSecond);
      while (!c.past.empty() && c.past.front().first < second - delay - hold) c.past.pop_front();
      c.limit = static_cast<uint32_t>(std::max(min_tps, 1));
      for (const auto& [s, n] : c.past) {
        if (s <= second - delay) c.limit = std::max(c.limit, n);
      }
      c.second = second;
      c.calls = 0;
    }
    return ++c.calls <= c.limit;  // a throttled call is demand too: capacity follows it
  }

  Result<std::optional<personalize::BoundFilter>> Bind(const std::string& filter_arn,
                                                       const StringMap& values,
                                                       const std::string& user_id,
                                                       const std::string& item_id,
                                                       const Group& group) {
    if (filter_arn.empty()) {
      if (!values.empty()) return Invalid("filterValues is given without a filterArn");
      return std::optional<personalize::BoundFilter>();
    }
    if (values.size() > kMaxFilterValueEntries) {
      return Invalid("filterValues must have at most " + std::to_string(kMaxFilterValueEntries) +
                     " entries");
    }
    CachedFilter& cached = filters_[filter_arn];
    if (cached.generation != control_.generation() || !cached.expression) {
      const personalize::Filter* f = control_.FindFilter(filter_arn);
      if (f == nullptr) {
        filters_.erase(filter_arn);
        return Status(Code::kResourceNotFound, "The filter " + filter_arn + " does not exist");
      }
      if (f->status != personalize::kActive) {
        filters_.erase(filter_arn);
        return Status(Code::kResourceNotFound,
                      "The filter " + filter_arn + " is not ACTIVE (status: " + f->status + ")");
      }
      Result<FilterExpression> parsed = personalize::ParseFilterExpression(f->filter_expression);
      if (!parsed.ok()) return parsed.status();  // CreateFilter refused it already
      cached.expression = std::make_shared<FilterExpression>(std::move(parsed).value());
      cached.group = &GroupFor(f->dataset_group_arn);
      cached.generation = control_.generation();
    }
    if (cached.group != &group) {  // checked on every call: the cache outlives a campaign
      return Invalid("The filter " + filter_arn +
                     " belongs to another dataset group than the campaign's");
    }
    Result<personalize::BoundFilter> bound =
        personalize::BindFilter(*cached.expression, values, {user_id, item_id}, group);
    if (!bound.ok()) return bound.status();
    return std::optional<personalize::BoundFilter>(std::move(bound).value());
  }

  personalize::UserQuery Query(const Group& g, const std::string& user_id, size_t want) const {
    personalize::UserQuery q;
    q.user = user_id.empty() ? kUnknownId : g.users.Find(user_id);
    if (q.user != kUnknownId) q.recent = g.histories[q.user].items;
    q.want = want;
    q.now = UnixSeconds(runtime_.NowMicros());
    return q;
  }

  // --- Training -----------------------------------------------------------------------------

  Status Train(const personalize::TrainingInput& input) {
    Result<personalize::Recipe> recipe = control_.DescribeRecipe(input.recipe_arn);
    if (!recipe.ok()) return recipe.status();
    Trained t;
    t.recipe = recipe->name;
    t.hyperparameters = input.algorithm_hyper_parameters;
    t.solution_arn = input.solution_arn;
    t.group_arn = input.dataset_group_arn;
    t.event_type = input.event_type;
    t.order = ++trainings_;
    const Model* previous = nullptr;
    if (input.training_mode == "UPDATE") {
      const Trained* newest = nullptr;
      for (const auto& [arn, other] : models_) {
        if (other.solution_arn == t.solution_arn && (!newest || other.order > newest->order)) {
          newest = &other;
        }
      }
      if (newest != nullptr) previous = newest->model.get();
    }
    // The data as CreateSolutionVersion found it, not as it is when the training's time is up.
    DataSnapshot snapshot = Snapshot(t.group_arn);
    if (auto it = snapshots_.find(input.solution_version_arn); it != snapshots_.end()) {
      snapshot = std::move(it->second);
      snapshots_.erase(it);
    }
    Result<std::unique_ptr<Model>> model = Fit(t, previous, snapshot);
    if (!model.ok()) return model.status();
    t.model = std::move(model).value();
    t.update_every_us =
        personalize::AutomaticUpdateSeconds(t.recipe, t.hyperparameters) * kMicrosPerSecond;
    t.next_update_us = runtime_.NowMicros() + t.update_every_us;
    models_[input.solution_version_arn] = std::move(t);
    return Status::Ok();
  }

  // Trains t's recipe on `data` of its group, filtered by its event type.
  Result<std::unique_ptr<Model>> Fit(const Trained& t, const Model* previous,
                                     const DataSnapshot& data_then) {
    Group& g = GroupFor(t.group_arn);
    const uint32_t type = t.event_type.empty() ? kUnknownId : g.event_types.Find(t.event_type);
    std::vector<Interaction> rows;
    rows.reserve(data_then.imported->size() + data_then.events);
    if (t.event_type.empty() || type != StringIndex::kAbsent) {
      g.ForEachInteraction(
          type, [&](const Interaction& e) { rows.push_back(e); }, data_then.imported.get(),
          data_then.events);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Interaction& a, const Interaction& b) {
      return a.timestamp < b.timestamp;
    });
    std::vector<std::string> type_names;
    for (uint32_t i = 0; i < g.event_types.size(); ++i) type_names.push_back(g.event_types.name(i));
    personalize::TrainingData data;
    data.user_count = g.users.size();
    data.item_count = g.items.size();
    data.interactions = rows;
    data.event_types = type_names;
    data.item_creation = g.item_creation;
    data.now = UnixSeconds(runtime_.NowMicros());
    return personalize::TrainModel(t.recipe, t.hyperparameters, data, previous);
  }

  Runtime& runtime_;
  const FakePersonalizeOptions options_;
  std::map<std::string, std::unique_ptr<Group>> groups_;  // by dataset group ARN
  std::map<std::string, Trained> models_;                 // by solution version ARN
  PersonalizeControlPlane control_;  // after what its hooks use, before what caches it
  std::unordered_map<std::string, CampaignView> campaigns_;
  std::unordered_map<std::string, Capacity> capacity_;
  struct CachedFilter {
    uint64_t generation = ~uint64_t{0};
    std::shared_ptr<FilterExpression> expression;
    const Group* group = nullptr;  // the filter's dataset group
  };
  std::unordered_map<std::string, CachedFilter> filters_;
  std::map<std::string, DataSnapshot> snapshots_;  // by solution version ARN, until it trains
  std::unordered_map<std::string, std::pair<uint64_t, Group*>> trackers_;
  uint64_t recommendations_ = 0;
  uint64_t trainings_ = 0;
  std::vector<ScoredItem> scored_;  // query scratch
};

FakePersonalize::FakePersonalize(Runtime& runtime, personalize::ObjectReader reader,
                                 FakePersonalizeOptions options)
    : impl_(std::make_unique<Impl>(runtime, std::move(reader), std::move(options))) {}
FakePersonalize::~FakePersonalize() = default;

PersonalizeControlPlane& FakePersonalize::control() { return impl_->control(); }
const PersonalizeControlPlane& FakePersonalize::control() const { return impl_->control(); }

void FakePersonalize::PutEvents(const PutEventsRequest& request, Callback<Empty> done) {
  impl_->PutEvents(request, std::move(done));
}
void FakePersonalize::PutItems(const PutItemsRequest& request, Callback<Empty> done) {
  impl_->PutItems(request, std::move(done));
}
void FakePersonalize::PutUsers(const PutUsersRequest& request, Callback<Empty> done) {
  impl_->PutUsers(request, std::move(done));
}
void FakePersonalize::GetRecommendations(const GetRecommendationsRequest& request,
                                         Callback<GetRecommendationsResponse> done) {
  impl_->GetRecommendations(request, std::move(done));
}
void FakePersonalize::GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                                             Callback<GetPersonalizedRankingResponse> done) {
  impl_->GetPersonalizedRanking(request, std::move(done));
}
PersonalizeMemory FakePersonalize::Memory() const { return impl_->Memory(); }

}  // namespace meshsim::fakes
