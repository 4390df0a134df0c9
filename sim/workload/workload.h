// The scenario's traffic. Either seeded generators or the replay of a data set drive the producer
// domains; everything random comes from a generator seeded from the Runtime's, so one seed gives
// one run.
//
// The generators: users, each with a taste profile over the genres (sim/scenario/taste.h); songs
// and podcasts, each in a genre and ranked by Zipf popularity within it; listening sessions
// arriving as a Poisson process whose rate follows the traffic's rate curve
// (sim/scenario/rate_curve.h: thinning), each a number of interactions drawn from the session
// length model (sim/scenario/session_length.h), separated by think times (exponential ones, the
// default, run as one Poisson process over all waiting sessions: the same traffic in distribution,
// without a timer per session). An interaction is with a podcast with probability podcast_share, in
// a genre drawn from the user's taste, at a Zipf-drawn rank of that genre, of an event type drawn
// from the traffic's probabilities ("follow" only for songs, "subscribe" only for podcasts). New
// users and items arrive as Poisson processes (cold start): a new user is published by the Users
// domain and starts a first session at once; a new item is published by its domain at a uniformly
// random rank of a uniformly random genre of its type.
//
// The replay (sim/scenario/dataset.h): the data set's users and items are published at the start
// (an item created later in the data, at its time), and its interactions at their times.
//
// A paused producer domain gets nothing from the workload while it is paused — no sessions or
// replayed interactions, no new users, no new items (publish_items included) — as if the app in
// front of it were down; nothing is held back for later. (ProducerDomain dead-letters what others
// publish through it while paused.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/zipf.h"
#include "sim/domains/producer.h"
#include "sim/ports/records.h"
#include "sim/scenario/rate_curve.h"
#include "sim/scenario/scenario.h"

namespace meshsim {

struct Dataset;

struct WorkloadProducers {
  ProducerDomain& users;
  ProducerDomain& songs;
  ProducerDomain& podcasts;
  ProducerDomain& interactions;
};

// Where the producer domains keep their entities at rest beside publishing them: the static
// plane's stores (sim/mesh/static_plane.h). Told of each user, item and interaction as the workload
// publishes it. Abstract so the workload stays free of the stores, and costs one null check when
// there are none.
class EntitySink {
 public:
  virtual ~EntitySink() = default;
  virtual void User(const UserProfile& user) = 0;
  virtual void Item(const CatalogItem& item) = 0;
  virtual void Event(const Interaction& event) = 0;
};

class Workload {
 public:
  Workload(Runtime& runtime, const Scenario& scenario, WorkloadProducers producers);

  // Publishes the initial population and starts sessions (or the replay) and arrivals. The rate
  // curve's clock starts now.
  void Start();
  // No new sessions, interactions or arrivals from now on.
  void Stop();

  // Adds `count` new items of `type` (in `genre`, or spread over the type's genres) and publishes
  // them; they enter their genre's ranking at `popularity_rank` (0 = top, 1 = bottom). Nothing
  // happens while the type's domain is paused.
  void PublishItems(ItemType type, int64_t count, const std::string& genre, double popularity_rank);
  // Takes up to `count` live items of `type` (of `genre`, or round-robin over the type's genres)
  // out of the generator: no session picks them from now on. Nothing is published: Personalize
  // has no item deletion in PutItems, and the item record has no status field. Returns how many.
  size_t RetireItems(ItemType type, int64_t count, const std::string& genre, RetirePick pick);
  // The same for named items; ids not known or already retired are skipped.
  size_t RetireItemIds(const std::vector<std::string>& item_ids);
  // Replaces the rate curve with a constant from now on.
  void SetRate(double events_per_second);
  // Replaces the rate curve from now on; the curve's clock starts now.
  void SetCurve(const RateCurve& curve);

  // Every entity published from now on is also handed to `sink` (null: none). `sink` must
  // outlive the workload or be replaced first.
  void set_sink(EntitySink* sink) { sink_ = sink; }

  // Emits one interaction now, with the next event id (the generators' way out too, and used by
  // tests and expectations that script a user's actions).
  void Interact(std::string_view user_id, std::string_view item_id, std::string_view event_type,
                std::string_view session_id);

  const std::vector<UserProfile>& users() const { return users_; }
  // Every item published so far, retired ones included.
  const std::vector<CatalogItem>& items() const { return items_; }
  bool retired(size_t item) const { return retired_[item] != 0; }
  // A user's taste: the weight of each genre of `type`, in the population's genre order. Empty
  // on a replay.
  std::vector<double> TasteOf(size_t user, ItemType type) const;
  const RateCurve& curve() const { return curve_; }
  uint64_t interactions_emitted() const { return emitted_; }
  // The interactions the rate curves asked for from Start until now (or Stop): the integral of
  // each curve over the time it was in effect. What was emitted falls short of it while sessions
  // warm up, and on the real clock when the host cannot keep up (the report shows both).
  double interactions_requested() const;
  // A replay's rows: those replayed, those skipped while the domain was paused, and those the run
  // never reached because they fall after its end (with when the first of them was due).
  struct ReplayCounts {
    uint64_t rows = 0;
    uint64_t replayed = 0;
    uint64_t skipped_paused = 0;
    uint64_t past_end = 0;
    int64_t first_past_end_us = 0;  // from the replay's start
  };
  ReplayCounts replay_counts() const;
  // How long the traffic ran: from Start to Stop (or now).
  double active_seconds() const;
  // How far the sessions' arrivals fell behind their schedule, summed: on the real clock, the
  // time a host that could not keep up lost (its generator then makes less than asked); 0 on the
  // virtual clock.
  double behind_seconds() const { return static_cast<double>(behind_us_) / 1e6; }
  uint64_t sessions_started() const { return sessions_; }
  uint64_t users_arrived() const { return users_arrived_; }
  uint64_t items_arrived() const { return items_arrived_; }

 private:
  struct Genre {
    std::string name;
    ItemType type;
    std::vector<uint32_t> ranked;  // live item indices, most popular first
    ZipfSampler zipf;
  };
  struct Session {
    uint32_t user;
    uint32_t remaining;
    uint64_t number;
  };
  enum Arrival { kUserArrival, kSongArrival, kPodcastArrival, kArrivalKinds };
  static constexpr uint32_t kNoItem = UINT32_MAX;

  void AddUser(std::string id, std::string genres);
  void AddGeneratedUser();
  uint32_t AddItem(ItemType type, uint32_t genre, double rank, std::string id);
  std::string NextItemId(ItemType type);
  void PublishItem(const CatalogItem& item);
  void PublishUser(const UserProfile& user);
  void Retire(uint32_t genre, size_t position);
  void ResetZipf(uint32_t genre);
  uint32_t GenreNamed(ItemType type, const std::string& name) const;

  void ScheduleNextSession();
  void StartSession(uint32_t user);
  void SessionStep(uint32_t slot);
  void ScheduleNextStep();
  // A live item for `user`, and its type (kNoItem when none is live).
  uint32_t PickItem(uint32_t user, ItemType* type);
  const std::string& PickEventType(ItemType type);
  void ScheduleArrival(Arrival kind);
  void Arrive(Arrival kind);
  void ScheduleReplay();
  void ReplayDue();
  // Publishes an interaction in `session`, whose id is the user id and "-s<n>".
  void Emit(const std::string& user_id, const std::string& item_id, const std::string& event_type,
            uint64_t session);

  Runtime& runtime_;
  // The workload's own generator, seeded from the run's: a seed then gives the same traffic
  // whatever the consumers and latency models draw, so two runs that differ only in, say, the
  // batching window see the same interactions at the same times.
  Rng rng_;
  const Scenario& scenario_;
  WorkloadProducers producers_;
  const Dataset* dataset_;  // non-null: replay instead of generating
  RateCurve curve_;
  int64_t curve_start_us_ = 0;
  double requested_before_ = 0;  // by the curves before curve_
  int64_t started_us_ = -1;      // when Start ran; -1: not yet
  int64_t stopped_us_ = -1;      // when Stop ran; -1: not yet
  uint64_t replay_skipped_ = 0;  // rows skipped while the domain was paused
  int64_t behind_us_ = 0;        // behind_seconds()
  double mean_session_length_;
  const bool pooled_;  // exponential think times: one timer for every waiting session
  bool running_ = false;
  TimerId next_session_ = 0;
  TimerId next_replay_ = 0;
  TimerId arrivals_[kArrivalKinds] = {};
  std::vector<TimerId> publications_;  // a replay's items created later in the data

  std::vector<UserProfile> users_;
  std::vector<double> taste_cdf_;  // per user: song genres' CDF, then podcast genres'
  std::vector<CatalogItem> items_;
  std::vector<uint32_t> item_genre_;
  std::vector<char> retired_;
  std::unordered_map<std::string, uint32_t> item_index_;
  std::vector<Genre> genres_;
  std::vector<uint32_t> song_genres_, podcast_genres_;  // genre indices by type
  uint64_t live_[2] = {0, 0};                           // live items by ItemType
  std::vector<double> event_cdf_[2];                    // by ItemType, over traffic.event_types
  std::vector<Session> session_slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<uint32_t> waiting_;  // pooled: sessions waiting for their next interaction
  TimerId next_step_ = 0;
  size_t replay_next_ = 0;
  int64_t replay_start_us_ = 0;
  std::vector<int64_t> replay_session_;  // by user: the last session number replayed

  uint64_t emitted_ = 0;
  uint64_t sessions_ = 0;
  uint64_t users_arrived_ = 0;
  uint64_t items_arrived_ = 0;
  uint64_t next_song_ = 0, next_podcast_ = 0;
  Interaction scratch_;
  EntitySink* sink_ = nullptr;
  std::string buffer_;
};

}  // namespace meshsim
