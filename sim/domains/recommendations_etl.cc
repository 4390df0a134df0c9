#include "sim/domains/recommendations_etl.h"

#include <cstdio>
#include <vector>

#include "sim/etl.h"
#include "sim/etl_jobs.h"

namespace meshsim {
namespace {

constexpr const char* kConsumer = "recommendations";

// The product's rows with the named columns, in that order.
Result<std::vector<ProductRow>> Select(const ProductData& data, const std::string& product,
                                       const std::vector<std::string>& names) {
  std::vector<size_t> index;
  for (const std::string& name : names) {
    size_t i = 0;
    while (i < data.columns.size() && data.columns[i].name != name) ++i;
    if (i == data.columns.size()) {
      return Status(Code::kInvalidInput, "The product " + product + " has no column " + name);
    }
    index.push_back(i);
  }
  std::vector<ProductRow> out;
  out.reserve(data.rows.size());
  for (const ProductRow& row : data.rows) {
    ProductRow picked;
    for (size_t i : index) picked.push_back(row[i]);
    out.push_back(std::move(picked));
  }
  return out;
}

Result<std::vector<ProductRow>> ReadProduct(ProductAccess& access, const std::string& domain,
                                            const std::vector<std::string>& columns) {
  const std::string database = domain + "_domain";
  Result<ProductData> data = access.Read(kConsumer, database, domain);
  if (!data.ok()) return data.status();
  return Select(*data, database + "." + domain, columns);
}

// Simulation microseconds as Personalize's Unix seconds.
std::string UnixSeconds(const std::string& sim_us) {
  return std::to_string(kScenarioEpochUnix + std::stoll(sim_us) / 1'000'000);
}

Column Col(const char* name, const char* type) { return Column{name, type, ""}; }

}  // namespace

Result<MergedDatasets> RunRecommendationsEtl(ProductAccess& access, ObjectStore& store) {
  // Every read first: a denial writes nothing.
  auto users = ReadProduct(access, "users", {"user_id", "genres", "creation_timestamp"});
  if (!users.ok()) return users.status();
  auto songs = ReadProduct(access, "songs", {"item_id", "genre", "creation_timestamp"});
  if (!songs.ok()) return songs.status();
  auto podcasts = ReadProduct(access, "podcasts", {"item_id", "genre", "creation_timestamp"});
  if (!podcasts.ok()) return podcasts.status();
  auto interactions =
      ReadProduct(access, "interactions", {"user_id", "item_id", "timestamp", "event_type"});
  if (!interactions.ok()) return interactions.status();

  MergedDatasets merged;
  std::vector<ProductRow> items;
  for (const auto& [rows, type] : {std::pair{&*songs, "SONG"}, std::pair{&*podcasts, "PODCAST"}}) {
    for (const ProductRow& r : *rows) items.push_back({r[0], type, r[1], UnixSeconds(r[2])});
  }
  merged.items = items.size();
  merged.podcasts = podcasts->size();
  for (ProductRow& r : *users) r[2] = UnixSeconds(r[2]);
  merged.users = users->size();
  for (ProductRow& r : *interactions) r[2] = UnixSeconds(r[2]);
  merged.interactions = interactions->size();

  if (Status s = store.HeadBucket(kRecommendationsBucket); !s.ok()) {
    if (s.code() != Code::kNoSuchBucket) return s;
    if (Status c = store.CreateBucket(kRecommendationsBucket); !c.ok()) return c;
  }
  Result<uint64_t> run = NextRun(store, kRecommendationsBucket, "personalize/");
  if (!run.ok()) return run.status();
  merged.run = *run;
  char folder[48];
  std::snprintf(folder, sizeof folder, "personalize/run-%05llu/",
                static_cast<unsigned long long>(*run));
  const struct {
    const char* name;
    std::vector<Column> columns;
    const std::vector<ProductRow>* rows;
    std::string* uri;
  } files[] = {
      {"interactions.csv",
       {Col("USER_ID", "string"), Col("ITEM_ID", "string"), Col("TIMESTAMP", "bigint"),
        Col("EVENT_TYPE", "string")},
       &*interactions,
       &merged.imports.interactions},
      {"items.csv",
       {Col("ITEM_ID", "string"), Col("ITEM_TYPE", "string"), Col("GENRE", "string"),
        Col("CREATION_TIMESTAMP", "bigint")},
       &items,
       &merged.imports.items},
      {"users.csv",
       {Col("USER_ID", "string"), Col("GENRES", "string"), Col("CREATION_TIMESTAMP", "bigint")},
       &*users,
       &merged.imports.users},
  };
  for (const auto& f : files) {
    const std::string key = std::string(folder) + f.name;
    const std::string body = RenderProduct(ProductFormat::kCsv, f.columns, *f.rows);
    if (Result<ObjectInfo> put = store.PutObject(kRecommendationsBucket, key, body); !put.ok()) {
      return put.status();
    }
    *f.uri = std::string("s3://") + kRecommendationsBucket + "/" + key;
  }
  return merged;
}

}  // namespace meshsim
