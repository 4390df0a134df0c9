// Retention and compaction of a partition log: Kafka's log cleanup, on closed segments only.
#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "fakes/kafka/log_record_format.h"
#include "fakes/kafka/partition_log.h"

namespace meshsim::fakes {

size_t PartitionLog::DeleteRetained(int64_t now_us, int64_t retention_us, int64_t retention_bytes) {
  size_t deleted = 0;
  while (deleted + 1 < segments_.size()) {  // never the active segment
    const Segment& s = segments_[deleted];
    const bool expired = retention_us >= 0 && s.max_timestamp_us != INT64_MIN &&
                         now_us - s.max_timestamp_us > retention_us;
    const bool oversize =
        retention_bytes >= 0 && size_bytes_ - static_cast<int64_t>(s.used) >= retention_bytes;
    if (!expired && !oversize) break;
    log_start_ = SegmentEnd(deleted);
    size_bytes_ -= static_cast<int64_t>(s.used);
    ++deleted;
  }
  if (deleted) {
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(deleted));
    first_segment_ += static_cast<uint32_t>(deleted);
    TrimIndex();
  }
  return deleted;
}

size_t PartitionLog::Compact(int64_t now_us, int64_t min_lag_us, int64_t delete_retention_us,
                             bool force) {
  // The cleanable segments: closed, and (from the front) old enough for min.compaction.lag.ms.
  size_t cleanable = 0;
  size_t bytes = 0;
  size_t dirty_bytes = 0;
  while (cleanable + 1 < segments_.size() &&
         (segments_[cleanable].max_timestamp_us == INT64_MIN ||
          now_us - segments_[cleanable].max_timestamp_us >= min_lag_us)) {
    bytes += segments_[cleanable].used;
    if (segments_[cleanable].dirty) dirty_bytes += segments_[cleanable].used;
    ++cleanable;
  }
  if (cleanable == 0 || (!force && (dirty_bytes == 0 || 2 * dirty_bytes < bytes))) return 0;

  // The latest offset of each key among the records the cleaner has not seen; a key only in
  // already-cleaned segments has its one record there, which stays.
  std::unordered_map<std::string_view, int64_t> latest;
  for (size_t i = 0; i < cleanable; ++i) {
    const Segment& s = segments_[i];
    if (!s.dirty) continue;
    for (int64_t o = std::max(s.base_offset, log_start_), end = SegmentEnd(i); o < end; ++o) {
      const Entry& e = EntryAt(o);
      if (e.segment == kRemoved) continue;
      const RecordView v = ViewRecord(DataOf(e));
      if (v.key) latest[*v.key] = o;
    }
  }

  size_t removed = 0;
  for (size_t i = 0; i < cleanable; ++i) {
    Segment& s = segments_[i];
    const bool tombstones_due =
        s.first_cleaned_us >= 0 && now_us - s.first_cleaned_us >= delete_retention_us;
    // Copied into a new buffer: the keys in `latest` still point into the old ones.
    auto data = std::make_unique_for_overwrite<char[]>(s.used > 0 ? s.used : 1);
    size_t used = 0;
    for (int64_t o = std::max(s.base_offset, log_start_), end = SegmentEnd(i); o < end; ++o) {
      Entry& e = EntryAt(o);
      if (e.segment == kRemoved) continue;
      const char* at = DataOf(e);
      const RecordView v = ViewRecord(at);
      bool keep = true;
      if (v.key) {
        auto it = latest.find(*v.key);
        keep = it == latest.end() || o >= it->second;
      }
      if (keep && v.null_value && tombstones_due) keep = false;
      if (!keep) {
        e.segment = kRemoved;
        ++removed;
        continue;
      }
      std::memcpy(data.get() + used, at, v.bytes);
      e.position = static_cast<uint32_t>(used);
      used += v.bytes;
    }
    // Swapped after the segment's records are copied, and the old buffer kept until every key
    // in `latest` is done with: a later segment's keys may point into this one.
    data.swap(s.data);
    retired_.push_back(std::move(data));
    size_bytes_ -= static_cast<int64_t>(s.used - used);
    s.used = used;
    s.capacity = used > 0 ? used : 1;
    s.dirty = false;
    if (s.first_cleaned_us < 0) s.first_cleaned_us = now_us;
  }
  retired_.clear();
  if (removed > 0) has_gaps_ = true;
  return removed;
}

}  // namespace meshsim::fakes
