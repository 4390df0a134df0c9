#include "sim/workload/workload.h"

#include <algorithm>
#include <charconv>

#include "sim/core/ids.h"
#include "sim/scenario/dataset.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

// A gap drawn at a tiny rate (1e-300 events/s is a valid scenario) can exceed int64: no gap is
// longer than 30 days, past the end of any scenario.
int64_t ClampedMicros(double us) {
  constexpr double kMaxUs = 30.0 * 86400 * 1e6;
  return us >= kMaxUs ? static_cast<int64_t>(kMaxUs) : static_cast<int64_t>(us);
}

}  // namespace
namespace {

// Appends `prefix` and `n` to `out` without a temporary string: this runs once per event.
void AppendNumber(std::string* out, std::string_view prefix, uint64_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out->append(prefix);
  out->append(digits, end);
}

size_t TypeIndex(ItemType type) { return type == ItemType::kSong ? 0 : 1; }

}  // namespace

Workload::Workload(Runtime& runtime, const Scenario& scenario, WorkloadProducers producers)
    : runtime_(runtime),
      rng_(runtime.rng().Next()),
      scenario_(scenario),
      producers_(producers),
      dataset_(scenario.data.dataset.get()),
      curve_(scenario.traffic.rate),
      mean_session_length_(scenario.traffic.session_length.Mean()),
      pooled_(scenario.traffic.think_time.kind() == LatencyModel::Kind::kExponential &&
              scenario.traffic.think_time.Mean() > 0) {
  const Population& pop = scenario.population;
  for (const auto& g : pop.song_genres) {
    song_genres_.push_back(static_cast<uint32_t>(genres_.size()));
    genres_.push_back({g, ItemType::kSong, {}, {}});
  }
  for (const auto& g : pop.podcast_genres) {
    podcast_genres_.push_back(static_cast<uint32_t>(genres_.size()));
    genres_.push_back({g, ItemType::kPodcast, {}, {}});
  }
  for (auto& g : genres_) g.zipf = ZipfSampler(0, scenario.traffic.popularity_skew);

  if (dataset_) {
    for (const auto& u : dataset_->users) AddUser(u.user_id, u.genres);
    for (const auto& item : dataset_->items) {
      if (item.created_us == 0) {
        AddItem(item.type, GenreNamed(item.type, item.genre), 1.0, item.item_id);
      }
    }
    for (auto& g : genres_) ResetZipf(static_cast<uint32_t>(&g - genres_.data()));
    replay_session_.assign(dataset_->users.size(), -1);
    return;
  }

  // Items go round-robin over their type's genres, each at the bottom of its genre's ranking, then
  // each genre's ranking is shuffled: popularity is independent of the id.
  for (int64_t i = 0; i < pop.songs; ++i) {
    AddItem(ItemType::kSong, song_genres_[static_cast<size_t>(i) % song_genres_.size()], 1.0,
            NextItemId(ItemType::kSong));
  }
  for (int64_t i = 0; i < pop.podcasts; ++i) {
    AddItem(ItemType::kPodcast, podcast_genres_[static_cast<size_t>(i) % podcast_genres_.size()],
            1.0, NextItemId(ItemType::kPodcast));
  }
  for (auto& g : genres_) {
    for (size_t i = g.ranked.size(); i > 1; --i) {
      std::swap(g.ranked[i - 1], g.ranked[rng_.Below(i)]);
    }
    g.zipf.Resize(g.ranked.size());
  }
  users_.reserve(static_cast<size_t>(pop.users));
  taste_cdf_.reserve(static_cast<size_t>(pop.users) * genres_.size());
  for (int64_t u = 0; u < pop.users; ++u) AddGeneratedUser();
  // Per item type, the event types' cumulative probabilities, "subscribe" left out for songs and
  // "follow" for podcasts (a zero-width step is never drawn).
  for (size_t t = 0; t < 2; ++t) {
    double total = 0;
    for (const auto& [name, p] : scenario.traffic.event_types) {
      const bool excluded = name == (t == 0 ? "subscribe" : "follow");
      event_cdf_[t].push_back(total += excluded ? 0 : p);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Users and items

void Workload::AddUser(std::string id, std::string genres) {
  users_.push_back({std::move(id), std::move(genres), runtime_.NowMicros()});
}

void Workload::AddGeneratedUser() {
  const Population& pop = scenario_.population;
  const TasteParams params{pop.taste_model, pop.favourite_genres, pop.taste_focus,
                           pop.taste_concentration};
  std::string genres;
  std::vector<uint32_t> favourites;
  for (const auto* of_type : {&song_genres_, &podcast_genres_}) {
    const size_t first = taste_cdf_.size();
    taste_cdf_.resize(first + of_type->size());
    favourites.clear();
    DrawTaste(params, rng_, of_type->size(), taste_cdf_.data() + first, &favourites);
    for (size_t i = 1; i < of_type->size(); ++i) taste_cdf_[first + i] += taste_cdf_[first + i - 1];
    for (uint32_t f : favourites) {
      if (!genres.empty()) genres += '|';
      genres += genres_[(*of_type)[f]].name;
    }
  }
  AddUser(NumberedId("u", users_.size()), std::move(genres));
}

std::vector<double> Workload::TasteOf(size_t user, ItemType type) const {
  const size_t stride = genres_.size();
  if (dataset_ || (user + 1) * stride > taste_cdf_.size()) return {};
  const size_t first = user * stride + (type == ItemType::kSong ? 0 : song_genres_.size());
  const size_t n = type == ItemType::kSong ? song_genres_.size() : podcast_genres_.size();
  std::vector<double> weights(n);
  for (size_t i = 0; i < n; ++i) {
    weights[i] = taste_cdf_[first + i] - (i == 0 ? 0 : taste_cdf_[first + i - 1]);
  }
  return weights;
}

std::string Workload::NextItemId(ItemType type) {
  for (;;) {  // a replay's own ids may take the generator's
    std::string id =
        type == ItemType::kSong ? NumberedId("s", next_song_++) : NumberedId("p", next_podcast_++);
    if (!item_index_.count(id)) return id;
  }
}

uint32_t Workload::GenreNamed(ItemType type, const std::string& name) const {
  const auto& of_type = type == ItemType::kSong ? song_genres_ : podcast_genres_;
  for (uint32_t g : of_type) {
    if (genres_[g].name == name) return g;
  }
  return of_type.front();  // the scenario loader checked the name
}

// `genre` is one of `type`'s: PickItem relies on a genre's items all being of its type.
uint32_t Workload::AddItem(ItemType type, uint32_t genre, double rank, std::string id) {
  const auto index = static_cast<uint32_t>(items_.size());
  item_index_.emplace(id, index);
  items_.push_back({std::move(id), type, genres_[genre].name, runtime_.NowMicros()});
  item_genre_.push_back(genre);
  retired_.push_back(0);
  ++live_[TypeIndex(type)];
  auto& ranked = genres_[genre].ranked;
  const auto at = static_cast<size_t>(rank * static_cast<double>(ranked.size()));
  ranked.insert(ranked.begin() + static_cast<std::ptrdiff_t>(std::min(at, ranked.size())), index);
  return index;
}

void Workload::ResetZipf(uint32_t genre) {
  genres_[genre].zipf.Resize(genres_[genre].ranked.size());
}

void Workload::PublishItem(const CatalogItem& item) {
  EncodeItem(item, &buffer_);
  ProducerDomain& producer = item.type == ItemType::kSong ? producers_.songs : producers_.podcasts;
  producer.Publish(item.item_id, buffer_);
  if (sink_ && !producer.paused()) sink_->Item(item);  // a paused domain's record is refused
}

void Workload::PublishUser(const UserProfile& user) {
  EncodeUser(user, &buffer_);
  producers_.users.Publish(user.user_id, buffer_);
  if (sink_ && !producers_.users.paused()) sink_->User(user);
}

void Workload::PublishItems(ItemType type, int64_t count, const std::string& genre,
                            double popularity_rank) {
  const auto& of_type = type == ItemType::kSong ? song_genres_ : podcast_genres_;
  ProducerDomain& producer = type == ItemType::kSong ? producers_.songs : producers_.podcasts;
  if (of_type.empty() || producer.paused()) return;
  std::vector<uint32_t> touched;
  for (int64_t i = 0; i < count; ++i) {
    const uint32_t g =
        genre.empty() ? of_type[static_cast<size_t>(i) % of_type.size()] : GenreNamed(type, genre);
    const uint32_t index = AddItem(type, g, popularity_rank, NextItemId(type));
    PublishItem(items_[index]);
    if (std::find(touched.begin(), touched.end(), g) == touched.end()) touched.push_back(g);
  }
  for (auto g : touched) ResetZipf(g);
}

void Workload::Retire(uint32_t genre, size_t position) {
  auto& ranked = genres_[genre].ranked;
  const uint32_t item = ranked[position];
  ranked.erase(ranked.begin() + static_cast<std::ptrdiff_t>(position));
  retired_[item] = 1;
  --live_[TypeIndex(items_[item].type)];
  ResetZipf(genre);
}

size_t Workload::RetireItems(ItemType type, int64_t count, const std::string& genre,
                             RetirePick pick) {
  std::vector<uint32_t> from = type == ItemType::kSong ? song_genres_ : podcast_genres_;
  if (!genre.empty()) from = {GenreNamed(type, genre)};
  size_t retired = 0;
  for (size_t turn = 0; retired < static_cast<size_t>(count) && !from.empty(); ++turn) {
    const size_t k = turn % from.size();
    const uint32_t g = from[k];
    const size_t n = genres_[g].ranked.size();
    if (n == 0) {  // this genre is used up: go on round the others
      from.erase(from.begin() + static_cast<std::ptrdiff_t>(k));
      --turn;
      continue;
    }
    Retire(g, pick == RetirePick::kMostPopular    ? 0
              : pick == RetirePick::kLeastPopular ? n - 1
                                                  : rng_.Below(n));
    ++retired;
  }
  return retired;
}

size_t Workload::RetireItemIds(const std::vector<std::string>& item_ids) {
  size_t retired = 0;
  for (const auto& id : item_ids) {
    auto it = item_index_.find(id);
    if (it == item_index_.end() || retired_[it->second]) continue;
    const uint32_t g = item_genre_[it->second];
    const auto& ranked = genres_[g].ranked;
    Retire(g, static_cast<size_t>(std::find(ranked.begin(), ranked.end(), it->second) -
                                  ranked.begin()));
    ++retired;
  }
  return retired;
}

// ---------------------------------------------------------------------------------------------
// Running

void Workload::Start() {
  for (const auto& u : users_) PublishUser(u);
  for (const auto& item : items_) PublishItem(item);
  running_ = true;
  started_us_ = curve_start_us_ = runtime_.NowMicros();
  if (dataset_) {
    replay_start_us_ = runtime_.NowMicros();
    for (const auto& item : dataset_->items) {
      if (item.created_us == 0) continue;
      publications_.push_back(runtime_.ScheduleAfter(item.created_us, [this, &item] {
        ProducerDomain& producer =
            item.type == ItemType::kSong ? producers_.songs : producers_.podcasts;
        if (!running_ || producer.paused()) return;
        const uint32_t g = GenreNamed(item.type, item.genre);
        PublishItem(items_[AddItem(item.type, g, 1.0, item.item_id)]);
        ResetZipf(g);
      }));
    }
    ScheduleReplay();
    return;
  }
  ScheduleNextSession();
  for (auto kind : {kUserArrival, kSongArrival, kPodcastArrival}) ScheduleArrival(kind);
}

double Workload::interactions_requested() const {
  if (dataset_) return static_cast<double>(replay_counts().rows);
  if (stopped_us_ < 0 && !running_) return requested_before_;
  const int64_t until = stopped_us_ >= 0 ? stopped_us_ : runtime_.NowMicros();
  return requested_before_ + curve_.Integral(0, until - curve_start_us_);
}

double Workload::active_seconds() const {
  if (started_us_ < 0) return 0;
  const int64_t until = stopped_us_ >= 0 ? stopped_us_ : runtime_.NowMicros();
  return static_cast<double>(until - started_us_) / 1e6;
}

Workload::ReplayCounts Workload::replay_counts() const {
  ReplayCounts c;
  if (!dataset_) return c;
  const auto& rows = dataset_->interactions;
  c.rows = rows.size();
  c.skipped_paused = replay_skipped_;
  c.replayed = replay_next_ - replay_skipped_;
  c.past_end = rows.size() - replay_next_;
  if (c.past_end > 0) c.first_past_end_us = rows[replay_next_].at_us;
  return c;
}

void Workload::Stop() {
  if (running_) stopped_us_ = runtime_.NowMicros();
  running_ = false;
  for (TimerId* t : {&next_session_, &next_replay_, &arrivals_[0], &arrivals_[1], &arrivals_[2]}) {
    runtime_.Cancel(*t);
    *t = 0;
  }
  for (TimerId t : publications_) runtime_.Cancel(t);
  publications_.clear();
  runtime_.Cancel(next_step_);  // the waiting sessions end here
  next_step_ = 0;
  free_slots_.insert(free_slots_.end(), waiting_.begin(), waiting_.end());
  waiting_.clear();
}

void Workload::SetRate(double events_per_second) {
  SetCurve(RateCurve::Constant(events_per_second));
}

void Workload::SetCurve(const RateCurve& curve) {
  if (running_) requested_before_ += curve_.Integral(0, runtime_.NowMicros() - curve_start_us_);
  curve_ = curve;
  curve_start_us_ = runtime_.NowMicros();
  if (!running_ || dataset_) return;
  // Poisson arrivals are memoryless: dropping the pending candidate and drawing anew is exact.
  runtime_.Cancel(next_session_);
  ScheduleNextSession();
}

// Sessions arrive by thinning: candidates at the curve's highest rate, each kept with probability
// rate(now) / highest. A constant curve keeps every candidate and draws nothing for it.
void Workload::ScheduleNextSession() {
  next_session_ = 0;
  const double bound = curve_.Max() / mean_session_length_;
  if (!running_ || dataset_ || !(bound > 0) || users_.empty()) return;
  const int64_t gap = ClampedMicros(rng_.Exponential(1e6 / bound));
  const int64_t due = runtime_.NowMicros() + gap;
  next_session_ = runtime_.ScheduleAfter(gap, [this, due] {
    next_session_ = 0;
    // The next arrival is drawn from now: lateness here delays every later one (real clock only;
    // the virtual clock is never late).
    behind_us_ += std::max<int64_t>(0, runtime_.NowMicros() - due);
    const bool kept = curve_.IsConstant() || rng_.Uniform() * curve_.Max() <
                                                 curve_.At(runtime_.NowMicros() - curve_start_us_);
    if (kept && !producers_.interactions.paused()) {
      StartSession(static_cast<uint32_t>(rng_.Below(users_.size())));
    }
    ScheduleNextSession();
  });
}

void Workload::StartSession(uint32_t user) {
  const uint64_t length = scenario_.traffic.session_length.Sample(rng_);
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(session_slots_.size());
    session_slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  session_slots_[slot] = {user, static_cast<uint32_t>(std::min<uint64_t>(length, UINT32_MAX)),
                          ++sessions_};
  SessionStep(slot);
  if (pooled_) ScheduleNextStep();  // one more session waiting: a higher rate
}

// With exponential think times the waiting sessions' next interactions together form a Poisson
// process of rate waiting / mean think time, and which session comes next is uniform among them.
// The exponential is memoryless, so redrawing the next gap whenever the number waiting changes
// gives the same process as a timer per session, without tens of thousands of timers.
void Workload::ScheduleNextStep() {
  runtime_.Cancel(next_step_);
  next_step_ = 0;
  if (waiting_.empty()) return;
  const double mean = scenario_.traffic.think_time.Mean() / static_cast<double>(waiting_.size());
  next_step_ = runtime_.ScheduleAfter(ClampedMicros(rng_.Exponential(mean)), [this] {
    next_step_ = 0;
    const size_t i = rng_.Below(waiting_.size());
    const uint32_t slot = waiting_[i];
    waiting_[i] = waiting_.back();
    waiting_.pop_back();
    SessionStep(slot);
    ScheduleNextStep();
  });
}

// The session's state lives in a slot, so the timer between its events captures 12 bytes and the
// runtime stores it without allocating.
void Workload::SessionStep(uint32_t slot) {
  Session& s = session_slots_[slot];
  if (!running_ || producers_.interactions.paused()) {  // the session ends here
    free_slots_.push_back(slot);
    return;
  }
  ItemType type;
  const uint32_t item = PickItem(s.user, &type);
  if (item != kNoItem) {
    // The item's record is a cache miss more often than not: it loads while the event type is
    // drawn, which needs only the type, known from the genre.
    __builtin_prefetch(&items_[item]);
    const std::string& event_type = PickEventType(type);
    Emit(users_[s.user].user_id, items_[item].item_id, event_type, s.number);
  }
  if (--s.remaining == 0) {
    free_slots_.push_back(slot);
    return;
  }
  if (pooled_) {
    waiting_.push_back(slot);
    return;
  }
  const int64_t think = scenario_.traffic.think_time.Sample(rng_);
  runtime_.ScheduleAfter(think, [this, slot] { SessionStep(slot); });
}

uint32_t Workload::PickItem(uint32_t user, ItemType* type) {
  if (live_[0] + live_[1] == 0) return kNoItem;
  const bool podcast =
      live_[1] > 0 && (live_[0] == 0 || rng_.Bernoulli(scenario_.traffic.podcast_share));
  *type = podcast ? ItemType::kPodcast : ItemType::kSong;  // a genre's items are of its type
  const auto& all = podcast ? podcast_genres_ : song_genres_;
  const double* cdf =
      taste_cdf_.data() + user * genres_.size() + (podcast ? song_genres_.size() : 0);
  const double u = rng_.Uniform() * cdf[all.size() - 1];
  size_t k = std::min<size_t>(static_cast<size_t>(std::upper_bound(cdf, cdf + all.size(), u) - cdf),
                              all.size() - 1);
  // A genre with no live items (fewer items than genres, or retired): take the next that has some.
  while (genres_[all[k]].ranked.empty()) k = (k + 1) % all.size();
  const Genre& genre = genres_[all[k]];
  return genre.ranked[genre.zipf.Sample(rng_)];
}

const std::string& Workload::PickEventType(ItemType type) {
  const auto& cdf = event_cdf_[TypeIndex(type)];
  const double u = rng_.Uniform() * cdf.back();
  const auto i = static_cast<size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
  return scenario_.traffic.event_types[std::min(i, cdf.size() - 1)].first;
}

void Workload::ScheduleArrival(Arrival kind) {
  arrivals_[kind] = 0;
  const Arrivals& a = scenario_.traffic.arrivals;
  const double per_hour = kind == kUserArrival   ? a.users_per_hour
                          : kind == kSongArrival ? a.songs_per_hour
                                                 : a.podcasts_per_hour;
  if (!running_ || !(per_hour > 0)) return;
  const int64_t gap = ClampedMicros(rng_.Exponential(3600e6 / per_hour));
  arrivals_[kind] = runtime_.ScheduleAfter(gap, [this, kind] {
    Arrive(kind);
    ScheduleArrival(kind);
  });
}

void Workload::Arrive(Arrival kind) {
  if (kind == kUserArrival) {
    if (producers_.users.paused()) return;
    AddGeneratedUser();
    ++users_arrived_;
    PublishUser(users_.back());
    if (!producers_.interactions.paused()) StartSession(static_cast<uint32_t>(users_.size() - 1));
    return;
  }
  const ItemType type = kind == kSongArrival ? ItemType::kSong : ItemType::kPodcast;
  const auto& of_type = type == ItemType::kSong ? song_genres_ : podcast_genres_;
  if (of_type.empty() ||
      (type == ItemType::kSong ? producers_.songs : producers_.podcasts).paused()) {
    return;
  }
  const uint32_t g = of_type[rng_.Below(of_type.size())];
  const double rank = rng_.Uniform();
  PublishItem(items_[AddItem(type, g, rank, NextItemId(type))]);
  ResetZipf(g);
  ++items_arrived_;
}

void Workload::ScheduleReplay() {
  next_replay_ = 0;
  const auto& rows = dataset_->interactions;
  if (!running_ || replay_next_ >= rows.size()) return;
  const int64_t due = replay_start_us_ + rows[replay_next_].at_us;
  next_replay_ = runtime_.ScheduleAfter(due - runtime_.NowMicros(), [this] { ReplayDue(); });
}

void Workload::ReplayDue() {
  const auto& rows = dataset_->interactions;
  const int64_t now = runtime_.NowMicros() - replay_start_us_;
  const bool paused = producers_.interactions.paused();
  for (; replay_next_ < rows.size() && rows[replay_next_].at_us <= now; ++replay_next_) {
    const DatasetInteraction& e = rows[replay_next_];
    if (paused) {
      ++replay_skipped_;
      continue;
    }
    int64_t& last = replay_session_[e.user];
    if (last != static_cast<int64_t>(e.session)) {
      last = e.session;
      ++sessions_;
    }
    Emit(dataset_->users[e.user].user_id, dataset_->items[e.item].item_id,
         dataset_->event_types[e.event_type], e.session);
  }
  ScheduleReplay();
}

// ---------------------------------------------------------------------------------------------
// Emitting

void Workload::Emit(const std::string& user_id, const std::string& item_id,
                    const std::string& event_type, uint64_t session) {
  scratch_.session_id = user_id;  // assignments reuse the scratch strings' capacity
  AppendNumber(&scratch_.session_id, "-s", session);
  Interact(user_id, item_id, event_type, scratch_.session_id);
}

// Encoded from the fields where they are; only a sink, which keeps a copy, needs an Interaction.
void Workload::Interact(std::string_view user_id, std::string_view item_id,
                        std::string_view event_type, std::string_view session_id) {
  scratch_.event_id.clear();
  AppendNumber(&scratch_.event_id, "e", ++emitted_);
  const int64_t now = runtime_.NowMicros();
  EncodeInteraction(
      InteractionView{scratch_.event_id, user_id, item_id, event_type, session_id, now}, &buffer_);
  producers_.interactions.Publish(user_id, buffer_);
  if (sink_ && !producers_.interactions.paused()) {
    scratch_.user_id = user_id;
    scratch_.item_id = item_id;
    scratch_.event_type = event_type;
    if (session_id.data() != scratch_.session_id.data()) scratch_.session_id = session_id;
    scratch_.timestamp_us = now;
    sink_->Event(scratch_);
  }
}

}  // namespace meshsim
