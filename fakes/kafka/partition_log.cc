#include "fakes/kafka/partition_log.h"

#include <algorithm>

#include "fakes/kafka/log_record_format.h"

namespace meshsim::fakes {

char* PartitionLog::Reserve(size_t bytes, uint32_t* segment, uint32_t* position) {
  if (segments_.empty() || segments_.back().used + bytes > segments_.back().capacity) {
    if (!segments_.empty()) ++rolls_;
    Segment& s = segments_.emplace_back();
    s.capacity = bytes > segment_bytes_ ? bytes : segment_bytes_;
    // Not zeroed: untouched pages of a large segment cost nothing until written.
    s.data = std::make_unique_for_overwrite<char[]>(s.capacity);
    s.base_offset = EndOffset();
  }
  Segment& s = segments_.back();
  *segment = first_segment_ + static_cast<uint32_t>(segments_.size() - 1);
  *position = static_cast<uint32_t>(s.used);
  char* at = s.data.get() + s.used;
  s.used += bytes;
  size_bytes_ += static_cast<int64_t>(bytes);
  return at;
}

int64_t PartitionLog::Append(int64_t timestamp_us, int64_t append_time_us,
                             const std::optional<std::string>& key, std::string_view value,
                             const std::vector<Header>& headers, bool null_value) {
  const RecordEncoder record(key, value, headers, null_value, header_keys_);
  Entry e{0, 0, timestamp_us, append_time_us};
  record.Write(Reserve(record.Size(), &e.segment, &e.position));
  Segment& s = segments_.back();
  if (timestamp_us > s.max_timestamp_us) s.max_timestamp_us = timestamp_us;
  index_.push_back(e);
  return EndOffset() - 1;
}

void PartitionLog::Read(int64_t offset, ConsumedRecord* out) const {
  const Entry& e = EntryAt(offset);
  out->offset = offset;
  out->timestamp_us = e.timestamp_us;
  out->append_time_us = e.append_time_us;
  DecodeRecord(DataOf(e), header_keys_, out);
}

int64_t PartitionLog::OffsetForTime(int64_t timestamp_us) const {
  // Timestamps need not increase, so the answer is in the first segment whose newest record is
  // late enough (as Kafka's time index finds it), at its first such record.
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    if (s.max_timestamp_us < timestamp_us) continue;
    for (int64_t o = std::max(s.base_offset, log_start_); o < SegmentEnd(i); ++o) {
      const Entry& e = EntryAt(o);
      if (e.segment != kRemoved && e.timestamp_us >= timestamp_us) return o;
    }
  }
  return EndOffset();
}

size_t PartitionLog::MemoryBytes() const {
  size_t bytes = index_.capacity() * sizeof(Entry);
  for (const Segment& s : segments_) bytes += s.capacity;
  return bytes;
}

void PartitionLog::TrimIndex() {
  const auto dead = static_cast<size_t>(log_start_ - index_base_);
  if (dead == 0 || dead < index_.size() / 2) return;
  index_.erase(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(dead));
  index_base_ = log_start_;
}

}  // namespace meshsim::fakes
