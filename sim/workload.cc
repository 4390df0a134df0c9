#include "sim/workload.h"

#include <algorithm>

#include "sim/codec.h"
#include "sim/ids.h"

namespace meshsim {
namespace {

std::string Id(std::string_view prefix, uint64_t n) { return NumberedId(prefix, n); }

}  // namespace

Workload::Workload(Runtime& runtime, const Scenario& scenario, WorkloadProducers producers)
    : runtime_(runtime),
      scenario_(scenario),
      producers_(producers),
      rate_(scenario.traffic.events_per_second) {
  const Population& pop = scenario.population;
  Rng& rng = runtime_.rng();
  for (const auto& g : pop.song_genres) {
    song_genres_.push_back(static_cast<uint32_t>(genres_.size()));
    genres_.push_back({g, ItemType::kSong, {}, {}});
  }
  for (const auto& g : pop.podcast_genres) {
    podcast_genres_.push_back(static_cast<uint32_t>(genres_.size()));
    genres_.push_back({g, ItemType::kPodcast, {}, {}});
  }
  // Items go round-robin over their type's genres, each at the bottom of its genre's ranking, then
  // each genre's ranking is shuffled: popularity is independent of the id.
  for (int64_t i = 0; i < pop.songs; ++i) {
    AddItem(ItemType::kSong, song_genres_[static_cast<size_t>(i) % song_genres_.size()], 1.0);
  }
  for (int64_t i = 0; i < pop.podcasts; ++i) {
    AddItem(ItemType::kPodcast, podcast_genres_[static_cast<size_t>(i) % podcast_genres_.size()],
            1.0);
  }
  for (auto& g : genres_) {
    for (size_t i = g.ranked.size(); i > 1; --i) std::swap(g.ranked[i - 1], g.ranked[rng.Below(i)]);
    if (!g.ranked.empty()) g.zipf = ZipfSampler(g.ranked.size(), scenario.traffic.popularity_skew);
  }
  // Users: favourite genres drawn without replacement from each type's genres.
  auto pick_favourites = [&](const std::vector<uint32_t>& from) {
    std::vector<uint32_t> pool = from, out;
    const auto k = std::min<size_t>(static_cast<size_t>(pop.favourite_genres), pool.size());
    for (size_t i = 0; i < k; ++i) {
      const size_t j = i + rng.Below(pool.size() - i);
      std::swap(pool[i], pool[j]);
      out.push_back(pool[i]);
    }
    return out;
  };
  users_.reserve(static_cast<size_t>(pop.users));
  for (int64_t u = 0; u < pop.users; ++u) {
    UserTaste taste{pick_favourites(song_genres_), pick_favourites(podcast_genres_)};
    std::string genres;
    for (const auto* list : {&taste.song_genres, &taste.podcast_genres}) {
      for (auto g : *list) {
        if (!genres.empty()) genres += '|';
        genres += genres_[g].name;
      }
    }
    users_.push_back({Id("u", static_cast<uint64_t>(u)), std::move(genres), 0});
    tastes_.push_back(std::move(taste));
  }
  double total = 0;
  for (const auto& [name, p] : scenario.traffic.event_types) event_type_cdf_.push_back(total += p);
}

uint32_t Workload::AddItem(ItemType type, uint32_t genre, double rank) {
  const auto index = static_cast<uint32_t>(items_.size());
  const std::string id = type == ItemType::kSong ? Id("s", next_song_++) : Id("p", next_podcast_++);
  items_.push_back({id, type, genres_[genre].name, runtime_.NowMicros()});
  auto& ranked = genres_[genre].ranked;
  const auto at = static_cast<size_t>(rank * static_cast<double>(ranked.size()));
  ranked.insert(ranked.begin() + static_cast<std::ptrdiff_t>(std::min(at, ranked.size())), index);
  return index;
}

void Workload::PublishItem(const CatalogItem& item) {
  EncodeItem(item, &buffer_);
  ProducerDomain& producer = item.type == ItemType::kSong ? producers_.songs : producers_.podcasts;
  producer.Publish(item.item_id, buffer_);
}

void Workload::Start() {
  for (const auto& u : users_) {
    EncodeUser(u, &buffer_);
    producers_.users.Publish(u.user_id, buffer_);
  }
  for (const auto& item : items_) PublishItem(item);
  running_ = true;
  ScheduleNextSession();
}

void Workload::Stop() {
  running_ = false;
  runtime_.Cancel(next_session_);
  next_session_ = 0;
}

void Workload::SetRate(double events_per_second) {
  rate_ = events_per_second;
  if (!running_) return;
  runtime_.Cancel(next_session_);
  ScheduleNextSession();
}

void Workload::PublishItems(ItemType type, int64_t count, const std::string& genre,
                            double popularity_rank) {
  const auto& of_type = type == ItemType::kSong ? song_genres_ : podcast_genres_;
  if (of_type.empty()) return;
  std::vector<uint32_t> touched;
  for (int64_t i = 0; i < count; ++i) {
    uint32_t g = of_type[static_cast<size_t>(i) % of_type.size()];
    if (!genre.empty()) {
      for (auto candidate : of_type) {
        if (genres_[candidate].name == genre) g = candidate;
      }
    }
    const uint32_t index = AddItem(type, g, popularity_rank);
    PublishItem(items_[index]);
    if (std::find(touched.begin(), touched.end(), g) == touched.end()) touched.push_back(g);
  }
  for (auto g : touched) {
    genres_[g].zipf = ZipfSampler(genres_[g].ranked.size(), scenario_.traffic.popularity_skew);
  }
}

void Workload::ScheduleNextSession() {
  next_session_ = 0;
  if (!running_ || rate_ <= 0) return;
  const double sessions_per_second = rate_ / scenario_.traffic.session_mean_events;
  const auto gap = static_cast<int64_t>(runtime_.rng().Exponential(1e6 / sessions_per_second));
  next_session_ = runtime_.ScheduleAfter(gap, [this] {
    next_session_ = 0;
    const auto user = static_cast<uint32_t>(runtime_.rng().Below(users_.size()));
    const uint64_t length =
        runtime_.rng().GeometricAtLeastOne(scenario_.traffic.session_mean_events);
    SessionStep(user, ++sessions_, length);
    ScheduleNextSession();
  });
}

void Workload::SessionStep(uint32_t user, uint64_t session, uint64_t remaining) {
  if (!running_) return;
  const uint32_t item = PickItem(user);
  const std::string session_id = users_[user].user_id + Id("-s", session);
  Interact(users_[user].user_id, items_[item].item_id, PickEventType(), session_id);
  if (remaining <= 1) return;
  const auto think = static_cast<int64_t>(
      runtime_.rng().Exponential(static_cast<double>(scenario_.traffic.think_time_mean_us)));
  runtime_.ScheduleAfter(think, [this, user, session, remaining] {
    SessionStep(user, session, remaining - 1);
  });
}

uint32_t Workload::PickItem(uint32_t user) {
  Rng& rng = runtime_.rng();
  const bool podcast = !podcast_genres_.empty() && next_podcast_ > 0 &&
                       (next_song_ == 0 || rng.Bernoulli(scenario_.traffic.podcast_share));
  const auto& favourites = podcast ? tastes_[user].podcast_genres : tastes_[user].song_genres;
  const auto& all = podcast ? podcast_genres_ : song_genres_;
  uint32_t g = !favourites.empty() && rng.Bernoulli(scenario_.population.taste_focus)
                   ? favourites[rng.Below(favourites.size())]
                   : all[rng.Below(all.size())];
  // A genre with no items yet (fewer items than genres): take the next one that has some.
  for (size_t tries = 0; genres_[g].ranked.empty() && tries < all.size(); ++tries) {
    g = all[(std::find(all.begin(), all.end(), g) - all.begin() + 1) % all.size()];
  }
  const Genre& genre = genres_[g];
  return genre.ranked[genre.zipf.Sample(rng)];
}

const std::string& Workload::PickEventType() {
  const double u = runtime_.rng().Uniform() * event_type_cdf_.back();
  const auto i = static_cast<size_t>(
      std::upper_bound(event_type_cdf_.begin(), event_type_cdf_.end(), u) - event_type_cdf_.begin());
  return scenario_.traffic.event_types[std::min(i, event_type_cdf_.size() - 1)].first;
}

void Workload::Interact(const std::string& user_id, const std::string& item_id,
                        const std::string& event_type, const std::string& session_id) {
  scratch_.event_id = Id("e", ++emitted_);
  scratch_.user_id = user_id;
  scratch_.item_id = item_id;
  scratch_.event_type = event_type;
  scratch_.session_id = session_id;
  scratch_.timestamp_us = runtime_.NowMicros();
  EncodeInteraction(scratch_, &buffer_);
  producers_.interactions.Publish(user_id, buffer_);
}

}  // namespace meshsim
