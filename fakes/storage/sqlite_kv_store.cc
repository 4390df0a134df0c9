// The key-value store persisted in SQLite: the memory store does every check and keeps the
// tables; SQLite keeps a copy of each table and item, written through on every change.
#include <nlohmann/json.hpp>
#include <utility>

#include "fakes/sqlite/sqlite_db.h"
#include "fakes/storage/kv_store.h"

namespace meshsim::fakes {
namespace {

using sqlite::Query;
using sqlite::Statement;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS kv_tables (
  name TEXT PRIMARY KEY,
  partition_key TEXT NOT NULL,
  key_type TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv_items (
  table_name TEXT NOT NULL,
  item_key TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (table_name, item_key)
) WITHOUT ROWID;
)sql";

const char* TypeName(AttributeValue::Type t) {
  return t == AttributeValue::Type::kS ? "S" : t == AttributeValue::Type::kN ? "N" : "BOOL";
}
AttributeValue::Type TypeOf(const std::string& name) {
  return name == "S"   ? AttributeValue::Type::kS
         : name == "N" ? AttributeValue::Type::kN
                       : AttributeValue::Type::kBool;
}

// DynamoDB's JSON form of an item: {"genre": {"S": "pop"}, ...}.
std::string EncodeItem(const KvItem& item) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : item) j[name] = {{TypeName(value.type), value.value}};
  return j.dump();
}
Result<KvItem> DecodeItem(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Status(Code::kInternal, "key-value store: a stored item is not JSON");
  KvItem item;
  for (const auto& [name, typed] : j.items()) {
    if (!typed.is_object() || typed.size() != 1 || !typed.begin()->is_string()) {
      return Status(Code::kInternal, "key-value store: a stored attribute is malformed: " + name);
    }
    item[name] = {TypeOf(typed.begin().key()), typed.begin()->get<std::string>()};
  }
  return item;
}

class SqliteKvStore final : public KvStore {
 public:
  explicit SqliteKvStore(sqlite::DbHandle db) : db_(std::move(db)), memory_(MakeMemoryKvStore()) {}

  Status Prepare() {
    const std::pair<Statement*, std::string_view> statements[] = {
        {&insert_table_, "INSERT INTO kv_tables (name, partition_key, key_type) VALUES (?, ?, ?)"},
        {&delete_table_, "DELETE FROM kv_tables WHERE name = ?"},
        {&upsert_item_,
         "INSERT INTO kv_items (table_name, item_key, item) VALUES (?, ?, ?) "
         "ON CONFLICT (table_name, item_key) DO UPDATE SET item = excluded.item"},
        {&delete_item_, "DELETE FROM kv_items WHERE table_name = ? AND item_key = ?"},
        {&select_tables_, "SELECT name, partition_key, key_type FROM kv_tables ORDER BY name"},
        {&select_items_, "SELECT table_name, item FROM kv_items ORDER BY table_name, item_key"},
    };
    for (const auto& [statement, sql] : statements) {
      if (Status s = statement->Prepare(db_.get(), sql); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Reads what an earlier run left into memory.
  Status Load() {
    Status bad;
    Query tables(select_tables_);
    Status s = tables.ForEachRow([&](Query& row) {
      if (!bad.ok()) return;
      bad = memory_->CreateTable({row.Text(0), row.Text(1), TypeOf(row.Text(2))});
    });
    if (!s.ok()) return s;
    if (!bad.ok()) return bad;
    Query items(select_items_);
    s = items.ForEachRow([&](Query& row) {
      if (!bad.ok()) return;
      Result<KvItem> item = DecodeItem(row.Text(1));
      bad = item.ok() ? memory_->PutItem(row.Text(0), *item) : item.status();
    });
    return s.ok() ? bad : s;
  }

  Status CreateTable(const KvTableDefinition& table) override {
    // The memory store makes every check and has no DeleteTable, so SQLite goes first and its
    // row goes again when the memory store refuses the table.
    if (memory_->DescribeTable(table.name).ok()) return memory_->CreateTable(table);
    if (Status s = Query(insert_table_)
                       .Bind(table.name)
                       .Bind(table.partition_key)
                       .Bind(TypeName(table.key_type))
                       .Run();
        !s.ok()) {
      return s;
    }
    Status s = memory_->CreateTable(table);
    if (!s.ok()) (void)Query(delete_table_).Bind(table.name).Run();
    return s;
  }
  Result<KvTableDefinition> DescribeTable(const std::string& table) const override {
    return memory_->DescribeTable(table);
  }
  Status PutItem(const std::string& table, const KvItem& item, KvCondition condition) override {
    Result<KvTableDefinition> definition = memory_->DescribeTable(table);
    if (!definition.ok()) return definition.status();
    auto key = item.find(definition->partition_key);
    Result<std::optional<KvItem>> before = key == item.end()
                                               ? Result<std::optional<KvItem>>(std::nullopt)
                                               : memory_->GetItem(table, key->second);
    if (Status s = memory_->PutItem(table, item, condition); !s.ok()) return s;
    Status s = Query(upsert_item_).Bind(table).Bind(key->second.value).Bind(EncodeItem(item)).Run();
    if (!s.ok()) Restore(table, key->second, before);
    return s;
  }
  Result<std::optional<KvItem>> GetItem(const std::string& table,
                                        const AttributeValue& key) const override {
    return memory_->GetItem(table, key);
  }
  Status DeleteItem(const std::string& table, const AttributeValue& key,
                    KvCondition condition) override {
    Result<std::optional<KvItem>> before = memory_->GetItem(table, key);
    if (Status s = memory_->DeleteItem(table, key, condition); !s.ok()) return s;
    Status s = Query(delete_item_).Bind(table).Bind(key.value).Run();
    if (!s.ok()) Restore(table, key, before);
    return s;
  }
  Result<ScanResult> Scan(const ScanRequest& request) const override {
    return memory_->Scan(request);
  }

 private:
  // Puts back in memory the item a change replaced, when SQLite refused the change.
  void Restore(const std::string& table, const AttributeValue& key,
               const Result<std::optional<KvItem>>& before) {
    if (!before.ok()) return;
    if (*before) {
      (void)memory_->PutItem(table, **before);
    } else {
      (void)memory_->DeleteItem(table, key);
    }
  }

  sqlite::DbHandle db_;
  std::unique_ptr<KvStore> memory_;
  Statement insert_table_, delete_table_, upsert_item_, delete_item_, select_tables_, select_items_;
};

}  // namespace

Result<std::unique_ptr<KvStore>> MakeSqliteKvStore(const std::string& path) {
  Result<sqlite::DbHandle> db = sqlite::Open(path, kSchema, "key-value store");
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteKvStore>(std::move(db).value());
  if (Status s = store->Prepare(); !s.ok()) return s;
  if (Status s = store->Load(); !s.ok()) return s;
  return std::unique_ptr<KvStore>(std::move(store));
}

}  // namespace meshsim::fakes
