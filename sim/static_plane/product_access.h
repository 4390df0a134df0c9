// The mesh's data products under Lake Formation: consumer domains subscribe to producers'
// products (aws-data-mesh-utils' workflow: request, approve, finalize), read them through the
// catalog as their own account sees it (sim/governance/governed_catalog.h), and lose them when a
// subscription ends. A read that the catalog allows goes on to the product's files in the object
// store (as Lake Formation vends credentials for a table's location only after its check). Every
// read is recorded with its outcome, so a report shows who was denied what and why.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/governance/governed_catalog.h"
#include "sim/ports/catalog.h"
#include "sim/ports/object_store.h"
#include "sim/ports/permissions.h"
#include "sim/ports/subscriptions.h"
#include "sim/static_plane/etl.h"

namespace meshsim {

// One read of a data product by a consumer: its table and partitions.
struct ProductRead {
  int64_t at_us = 0;
  std::string consumer;  // the consumer domain
  std::string product;   // "songs_domain.songs"
  bool allowed = false;  // the catalog let the consumer see the table and its partitions
  // Set when the read failed for another reason than a missing grant (the table is missing, the
  // catalog or a file could not be read); not a denial.
  bool failed = false;
  std::string reason;       // the error when denied or failed
  uint64_t partitions = 0;  // partitions read
  uint64_t files = 0;       // files read from the object store
  uint64_t rows = 0;        // rows in them
  uint64_t columns = 0;     // the columns the consumer may SELECT, which the rows hold
};

// What a read returns: the product's rows, each partition's in turn, with the table's columns
// the consumer may SELECT (all of them with SELECT on the table; with column-level grants, those).
// Empty without an object store.
struct ProductData {
  std::vector<Column> columns;
  std::vector<ProductRow> rows;
};

class ProductAccess {
 public:
  // The ports must outlive this object. `objects` (may be null: reads stop at the catalog)
  // holds the products' files.
  ProductAccess(Runtime& runtime, Catalog& catalog, Permissions& permissions,
                Subscriptions& subscriptions, ObjectStore* objects = nullptr);

  // The catalog as `domain`'s account sees it. REQUIRES: a domain of sim/governance/accounts.h.
  Catalog& CatalogOf(const std::string& domain);

  // `consumer` asks for DESCRIBE and SELECT on the product `database.table` of `producer`, the
  // producer approves and the consumer finalizes (a resource link in its catalog). A
  // subscription already Active is kept as it is (a later run on the same state).
  Status Subscribe(const std::string& consumer, const std::string& producer,
                   const std::string& database, const std::string& table);
  // The producer ends the consumer's subscriptions to its products: their grants are revoked.
  // False when there was none Active.
  bool Revoke(const std::string& consumer, const std::string& producer, const std::string& reason);
  // The consumer reads `database.table`: the table and its partitions through its view of the
  // catalog (AccessDeniedException without DESCRIBE and SELECT), then each partition's files at
  // its location, CSV with the table's header or JSON Lines as the table's format says. The
  // outcome is recorded. InvalidInputException naming the file and line for a row that does not
  // fit the columns; the store's error when a file cannot be read.
  Result<ProductData> Read(const std::string& consumer, const std::string& database,
                           const std::string& table);

  const std::vector<ProductRead>& reads() const { return reads_; }
  uint64_t denials() const { return denials_; }
  const Subscriptions& subscriptions() const { return subscriptions_; }

 private:
  Runtime& runtime_;
  Catalog& catalog_;
  Permissions& permissions_;
  Subscriptions& subscriptions_;
  ObjectStore* objects_;
  std::map<std::string, std::unique_ptr<GovernedCatalog>> views_;  // by domain
  std::vector<ProductRead> reads_;
  uint64_t denials_ = 0;
};

}  // namespace meshsim
