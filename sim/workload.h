// The scenario's traffic: a seeded population of users (each with favourite genres), songs and
// podcasts (each in a genre, ranked by Zipf popularity within it), and listening sessions that
// arrive as a Poisson process, each a geometric number of interactions separated by exponential
// think times. It drives the producer domains; everything random comes from the Runtime's Rng.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/domains/producer.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/zipf.h"

namespace meshsim {

struct WorkloadProducers {
  ProducerDomain& users;
  ProducerDomain& songs;
  ProducerDomain& podcasts;
  ProducerDomain& interactions;
};

class Workload {
 public:
  Workload(Runtime& runtime, const Scenario& scenario, WorkloadProducers producers);

  // Publishes the initial population and starts sessions arriving.
  void Start();
  // No new sessions or interactions from now on.
  void Stop();

  // Adds `count` new items of `type` (in `genre`, or spread over the type's genres) and publishes
  // them; they enter their genre's ranking at `popularity_rank` (0 = top, 1 = bottom).
  void PublishItems(ItemType type, int64_t count, const std::string& genre, double popularity_rank);
  // Changes the interaction rate from now on.
  void SetRate(double events_per_second);

  // Emits one interaction now (used by the generator and by tests that script a user's actions).
  void Interact(const std::string& user_id, const std::string& item_id,
                const std::string& event_type, const std::string& session_id);

  const std::vector<UserProfile>& users() const { return users_; }
  const std::vector<CatalogItem>& items() const { return items_; }
  uint64_t interactions_emitted() const { return emitted_; }
  uint64_t sessions_started() const { return sessions_; }

 private:
  struct Genre {
    std::string name;
    ItemType type;
    std::vector<uint32_t> ranked;  // item indices, most popular first
    ZipfSampler zipf;
  };
  struct UserTaste {
    std::vector<uint32_t> song_genres;     // indices into genres_
    std::vector<uint32_t> podcast_genres;
  };

  uint32_t AddItem(ItemType type, uint32_t genre, double rank);
  void PublishItem(const CatalogItem& item);
  void ScheduleNextSession();
  void SessionStep(uint32_t user, uint64_t session, uint64_t remaining);
  uint32_t PickItem(uint32_t user);
  const std::string& PickEventType();

  Runtime& runtime_;
  const Scenario& scenario_;
  WorkloadProducers producers_;
  double rate_;
  bool running_ = false;
  uint64_t epoch_ = 0;  // bumped by Stop/SetRate to retire pending session arrivals
  TimerId next_session_ = 0;

  std::vector<UserProfile> users_;
  std::vector<UserTaste> tastes_;
  std::vector<CatalogItem> items_;
  std::vector<Genre> genres_;
  std::vector<uint32_t> song_genres_, podcast_genres_;  // genre indices by type
  std::vector<double> event_type_cdf_;
  uint64_t emitted_ = 0;
  uint64_t sessions_ = 0;
  uint64_t next_song_ = 0, next_podcast_ = 0;
  Interaction scratch_;
  std::string buffer_;
};

}  // namespace meshsim
