// One dataset group's data as the data plane keeps it (personalize.h): dense id tables for its
// users, items and event types; the imported interactions and the events put through its
// tracker; item and user metadata, imported (bulk) and sent with PutItems / PutUsers; each
// user's most recent distinct items with the event types seen on each; the event ids seen. It is
// also what filters read (FilterData). Internal to fakes/personalize.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/personalize/filter_evaluator.h"
#include "fakes/personalize/model.h"
#include "fakes/personalize/resources.h"
#include "fakes/personalize/schema_rules.h"
#include "sim/core/fingerprint_set.h"
#include "sim/core/string_index.h"
#include "sim/ports/recommender.h"

namespace meshsim::fakes::personalize {

// A metadata key as a column name: PutItems and PutUsers name fields in camel case
// ("creationTimestamp", AWS: "the keys use camel case names that match the fields in the schema"),
// imports and filters by the schema's name ("CREATION_TIMESTAMP"); both become the latter.
inline std::string ColumnName(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c >= 'A' && c <= 'Z' && i > 0 && key[i - 1] >= 'a' && key[i - 1] <= 'z') out += '_';
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

inline Attributes ColumnNames(const Attributes& properties) {
  Attributes out;
  for (const auto& [k, v] : properties) out[ColumnName(k)] = v;
  return out;
}

inline int64_t ParseTimestamp(const Attributes& attributes) {
  const auto it = attributes.find("CREATION_TIMESTAMP");
  if (it == attributes.end()) return kNoTimestamp;
  double value = 0;  // imports may write 1.7e9 or 1700000000.5
  const auto r = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (r.ec != std::errc() || !std::isfinite(value)) return kNoTimestamp;
  return static_cast<int64_t>(value);
}

struct UserHistory {
  std::vector<uint32_t> items;  // distinct, most recent last
  std::vector<uint32_t> types;  // by position: a bit per event type (types past 31 share bit 31)
};

inline uint32_t TypeBit(uint32_t event_type) { return 1u << std::min<uint32_t>(event_type, 31); }

// One dataset group's data. It is also what filters read.
class GroupData final : public FilterData {
 public:
  explicit GroupData(size_t window) : window_(window) {}

  uint32_t InternUser(std::string_view id) {
    const uint32_t u = users.Intern(id);
    if (u == histories.size()) {
      histories.emplace_back();
      user_bulk.emplace_back();
      user_put.emplace_back();
    }
    return u;
  }
  uint32_t InternItem(std::string_view id) {
    const uint32_t i = items.Intern(id);
    if (i == item_bulk.size()) {
      item_bulk.emplace_back();
      item_put.emplace_back();
      item_creation.push_back(kNoTimestamp);
    }
    return i;
  }
  uint32_t InternEventType(std::string_view type) { return event_types.Intern(type); }

  // Moves `item` to the most recent end of the user's history, adding `type` to its mask.
  void Remember(uint32_t user, uint32_t item, uint32_t type) {
    UserHistory& h = histories[user];
    const auto at = std::find(h.items.begin(), h.items.end(), item);
    uint32_t mask = TypeBit(type);
    if (at != h.items.end()) {
      const size_t pos = static_cast<size_t>(at - h.items.begin());
      mask |= h.types[pos];
      h.items.erase(at);
      h.types.erase(h.types.begin() + static_cast<std::ptrdiff_t>(pos));
    } else if (h.items.size() == window_) {
      h.items.erase(h.items.begin());
      h.types.erase(h.types.begin());
    }
    h.items.push_back(item);
    h.types.push_back(mask);
  }

  // The histories again from the imported rows (oldest first) and then the events, after an
  // import replaced or added rows.
  void RebuildHistories() {
    for (UserHistory& h : histories) h = UserHistory{};
    for (const Interaction& e : *imported) Remember(e.user, e.item, e.event_type);
    for (const Interaction& e : events) Remember(e.user, e.item, e.event_type);
  }

  void Import(const Dataset& dataset, const ImportedRows& rows, bool replace) {
    if (dataset.dataset_type == kInteractionsDataset) {
      std::vector<Interaction> rows_now;
      if (!replace) rows_now = *imported;
      for (const ImportedInteraction& r : rows.interactions) {
        Interaction e;
        e.user = InternUser(r.user_id);
        e.item = InternItem(r.item_id);
        e.timestamp = r.timestamp;
        e.event_type = InternEventType(r.event_type);
        if (r.event_value) e.event_value = static_cast<float>(*r.event_value);
        rows_now.push_back(e);
      }
      std::stable_sort(
          rows_now.begin(), rows_now.end(),
          [](const Interaction& a, const Interaction& b) { return a.timestamp < b.timestamp; });
      imported = std::make_shared<const std::vector<Interaction>>(std::move(rows_now));
      RebuildHistories();
    } else if (dataset.dataset_type == kItemsDataset) {
      // FULL: "Overwrite all existing bulk data in your dataset. Data you imported
      // individually is not replaced" (CreateDatasetImportJob, importMode).
      if (replace) {
        for (Attributes& a : item_bulk) a.clear();
        for (uint32_t i = 0; i < item_bulk.size(); ++i) UpdateCreation(i);
      }
      for (const Item& item : rows.items) SetItem(InternItem(item.item_id), item.properties, true);
    } else if (dataset.dataset_type == kUsersDataset) {
      if (replace) {
        for (Attributes& a : user_bulk) a.clear();
      }
      for (const meshsim::User& user : rows.users)
        SetUser(InternUser(user.user_id), user.properties, true);
    }
  }

  // An item's or a user's metadata, from an import (`bulk`) or from PutItems / PutUsers.
  void SetItem(uint32_t item, const Attributes& properties, bool bulk) {
    (bulk ? item_bulk : item_put)[item] = ColumnNames(properties);
    UpdateCreation(item);
  }
  void SetUser(uint32_t user, const Attributes& properties, bool bulk) {
    (bulk ? user_bulk : user_put)[user] = ColumnNames(properties);
  }

  // The dataset's data goes: an Interactions dataset takes the events put through the tracker
  // with it, and the histories they made.
  void Clear(std::string_view dataset_type) {
    if (dataset_type == kInteractionsDataset) {
      imported = std::make_shared<const std::vector<Interaction>>();
      events.clear();
      event_ids = FingerprintSet();
      RebuildHistories();
    } else if (dataset_type == kItemsDataset) {
      for (auto* layer : {&item_bulk, &item_put}) {
        for (Attributes& a : *layer) a.clear();
      }
      std::fill(item_creation.begin(), item_creation.end(), kNoTimestamp);
    } else if (dataset_type == kUsersDataset) {
      for (auto* layer : {&user_bulk, &user_put}) {
        for (Attributes& a : *layer) a.clear();
      }
    }
  }

  // Calls f(interaction) for every retained interaction of `type` (kUnknownId: any): the
  // imported rows `from`, then the first `events_size` events. Default: all there are now.
  template <typename F>
  void ForEachInteraction(uint32_t type, F&& f, const std::vector<Interaction>* from = nullptr,
                          size_t events_size = SIZE_MAX) const {
    for (const Interaction& e : from != nullptr ? *from : *imported) {
      if (type == kUnknownId || e.event_type == type) f(e);
    }
    const size_t n = std::min(events_size, events.size());
    for (size_t i = 0; i < n; ++i) {
      if (type == kUnknownId || events[i].event_type == type) f(events[i]);
    }
  }

  // FilterData.
  const std::string* ItemAttribute(const std::string& item_id,
                                   const std::string& field) const override {
    const uint32_t i = items.Find(item_id);
    return i == StringIndex::kAbsent ? nullptr : Find(item_put[i], item_bulk[i], field);
  }
  const std::string* UserAttribute(const std::string& user_id,
                                   const std::string& field) const override {
    const uint32_t u = users.Find(user_id);
    return u == StringIndex::kAbsent ? nullptr : Find(user_put[u], user_bulk[u], field);
  }
  void ForEachInteraction(
      const std::string& user_id,
      const std::function<void(const std::string& item_id, const std::string& event_type)>& visit)
      const override {
    const uint32_t u = users.Find(user_id);
    if (u == StringIndex::kAbsent) return;
    const UserHistory& h = histories[u];
    for (size_t k = 0; k < h.items.size(); ++k) {
      for (uint32_t t = 0; t < event_types.size(); ++t) {
        if ((h.types[k] & TypeBit(t)) != 0) visit(items.name(h.items[k]), event_types.name(t));
      }
    }
  }

  size_t InteractionBytes() const {
    size_t bytes = (imported->capacity() + events.capacity()) * sizeof(Interaction) +
                   event_ids.MemoryBytes() + histories.capacity() * sizeof(UserHistory);
    for (const UserHistory& h : histories) {
      bytes += (h.items.capacity() + h.types.capacity()) * sizeof(uint32_t);
    }
    return bytes;
  }
  size_t MetadataBytes() const {
    size_t bytes =
        users.MemoryBytes() + items.MemoryBytes() + event_types.MemoryBytes() +
        item_creation.capacity() * sizeof(int64_t) +
        (item_bulk.capacity() + item_put.capacity() + user_bulk.capacity() + user_put.capacity()) *
            sizeof(Attributes);
    for (const auto* table : {&item_bulk, &item_put, &user_bulk, &user_put}) {
      for (const Attributes& a : *table) bytes += a.size() * 96;  // a node and two short strings
    }
    return bytes;
  }

  StringIndex users, items, event_types;
  std::vector<UserHistory> histories;  // by user
  // By user and by item, column names as keys: imported (bulk) and sent with PutUsers/PutItems.
  std::vector<Attributes> user_bulk, user_put;
  std::vector<Attributes> item_bulk, item_put;
  std::vector<int64_t> item_creation;  // by item: CREATION_TIMESTAMP or kNoTimestamp
  // The Interactions dataset's rows, oldest first. Replaced, never changed in place, so a
  // training's snapshot keeps the rows it was asked for while an import lands.
  std::shared_ptr<const std::vector<Interaction>> imported =
      std::make_shared<const std::vector<Interaction>>();
  std::vector<Interaction> events;  // PutEvents, in arrival order
  FingerprintSet event_ids;

 private:
  // The field of the record PutItems or PutUsers sent, else of the imported one.
  static const std::string* Find(const Attributes& put, const Attributes& bulk,
                                 const std::string& field) {
    for (const Attributes* a : {&put, &bulk}) {
      if (a->empty()) continue;
      auto it = a->find(field);
      if (it == a->end()) it = a->find(ColumnName(field));
      if (it != a->end()) return &it->second;
      if (a == &put) return nullptr;  // the individual record replaces the bulk one whole
    }
    return nullptr;
  }

  void UpdateCreation(uint32_t item) {
    item_creation[item] = ParseTimestamp(item_put[item].empty() ? item_bulk[item] : item_put[item]);
  }

  size_t window_;
};

}  // namespace meshsim::fakes::personalize
