#include "fakes/storage/kv_store.h"

#include <algorithm>

#include "sim/text/utf8.h"

namespace meshsim::fakes {
namespace {

// DynamoDB's limits: 400 KB an item (names and values), 1 MB of items a Scan page.
constexpr size_t kMaxItemBytes = 400 * 1024;
constexpr size_t kMaxPageBytes = 1024 * 1024;

Status Validation(std::string message) { return Status(Code::kValidation, std::move(message)); }

size_t ItemBytes(const KvItem& item) {
  size_t bytes = 0;
  for (const auto& [name, value] : item) bytes += name.size() + value.value.size();
  return bytes;
}

class MemoryKvStore final : public KvStore {
 public:
  Status CreateTable(const KvTableDefinition& table) override {
    const bool name_ok = table.name.size() >= 3 && table.name.size() <= 255 &&
                         std::all_of(table.name.begin(), table.name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
                         });
    if (!name_ok) return Validation("TableName must be 3-255 characters of [a-zA-Z0-9_.-]");
    if (table.partition_key.empty()) return Validation("KeySchema needs a HASH key");
    if (table.key_type == AttributeValue::Type::kBool) {
      return Validation("A key attribute is of type S, N or B");
    }
    if (tables_.count(table.name) != 0) {
      return Status(Code::kResourceInUse, "Table already exists: " + table.name);
    }
    tables_[table.name].definition = table;
    return Status::Ok();
  }
  Result<KvTableDefinition> DescribeTable(const std::string& table) const override {
    Result<const Table*> t = Find(table);
    if (!t.ok()) return t.status();
    return (*t)->definition;
  }

  Status PutItem(const std::string& table, const KvItem& item, KvCondition condition) override {
    Result<Table*> found = Find(table);
    if (!found.ok()) return found.status();
    Table& t = **found;
    auto key = item.find(t.definition.partition_key);
    if (key == item.end()) {
      return Validation("One of the required keys was not given a value: " +
                        t.definition.partition_key);
    }
    if (Status s = CheckKey(t, key->second); !s.ok()) return s;
    for (const auto& [name, value] : item) {
      if (!IsValidUtf8(name) ||
          (value.type == AttributeValue::Type::kS && !IsValidUtf8(value.value))) {
        // The name is left out of the message: it may be the text that is not UTF-8.
        return Validation(
            "One or more parameter values were invalid: an attribute name or string value is "
            "not valid UTF-8");
      }
    }
    if (ItemBytes(item) > kMaxItemBytes) {
      return Validation("Item size has exceeded the maximum allowed size");
    }
    if (Status s = Check(t, key->second, condition); !s.ok()) return s;
    t.items[key->second.value] = item;
    return Status::Ok();
  }
  Result<std::optional<KvItem>> GetItem(const std::string& table,
                                        const AttributeValue& key) const override {
    Result<const Table*> t = Find(table);
    if (!t.ok()) return t.status();
    if (Status s = CheckKey(**t, key); !s.ok()) return s;
    auto it = (*t)->items.find(key.value);
    if (it == (*t)->items.end()) return std::optional<KvItem>();
    return std::optional<KvItem>(it->second);
  }
  Status DeleteItem(const std::string& table, const AttributeValue& key,
                    KvCondition condition) override {
    Result<Table*> found = Find(table);
    if (!found.ok()) return found.status();
    Table& t = **found;
    if (Status s = CheckKey(t, key); !s.ok()) return s;
    if (Status s = Check(t, key, condition); !s.ok()) return s;
    t.items.erase(key.value);
    return Status::Ok();
  }
  Result<ScanResult> Scan(const ScanRequest& request) const override {
    Result<const Table*> found = Find(request.table);
    if (!found.ok()) return found.status();
    const Table& t = **found;
    if (request.limit && *request.limit < 1) {
      return Validation("Limit must be greater than or equal to 1");
    }
    auto it = t.items.begin();
    if (request.exclusive_start_key) {
      if (Status s = CheckKey(t, *request.exclusive_start_key); !s.ok()) return s;
      it = t.items.upper_bound(request.exclusive_start_key->value);
    }
    ScanResult page;
    size_t bytes = 0;
    auto full = [&] {
      return (request.limit && page.items.size() == static_cast<size_t>(*request.limit)) ||
             bytes >= kMaxPageBytes;
    };
    for (; it != t.items.end() && !full(); ++it) {
      page.items.push_back(it->second);
      bytes += ItemBytes(it->second);
    }
    if (full() && !page.items.empty()) {
      page.last_evaluated_key = page.items.back().at(t.definition.partition_key);
    }
    return page;
  }

 private:
  struct Table {
    KvTableDefinition definition;
    std::map<std::string, KvItem> items;  // by the key's text
  };

  Result<const Table*> Find(const std::string& table) const {
    auto it = tables_.find(table);
    if (it == tables_.end()) return NotFound(table);
    return &it->second;
  }
  Result<Table*> Find(const std::string& table) {
    auto it = tables_.find(table);
    if (it == tables_.end()) return NotFound(table);
    return &it->second;
  }
  static Status NotFound(const std::string& table) {
    return Status(Code::kResourceNotFound, "Requested resource not found: Table: " + table);
  }
  static Status CheckKey(const Table& t, const AttributeValue& key) {
    if (key.type != t.definition.key_type) {
      return Validation("The provided key element does not match the schema");
    }
    if (key.type == AttributeValue::Type::kS && key.value.empty()) {
      return Validation("One or more parameter values are not valid: an empty string key");
    }
    return Status::Ok();
  }
  static Status Check(const Table& t, const AttributeValue& key, KvCondition condition) {
    const bool exists = t.items.count(key.value) != 0;
    if ((condition == KvCondition::kNotExists && exists) ||
        (condition == KvCondition::kExists && !exists)) {
      return Status(Code::kConditionalCheckFailed, "The conditional request failed");
    }
    return Status::Ok();
  }

  std::map<std::string, Table> tables_;
};

}  // namespace

std::unique_ptr<KvStore> MakeMemoryKvStore() { return std::make_unique<MemoryKvStore>(); }

}  // namespace meshsim::fakes
