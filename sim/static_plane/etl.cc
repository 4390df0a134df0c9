#include "sim/static_plane/etl.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "sim/core/ids.h"

namespace meshsim {
namespace {

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

bool IsDate(const std::string& dt) {
  if (dt.size() != 10 || dt[4] != '-' || dt[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (dt[i] < '0' || dt[i] > '9') return false;
  }
  const int month = (dt[5] - '0') * 10 + (dt[6] - '0');
  const int day = (dt[8] - '0') * 10 + (dt[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The cell as the column's number, parsed once the same way for the check and the rendering.
std::optional<int64_t> AsInteger(const std::string& v) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return n;
}

// A finite double: JSON has no NaN or infinity, and a cell that needs them is not a number.
std::optional<double> AsNumber(const std::string& v) {
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

bool IsInteger(const std::string& v) { return AsInteger(v).has_value(); }
bool IsNumber(const std::string& v) { return AsNumber(v).has_value(); }

Status CheckRow(const std::vector<Column>& columns, const ProductRow& row, size_t index) {
  if (row.size() != columns.size()) {
    return Invalid(NumberedId("Row ", index) + " has " + std::to_string(row.size()) +
                   " values for " + std::to_string(columns.size()) + " columns");
  }
  for (size_t i = 0; i < row.size(); ++i) {
    const std::string& type = columns[i].type;
    const bool ok = (type != "bigint" && type != "int") || IsInteger(row[i]);
    const bool ok_double = type != "double" || IsNumber(row[i]);
    const bool ok_bool = type != "boolean" || row[i] == "true" || row[i] == "false";
    if (!ok || !ok_double || !ok_bool) {
      return Invalid(NumberedId("Row ", index) + ": " + columns[i].name + " is not a " + type +
                     ": " + row[i]);
    }
  }
  return Status::Ok();
}

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string Prefix(const ProductSpec& spec) { return "products/" + spec.table.name + "/"; }

// One past the highest run-NNNNN folder under the partition's prefix.
// "s3://bucket/a/b/" → the key prefix "a/b/" when it is in `bucket`.
std::string KeyPrefixOf(const std::string& bucket, const std::string& location) {
  S3Location l = SplitS3Uri(location);
  return l.bucket == bucket ? std::move(l.key) : std::string();
}

// Deletes every object under `prefix`; the first error, but it tries them all.
Status DeleteUnder(ObjectStore& store, const std::string& bucket, const std::string& prefix) {
  ListObjectsRequest request;
  request.bucket = bucket;
  request.prefix = prefix;
  Result<ListObjectsResult> page = store.ListObjectsV2(request);
  if (!page.ok()) return page.status();
  Status first;
  for (const ObjectInfo& o : page->contents) {
    Status s = store.DeleteObject(bucket, o.key);
    if (first.ok()) first = s;
  }
  return first;
}

void DeleteAll(ObjectStore& store, const std::string& bucket,
               const std::vector<std::string>& keys) {
  for (const std::string& key : keys) (void)store.DeleteObject(bucket, key);
}

// A product partition's values: its dt. (A function, not a braced list: GCC 12 cannot compile a
// braced list inside a co_await expression, "array used as initializer". Nor does it get a
// co_await inside ?: or an if's init-statement right: each co_await here is a statement of its
// own.)
std::vector<std::string> DtValues(const std::string& dt) { return {dt}; }

Partition PartitionOf(const Table& table, const std::string& dt, const std::string& location) {
  Partition p;
  p.database = table.database;
  p.table = table.name;
  p.values = {dt};
  p.location = location;
  p.input_format = table.input_format;
  p.output_format = table.output_format;
  p.serde = table.serde;
  return p;
}

}  // namespace

Result<uint64_t> NextRun(const ObjectStore& store, const std::string& bucket,
                         const std::string& partition_prefix) {
  ListObjectsRequest request;
  request.bucket = bucket;
  request.prefix = partition_prefix;
  request.delimiter = "/";
  uint64_t next = 1;
  for (;;) {
    Result<ListObjectsResult> page = store.ListObjectsV2(request);
    if (!page.ok()) return page.status();
    for (const std::string& p : page->common_prefixes) {
      uint64_t n = 0;
      const std::string_view name(p.data() + partition_prefix.size(),
                                  p.size() - partition_prefix.size());
      if (!name.starts_with("run-")) continue;
      auto [end, ec] = std::from_chars(name.data() + 4, name.data() + name.size(), n);
      if (ec == std::errc() && *end == '/' && n >= next) next = n + 1;
    }
    if (!page->is_truncated) return next;
    request.continuation_token = page->next_continuation_token;
  }
}

Table ProductTable(const ProductSpec& spec) {
  Table t = spec.table;
  t.location = S3Uri(spec.bucket, Prefix(spec));
  t.partition_keys = {Column{"dt", "string", "the day the ETL run covers, YYYY-MM-DD"}};
  t.input_format = "org.apache.hadoop.mapred.TextInputFormat";
  t.output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
  if (spec.format == ProductFormat::kCsv) {
    t.format = "csv";
    t.serde = SerDeInfo{"csv",
                        "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                        {{"separatorChar", ","}, {"quoteChar", "\""}, {"escapeChar", "\\"}}};
    t.parameters["classification"] = "csv";
    t.parameters["skip.header.line.count"] = "1";
  } else {
    t.format = "json";
    t.serde = SerDeInfo{"json", "org.openx.data.jsonserde.JsonSerDe", {}};
    t.parameters["classification"] = "json";
  }
  t.version_id.clear();
  return t;
}

std::string RenderProduct(ProductFormat format, const std::vector<Column>& columns,
                          const std::vector<ProductRow>& rows) {
  std::string out;
  if (format == ProductFormat::kCsv) {
    auto line = [&](auto value_of) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) out += ',';
        out += CsvField(value_of(i));
      }
      out += '\n';
    };
    line([&](size_t i) { return columns[i].name; });
    for (const ProductRow& row : rows) line([&](size_t i) { return row[i]; });
    return out;
  }
  for (const ProductRow& row : rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string& type = columns[i].type;
      if (type == "bigint" || type == "int") {
        object[columns[i].name] = AsInteger(row[i]).value_or(0);  // checked by CheckRow
      } else if (type == "double") {
        object[columns[i].name] = AsNumber(row[i]).value_or(0.0);
      } else if (type == "boolean") {
        object[columns[i].name] = row[i] == "true";
      } else {
        object[columns[i].name] = row[i];
      }
    }
    // Invalid UTF-8 in a string cell is replaced (U+FFFD) rather than thrown.
    out += object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

namespace {

// What a run has changed in the catalog so far, for its undo.
struct CatalogChanges {
  bool created_database = false;
  bool created_table = false;
  std::vector<size_t> moved;           // partitions[i] this run moved off previous[i]
  std::vector<std::string> added_dts;  // partitions this run created
};

// Takes back what a run changed, newest first: the partitions it created go, those it moved go
// back, a table and a database it created go, and so do its files. Gives `why`.
Co<Status> Undo(ObjectStore& store, Catalog& catalog, const ProductSpec& spec, const Table& table,
                const std::vector<ProductPartition>& partitions,
                const std::vector<std::optional<Partition>>& previous,
                const CatalogChanges& changes, const PublishedProduct& published, Status why) {
  for (const std::string& dt : changes.added_dts) {
    (void)co_await Call<&Catalog::DeletePartitionAsync>(catalog, table.database, table.name,
                                                        DtValues(dt));
  }
  for (size_t i : changes.moved) {
    (void)co_await Call<&Catalog::UpdatePartitionAsync>(catalog, table.database, table.name,
                                                        DtValues(partitions[i].dt), *previous[i]);
  }
  if (changes.created_table) {
    (void)co_await Call<&Catalog::DeleteTableAsync>(catalog, table.database, table.name);
  }
  if (changes.created_database) {
    (void)co_await Call<&Catalog::DeleteDatabaseAsync>(catalog, spec.database.name);
  }
  DeleteAll(store, spec.bucket, published.keys);
  co_return why;
}

Status CheckProduct(const ProductSpec& spec, const std::vector<ProductPartition>& partitions) {
  if (Status s = CheckBucketName(spec.bucket); !s.ok()) return Invalid(s.message());
  if (spec.table.name.empty() || spec.table.database != spec.database.name) {
    return Invalid("A product needs a table name and its database's name");
  }
  if (spec.table.columns.empty()) return Invalid("A product needs its columns declared");
  std::set<std::string> dts;
  for (const ProductPartition& p : partitions) {
    if (!IsDate(p.dt)) return Invalid("dt is not a date (YYYY-MM-DD): " + p.dt);
    if (!dts.insert(p.dt).second) return Invalid("dt given twice: " + p.dt);
    for (size_t i = 0; i < p.rows.size(); ++i) {
      if (Status s = CheckRow(spec.table.columns, p.rows[i], i + 1); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

// The files, each run in a folder of its own; on a failed write, none of them.
Result<PublishedProduct> WriteFiles(ObjectStore& store, const ProductSpec& spec,
                                    const std::vector<ProductPartition>& partitions) {
  if (Status s = store.HeadBucket(spec.bucket); !s.ok()) {
    if (s.code() != Code::kNoSuchBucket) return s;
    if (Status c = store.CreateBucket(spec.bucket); !c.ok()) return c;
  }
  const char* extension = spec.format == ProductFormat::kCsv ? "csv" : "json";
  PublishedProduct published;
  for (const ProductPartition& p : partitions) {
    const std::string partition_prefix = Prefix(spec) + "dt=" + p.dt + "/";
    Result<uint64_t> run = NextRun(store, spec.bucket, partition_prefix);
    char folder[32];
    std::snprintf(folder, sizeof folder, "run-%05llu/",
                  static_cast<unsigned long long>(run.ok() ? *run : 0));
    const std::string key = partition_prefix + folder + "part-00000." + extension;
    Result<ObjectInfo> put =
        run.ok() ? store.PutObject(spec.bucket, key,
                                   RenderProduct(spec.format, spec.table.columns, p.rows))
                 : Result<ObjectInfo>(run.status());
    if (!put.ok()) {
      DeleteAll(store, spec.bucket, published.keys);
      return put.status();
    }
    published.keys.push_back(key);
    published.rows.push_back(p.rows.size());
    published.locations.push_back(S3Uri(spec.bucket, partition_prefix + folder));
  }
  return published;
}

}  // namespace

Co<Result<PublishedProduct>> PublishProduct(ObjectStore& store, Catalog& catalog, ProductSpec spec,
                                            std::vector<ProductPartition> partitions) {
  // Every check first.
  if (Status s = CheckProduct(spec, partitions); !s.ok()) co_return s;
  Table table = ProductTable(spec);
  Result<Table> existing =
      co_await Call<&Catalog::GetTableAsync>(catalog, spec.database.name, spec.table.name);
  if (!existing.ok() && existing.status().code() != Code::kEntityNotFound) {
    co_return existing.status();
  }
  if (existing.ok()) {
    for (const auto& [key, value] : existing->parameters) table.parameters.emplace(key, value);
  }
  std::vector<std::optional<Partition>> previous;
  for (const ProductPartition& p : partitions) {
    Result<Partition> old = Status(Code::kEntityNotFound, "");
    if (existing.ok()) {
      old = co_await Call<&Catalog::GetPartitionAsync>(catalog, table.database, table.name,
                                                       DtValues(p.dt));
    }
    if (!old.ok() && old.status().code() != Code::kEntityNotFound) co_return old.status();
    previous.push_back(old.ok() ? std::optional<Partition>(*old) : std::nullopt);
  }

  Result<PublishedProduct> written = WriteFiles(store, spec, partitions);
  if (!written.ok()) co_return written.status();
  const PublishedProduct& published = *written;

  // The catalog last: only now does the product move to the new files. Every change is undone
  // if a later one fails. The table's own update comes after the partitions, so a failure before
  // it leaves the table as it was.
  CatalogChanges changes;
  Status failed;
  Result<Database> db = co_await Call<&Catalog::GetDatabaseAsync>(catalog, spec.database.name);
  if (!db.ok() && db.status().code() != Code::kEntityNotFound) failed = db.status();
  if (!db.ok() && failed.ok()) {
    failed = co_await Call<&Catalog::CreateDatabaseAsync>(catalog, spec.database);
    changes.created_database = failed.ok();
  }
  if (failed.ok() && !existing.ok()) {
    failed = co_await Call<&Catalog::CreateTableAsync>(catalog, table);
    changes.created_table = failed.ok();
  }
  std::vector<Partition> created;
  for (size_t i = 0; failed.ok() && i < partitions.size(); ++i) {
    Partition next = PartitionOf(table, partitions[i].dt, published.locations[i]);
    if (!previous[i]) {
      created.push_back(std::move(next));
      continue;
    }
    failed = co_await Call<&Catalog::UpdatePartitionAsync>(catalog, table.database, table.name,
                                                           DtValues(partitions[i].dt), next);
    if (failed.ok()) changes.moved.push_back(i);
  }
  // New partitions 100 a call (BatchCreatePartition's limit). As Glue's, a call creates what it
  // can and names the rest; whatever it created is this run's to undo.
  for (size_t start = 0; failed.ok() && start < created.size(); start += 100) {
    const size_t end = std::min(created.size(), start + 100);
    std::vector<Partition> batch(created.begin() + static_cast<std::ptrdiff_t>(start),
                                 created.begin() + static_cast<std::ptrdiff_t>(end));
    Result<std::vector<PartitionError>> errors = co_await Call<&Catalog::BatchCreatePartitionAsync>(
        catalog, table.database, table.name, batch);
    if (!errors.ok()) {
      failed = errors.status();
      break;
    }
    for (const Partition& p : batch) {
      const bool refused = std::any_of(errors->begin(), errors->end(),
                                       [&](const auto& e) { return e.values == p.values; });
      if (!refused) changes.added_dts.push_back(p.values.at(0));
    }
    if (!errors->empty()) failed = errors->front().error;
  }
  if (failed.ok() && existing.ok()) {
    Table current = *existing;
    current.version_id.clear();
    if (!(current == table)) {
      failed = co_await Call<&Catalog::UpdateTableAsync>(catalog, table, UpdateTableOptions());
    }
  }
  if (!failed.ok()) {
    co_return co_await Undo(store, catalog, spec, table, partitions, previous, changes, published,
                            failed);
  }

  // The superseded runs' files are no longer any partition's.
  for (size_t i = 0; i < partitions.size(); ++i) {
    if (!previous[i]) continue;
    const std::string old_prefix = KeyPrefixOf(spec.bucket, previous[i]->location);
    const std::string new_prefix = KeyPrefixOf(spec.bucket, published.locations[i]);
    // Never a folder that holds the new run (a location edited to the partition's own folder).
    if (!old_prefix.empty() && !new_prefix.starts_with(old_prefix)) {
      (void)DeleteUnder(store, spec.bucket, old_prefix);
    }
  }
  co_return published;
}

}  // namespace meshsim
