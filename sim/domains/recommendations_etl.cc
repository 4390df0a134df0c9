#include "sim/domains/recommendations_etl.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/sim_epoch.h"
#include "sim/static_plane/etl.h"

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

// The product of `domain` as the catalog shows it to the Recommendations account: a table the
// domain owns that holds every column the job needs (SearchTables lists only what the account
// may see). A product it cannot see is read by the mesh's own name for it, so the refusal is
// Lake Formation's AccessDeniedException, naming the table.
std::pair<std::string, std::string> Discover(ProductAccess& access, const std::string& domain,
                                             const std::vector<std::string>& columns) {
  Result<std::vector<Table>> visible = access.CatalogOf(kConsumer).SearchTables(TableSearch{});
  if (visible.ok()) {
    for (const Table& t : *visible) {
      if (t.owner_domain != domain) continue;
      const bool has_all = std::all_of(columns.begin(), columns.end(), [&](const auto& name) {
        return std::any_of(t.columns.begin(), t.columns.end(),
                           [&](const Column& c) { return c.name == name; });
      });
      if (has_all) return {t.database, t.name};
    }
  }
  return {domain + "_domain", domain};
}

Result<std::vector<ProductRow>> ReadProduct(ProductAccess& access, const std::string& domain,
                                            const std::vector<std::string>& columns) {
  const auto [database, table] = Discover(access, domain, columns);
  Result<ProductData> data = access.Read(kConsumer, database, table);
  if (!data.ok()) return data.status();
  return Select(*data, database + "." + table, columns);
}

// Column `column` of every row, simulation microseconds, as Personalize's Unix seconds; an empty
// cell stays empty (a null). InvalidInputException naming the product, row and column for a
// cell that is not an integer.
Status ToUnixSeconds(std::vector<ProductRow>& rows, size_t column, const std::string& product,
                     const char* name) {
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string& cell = rows[i][column];
    if (cell.empty()) continue;
    int64_t us = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), us);
    if (ec != std::errc() || end != cell.data() + cell.size()) {
      return Status(Code::kInvalidInput, "The product " + product + ", row " +
                                             std::to_string(i + 1) + ": " + name +
                                             " is not an integer: \"" + cell + "\"");
    }
    cell = std::to_string(SimUnixSeconds(us));
  }
  return Status::Ok();
}

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

  for (const auto& [rows, product, column] :
       {std::tuple{&*users, "users_domain.users", "creation_timestamp"},
        std::tuple{&*songs, "songs_domain.songs", "creation_timestamp"},
        std::tuple{&*podcasts, "podcasts_domain.podcasts", "creation_timestamp"},
        std::tuple{&*interactions, "interactions_domain.interactions", "timestamp"}}) {
    // Every selection above puts its time third.
    if (Status s = ToUnixSeconds(*rows, 2, product, column); !s.ok()) return s;
  }
  MergedDatasets merged;
  std::vector<ProductRow> items;
  for (const auto& [rows, type] : {std::pair{&*songs, "SONG"}, std::pair{&*podcasts, "PODCAST"}}) {
    for (const ProductRow& r : *rows) items.push_back({r[0], type, r[1], r[2]});
  }
  merged.items = items.size();
  merged.podcasts = podcasts->size();
  merged.users = users->size();
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
       {Column{"USER_ID", "string", ""}, Column{"ITEM_ID", "string", ""},
        Column{"TIMESTAMP", "bigint", ""}, Column{"EVENT_TYPE", "string", ""}},
       &*interactions,
       &merged.imports.interactions},
      {"items.csv",
       {Column{"ITEM_ID", "string", ""}, Column{"ITEM_TYPE", "string", ""},
        Column{"GENRE", "string", ""}, Column{"CREATION_TIMESTAMP", "bigint", ""}},
       &items,
       &merged.imports.items},
      {"users.csv",
       {Column{"USER_ID", "string", ""}, Column{"GENRES", "string", ""},
        Column{"CREATION_TIMESTAMP", "bigint", ""}},
       &*users,
       &merged.imports.users},
  };
  for (const auto& f : files) {
    const std::string key = std::string(folder) + f.name;
    const std::string body = RenderProduct(ProductFormat::kCsv, f.columns, *f.rows);
    if (Result<ObjectInfo> put = store.PutObject(kRecommendationsBucket, key, body); !put.ok()) {
      return put.status();
    }
    *f.uri = S3Uri(kRecommendationsBucket, key);
  }
  return merged;
}

}  // namespace meshsim
