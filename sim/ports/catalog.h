// Catalog: the central data catalog (Glue Data Catalog's model) where producer domains publish
// their data products and consumers discover them. Control-plane calls, so they are synchronous.
//
// Abstract so domains run unchanged on the SQLite catalog (fakes/catalog.h, MakeSqliteCatalog) and
// on AWS Glue through SigV4-signed HTTPS (backends/, later). Errors use Glue's types:
// EntityNotFoundException, AlreadyExistsException, InvalidInputException.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/status.h"

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

struct Table {
  std::string database;
  std::string name;
  std::string description;
  std::string owner_domain;  // the producer domain that publishes it
  std::string location;      // s3://bucket/prefix/
  std::string format;        // csv | json | avro | parquet
  std::vector<Column> columns;
  std::map<std::string, std::string> parameters;
  bool operator==(const Table&) const = default;
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  // AlreadyExistsException if it exists; InvalidInputException for a bad name.
  virtual Status CreateDatabase(const Database& database) = 0;
  virtual Result<Database> GetDatabase(const std::string& name) const = 0;
  virtual Result<std::vector<Database>> GetDatabases() const = 0;

  // CreateTable fails with AlreadyExistsException; UpdateTable with EntityNotFoundException when
  // the table is missing. Both fail with EntityNotFoundException when the database is missing.
  virtual Status CreateTable(const Table& table) = 0;
  virtual Status UpdateTable(const Table& table) = 0;
  virtual Result<Table> GetTable(const std::string& database, const std::string& name) const = 0;
  virtual Result<std::vector<Table>> GetTables(const std::string& database) const = 0;

  // Tables whose name, description, column names or owner contain `text` (case-insensitive),
  // ordered by database then name.
  virtual Result<std::vector<Table>> SearchTables(const std::string& text) const = 0;
};

}  // namespace meshsim
