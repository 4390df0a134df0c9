// Publishing a data product: the last step of every producer's ETL job. Shapes rows into files
// with declared columns (CSV with a header, or JSON Lines), writes them to the object store and
// registers the product's table and partitions in the catalog, so consumers find it there.
//
// All or nothing, as issue 6 item 9 asks: every check runs before anything is written; each run
// writes its files under a folder of its own
//   BUCKET/products/TABLE/dt=YYYY-MM-DD/run-NNNNN/part-00000.csv
// (NNNNN one past the partition's highest run), and only once every file is in place does the
// catalog move the partition's location to it. A failed write deletes what the run wrote and
// leaves the catalog untouched, so the previous run's files stay the product. A catalog call that
// fails after the files are written undoes everything the run did, newest first: the partitions
// it created are deleted, those it moved are put back, a table and a database it created are
// dropped, and its files are deleted. The table's own update is the catalog's last step, so it
// never needs undoing. (The undo's own calls are not checked: a catalog that fails them too is
// left as they leave it.) Once the catalog has moved, the superseded run's files are deleted.
//
// The run folder is one level below the example layout (dt=.../part-00000.csv): it is
// what lets a partition swap from one complete version to the next in one catalog call.
#pragma once

#include <string>
#include <vector>

#include "sim/core/co.h"
#include "sim/ports/catalog.h"
#include "sim/ports/object_store.h"

namespace meshsim {

enum class ProductFormat : uint8_t { kCsv, kJsonLines };

struct ProductSpec {
  std::string bucket;  // "users-domain"; created when missing
  Database database;   // created when missing
  // database, name, description, owner_domain and columns; the rest (location, format, SerDe,
  // partition key dt, parameters) is set by PublishProduct. Parameters of a table already in the
  // catalog are kept unless PublishProduct sets them.
  Table table;
  ProductFormat format = ProductFormat::kCsv;
};

// One value per column, in the spec's column order, as text: bigint and int columns must hold a
// decimal integer, double a number, boolean true or false.
using ProductRow = std::vector<std::string>;

struct ProductPartition {
  std::string dt;  // YYYY-MM-DD
  std::vector<ProductRow> rows;
};

struct PublishedProduct {
  std::vector<std::string> keys;       // the objects written, one a partition
  std::vector<std::string> locations;  // each partition's new location, in the same order
  std::vector<size_t> rows;            // each partition's rows, in the same order
};

// The number after the highest "run-NNNNN/" folder directly under `prefix` in `bucket`, 1 when
// there is none: each run writes a folder of its own, and a later run (on the same state) goes on
// from the earlier ones.
Result<uint64_t> NextRun(const ObjectStore& store, const std::string& bucket,
                         const std::string& prefix);

// Writes each partition as one object and registers them. InvalidInputException (nothing
// written) for a bad spec, a dt twice or not a date, or a row that does not fit the columns;
// the store's or the catalog's error when a write fails. The catalog is called through its
// ...Async forms, so a catalog across a network does not block the runtime's thread (one in
// this process answers at once, and the whole run ends within the call that starts it).
// `store` and `catalog` must outlive the run.
Co<Result<PublishedProduct>> PublishProduct(ObjectStore& store, Catalog& catalog,
                                            ProductSpec spec,
                                            std::vector<ProductPartition> partitions);

// The table definition PublishProduct registers for `spec` (without kept parameters).
Table ProductTable(const ProductSpec& spec);

// The file body of `rows` in `format` under `columns`.
std::string RenderProduct(ProductFormat format, const std::vector<Column>& columns,
                          const std::vector<ProductRow>& rows);

}  // namespace meshsim
