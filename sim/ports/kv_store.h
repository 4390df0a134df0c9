// KvStore: tables of items keyed by a partition key (DynamoDB's model), where the Songs and
// Podcasts domains keep their catalogues. Their ETL jobs scan it to shape their data products.
//
// Abstract so the domains run unchanged on the in-memory store (fakes/storage/kv_store.h) and on
// DynamoDB (backends/, later). Errors use DynamoDB's types: ResourceNotFoundException (no such
// table), ResourceInUseException (CreateTable of an existing one), ValidationException (a missing
// or mistyped key, an item over 400 KB, a Limit below 1), ConditionalCheckFailedException. A call
// that fails changes nothing. Not modelled: sort keys, secondary indexes, lists and maps.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

// DynamoDB's scalar AttributeValue: S (string), N (a number, kept as its text) or BOOL.
struct AttributeValue {
  enum class Type : uint8_t { kS, kN, kBool };
  Type type = Type::kS;
  std::string value;  // BOOL: "true" or "false"

  static AttributeValue S(std::string s) { return {Type::kS, std::move(s)}; }
  static AttributeValue N(int64_t n) { return {Type::kN, std::to_string(n)}; }
  static AttributeValue Bool(bool b) { return {Type::kBool, b ? "true" : "false"}; }
  bool operator==(const AttributeValue&) const = default;
};

using KvItem = std::map<std::string, AttributeValue>;  // attribute name → value

struct KvTableDefinition {
  std::string name;  // 3-255 of [a-zA-Z0-9_.-]
  std::string partition_key;
  AttributeValue::Type key_type = AttributeValue::Type::kS;  // S or N
};

// DynamoDB's ConditionExpression, the two forms a producer uses.
enum class KvCondition : uint8_t {
  kNone,
  kNotExists,  // attribute_not_exists(<partition key>): create only
  kExists,     // attribute_exists(<partition key>): replace or delete only
};

struct ScanRequest {
  std::string table;
  // Items on one page at most; a page also stops at 1 MB of items, as DynamoDB's does. Default:
  // no limit but the 1 MB one. ValidationException when not positive.
  std::optional<int32_t> limit;
  std::optional<AttributeValue> exclusive_start_key;  // the previous page's last_evaluated_key
};

struct ScanResult {
  std::vector<KvItem> items;  // in key order (DynamoDB's is by hash; any order is allowed)
  // Set when the page stopped at the limit or at 1 MB, even if no item is left (as DynamoDB's):
  // pass it as exclusive_start_key for the next page.
  std::optional<AttributeValue> last_evaluated_key;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  virtual Status CreateTable(const KvTableDefinition& table) = 0;
  virtual Result<KvTableDefinition> DescribeTable(const std::string& table) const = 0;

  // Replaces the item with the same key. The item must hold the key attribute with its type.
  virtual Status PutItem(const std::string& table, const KvItem& item,
                         KvCondition condition = KvCondition::kNone) = 0;
  // nullopt when there is no such item (DynamoDB answers without an Item).
  virtual Result<std::optional<KvItem>> GetItem(const std::string& table,
                                                const AttributeValue& key) const = 0;
  // Succeeds for a missing item unless the condition is kExists.
  virtual Status DeleteItem(const std::string& table, const AttributeValue& key,
                            KvCondition condition = KvCondition::kNone) = 0;
  virtual Result<ScanResult> Scan(const ScanRequest& request) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingKvStore : public KvStore {
 public:
  explicit ForwardingKvStore(KvStore& target) : target_(target) {}

  Status CreateTable(const KvTableDefinition& table) override { return target_.CreateTable(table); }
  Result<KvTableDefinition> DescribeTable(const std::string& table) const override {
    return target_.DescribeTable(table);
  }
  Status PutItem(const std::string& table, const KvItem& item, KvCondition condition) override {
    return target_.PutItem(table, item, condition);
  }
  Result<std::optional<KvItem>> GetItem(const std::string& table,
                                        const AttributeValue& key) const override {
    return target_.GetItem(table, key);
  }
  Status DeleteItem(const std::string& table, const AttributeValue& key,
                    KvCondition condition) override {
    return target_.DeleteItem(table, key, condition);
  }
  Result<ScanResult> Scan(const ScanRequest& request) const override {
    return target_.Scan(request);
  }

 protected:
  KvStore& target() const { return target_; }

 private:
  KvStore& target_;
};

}  // namespace meshsim
