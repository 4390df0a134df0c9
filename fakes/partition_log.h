// One partition's log, stored compactly: each record's key, value and headers are serialised
// into 1 MiB chunks, with a 24-byte index entry per record (chunk, position, timestamps). A record
// costs its bytes plus ~40 bytes, instead of three heap objects (~300 bytes with malloc's
// overhead) as a vector of structs of strings would, and the log of a long run stays in memory
// without dragging the allocator down. Chunks are also the unit retention will drop.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/event_stream.h"

namespace meshsim::fakes {

class PartitionLog {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;

  // Appends a record; returns its offset.
  int64_t Append(int64_t timestamp_us, int64_t append_time_us,
                 const std::optional<std::string>& key, std::string_view value,
                 const std::vector<Header>& headers);

  // Fills `out`'s offset, timestamps, key, value and headers from the record at `offset`.
  // REQUIRES: log_start() <= offset < EndOffset().
  void Read(int64_t offset, ConsumedRecord* out) const;

  int64_t log_start() const { return log_start_; }
  int64_t EndOffset() const { return log_start_ + static_cast<int64_t>(index_.size()); }
  // Bytes held by the chunks and the index.
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint32_t chunk;
    uint32_t position;
    int64_t timestamp_us;
    int64_t append_time_us;
  };

  char* Reserve(size_t bytes, uint32_t* chunk, uint32_t* position);

  int64_t log_start_ = 0;
  std::vector<Entry> index_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<size_t> chunk_size_;  // capacity of each chunk (larger for an oversized record)
  size_t used_ = 0;                 // bytes used in the last chunk
};

}  // namespace meshsim::fakes
