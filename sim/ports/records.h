// The entities the producer domains own and publish: users, items (songs and podcasts) and
// interactions. Field names follow Personalize's dataset columns where one exists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace meshsim {

enum class ItemType : uint8_t { kSong = 0, kPodcast = 1 };
inline std::string_view ItemTypeName(ItemType t) {
  return t == ItemType::kSong ? "SONG" : "PODCAST";
}

struct UserProfile {
  std::string user_id;          // USER_ID
  std::string genres;           // GENRES: favourite genres, '|'-separated (categorical)
  int64_t created_us = 0;       // CREATION_TIMESTAMP
};

struct CatalogItem {
  std::string item_id;          // ITEM_ID
  ItemType type = ItemType::kSong;  // ITEM_TYPE
  std::string genre;            // GENRE
  int64_t created_us = 0;       // CREATION_TIMESTAMP
};

struct Interaction {
  std::string event_id;
  std::string user_id;          // USER_ID
  std::string item_id;          // ITEM_ID
  std::string event_type;       // EVENT_TYPE: play, skip, like, ...
  std::string session_id;
  int64_t timestamp_us = 0;     // TIMESTAMP
};

}  // namespace meshsim
