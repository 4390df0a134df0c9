// The mesh's real-time recommender (popularity and exact co-occurrence, updated per event; the
// Personalize recipes, trained, are in fakes/personalize/). Each call validates the whole request
// against the botocore shapes first, then applies it to aggregates kept up to date event by event,
// so that applying an event costs O(history_length) and a GetRecommendations never scans or sorts
// the catalogue. Events are applied on a worker thread, in call order, while the simulation goes
// on (the caller's PutEvents costs its validation and a copy into a buffer); the other calls wait
// for the worker to catch up first, so what they see is exactly what applying inline would give.
//
// Ids are interned to dense uint32 indices once; everything below works on indices.
//
// Memory per interaction (10M interactions, 100k users, 100k items is the target):
// - an event is not stored. Only an eventId is kept, for de-duplication: its 64-bit fingerprint
//   in a set at 3/8 to 3/4 load (sim/core/fingerprint_set.h), 11-21 bytes.
// - a distinct (user, item) pair costs one 4-byte slot in the user's item set, at 3/8 to 3/4
//   load: 5-11 bytes. Popularity adds nothing per interaction (two words per item).
// - co-occurrence: an item entering a user's recent history adds up to history_length - 1
//   increments to its forward table, one per item already there. Only a pair seen for the first
//   time costs memory: a 4-byte slot, 5-11 bytes per distinct ordered pair, while the catalogue
//   and the pair's count stay below 65,535 (twice that past it), and never more than 4 bytes per
//   item of the catalogue per table (CountTable). The reverse index (the same counts by the
//   other item) doubles that, and is built only once queries are many (AddCooccurring). Per
//   user, 4 bytes per item of the recent history.
// Co-occurrence is exact, and pays for it at scale: an event queues up to history_length - 1
// table increments (twice that with the reverse index), applied in bulk grouped by table
// (Flush), and a GetRecommendations reads every neighbour of every item in the user's recent
// history; a popular item co-occurs with most of the catalogue, so that read grows with the
// catalogue once the data is dense.
#include "sim/realtime_recommender/realtime_recommender.h"

#include <algorithm>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "sim/core/fingerprint_set.h"
#include "sim/core/ids.h"
#include "sim/core/open_table.h"
#include "sim/core/ordered_worker.h"
#include "sim/core/string_index.h"
#include "sim/ports/request_checks.h"

namespace meshsim::realtime {
namespace {

using namespace checks;  // NOLINT: the Recommender port's request checks

// EventPropertiesJSON is at most 1024 characters (botocore).
constexpr size_t kMaxPropertiesLength = 1024;

// A slot's key type's highest value marks a free slot: keys stay below it.
struct KeySlot {
  static constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();
  uint32_t key = kFree;
};
struct CountSlot {
  static constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();
  uint32_t key = kFree;
  uint32_t value = 0;
};
// A count slot of half the size, for keys and counts below 0xffff (CountTable).
struct NarrowCountSlot {
  static constexpr uint16_t kFree = std::numeric_limits<uint16_t>::max();
  uint16_t key = kFree;
  uint16_t value = 0;
};

// A hash table of dense indices, an OpenTable keyed by the slot's key. Keys stay below the
// slot's kFree, which marks a free slot. std::unordered_map would cost a 32-byte node and an
// allocation per entry, on the path of every event.
template <typename S>
class IndexTable {
 public:
  using Slot = S;

  // Returns the slot of `key`, and whether it was just added (a CountSlot starts at 0).
  std::pair<Slot*, bool> Insert(uint32_t key) {
    const auto found =
        table_.FindOrInsert(MixHash(key), [key](const Slot& s) { return s.key == key; });
    if (found.second) found.first->key = static_cast<decltype(Slot::key)>(key);
    return found;
  }

  // Starts loading the slot where a probe for `key` begins, so that many independent probes
  // overlap their cache misses instead of paying for them one after another.
  void Prefetch(uint32_t key) const { table_.Prefetch(MixHash(key)); }

  // The slot of `key`, or null.
  const Slot* Find(uint32_t key) const {
    return table_.Find(MixHash(key), [key](const Slot& s) { return s.key == key; });
  }

  bool Contains(uint32_t key) const { return Find(key) != nullptr; }

  size_t capacity() const { return table_.capacity(); }
  // Whether inserting a key not yet present would grow the table first.
  bool full() const { return table_.full(); }

  template <typename F>
  void ForEach(F&& f) const {
    table_.ForEach(std::forward<F>(f));
  }

 private:
  struct Traits {
    using Slot = S;
    static bool Free(const Slot& s) { return s.key == Slot::kFree; }
    static uint64_t Hash(const Slot& s) { return MixHash(s.key); }
    static constexpr size_t kFirstCapacity = 4;
  };
  OpenTable<Traits> table_;
};

// Counts by dense index (an item's co-occurrence counts, by the other item), in the smallest of
// three layouts that holds them:
// - narrow: a hash table of 4-byte slots (16-bit key and count), while every key and count is
//   below 0xffff: a catalogue of up to 65,534 items, and most pairs' counts, whatever the size;
// - wide: a hash table of 8-byte slots, once a key or a count is past that;
// - dense: a plain array of 4-byte counts indexed by key, once the hash table would grow larger
//   than that array. A popular item co-occurs with much of the catalogue, so its table ends up
//   dense: an increment is one add, with no probing, no growth and no rehashing.
// The layout only ever moves down that list, each move one pass over the table.
class CountTable {
 public:
  // Adds `n` (>= 1) to the count of `key`; `keys` is the number of possible keys, all of them
  // above `key`.
  void Add(uint32_t key, uint32_t n, size_t keys) {
    switch (layout_) {
      case Layout::kNarrow:
        if (AddNarrow(key, n, keys)) return;
        Widen(keys);  // the key, the count or the table outgrew the narrow layout
        return Add(key, n, keys);
      case Layout::kWide:
        if (wide_.full() && GrowsPastDense(wide_, keys)) {
          MakeDense(wide_, keys);
          return Add(key, n, keys);
        }
        wide_.Insert(key).first->value += n;
        return;
      case Layout::kDense:
        if (key >= dense_.size()) dense_.resize(keys, 0);
        dense_[key] += n;
        return;
    }
  }

  // Adds one to the count of each of keys[0, n), prefetching kAhead keys ahead. The narrow
  // layout, which most increments find, has a loop of its own; Add does the rest.
  void AddOneEach(const uint32_t* keys, uint32_t n, size_t universe) {
    constexpr uint32_t kAhead = 8;
    uint32_t i = 0;
    if (layout_ == Layout::kNarrow) {
      for (; i < n; ++i) {
        if (i + kAhead < n) narrow_.Prefetch(keys[i + kAhead]);
        if (!AddNarrow(keys[i], 1, universe)) break;  // Add widens the table
      }
    }
    for (; i < n; ++i) {
      if (i + kAhead < n) Prefetch(keys[i + kAhead]);
      Add(keys[i], 1, universe);
    }
  }

  void Prefetch(uint32_t key) const {
    switch (layout_) {
      case Layout::kNarrow:
        return narrow_.Prefetch(key);
      case Layout::kWide:
        return wide_.Prefetch(key);
      case Layout::kDense:
        if (key < dense_.size()) __builtin_prefetch(&dense_[key]);
        return;
    }
  }

  // The count of `key`, 0 when it has none.
  uint32_t Get(uint32_t key) const {
    switch (layout_) {
      case Layout::kNarrow: {
        if (key >= NarrowCountSlot::kFree) return 0;
        const NarrowCountSlot* slot = narrow_.Find(key);
        return slot == nullptr ? 0 : slot->value;
      }
      case Layout::kWide: {
        const CountSlot* slot = wide_.Find(key);
        return slot == nullptr ? 0 : slot->value;
      }
      case Layout::kDense:
        return key < dense_.size() ? dense_[key] : 0;
    }
    return 0;
  }

  // What ForEach reads: slots, or possible keys.
  size_t capacity() const {
    switch (layout_) {
      case Layout::kNarrow:
        return narrow_.capacity();
      case Layout::kWide:
        return wide_.capacity();
      case Layout::kDense:
        return dense_.size();
    }
    return 0;
  }

  // Calls f(key, count) for every key with a count, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    switch (layout_) {
      case Layout::kNarrow:
        return narrow_.ForEach([&f](const NarrowCountSlot& s) { f(s.key, s.value); });
      case Layout::kWide:
        return wide_.ForEach([&f](const CountSlot& s) { f(s.key, s.value); });
      case Layout::kDense:
        for (uint32_t key = 0; key < dense_.size(); ++key) {
          if (dense_[key] != 0) f(key, dense_[key]);
        }
        return;
    }
  }

 private:
  enum class Layout : uint8_t { kNarrow, kWide, kDense };

  // Adds `n` to `key` in the narrow layout; false, having counted nothing, when the key, the sum
  // or the table's next growth does not fit it (a new key's slot may then be left at 0).
  bool AddNarrow(uint32_t key, uint32_t n, size_t keys) {
    if (key >= NarrowCountSlot::kFree || (narrow_.full() && GrowsPastDense(narrow_, keys))) {
      return false;
    }
    NarrowCountSlot& slot = *narrow_.Insert(key).first;
    const uint32_t sum = slot.value + n;
    if (sum >= NarrowCountSlot::kFree) return false;
    slot.value = static_cast<uint16_t>(sum);
    return true;
  }

  // Whether the table's next growth takes it past the dense array's size.
  template <typename Slot>
  static bool GrowsPastDense(const IndexTable<Slot>& table, size_t keys) {
    return table.capacity() * 2 * sizeof(Slot) >= keys * sizeof(uint32_t);
  }

  void Widen(size_t keys) {
    if (narrow_.capacity() * sizeof(CountSlot) >= keys * sizeof(uint32_t)) {
      return MakeDense(narrow_, keys);  // the wide table would be the larger
    }
    narrow_.ForEach(
        [this](const NarrowCountSlot& s) { wide_.Insert(s.key).first->value = s.value; });
    narrow_ = {};
    layout_ = Layout::kWide;
  }

  template <typename Slot>
  void MakeDense(IndexTable<Slot>& from, size_t keys) {
    dense_.assign(keys, 0);
    from.ForEach([this](const Slot& s) { dense_[s.key] = s.value; });
    from = {};
    layout_ = Layout::kDense;
  }

  IndexTable<NarrowCountSlot> narrow_;
  IndexTable<CountSlot> wide_;
  std::vector<uint32_t> dense_;  // by key
  Layout layout_ = Layout::kNarrow;
};

// Items that at least one user interacted with, sorted by distinct-user count, highest first, so
// the top is read off without sorting. Items with equal counts form a contiguous block; above_[c]
// is how many items have a count greater than c, so block c spans [above_[c], above_[c - 1]).
// An increment swaps the item with the first of its block and moves that boundary by one: O(1),
// whatever the catalogue size. The swaps leave a block in no particular order, so ties are put in
// id order when read (ForTop).
class PopularityOrder {
 public:
  // Makes room for item indices below `n`, at count 0 (not ranked).
  void Resize(size_t n) {
    count_.resize(n, 0);
    pos_.resize(n, 0);
  }

  uint32_t max_count() const { return order_.empty() ? 0 : count_[order_.front()]; }

  void Increment(uint32_t item) {
    const uint32_t c = count_[item]++;
    if (c == 0) {
      pos_[item] = static_cast<uint32_t>(order_.size());  // the end is block 1
      order_.push_back(item);
    } else {
      const uint32_t front = above_[c];
      const uint32_t displaced = order_[front];
      std::swap(order_[front], order_[pos_[item]]);
      pos_[displaced] = pos_[item];
      pos_[item] = front;
    }
    ++above_[c];  // the first of block c is now the last of block c + 1
    if (above_.size() == c + 1) above_.push_back(0);
  }

  // Calls emit(item, count) for up to `want` ranked items in rank order (count descending, then
  // id ascending), passing over items `skip` accepts. Reads from the top a block at a time; only
  // the block the cut falls in is scanned beyond what is returned, to find its smallest ids, so a
  // query is cheap unless very many items tie at the cut. `block` is scratch.
  template <typename Skip, typename Emit>
  void ForTop(size_t want, const StringIndex& ids, Skip&& skip, std::vector<uint32_t>& block,
              Emit&& emit) const {
    const auto by_id = [&ids](uint32_t a, uint32_t b) { return ids.name(a) < ids.name(b); };
    for (size_t pos = 0; want > 0 && pos < order_.size();) {
      const uint32_t c = count_[order_[pos]];
      const size_t end = above_[c - 1];
      block.clear();
      for (; pos < end; ++pos) {
        if (!skip(order_[pos])) block.push_back(order_[pos]);
      }
      if (block.size() > want) {
        std::nth_element(block.begin(), block.begin() + want, block.end(), by_id);
        block.resize(want);
      }
      std::sort(block.begin(), block.end(), by_id);
      for (uint32_t item : block) emit(item, c);
      want -= block.size();
    }
  }

 private:
  std::vector<uint32_t> count_;  // by item: distinct users
  std::vector<uint32_t> pos_;    // by item: index in order_ (meaningless at count 0)
  std::vector<uint32_t> order_;  // items with count >= 1, count descending
  std::vector<uint32_t> above_{0};
};

struct UserState {
  IndexTable<KeySlot> items;     // every item the user ever interacted with
  std::vector<uint32_t> recent;  // the last history_length distinct items, most recent last
  Attributes properties;
};

Status CheckEvent(const Event& event, size_t i) {
  if (Status s = CheckId(event.event_type, "eventType", "eventList", i); !s.ok()) return s;
  // Personalize allows events without an item; both recipes here are built from items.
  if (Status s = CheckId(event.item_id, "itemId", "eventList", i); !s.ok()) return s;
  if (!event.event_id.empty()) {  // optional
    if (Status s = CheckId(event.event_id, "eventId", "eventList", i); !s.ok()) return s;
  }
  if (event.properties.size() > kMaxPropertiesLength) {
    return Invalid(FieldName("properties", "eventList", i) + " must be at most " +
                   std::to_string(kMaxPropertiesLength) + " characters");
  }
  return Status::Ok();
}

class RealtimeRecommender final : public Recommender {
 public:
  RealtimeRecommender(Runtime& runtime, RealtimeRecommenderOptions options, bool cooccurrence)
      : runtime_(runtime),
        options_(std::move(options)),
        cooccurrence_(cooccurrence),
        tokens_(options_.put_events_tps) {}

  // Callbacks run inline: every call completes synchronously. A PutEvents's answer depends only
  // on the request and the clock, so it is given at once, and the events are applied on a second
  // thread in call order (Enqueue); every other call waits for that thread to catch up first
  // (Drain), which is what makes an applied event visible to the very next GetRecommendations and
  // keeps every answer the same as applying each event inline.
  void PutEvents(const PutEventsRequest& request, Callback<Empty> done) override {
    if (Status s = Validate(request); !s.ok()) return done(std::move(s));
    if (!TakeToken()) return done(Status(Code::kThrottling, "Rate exceeded"));
    Enqueue(request);
    done(Empty{});
  }

  void PutItems(const PutItemsRequest& request, Callback<Empty> done) override {
    Drain();
    // datasetArn is not checked: there is one dataset group, whatever the caller names.
    if (Status s = CheckCount("items", request.items.size(), kMaxRecordsPerPutItems); !s.ok()) {
      return done(std::move(s));
    }
    for (size_t i = 0; i < request.items.size(); ++i) {
      if (Status s = CheckId(request.items[i].item_id, "itemId", "items", i); !s.ok()) {
        return done(std::move(s));
      }
    }
    for (const Item& item : request.items) {
      item_properties_[InternItem(item.item_id)] = item.properties;  // replaces
    }
    done(Empty{});
  }

  void PutUsers(const PutUsersRequest& request, Callback<Empty> done) override {
    Drain();
    if (Status s = CheckCount("users", request.users.size(), kMaxRecordsPerPutUsers); !s.ok()) {
      return done(std::move(s));
    }
    for (size_t i = 0; i < request.users.size(); ++i) {
      if (Status s = CheckId(request.users[i].user_id, "userId", "users", i); !s.ok()) {
        return done(std::move(s));
      }
    }
    for (const User& user : request.users) {
      users_[InternUser(user.user_id)].properties = user.properties;  // replaces
    }
    done(Empty{});
  }

  // Both recipes are user-personalization recipes: itemId is ignored, userId is required.
  //
  // Scores: co-occurrence candidates score sum / (best sum), in (0, 1]. Popular items score
  // count / (highest count), in (0, 1], scaled by half the lowest co-occurrence score when they
  // only fill in, so that they always rank below every co-occurring item.
  void GetRecommendations(const GetRecommendationsRequest& request,
                          Callback<GetRecommendationsResponse> done) override {
    if (Status s = Validate(request); !s.ok()) return done(std::move(s));
    Drain();
    const uint32_t found = user_ids_.Find(request.user_id);
    const UserState* user = found == StringIndex::kAbsent ? nullptr : &users_[found];

    GetRecommendationsResponse response;
    const size_t want = static_cast<size_t>(request.num_results);
    response.item_list.reserve(want);
    double fill_scale = 1;
    if (cooccurrence_ && user != nullptr && !user->recent.empty()) {
      Flush(/*two_threads=*/true);
      AddCooccurring(*user, want, response.item_list);
      if (!response.item_list.empty()) fill_scale = response.item_list.back().score / 2;
    }
    // Everything scored above is either returned or ranked below the cut (and then nothing is
    // filled), so a non-zero score marks an item already chosen.
    const auto skip = [&](uint32_t item) {
      return score_[item] != 0 || (user != nullptr && user->items.Contains(item));
    };
    const double top = popularity_.max_count();
    popularity_.ForTop(
        want - response.item_list.size(), item_ids_, skip, block_,
        [&](uint32_t item, uint32_t count) {
          response.item_list.push_back({item_ids_.name(item), fill_scale * count / top});
        });
    for (uint32_t item : touched_) score_[item] = 0;
    touched_.clear();

    response.recommendation_id = NextRecommendationId();
    done(std::move(response));
  }

  // The worker has applied every event, and the co-occurrence increments are in the tables.
  void Settle() override {
    Drain();
    Flush(/*two_threads=*/true);
  }

  // Both recipes are USER_PERSONALIZATION recipes, which do not rank.
  void GetPersonalizedRanking(const GetPersonalizedRankingRequest& request,
                              Callback<GetPersonalizedRankingResponse> done) override {
    if (Status s = CheckCampaign(request.campaign_arn); !s.ok()) return done(std::move(s));
    done(Invalid("The campaign's recipe (" + options_.recipe +
                 ") does not support GetPersonalizedRanking: use a PERSONALIZED_RANKING recipe"));
  }

 private:
  Status Validate(const PutEventsRequest& request) const {
    if (Status s = CheckId(request.tracking_id, "trackingId"); !s.ok()) return s;
    if (Status s = CheckId(request.user_id, "userId"); !s.ok()) return s;
    if (Status s = CheckId(request.session_id, "sessionId"); !s.ok()) return s;
    const size_t n = request.event_list.size();
    if (Status s = CheckCount("eventList", n, kMaxEventsPerPutEvents); !s.ok()) return s;
    for (size_t i = 0; i < n; ++i) {
      if (Status s = CheckEvent(request.event_list[i], i); !s.ok()) return s;
    }
    if (!options_.tracking_id.empty() && request.tracking_id != options_.tracking_id) {
      return Status(Code::kResourceNotFound,
                    "The event tracker with tracking ID " + request.tracking_id + " was not found");
    }
    return Status::Ok();
  }

  Status Validate(const GetRecommendationsRequest& request) const {
    if (request.campaign_arn.size() > kMaxIdLength) {
      return Invalid("campaignArn must be at most " + std::to_string(kMaxIdLength) + " characters");
    }
    if (Status s = CheckId(request.user_id, "userId"); !s.ok()) return s;
    if (request.num_results < 1 || request.num_results > kMaxNumResults) {
      return Invalid("numResults must be between 1 and " + std::to_string(kMaxNumResults));
    }
    if (!request.filter_arn.empty()) {  // this recommender has no filters
      return Status(Code::kResourceNotFound,
                    "The filter " + request.filter_arn + " does not exist");
    }
    return CheckCampaign(request.campaign_arn);
  }

  Status CheckCampaign(const std::string& campaign_arn) const {
    if (!options_.campaign_arn.empty() && campaign_arn != options_.campaign_arn) {
      return Status(Code::kResourceNotFound, "The campaign " + campaign_arn + " does not exist");
    }
    return Status::Ok();
  }

  // The TPS limit's token bucket: refilled at put_events_tps per second, one second's worth at
  // most. Always true without a limit.
  bool TakeToken() {
    const double tps = options_.put_events_tps;
    if (tps <= 0) return true;
    const int64_t now = runtime_.NowMicros();
    tokens_ = std::min(tps, tokens_ + tps * static_cast<double>(now - refilled_us_) / 1e6);
    refilled_us_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  // --- Applying events on the worker thread -------------------------------------------------
  //
  // Each accepted PutEvents is packed into the worker's buffer: the user id, then each event's id
  // and item id.
  static constexpr size_t kBufferBytes = size_t{1} << 18;
  // Then the caller waits, so memory stays bounded (16 MiB). A Flush holds the worker for a
  // while (a few hundred ms at one_hour's scale); the queue must cover it, or the caller stalls
  // for the flush's length (16 buffers cost one_hour a quarter of its wall time).
  static constexpr size_t kMaxQueuedBuffers = 64;

  void Enqueue(const PutEventsRequest& request) {
    std::vector<char>& out = worker_.buffer();
    OrderedWorker::PutString(out, request.user_id);
    OrderedWorker::PutU32(out, static_cast<uint32_t>(request.event_list.size()));
    for (const Event& event : request.event_list) {
      OrderedWorker::PutString(out, event.event_id);
      OrderedWorker::PutString(out, event.item_id);
    }
    worker_.Filled();
  }

  void Drain() { worker_.Drain(); }

  void ApplyBuffer(const std::vector<char>& buffer) {
    const char* p = buffer.data();
    const char* const end = p + buffer.size();
    entries_.clear();
    while (p < end) {
      const std::string_view user = OrderedWorker::GetString(p);
      const uint64_t user_hash = StringIndex::Hash(user);
      for (uint32_t i = 0, n = OrderedWorker::GetU32(p); i < n; ++i) {
        Entry& e = entries_.emplace_back();
        e.user = user;
        e.user_hash = user_hash;
        e.event_id = OrderedWorker::GetString(p);
        e.item = OrderedWorker::GetString(p);
        e.item_hash = StringIndex::Hash(e.item);
        e.fingerprint = e.event_id.empty() ? 0 : FingerprintSet::Of(e.event_id);
        e.user_guess = e.item_guess = StringIndex::kAbsent;
      }
    }
    // Each event costs a handful of cache misses (its id's slot, the user's and the item's slots
    // and names, the user's state), each depending on the one before: a prefetch pipeline starts
    // them several events ahead, in stages, so they overlap instead of following one another.
    constexpr size_t kSlotsAhead = 8;  // index slots and the eventId's slot
    constexpr size_t kNamesAhead = 4;  // the names those slots point to, and the user's state
    constexpr size_t kStateAhead = 2;  // the slot of the item in the user's item set
    const size_t n = entries_.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kSlotsAhead < n) {
        const Entry& a = entries_[i + kSlotsAhead];
        user_ids_.PrefetchSlot(a.user_hash);
        item_ids_.PrefetchSlot(a.item_hash);
        if (a.fingerprint != 0) event_ids_.Prefetch(a.fingerprint);
      }
      if (i + kNamesAhead < n) {
        Entry& a = entries_[i + kNamesAhead];
        a.user_guess = user_ids_.PrefetchName(a.user_hash);
        if (a.user_guess < users_.size()) __builtin_prefetch(&users_[a.user_guess]);
        a.item_guess = item_ids_.PrefetchName(a.item_hash);
      }
      if (i + kStateAhead < n) {
        const Entry& a = entries_[i + kStateAhead];
        if (a.user_guess < users_.size()) users_[a.user_guess].items.Prefetch(a.item_guess);
      }
      const Entry& e = entries_[i];
      UserState& user = users_[InternUser(e.user, e.user_hash)];
      if (e.fingerprint != 0 && !event_ids_.Insert(e.fingerprint)) continue;
      Apply(user, InternItem(e.item, e.item_hash));
    }
  }

  uint32_t InternUser(std::string_view id) { return InternUser(id, StringIndex::Hash(id)); }
  uint32_t InternUser(std::string_view id, uint64_t hash) {
    const uint32_t index = user_ids_.Intern(id, hash);
    if (index == users_.size()) users_.emplace_back();
    return index;
  }

  uint32_t InternItem(std::string_view id) { return InternItem(id, StringIndex::Hash(id)); }
  uint32_t InternItem(std::string_view id, uint64_t hash) {
    const uint32_t index = item_ids_.Intern(id, hash);
    if (index == item_properties_.size()) {
      item_properties_.emplace_back();
      score_.push_back(0);
      popularity_.Resize(item_ids_.size());
      if (cooccurrence_) {
        forward_.emplace_back();
        if (reverse_kept_) reverse_.emplace_back();
        in_history_.push_back(0);
      }
    }
    return index;
  }

  void Apply(UserState& user, uint32_t item) {
    if (user.items.Insert(item).second) popularity_.Increment(item);
    if (!cooccurrence_) return;
    std::vector<uint32_t>& recent = user.recent;
    const auto at = std::find(recent.begin(), recent.end(), item);
    if (at != recent.end()) {  // already in the history: only its recency changes
      std::rotate(at, at + 1, recent.end());
      return;
    }
    // Evict first: the new item pairs with the history_length - 1 items it will share the
    // history with, never with the one it pushes out.
    if (recent.size() == options_.history_length) recent.erase(recent.begin());
    // The history_length - 1 increments (twice that with the reverse index) would hit tables
    // scattered over the heap, one cache miss each: they are queued instead and applied
    // together, grouped by table (Flush). The forward ones all go to the item's table: one run
    // of the history's items.
    if (!recent.empty()) {
      const auto start = static_cast<uint32_t>(run_keys_.size());
      runs_.push_back({item, start, static_cast<uint32_t>(recent.size())});
      run_keys_.insert(run_keys_.end(), recent.begin(), recent.end());
    }
    if (reverse_kept_) {
      for (uint32_t other : recent) pending_reverse_.push_back(Pair(other, item));
    }
    recent.push_back(item);
    if (run_keys_.size() >= kFlushPairs) Flush();
  }

  // The worker has caught up with the caller: increments queued by then are applied now, while
  // its thread has time, so that the Flush a query or the end of a run must wait for is short.
  // Below kIdleFlushPairs a flush is not worth its pass over the tables.
  void FlushIfIdle() {
    if (run_keys_.size() + pending_reverse_.size() >= kIdleFlushPairs) Flush();
  }

  static uint64_t Pair(uint32_t table, uint32_t key) {
    return (static_cast<uint64_t>(table) << 32) | key;
  }

  // Applies the queued co-occurrence increments to forward_ (and reverse_, when kept). Each
  // queue is grouped by table first, so a table is loaded once per flush rather than once per
  // increment. Counts are sums, so the order of application changes nothing a query can see;
  // every query flushes first.
  void Flush(bool two_threads = false) {
    ApplyRuns(two_threads);
    ApplyPairs();
  }

  // Stable counting sort of `in` into `out` by table (two sequential passes over `in`).
  template <typename T, typename TableOf>
  void GroupByTable(const std::vector<T>& in, size_t tables, TableOf table_of,
                    std::vector<T>& out) {
    bucket_start_.assign(tables + 1, 0);
    for (const T& x : in) ++bucket_start_[table_of(x) + 1];
    for (size_t t = 0; t < tables; ++t) bucket_start_[t + 1] += bucket_start_[t];
    out.resize(in.size());
    for (const T& x : in) out[bucket_start_[table_of(x)]++] = x;
  }

  // Each run adds one to its table for each of its keys. Runs, not pairs, are sorted: one 12-byte
  // move per event rather than one per increment. With `two_threads` (a flush the caller waits
  // for, while the worker is idle) the tables are split in two halves by increments, and a
  // second thread applies one: tables are independent, so the halves share nothing.
  void ApplyRuns(bool two_threads = false) {
    if (runs_.empty()) return;
    GroupByTable(
        runs_, forward_.size(), [](const Run& r) { return r.table; }, sorted_runs_);
    const size_t n = sorted_runs_.size();
    if (two_threads && run_keys_.size() >= kTwoThreadsAbove) {
      size_t half = 0;
      for (size_t keys = 0; half < n && keys < run_keys_.size() / 2; ++half) {
        keys += sorted_runs_[half].count;
      }
      while (half < n && half > 0 && sorted_runs_[half].table == sorted_runs_[half - 1].table) {
        ++half;  // a table's runs stay on one side
      }
      std::thread second;
      try {
        second = std::thread([this, half] { ApplyRunRange(0, half); });
      } catch (const std::system_error&) {  // no thread to be had: one does it all
        ApplyRunRange(0, half);
      }
      ApplyRunRange(half, n);
      if (second.joinable()) second.join();
    } else {
      ApplyRunRange(0, n);
    }
    runs_.clear();
    run_keys_.clear();
  }

  // Applies sorted_runs_[begin, end).
  void ApplyRunRange(size_t begin, size_t end) {
    constexpr size_t kRunsAhead = 4;  // a run's keys lie elsewhere in run_keys_
    const size_t universe = forward_.size();
    for (size_t r = begin; r < end; ++r) {
      if (r + kRunsAhead < end) {
        const Run& ahead = sorted_runs_[r + kRunsAhead];
        const uint32_t* keys = run_keys_.data() + ahead.start;
        for (uint32_t i = 0; i < ahead.count; i += 64 / sizeof(uint32_t)) {
          __builtin_prefetch(keys + i);
        }
        __builtin_prefetch(keys + ahead.count - 1);
      }
      const Run& run = sorted_runs_[r];
      forward_[run.table].AddOneEach(run_keys_.data() + run.start, run.count, universe);
    }
  }

  // Applies the reverse index's (table << 32 | key) increments.
  void ApplyPairs() {
    if (pending_reverse_.empty()) return;
    GroupByTable(
        pending_reverse_, reverse_.size(), [](uint64_t p) { return p >> 32; }, sorted_pairs_);
    constexpr size_t kAhead = 8;
    const size_t n = sorted_pairs_.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const uint64_t ahead = sorted_pairs_[i + kAhead];
        reverse_[ahead >> 32].Prefetch(static_cast<uint32_t>(ahead));
      }
      const uint64_t pair = sorted_pairs_[i];
      reverse_[pair >> 32].Add(static_cast<uint32_t>(pair), 1, reverse_.size());
    }
    pending_reverse_.clear();
  }

  // Builds reverse_ from forward_ (a transposition), to be kept up to date from then on.
  void KeepReverseIndex() {
    reverse_.assign(forward_.size(), {});
    for (uint32_t item = 0; item < forward_.size(); ++item) {
      forward_[item].ForEach(
          [&](uint32_t key, uint32_t count) { reverse_[key].Add(item, count, reverse_.size()); });
    }
    reverse_kept_ = true;
  }

  // Appends the best `want` items co-occurring with the user's recent history, unweighted by
  // recency within it, leaving their sums in score_ (listed in touched_) for the caller to clear.
  //
  // Item n's score is the sum over the history's items s of C(s, n) = forward_[s][n] +
  // forward_[n][s]. The first terms are the history's own forward tables. The second are read
  // from reverse_ once it is kept; until then, by one pass over every forward table, looking for
  // the history's items: a small table is read whole (in_history_ marks the items), a large one
  // probed for each. That pass touches every table, but costs nothing per event, while keeping
  // reverse_ doubles what every event costs. So the first
  // kScansBeforeReverseIndex queries scan, and the next builds reverse_ and keeps it: a run
  // with few queries (a benchmark, a report at the end) never pays for a reverse index, and one
  // with many pays at most that many scans more than keeping it from the start would have.
  void AddCooccurring(const UserState& user, size_t want, std::vector<PredictedItem>& out) {
    const auto add = [this](uint32_t item, uint32_t count) {
      if (score_[item] == 0) touched_.push_back(item);
      score_[item] += count;
    };
    for (uint32_t seen : user.recent) {
      forward_[seen].ForEach(add);
    }
    if (!reverse_kept_ && scans_ == kScansBeforeReverseIndex) KeepReverseIndex();
    if (reverse_kept_) {
      for (uint32_t seen : user.recent) {
        reverse_[seen].ForEach(add);
      }
    } else {
      ++scans_;
      for (uint32_t seen : user.recent) in_history_[seen] = 1;
      // Reading a table whole costs a line per 8 slots; probing, about a line per item.
      const size_t probe_above = user.recent.size() * 8;
      for (uint32_t item = 0; item < forward_.size(); ++item) {
        const CountTable& table = forward_[item];
        if (table.capacity() > probe_above) {
          for (uint32_t seen : user.recent) {
            if (const uint32_t count = table.Get(seen); count != 0) add(item, count);
          }
        } else {
          table.ForEach([&](uint32_t key, uint32_t count) {
            if (in_history_[key] != 0) add(item, count);
          });
        }
      }
      for (uint32_t seen : user.recent) in_history_[seen] = 0;
    }
    candidates_.clear();
    for (uint32_t item : touched_) {
      if (!user.items.Contains(item)) candidates_.push_back(item);
    }
    const auto better = [this](uint32_t a, uint32_t b) {
      return score_[a] != score_[b] ? score_[a] > score_[b] : item_ids_.name(a) < item_ids_.name(b);
    };
    if (candidates_.size() > want) {
      std::nth_element(candidates_.begin(), candidates_.begin() + want, candidates_.end(), better);
      candidates_.resize(want);
    }
    std::sort(candidates_.begin(), candidates_.end(), better);
    if (candidates_.empty()) return;
    const double best = static_cast<double>(score_[candidates_.front()]);
    for (uint32_t item : candidates_) {
      out.push_back({item_ids_.name(item), static_cast<double>(score_[item]) / best});
    }
  }

  // "RID-" and a per-recommender counter: fresh per call and the same in every run, without
  // drawing from the run's generator (which would shift every other component's draws).
  std::string NextRecommendationId() { return HexId("RID-", ++recommendations_); }

  Runtime& runtime_;
  const RealtimeRecommenderOptions options_;
  const bool cooccurrence_;
  double tokens_;
  int64_t refilled_us_ = 0;

  StringIndex user_ids_;
  std::vector<UserState> users_;  // by user index

  StringIndex item_ids_;
  std::vector<Attributes> item_properties_;
  PopularityOrder popularity_;
  // Co-occurrence, C(a, b) = forward_[a][b] + forward_[b][a]: forward_[a][b] counts the times
  // a entered a history holding b. reverse_[b][a] = forward_[a][b], kept only once queries have
  // shown they are many enough to pay for it (AddCooccurring).
  std::vector<CountTable> forward_;  // by item
  std::vector<CountTable> reverse_;  // by item; empty unless reverse_kept_
  bool reverse_kept_ = false;
  static constexpr uint32_t kScansBeforeReverseIndex = 8;
  uint32_t scans_ = 0;               // queries answered by scanning forward_
  std::vector<uint8_t> in_history_;  // by item: 1 while a scan looks for it, else 0

  // Co-occurrence increments not yet applied; Flush applies them once kFlushPairs are queued.
  // forward_'s as runs: table `table` gains one for each of run_keys_[start, start + count).
  // reverse_'s as (table << 32 | key).
  struct Run {
    uint32_t table;
    uint32_t start;
    uint32_t count;
  };
  static constexpr size_t kFlushPairs = size_t{1} << 24;
  static constexpr size_t kIdleFlushPairs = size_t{1} << 22;
  static constexpr size_t kTwoThreadsAbove = size_t{1} << 20;  // below, a thread costs more
  std::vector<Run> runs_;
  std::vector<uint32_t> run_keys_;
  std::vector<uint64_t> pending_reverse_;
  std::vector<uint32_t> bucket_start_;  // Flush's scratch
  std::vector<Run> sorted_runs_;        // Flush's scratch: runs_ grouped by table
  std::vector<uint64_t> sorted_pairs_;  // Flush's scratch: pending_reverse_ grouped by table

  FingerprintSet event_ids_;  // every eventId applied, for de-duplication
  // ApplyBuffer's scratch: a buffer's events, parsed and hashed.
  struct Entry {
    std::string_view user;
    std::string_view event_id;
    std::string_view item;
    uint64_t user_hash;
    uint64_t item_hash;
    uint64_t fingerprint;  // of event_id; 0 when it is empty
    // The prefetch pipeline's guesses at the user's and item's indices (kAbsent: none yet).
    uint32_t user_guess;
    uint32_t item_guess;
  };
  std::vector<Entry> entries_;
  uint64_t recommendations_ = 0;

  // Query scratch, kept between calls so a query allocates nothing but its response.
  std::vector<uint64_t> score_;  // by item: co-occurrence sum; zero outside a query
  std::vector<uint32_t> touched_;
  std::vector<uint32_t> candidates_;
  std::vector<uint32_t> block_;

  // Everything above is the worker's while it applies, and the caller's only after a Drain.
  // Last: it starts once every other member exists, and stops before any goes.
  OrderedWorker worker_{[this](const std::vector<char>& buffer) { ApplyBuffer(buffer); },
                        kBufferBytes, kMaxQueuedBuffers, [this] { FlushIfIdle(); }};
};

}  // namespace

Result<std::unique_ptr<Recommender>> MakeRealtimeRecommender(Runtime& runtime,
                                                         RealtimeRecommenderOptions options) {
  // The runtime's clock refills the TPS limit's bucket; nothing here draws from its generator.
  const bool cooccurrence = options.recipe == "co-occurrence";
  if (!cooccurrence && options.recipe != "popularity") {
    return Status(Code::kInvalidInput, "Unknown recipe \"" + options.recipe +
                                           "\": expected \"popularity\" or \"co-occurrence\"");
  }
  if (options.history_length == 0) {
    return Status(Code::kInvalidInput, "history_length must be at least 1");
  }
  return std::unique_ptr<Recommender>(
      std::make_unique<RealtimeRecommender>(runtime, std::move(options), cooccurrence));
}

}  // namespace meshsim::realtime
