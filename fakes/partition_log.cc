#include "fakes/partition_log.h"

#include <cstring>

namespace meshsim::fakes {
namespace {

constexpr uint32_t kNullKey = 0xffffffffu;

char* PutU32(char* p, uint32_t v) {
  std::memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

char* PutBytes(char* p, std::string_view s) {
  p = PutU32(p, static_cast<uint32_t>(s.size()));
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

const char* GetU32(const char* p, uint32_t* v) {
  std::memcpy(v, p, sizeof *v);
  return p + sizeof *v;
}

const char* GetBytes(const char* p, std::string* s) {
  uint32_t n = 0;
  p = GetU32(p, &n);
  s->assign(p, n);
  return p + n;
}

}  // namespace

char* PartitionLog::Reserve(size_t bytes, uint32_t* chunk, uint32_t* position) {
  if (chunks_.empty() || used_ + bytes > chunk_size_.back()) {
    const size_t size = bytes > kChunkBytes ? bytes : kChunkBytes;
    chunks_.push_back(std::make_unique<char[]>(size));
    chunk_size_.push_back(size);
    used_ = 0;
  }
  *chunk = static_cast<uint32_t>(chunks_.size() - 1);
  *position = static_cast<uint32_t>(used_);
  char* at = chunks_.back().get() + used_;
  used_ += bytes;
  return at;
}

int64_t PartitionLog::Append(int64_t timestamp_us, int64_t append_time_us,
                             const std::optional<std::string>& key, std::string_view value,
                             const std::vector<Header>& headers) {
  size_t bytes = 4 + (key ? key->size() : 0) + 4 + value.size() + 4;
  for (const auto& h : headers) bytes += 8 + h.key.size() + h.value.size();
  Entry e{0, 0, timestamp_us, append_time_us};
  char* p = Reserve(bytes, &e.chunk, &e.position);
  p = key ? PutBytes(p, *key) : PutU32(p, kNullKey);
  p = PutBytes(p, value);
  p = PutU32(p, static_cast<uint32_t>(headers.size()));
  for (const auto& h : headers) {
    p = PutBytes(p, h.key);
    p = PutBytes(p, h.value);
  }
  index_.push_back(e);
  return EndOffset() - 1;
}

void PartitionLog::Read(int64_t offset, ConsumedRecord* out) const {
  const Entry& e = index_[static_cast<size_t>(offset - log_start_)];
  out->offset = offset;
  out->timestamp_us = e.timestamp_us;
  out->append_time_us = e.append_time_us;
  const char* p = chunks_[e.chunk].get() + e.position;
  uint32_t key_size = 0;
  GetU32(p, &key_size);
  if (key_size == kNullKey) {
    out->key.reset();
    p += 4;
  } else {
    if (!out->key) out->key.emplace();
    p = GetBytes(p, &*out->key);
  }
  p = GetBytes(p, &out->value);
  uint32_t count = 0;
  p = GetU32(p, &count);
  out->headers.resize(count);
  for (auto& h : out->headers) {
    p = GetBytes(p, &h.key);
    p = GetBytes(p, &h.value);
  }
}

size_t PartitionLog::MemoryBytes() const {
  size_t bytes = index_.capacity() * sizeof(Entry);
  for (size_t size : chunk_size_) bytes += size;
  return bytes;
}

}  // namespace meshsim::fakes
