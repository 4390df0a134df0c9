// The SQLite catalog's partitions: a table's slices named by their partition key values, created
// one by one or in batches, and filtered by GetPartitions' expression
// (fakes/glue_catalog/partition_expression.h).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fakes/glue_catalog/catalog_impl.h"
#include "fakes/glue_catalog/catalog_rules.h"
#include "fakes/glue_catalog/partition_expression.h"

namespace meshsim::fakes::internal {
namespace {

// partition_parameters.kind.
constexpr int64_t kPartitionParameter = 0, kSerDeParameter = 1;

// Glue's limit on BatchCreatePartition's PartitionInputList.
constexpr size_t kMaxBatchPartitions = 100;

Status PartitionNotFound() { return Status(Code::kEntityNotFound, "Cannot find partition."); }

}  // namespace

Status SqliteCatalog::CreatePartition(const Partition& partition) {
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<CurrentTable> current = LookUpCurrent(partition.database, partition.table);
  if (!current.ok()) return current.status();
  const TableRow* table = &current->row;
  if (Status s = CreateOnePartition(*table, current->table.partition_keys, partition); !s.ok())
    return s;
  return txn.Commit();
}

// Glue reports each partition's failure in Errors and creates the rest; here each one either is
// written whole or not at all, and the batch commits once.
Result<std::vector<PartitionError>> SqliteCatalog::BatchCreatePartition(
    const std::string& database, const std::string& table,
    const std::vector<Partition>& partitions) {
  if (partitions.size() > kMaxBatchPartitions) {
    return Status(Code::kInvalidInput, "PartitionInputList must hold at most 100 partitions");
  }
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<CurrentTable> current = LookUpCurrent(database, table);
  if (!current.ok()) return current.status();
  const TableRow* row = &current->row;
  std::vector<PartitionError> errors;
  for (const Partition& input : partitions) {
    Partition partition = input;
    partition.database = row->database;
    partition.table = row->name;
    Status s = CreateOnePartition(*row, current->table.partition_keys, partition);
    if (s.code() == Code::kInternal) return s;  // SQLite's failure, not the partition's
    if (!s.ok()) errors.push_back(PartitionError{input.values, std::move(s)});
  }
  if (Status s = txn.Commit(); !s.ok()) return s;
  return errors;
}

Result<Partition> SqliteCatalog::GetPartition(const std::string& database, const std::string& table,
                                              const std::vector<std::string>& values) const {
  Result<TableRow> row = LookUpTable(database, table);
  if (!row.ok()) return row.status();
  Result<int64_t> id = FindPartition(row->id, values);
  if (!id.ok()) return id.status();
  Query select(select_partitions_);
  Result<bool> found = select.Bind(row->id).Bind(*id).Step();
  if (!found.ok()) return found.status();
  if (!*found) return PartitionNotFound();
  return ReadPartition(*row, select);
}

// The expression is compiled against the current partition keys before any partition is read,
// so a bad expression fails the same on a table with no partitions.
Result<std::vector<Partition>> SqliteCatalog::GetPartitions(const std::string& database,
                                                            const std::string& table,
                                                            const std::string& expression) const {
  Result<CurrentTable> current = LookUpCurrent(database, table);
  if (!current.ok()) return current.status();
  const TableRow* row = &current->row;
  Result<PartitionExpression> filter =
      PartitionExpression::Compile(expression, current->table.partition_keys);
  if (!filter.ok()) return filter.status();

  std::vector<Partition> out;
  Query select(select_partitions_);
  select.Bind(row->id).Bind(int64_t{0});
  for (;;) {
    Result<bool> next = select.Step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    std::vector<std::string> values = DecodeValues(select.Text(1));
    // A partition written under another number of keys cannot be filtered; UpdateTable refuses
    // to make one, so this is a file changed behind the catalog's back.
    if (values.size() != current->table.partition_keys.size()) {
      return Status(Code::kInvalidState, "Partition values do not match the partition keys");
    }
    Result<bool> match = filter->Matches(values);
    if (!match.ok()) return match.status();
    if (!*match) continue;
    Result<Partition> partition = ReadPartition(*row, select);
    if (!partition.ok()) return partition.status();
    out.push_back(std::move(*partition));
  }
  return out;
}

Status SqliteCatalog::UpdatePartition(const std::string& database, const std::string& table,
                                      const std::vector<std::string>& values,
                                      const Partition& partition) {
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<CurrentTable> current = LookUpCurrent(database, table);
  if (!current.ok()) return current.status();
  const TableRow* row = &current->row;
  Partition updated = partition;
  if (updated.values.empty()) updated.values = values;
  if (updated.values != values) {
    return Status(Code::kInvalidInput,
                  "PartitionInput.Values cannot change; delete the partition and create it again");
  }
  if (Status s = CheckPartition(updated, current->table.partition_keys); !s.ok()) return s;
  Result<int64_t> id = FindPartition(row->id, values);
  if (!id.ok()) return id.status();
  {
    Query update(update_partition_);
    update.Bind(*id).Bind(updated.location).Bind(updated.input_format);
    update.Bind(updated.output_format).Bind(updated.serde.name);
    update.Bind(updated.serde.serialization_library);
    if (Status s = update.Run(); !s.ok()) return s;
  }
  if (Status s = Query(delete_partition_parameters_).Bind(*id).Run(); !s.ok()) return s;
  if (Status s = WritePartitionParameters(*id, updated); !s.ok()) return s;
  return txn.Commit();
}

Status SqliteCatalog::DeletePartition(const std::string& database, const std::string& table,
                                      const std::vector<std::string>& values) {
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<TableRow> row = LookUpTable(database, table);
  if (!row.ok()) return row.status();
  Result<int64_t> id = FindPartition(row->id, values);
  if (!id.ok()) return id.status();
  if (Status s = Query(delete_partition_).Bind(*id).Run(); !s.ok()) return s;
  return txn.Commit();
}

Result<int64_t> SqliteCatalog::FindPartition(int64_t table_id,
                                             const std::vector<std::string>& values) const {
  Query select(select_partition_);
  Result<bool> found = select.Bind(table_id).Bind(EncodeValues(values)).Step();
  if (!found.ok()) return found.status();
  if (!*found) return PartitionNotFound();
  return select.Int(0);
}

// REQUIRES: `row` is positioned on a row of select_partitions_.
Result<Partition> SqliteCatalog::ReadPartition(const TableRow& table, const Query& row) const {
  Partition out;
  out.database = table.database;
  out.table = table.name;
  out.values = DecodeValues(row.Text(1));
  out.location = row.Text(2);
  out.input_format = row.Text(3);
  out.output_format = row.Text(4);
  out.serde.name = row.Text(5);
  out.serde.serialization_library = row.Text(6);
  Query parameters(select_partition_parameters_);
  Status s = parameters.Bind(row.Int(0)).ForEachRow([&](const Query& r) {
    (r.Int(0) == kSerDeParameter ? out.serde.parameters : out.parameters)
        .emplace(r.Text(1), r.Text(2));
  });
  if (!s.ok()) return s;
  return out;
}

Status SqliteCatalog::CreateOnePartition(const TableRow& table, const std::vector<Column>& keys,
                                         const Partition& partition) {
  if (Status s = CheckPartition(partition, keys); !s.ok()) return s;
  Result<int64_t> existing = FindPartition(table.id, partition.values);
  if (existing.ok()) return Status(Code::kAlreadyExists, "Partition already exists.");
  if (existing.status().code() != Code::kEntityNotFound) return existing.status();
  {
    Query insert(insert_partition_);
    insert.Bind(table.id).Bind(EncodeValues(partition.values)).Bind(partition.location);
    insert.Bind(partition.input_format).Bind(partition.output_format).Bind(partition.serde.name);
    insert.Bind(partition.serde.serialization_library);
    if (Status s = insert.Run(); !s.ok()) return s;
  }
  return WritePartitionParameters(sqlite3_last_insert_rowid(db()), partition);
}

Status SqliteCatalog::WritePartitionParameters(int64_t partition_id, const Partition& partition) {
  for (int64_t kind : {kPartitionParameter, kSerDeParameter}) {
    const auto& map =
        kind == kPartitionParameter ? partition.parameters : partition.serde.parameters;
    for (const auto& [key, value] : map) {
      Query insert(insert_partition_parameter_);
      if (Status s = insert.Bind(partition_id).Bind(kind).Bind(key).Bind(value).Run(); !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace meshsim::fakes::internal
