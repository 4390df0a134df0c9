#include "sim/domains/delivery_ledger.h"

#include <algorithm>

namespace meshsim {

size_t DeliveryLedger::Deliver(const KafkaBatch& batch) {
  if (batch.records.empty()) return 0;
  Partition& p = Of(batch.tp.partition);
  size_t first_time = 0;
  for (const auto& r : batch.records) {
    if (r.offset >= p.delivered_below) ++first_time;
  }
  p.delivered_below = std::max(p.delivered_below, batch.records.back().offset + 1);
  return first_time;
}

void DeliveryLedger::FinishThrough(const KafkaBatch& batch) {
  if (batch.records.empty()) return;
  Partition& p = Of(batch.tp.partition);
  p.finished_below = std::max(p.finished_below, batch.records.back().offset + 1);
  p.Trim();
}

bool DeliveryLedger::Partition::Flag(int64_t offset) {
  if (flags.empty()) flags_base = offset;
  if (offset < flags_base) {  // before every flagged offset: shift the window down
    flags.insert(flags.begin(), static_cast<size_t>(flags_base - offset), 0);
    flags_base = offset;
  }
  const auto i = static_cast<size_t>(offset - flags_base);
  if (i >= flags.size()) flags.resize(std::max(i + 1, 2 * flags.size() + 64), 0);
  if (flags[i]) return false;
  flags[i] = 1;
  return true;
}

void DeliveryLedger::Partition::Trim() {
  if (finished_below <= flags_base) return;
  const int64_t drop = finished_below - flags_base;
  if (drop >= static_cast<int64_t>(flags.size())) {
    flags.clear();
  } else {
    flags.erase(flags.begin(), flags.begin() + drop);
  }
  flags_base = finished_below;
}

bool ApplyOrderCheck::Applied(int32_t partition, const ConsumedRecord& record) {
  if (!record.key) return true;
  int64_t& last = LastOffset(KeyHash(*record.key) * 31 + static_cast<uint64_t>(partition));
  if (record.offset < last) return false;
  last = record.offset;
  return true;
}

int64_t& ApplyOrderCheck::LastOffset(uint64_t key) {
  if (key == 0) key = 1;  // 0 marks a free slot
  const auto [slot, added] =
      last_offsets_.FindOrInsert(MixHash(key), [key](const Slot& s) { return s.key == key; });
  if (added) *slot = Slot{key, -1};
  return slot->offset;
}

}  // namespace meshsim
