// A data set in Amazon Personalize's CSV layout, replayed instead of the generators: the users and
// items are published by their domains, and the interactions by the Interactions domain at their
// timestamps (relative to the first, scaled), so a team can run the mesh on its own data.
//
//   interactions.csv  USER_ID,ITEM_ID,TIMESTAMP[,EVENT_TYPE]   required
//   items.csv         ITEM_ID,ITEM_TYPE,GENRE[,CREATION_TIMESTAMP]   required
//   users.csv         USER_ID[,GENRES]   optional
//
// Columns may come in any order; the header names them (Personalize's names, upper case). Other
// columns are errors. TIMESTAMP and CREATION_TIMESTAMP are whole seconds since the Unix epoch, as
// Personalize has them. ITEM_TYPE is SONG or PODCAST. EVENT_TYPE defaults to "play". GENRES is
// '|'-separated, as a Personalize categorical field. Every interaction must name an item of
// items.csv, and a user of users.csv when that file exists (without it, the users are the ones the
// interactions name, with no GENRES).
//
// Sessions: PutEvents needs a session id and Personalize's interactions have none, so a user's
// events form one session until a gap of more than 30 minutes of data time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/records.h"

namespace meshsim {

struct DatasetInteraction {
  uint32_t user = 0;        // index into Dataset::users
  uint32_t item = 0;        // index into Dataset::items
  uint32_t event_type = 0;  // index into Dataset::event_types
  uint32_t session = 0;     // the user's session number, from 0
  int64_t at_us = 0;        // when it is replayed, from the replay's start
};

struct Dataset {
  std::vector<UserProfile> users;
  // created_us: when the item is published, from the replay's start — 0 for an item created no
  // later than the first interaction, else its creation time, scaled like the interactions.
  std::vector<CatalogItem> items;
  std::vector<std::string> event_types;
  std::vector<DatasetInteraction> interactions;  // by at_us, file order for equal times
  std::vector<std::string> song_genres;          // in order of first appearance in items.csv
  std::vector<std::string> podcast_genres;
};

inline constexpr int64_t kDatasetSessionGapSeconds = 30 * 60;

// Loads the data set in `dir`. Times become (t - first TIMESTAMP) * time_scale seconds.
// kResourceNotFound when a required file cannot be read; kValidation with one error per line, each
// "FILE:LINE:COL: message" (at most 20, then a line saying how many more were not shown).
Result<Dataset> LoadDataset(const std::string& dir, double time_scale);

}  // namespace meshsim
