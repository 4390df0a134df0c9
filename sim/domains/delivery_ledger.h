// What a Recommendations function remembers of the records it was handed, per partition, so that a
// record delivered again — a retried batch, a consumer restarted before it committed — is counted,
// applied and dead-lettered once, and so that "order per key kept" can be checked on what it
// applied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "sim/core/open_table.h"
#include "sim/ports/event_stream.h"
#include "sim/streaming/event_source_mapping.h"

namespace meshsim {

// A key's hash, as the functions compare keys: two keys that collide only make their calls wait
// for each other, which keeps order all the same.
inline uint64_t KeyHash(std::string_view key) { return std::hash<std::string_view>{}(key); }

// Per partition, which records were delivered and which are finished (applied or dead-lettered).
class DeliveryLedger {
 public:
  // How many of the batch's records are delivered for the first time; remembers them all.
  size_t Deliver(const KafkaBatch& batch);
  bool Finished(int32_t partition, int64_t offset);
  // Marks a record finished; false if it already was.
  bool Finish(int32_t partition, int64_t offset);
  // Marks every record up to the batch's last finished: the batch is done and will be committed.
  void FinishThrough(const KafkaBatch& batch);

 private:
  struct Partition {
    int64_t delivered_below = 0;  // every offset under this was delivered
    int64_t finished_below = 0;   // every offset under this is finished (the batch committed)
    // Finished offsets at or above finished_below, as flags for [flags_base, flags_base + size):
    // a batch's offsets are contiguous, so a set's node per record buys nothing.
    int64_t flags_base = 0;
    std::vector<char> flags;

    bool Flagged(int64_t offset) const;
    bool Flag(int64_t offset);  // false if it already was
    void Trim();                // forgets the flags below finished_below
  };
  Partition& Of(int32_t partition);

  std::vector<Partition> partitions_;  // by partition
};

// The invariant "order per key kept", checked independently of the scheduling that keeps it: a
// key's records must be applied in offset order.
class ApplyOrderCheck {
 public:
  // Notes that `record` was applied; false if a later record of its key (and partition) was
  // applied before it. A record without a key is always in order.
  bool Applied(int32_t partition, const ConsumedRecord& record);

 private:
  // The last applied offset by key hash (and partition), -1 before the first, in an OpenTable of
  // 16-byte slots, as a node-based map cost a pointer chase per record. Two keys whose 64-bit
  // hashes collide would share a slot; at thousands of keys that is a chance of about 1e-12 per
  // run.
  struct Slot {
    uint64_t key = 0;  // 0 marks a free slot
    int64_t offset = -1;
  };
  struct Traits {
    using Slot = ApplyOrderCheck::Slot;
    static bool Free(const Slot& s) { return s.key == 0; }
    static uint64_t Hash(const Slot& s) { return MixHash(s.key); }
    static constexpr size_t kFirstCapacity = 64;
  };
  int64_t& LastOffset(uint64_t key);

  OpenTable<Traits> last_offsets_;
};

// Called per record on the hot path, so inline.
inline DeliveryLedger::Partition& DeliveryLedger::Of(int32_t partition) {
  if (static_cast<size_t>(partition) >= partitions_.size()) {
    partitions_.resize(static_cast<size_t>(partition) + 1);
  }
  return partitions_[static_cast<size_t>(partition)];
}

inline bool DeliveryLedger::Partition::Flagged(int64_t offset) const {
  return offset >= flags_base && offset - flags_base < static_cast<int64_t>(flags.size()) &&
         flags[static_cast<size_t>(offset - flags_base)];
}

inline bool DeliveryLedger::Finished(int32_t partition, int64_t offset) {
  const Partition& p = Of(partition);
  return offset < p.finished_below || p.Flagged(offset);
}

inline bool DeliveryLedger::Finish(int32_t partition, int64_t offset) {
  Partition& p = Of(partition);
  return offset >= p.finished_below && p.Flag(offset);
}

}  // namespace meshsim
