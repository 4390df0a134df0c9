// Catalog: the central data catalog (Glue Data Catalog's model) where producer domains publish
// their data products and consumers discover them. Control-plane calls: each has a blocking form
// and an ...Async form for callers on the runtime's thread.
//
// Abstract so domains run unchanged on the SQLite catalog (fakes/glue_catalog/catalog.h,
// MakeSqliteCatalog) and on AWS Glue through SigV4-signed HTTPS (backends/, later). Errors use
// Glue's types: EntityNotFoundException, AlreadyExistsException, InvalidInputException, and
// InvalidStateException from GetPartitions. A write that fails changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/co.h"
#include "sim/core/status.h"

namespace meshsim {

struct Column {
  std::string name;
  std::string type;  // Hive/Glue type name: string, bigint, double, timestamp, ...
  std::string comment;
  bool operator==(const Column&) const = default;
};

struct Database {
  std::string name;
  std::string description;
  std::string owner_domain;
  bool operator==(const Database&) const = default;
};

// Glue's SerDeInfo: how an engine reads and writes the files.
struct SerDeInfo {
  std::string name;
  std::string serialization_library;  // org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe, ...
  std::map<std::string, std::string> parameters;
  bool operator==(const SerDeInfo&) const = default;
};

// Glue's SchemaReference: the table's columns are those of a schema in the schema registry.
// Glue requires schema_arn, or schema_name (with registry_name), or schema_version_id.
struct SchemaReference {
  std::string registry_name;
  std::string schema_name;
  std::string schema_arn;
  std::string schema_version_id;      // a UUID, 36 characters
  int64_t schema_version_number = 0;  // 1-100000; 0 when not given
  bool operator==(const SchemaReference&) const = default;
};

struct Table {
  std::string database;
  std::string name;
  std::string description;
  std::string owner_domain;  // the producer domain that publishes it (Glue's Owner)
  std::string location;      // s3://bucket/prefix/
  std::string format;        // csv | json | avro | parquet
  std::vector<Column> columns;
  std::map<std::string, std::string> parameters;
  // Glue's PartitionKeys: primitive-typed columns whose values name each partition.
  std::vector<Column> partition_keys;
  std::string input_format;   // StorageDescriptor.InputFormat, a Hadoop class name
  std::string output_format;  // StorageDescriptor.OutputFormat
  SerDeInfo serde;
  std::optional<SchemaReference> schema_reference;
  // Set by the catalog: "1" on creation, one more on every archived update. Ignored on input.
  std::string version_id;
  bool operator==(const Table&) const = default;
};

struct UpdateTableOptions {
  // Glue's SkipArchive: replace the current version in place instead of archiving it and adding
  // a new one. Default: false, so every change is kept as a version.
  bool skip_archive = false;
};

// One slice of a table's data: the values of its partition keys, in key order, and where the
// files are.
struct Partition {
  std::string database;
  std::string table;
  std::vector<std::string> values;
  std::string location;
  std::string input_format;
  std::string output_format;
  SerDeInfo serde;
  std::map<std::string, std::string> parameters;
  bool operator==(const Partition&) const = default;
};

// One entry of BatchCreatePartition's Errors: a partition that was not created, and why.
struct PartitionError {
  std::vector<std::string> values;
  Status error;
};

// Glue's PropertyPredicate. Keys: Name (the table's), DatabaseName, Owner, Description,
// ColumnName. A value matches a field equal to it or a token of it, the field split at
// punctuation other than '_' (so "link" finds "customer-link" but not "xxlinkyy"); case-blind.
struct SearchFilter {
  std::string key;
  std::string value;
};

struct TableSearch {
  // Matches name, description, owner and column names, case-blind, anywhere in them; in double
  // quotes ("\"song_id\"") the whole of one of them. Empty: every table.
  std::string text;
  std::vector<SearchFilter> filters;  // all must match
  // Glue's SortCriteria (at most one): Name, DatabaseName, Owner. Empty: database, then name.
  std::string sort_field;
  bool descending = false;
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  // AlreadyExistsException if it exists; InvalidInputException for a bad name.
  virtual Status CreateDatabase(const Database& database) = 0;
  virtual Result<Database> GetDatabase(const std::string& name) const = 0;
  virtual Result<std::vector<Database>> GetDatabases() const = 0;
  // Removes the database with its tables, their versions and partitions.
  virtual Status DeleteDatabase(const std::string& name) = 0;

  // CreateTable fails with AlreadyExistsException; UpdateTable with EntityNotFoundException when
  // the table is missing. Both fail with EntityNotFoundException when the database is missing,
  // and with InvalidInputException naming the field for a bad definition. UpdateTable replaces
  // the whole definition and archives the one it replaces (unless options.skip_archive).
  virtual Status CreateTable(const Table& table) = 0;
  Status UpdateTable(const Table& table) { return UpdateTable(table, UpdateTableOptions{}); }
  virtual Status UpdateTable(const Table& table, const UpdateTableOptions& options) = 0;
  virtual Result<Table> GetTable(const std::string& database, const std::string& name) const = 0;
  virtual Result<std::vector<Table>> GetTables(const std::string& database) const = 0;
  // Removes the table with its versions and partitions.
  virtual Status DeleteTable(const std::string& database, const std::string& name) = 0;

  // Every kept version of the table, newest first (the current one is first).
  virtual Result<std::vector<Table>> GetTableVersions(const std::string& database,
                                                      const std::string& name) const = 0;
  // One version; an empty version_id is the current one. EntityNotFoundException when there is
  // no such version, InvalidInputException when version_id is not a number.
  virtual Result<Table> GetTableVersion(const std::string& database, const std::string& name,
                                        const std::string& version_id) const = 0;
  // InvalidInputException for the current version: delete the table instead.
  virtual Status DeleteTableVersion(const std::string& database, const std::string& name,
                                    const std::string& version_id) = 0;

  // Tables whose name, description, column names or owner contain `text` (case-insensitive),
  // ordered by database then name.
  virtual Result<std::vector<Table>> SearchTables(const std::string& text) const = 0;
  // InvalidInputException for an unknown filter key or sort field.
  virtual Result<std::vector<Table>> SearchTables(const TableSearch& search) const = 0;

  // The partition's database and table name its table. InvalidInputException when the number of
  // values is not the number of the table's partition keys; AlreadyExistsException when a
  // partition with these values exists.
  virtual Status CreatePartition(const Partition& partition) = 0;
  // Creates each of `partitions` (at most 100) that can be created, all in one transaction, and
  // returns those that could not with their error. The call as a whole fails, creating nothing,
  // when the table is missing or there are more than 100.
  virtual Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string& database, const std::string& table,
      const std::vector<Partition>& partitions) = 0;
  virtual Result<Partition> GetPartition(const std::string& database, const std::string& table,
                                         const std::vector<std::string>& values) const = 0;
  // Glue's GetPartitions with an Expression (an SQL WHERE-like filter over the partition keys:
  // = <> < <= > >= BETWEEN IN LIKE IS [NOT] NULL AND OR NOT and parentheses, compared by each
  // key's type). Empty: every partition. In the order they were created. InvalidInputException
  // for a bad expression, naming its position; InvalidStateException when a stored value cannot
  // be read as its key's type.
  virtual Result<std::vector<Partition>> GetPartitions(const std::string& database,
                                                       const std::string& table,
                                                       const std::string& expression) const = 0;
  // Replaces the partition's definition. Its values cannot change (InvalidInputException): delete
  // and create it again.
  virtual Status UpdatePartition(const std::string& database, const std::string& table,
                                 const std::vector<std::string>& values,
                                 const Partition& partition) = 0;
  virtual Status DeletePartition(const std::string& database, const std::string& table,
                                 const std::vector<std::string>& values) = 0;

  // Each call again, for a caller on the runtime's thread that must not wait on a network (the
  // static plane's ETL at a timeline action, which sim/core/co.h's Call awaits): `done` runs
  // once, on the runtime's thread, possibly before the call returns, with what the blocking form
  // returns. A catalog across a network answers without blocking the thread; these defaults
  // answer through the blocking forms at once, which is right for a catalog in this process.
  // A decorator that changes a call overrides both its forms.
  virtual void CreateDatabaseAsync(const Database& database, Done<Status> done) {
    done(CreateDatabase(database));
  }
  virtual void GetDatabaseAsync(const std::string& name, Done<Result<Database>> done) const {
    done(GetDatabase(name));
  }
  virtual void GetDatabasesAsync(Done<Result<std::vector<Database>>> done) const {
    done(GetDatabases());
  }
  virtual void DeleteDatabaseAsync(const std::string& name, Done<Status> done) {
    done(DeleteDatabase(name));
  }
  virtual void CreateTableAsync(const Table& table, Done<Status> done) { done(CreateTable(table)); }
  virtual void UpdateTableAsync(const Table& table, const UpdateTableOptions& options,
                                Done<Status> done) {
    done(UpdateTable(table, options));
  }
  virtual void GetTableAsync(const std::string& database, const std::string& name,
                             Done<Result<Table>> done) const {
    done(GetTable(database, name));
  }
  virtual void GetTablesAsync(const std::string& database,
                              Done<Result<std::vector<Table>>> done) const {
    done(GetTables(database));
  }
  virtual void DeleteTableAsync(const std::string& database, const std::string& name,
                                Done<Status> done) {
    done(DeleteTable(database, name));
  }
  virtual void GetTableVersionsAsync(const std::string& database, const std::string& name,
                                     Done<Result<std::vector<Table>>> done) const {
    done(GetTableVersions(database, name));
  }
  virtual void GetTableVersionAsync(const std::string& database, const std::string& name,
                                    const std::string& version_id, Done<Result<Table>> done) const {
    done(GetTableVersion(database, name, version_id));
  }
  virtual void DeleteTableVersionAsync(const std::string& database, const std::string& name,
                                       const std::string& version_id, Done<Status> done) {
    done(DeleteTableVersion(database, name, version_id));
  }
  virtual void SearchTablesAsync(const TableSearch& search,
                                 Done<Result<std::vector<Table>>> done) const {
    done(SearchTables(search));
  }
  virtual void CreatePartitionAsync(const Partition& partition, Done<Status> done) {
    done(CreatePartition(partition));
  }
  virtual void BatchCreatePartitionAsync(const std::string& database, const std::string& table,
                                         const std::vector<Partition>& partitions,
                                         Done<Result<std::vector<PartitionError>>> done) {
    done(BatchCreatePartition(database, table, partitions));
  }
  virtual void GetPartitionAsync(const std::string& database, const std::string& table,
                                 const std::vector<std::string>& values,
                                 Done<Result<Partition>> done) const {
    done(GetPartition(database, table, values));
  }
  virtual void GetPartitionsAsync(const std::string& database, const std::string& table,
                                  const std::string& expression,
                                  Done<Result<std::vector<Partition>>> done) const {
    done(GetPartitions(database, table, expression));
  }
  virtual void UpdatePartitionAsync(const std::string& database, const std::string& table,
                                    const std::vector<std::string>& values,
                                    const Partition& partition, Done<Status> done) {
    done(UpdatePartition(database, table, values, partition));
  }
  virtual void DeletePartitionAsync(const std::string& database, const std::string& table,
                                    const std::vector<std::string>& values, Done<Status> done) {
    done(DeletePartition(database, table, values));
  }
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingCatalog : public Catalog {
 public:
  explicit ForwardingCatalog(Catalog& target) : target_(target) {}

  Status CreateDatabase(const Database& database) override {
    return target_.CreateDatabase(database);
  }
  Result<Database> GetDatabase(const std::string& name) const override {
    return target_.GetDatabase(name);
  }
  Result<std::vector<Database>> GetDatabases() const override { return target_.GetDatabases(); }
  Status DeleteDatabase(const std::string& name) override { return target_.DeleteDatabase(name); }
  Status CreateTable(const Table& table) override { return target_.CreateTable(table); }
  using Catalog::UpdateTable;
  Status UpdateTable(const Table& table, const UpdateTableOptions& options) override {
    return target_.UpdateTable(table, options);
  }
  Result<Table> GetTable(const std::string& database, const std::string& name) const override {
    return target_.GetTable(database, name);
  }
  Result<std::vector<Table>> GetTables(const std::string& database) const override {
    return target_.GetTables(database);
  }
  Status DeleteTable(const std::string& database, const std::string& name) override {
    return target_.DeleteTable(database, name);
  }
  Result<std::vector<Table>> GetTableVersions(const std::string& database,
                                              const std::string& name) const override {
    return target_.GetTableVersions(database, name);
  }
  Result<Table> GetTableVersion(const std::string& database, const std::string& name,
                                const std::string& version_id) const override {
    return target_.GetTableVersion(database, name, version_id);
  }
  Status DeleteTableVersion(const std::string& database, const std::string& name,
                            const std::string& version_id) override {
    return target_.DeleteTableVersion(database, name, version_id);
  }
  Result<std::vector<Table>> SearchTables(const std::string& text) const override {
    return target_.SearchTables(text);
  }
  Result<std::vector<Table>> SearchTables(const TableSearch& search) const override {
    return target_.SearchTables(search);
  }
  Status CreatePartition(const Partition& partition) override {
    return target_.CreatePartition(partition);
  }
  Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string& database, const std::string& table,
      const std::vector<Partition>& partitions) override {
    return target_.BatchCreatePartition(database, table, partitions);
  }
  Result<Partition> GetPartition(const std::string& database, const std::string& table,
                                 const std::vector<std::string>& values) const override {
    return target_.GetPartition(database, table, values);
  }
  Result<std::vector<Partition>> GetPartitions(const std::string& database,
                                               const std::string& table,
                                               const std::string& expression) const override {
    return target_.GetPartitions(database, table, expression);
  }
  Status UpdatePartition(const std::string& database, const std::string& table,
                         const std::vector<std::string>& values,
                         const Partition& partition) override {
    return target_.UpdatePartition(database, table, values, partition);
  }
  Status DeletePartition(const std::string& database, const std::string& table,
                         const std::vector<std::string>& values) override {
    return target_.DeletePartition(database, table, values);
  }

  void CreateDatabaseAsync(const Database& database, Done<Status> done) override {
    target_.CreateDatabaseAsync(database, std::move(done));
  }
  void GetDatabaseAsync(const std::string& name, Done<Result<Database>> done) const override {
    target_.GetDatabaseAsync(name, std::move(done));
  }
  void GetDatabasesAsync(Done<Result<std::vector<Database>>> done) const override {
    target_.GetDatabasesAsync(std::move(done));
  }
  void DeleteDatabaseAsync(const std::string& name, Done<Status> done) override {
    target_.DeleteDatabaseAsync(name, std::move(done));
  }
  void CreateTableAsync(const Table& table, Done<Status> done) override {
    target_.CreateTableAsync(table, std::move(done));
  }
  void UpdateTableAsync(const Table& table, const UpdateTableOptions& options,
                        Done<Status> done) override {
    target_.UpdateTableAsync(table, options, std::move(done));
  }
  void GetTableAsync(const std::string& database, const std::string& name,
                     Done<Result<Table>> done) const override {
    target_.GetTableAsync(database, name, std::move(done));
  }
  void GetTablesAsync(const std::string& database,
                      Done<Result<std::vector<Table>>> done) const override {
    target_.GetTablesAsync(database, std::move(done));
  }
  void DeleteTableAsync(const std::string& database, const std::string& name,
                        Done<Status> done) override {
    target_.DeleteTableAsync(database, name, std::move(done));
  }
  void GetTableVersionsAsync(const std::string& database, const std::string& name,
                             Done<Result<std::vector<Table>>> done) const override {
    target_.GetTableVersionsAsync(database, name, std::move(done));
  }
  void GetTableVersionAsync(const std::string& database, const std::string& name,
                            const std::string& version_id,
                            Done<Result<Table>> done) const override {
    target_.GetTableVersionAsync(database, name, version_id, std::move(done));
  }
  void DeleteTableVersionAsync(const std::string& database, const std::string& name,
                               const std::string& version_id, Done<Status> done) override {
    target_.DeleteTableVersionAsync(database, name, version_id, std::move(done));
  }
  void SearchTablesAsync(const TableSearch& search,
                         Done<Result<std::vector<Table>>> done) const override {
    target_.SearchTablesAsync(search, std::move(done));
  }
  void CreatePartitionAsync(const Partition& partition, Done<Status> done) override {
    target_.CreatePartitionAsync(partition, std::move(done));
  }
  void BatchCreatePartitionAsync(const std::string& database, const std::string& table,
                                 const std::vector<Partition>& partitions,
                                 Done<Result<std::vector<PartitionError>>> done) override {
    target_.BatchCreatePartitionAsync(database, table, partitions, std::move(done));
  }
  void GetPartitionAsync(const std::string& database, const std::string& table,
                         const std::vector<std::string>& values,
                         Done<Result<Partition>> done) const override {
    target_.GetPartitionAsync(database, table, values, std::move(done));
  }
  void GetPartitionsAsync(const std::string& database, const std::string& table,
                          const std::string& expression,
                          Done<Result<std::vector<Partition>>> done) const override {
    target_.GetPartitionsAsync(database, table, expression, std::move(done));
  }
  void UpdatePartitionAsync(const std::string& database, const std::string& table,
                            const std::vector<std::string>& values, const Partition& partition,
                            Done<Status> done) override {
    target_.UpdatePartitionAsync(database, table, values, partition, std::move(done));
  }
  void DeletePartitionAsync(const std::string& database, const std::string& table,
                            const std::vector<std::string>& values, Done<Status> done) override {
    target_.DeletePartitionAsync(database, table, values, std::move(done));
  }

 protected:
  Catalog& target() const { return target_; }

 private:
  Catalog& target_;
};

}  // namespace meshsim
