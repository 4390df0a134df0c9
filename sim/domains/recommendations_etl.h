// The Recommendations domain's ETL job (issue 6 item 6): it discovers the four data products it
// subscribed to — users, songs, podcasts, interactions — in the catalog as its own account sees
// it (the table each producer domain owns with the columns the job needs), reads them through
// ProductAccess (so Lake Formation decides what it may read), and writes the three datasets
// Personalize imports, in Personalize's CSV layout, to the domain's own bucket:
//
//   recommendations-domain/personalize/run-NNNNN/{interactions,items,users}.csv
//
// Items merges songs and podcasts into one dataset: ITEM_ID, ITEM_TYPE (SONG | PODCAST), GENRE,
// CREATION_TIMESTAMP. Users: USER_ID, GENRES, CREATION_TIMESTAMP. Interactions: USER_ID, ITEM_ID,
// TIMESTAMP, EVENT_TYPE. Times are Unix seconds, as Personalize takes them (the products keep
// simulation microseconds; sim/static_plane/etl_jobs.h's epoch maps one to the other).
#pragma once

#include <cstdint>
#include <string>

#include "sim/ports/object_store.h"
#include "sim/ports/recommender_admin.h"
#include "sim/static_plane/product_access.h"

namespace meshsim {

inline constexpr const char* kRecommendationsBucket = "recommendations-domain";

struct MergedDatasets {
  RecommenderImports imports;  // the three files' s3:// URIs
  uint64_t run = 0;            // the run's folder number
  uint64_t interactions = 0;
  uint64_t items = 0;  // songs and podcasts
  uint64_t podcasts = 0;
  uint64_t users = 0;
};

// Reads the products and writes the next run's files (one past the bucket's highest run). Nothing
// is written unless every read succeeded: a denied read is its AccessDeniedException, naming the
// product; a product without a column the job needs is InvalidInputException naming the column.
Result<MergedDatasets> RunRecommendationsEtl(ProductAccess& access, ObjectStore& store);

}  // namespace meshsim
