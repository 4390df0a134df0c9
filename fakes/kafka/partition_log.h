// One partition's log, stored compactly and split into segments as Kafka's is. Each record's key,
// value and headers are serialised into its segment's buffer (fakes/kafka/log_record_format.h:
// varint lengths, header keys numbered per log), with a 24-byte index entry per offset (segment,
// position, timestamps). A record costs its bytes plus ~30 bytes, instead of three heap objects
// (~300 bytes with malloc's overhead) as a vector of structs of strings would, and the log of a
// long run stays in memory without dragging the allocator down.
//
// The last segment is the active one; appends go there, and it rolls (closes, and a new one
// opens) when the next record would take it past `segment_bytes`. Retention and compaction
// (partition_log_cleaner.cc) touch closed segments only: retention drops whole segments from the
// front, moving the log start; compaction rewrites them keeping the latest record per key, so
// offsets stay as they were and gaps appear (the index keeps an entry per removed offset).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/kafka/log_record_format.h"
#include "sim/ports/event_stream.h"

namespace meshsim::fakes {

class PartitionLog {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;  // the default segment size

  // REQUIRES: segment_bytes >= 1. A record larger than a segment gets a segment of its own.
  explicit PartitionLog(size_t segment_bytes = kChunkBytes) : segment_bytes_(segment_bytes) {}
  PartitionLog(const PartitionLog&) = delete;
  PartitionLog& operator=(const PartitionLog&) = delete;
  PartitionLog(PartitionLog&&) = default;
  PartitionLog& operator=(PartitionLog&&) = default;

  // Appends a record (with a null value if `null_value`, then `value` is ignored); returns its
  // offset.
  int64_t Append(int64_t timestamp_us, int64_t append_time_us,
                 const std::optional<std::string>& key, std::string_view value,
                 const std::vector<Header>& headers, bool null_value = false);

  // False for an offset compaction removed. REQUIRES: log_start() <= offset < EndOffset().
  bool IsLive(int64_t offset) const { return EntryAt(offset).segment != kRemoved; }
  // False until compaction first removes a record: until then every offset is live.
  bool has_gaps() const { return has_gaps_; }

  // Fills `out`'s offset, timestamps, key, value, null flag and headers from the record at
  // `offset`. REQUIRES: IsLive(offset).
  void Read(int64_t offset, ConsumedRecord* out) const;

  // The earliest live offset whose CreateTime is >= `timestamp_us`, else EndOffset().
  int64_t OffsetForTime(int64_t timestamp_us) const;

  int64_t log_start() const { return log_start_; }
  int64_t EndOffset() const { return index_base_ + static_cast<int64_t>(index_.size()); }
  // Bytes the records take in their segments (the partition's size for retention.bytes).
  int64_t SizeBytes() const { return size_bytes_; }
  size_t SegmentCount() const { return segments_.size(); }
  // How many times the active segment has rolled: a change tells the caller a segment closed.
  uint64_t rolls() const { return rolls_; }
  // Bytes held by the segments and the index.
  size_t MemoryBytes() const;

  // Retention (cleanup.policy=delete): deletes closed segments from the front while the oldest's
  // newest CreateTime is more than `retention_us` before `now_us`, or while the log would still
  // hold at least `retention_bytes` without it (a negative limit is no limit). Returns how many
  // segments went.
  size_t DeleteRetained(int64_t now_us, int64_t retention_us, int64_t retention_bytes);

  // Compaction (cleanup.policy=compact): over the closed segments whose newest record is at least
  // `min_lag_us` old, keeps per key only the record with the highest offset among them (and
  // every unkeyed record); a tombstone that is that latest record is removed too once
  // `delete_retention_us` has passed since the cleaner first compacted its segment. Unless
  // `force`, runs only when at least half the cleanable bytes are new since the last pass
  // (Kafka's min.cleanable.dirty.ratio, 0.5). Returns how many records it removed.
  size_t Compact(int64_t now_us, int64_t min_lag_us, int64_t delete_retention_us, bool force);

 private:
  static constexpr uint32_t kRemoved = 0xffffffffu;

  struct Entry {
    uint32_t segment;  // absolute segment number; kRemoved once compaction dropped the record
    uint32_t position;
    int64_t timestamp_us;
    int64_t append_time_us;
  };
  struct Segment {
    std::unique_ptr<char[]> data;
    size_t capacity = 0;
    size_t used = 0;
    int64_t base_offset = 0;
    int64_t max_timestamp_us = INT64_MIN;  // newest CreateTime, kept through compaction
    int64_t first_cleaned_us = -1;         // when compaction first rewrote it
    bool dirty = true;                     // holds records compaction has not seen
  };

  const Entry& EntryAt(int64_t offset) const {
    return index_[static_cast<size_t>(offset - index_base_)];
  }
  Entry& EntryAt(int64_t offset) { return index_[static_cast<size_t>(offset - index_base_)]; }
  // One past the last offset of segments_[i].
  int64_t SegmentEnd(size_t i) const {
    return i + 1 < segments_.size() ? segments_[i + 1].base_offset : EndOffset();
  }
  const char* DataOf(const Entry& e) const {
    return segments_[e.segment - first_segment_].data.get() + e.position;
  }
  char* Reserve(size_t bytes, uint32_t* segment, uint32_t* position);
  // Forgets index entries below the log start once they are half the index.
  void TrimIndex();

  size_t segment_bytes_;
  int64_t log_start_ = 0;
  int64_t index_base_ = 0;  // the offset of index_[0]; <= log_start_
  std::vector<Entry> index_;
  std::vector<Segment> segments_;  // few: erasing from the front is cheap
  uint32_t first_segment_ = 0;     // the absolute number of segments_.front()
  int64_t size_bytes_ = 0;
  uint64_t rolls_ = 0;
  bool has_gaps_ = false;
  std::vector<std::unique_ptr<char[]>> retired_;  // a compaction's old buffers, while it runs
  HeaderKeys header_keys_;                        // the records' header keys, numbered
};

}  // namespace meshsim::fakes
