#include "sim/domains/analytics.h"

#include <algorithm>

#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {

AnalyticsDomain::AnalyticsDomain(Runtime& runtime, EventStream& stream, AnalyticsConfig config)
    : runtime_(runtime),
      stream_(stream),
      config_(std::move(config)),
      serde_(*config_.registry, ParseBaseSchema(InteractionSchemaJson())) {}

Status AnalyticsDomain::Start() {
  if (mapping_) return Status::Ok();
  EventSourceMappingConfig c;
  c.function_name = "InteractionsIngestor";
  c.topic = kInteractionsTopic;
  c.batch_size = config_.consumers.batch_size;
  c.batching_window_us = config_.consumers.batching_window_us;
  c.max_retries = config_.consumers.max_retries;
  c.invoke = config_.invoke;
  c.meter = config_.meter;
  mapping_ = std::make_unique<EventSourceMapping>(
      runtime_, stream_, std::move(c),
      [this](const KafkaBatch& b, std::function<void(Status)> done) {
        if (serde_.Known(b.records)) {
          Handle(b);
          done(Status::Ok());
          return;
        }
        // A writer version not seen yet: asked of the registry without blocking the runtime.
        serde_.Resolve(b.records, [this, &b, done = std::move(done)] {
          Handle(b);
          done(Status::Ok());
        });
      },
      [](const KafkaBatch&, const KafkaFailure&) {});  // Handle never fails
  auto s = mapping_->Start();
  if (!s.ok()) mapping_.reset();
  return s;
}

void AnalyticsDomain::Stop() {
  if (mapping_) mapping_->Stop();
}

bool AnalyticsDomain::Idle() const { return !mapping_ || mapping_->Idle(); }

void AnalyticsDomain::Handle(const KafkaBatch& batch) {
  std::vector<char>& out = worker_.buffer();
  for (const auto& r : batch.records) {
    auto payload = serde_.Deserialize(r.value, &resolved_);
    if (!payload.ok()) {
      ++unresolved_;
      continue;
    }
    OrderedWorker::PutString(out, *payload);
  }
  worker_.Filled();
}

void AnalyticsDomain::Count(const std::vector<char>& buffer) {
  const char* p = buffer.data();
  const char* const end = p + buffer.size();
  while (p < end) {
    if (!DecodeInteraction(OrderedWorker::GetString(p), &view_)) {
      ++undecodable_;
      continue;
    }
    ++consumed_;
    ++CountOfType(view_.event_type);
    ++CountOfSecond(view_.timestamp_us / kMicrosPerSecond);
    std::vector<uint32_t>& counts = CountsOfWindow(view_.timestamp_us / config_.window_us);
    const uint32_t item = item_ids_.Intern(view_.item_id);
    if (item >= counts.size()) counts.resize(item_ids_.size(), 0);
    ++counts[item];
  }
}

uint64_t& AnalyticsDomain::CountOfType(std::string_view type) {
  for (auto& [name, count] : type_counters_) {
    if (name == type) return *count;
  }
  uint64_t* count = &by_type_[std::string(type)];  // map nodes do not move
  type_counters_.emplace_back(type, count);
  return *count;
}

uint64_t& AnalyticsDomain::CountOfSecond(int64_t second) {
  if (second != last_second_) {
    last_second_ = second;
    last_second_count_ = &per_second_[second];
  }
  return *last_second_count_;
}

std::vector<uint32_t>& AnalyticsDomain::CountsOfWindow(int64_t index) {
  if (index != last_window_) {
    last_window_ = index;
    last_window_counts_ = &windows_[index];
  }
  return *last_window_counts_;
}

uint64_t AnalyticsDomain::peak_events_per_second() const {
  Drain();
  uint64_t peak = 0;
  for (const auto& [second, n] : per_second_) peak = std::max(peak, n);
  return peak;
}

double AnalyticsDomain::mean_events_per_second() const {
  Drain();
  if (per_second_.empty()) return 0;
  const int64_t span = per_second_.rbegin()->first - per_second_.begin()->first + 1;
  return static_cast<double>(consumed_) / static_cast<double>(span);
}

namespace {

// The `top_n` highest counts of `all`, highest first, ties by item id.
std::vector<ItemCount> TopItems(std::vector<ItemCount> all, int64_t top_n) {
  auto by_count = [](const ItemCount& a, const ItemCount& b) {
    return a.count != b.count ? a.count > b.count : a.item_id < b.item_id;
  };
  const size_t k = std::min(all.size(), static_cast<size_t>(top_n));
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), by_count);
  all.resize(k);
  return all;
}

AnalyticsWindow Summarise(int64_t index, int64_t window_us, const std::vector<uint32_t>& counts,
                          const StringIndex& item_ids, int64_t top_n) {
  AnalyticsWindow w;
  w.start_us = index * window_us;
  std::vector<ItemCount> all;
  for (uint32_t item = 0; item < counts.size(); ++item) {
    if (counts[item] == 0) continue;
    w.events += counts[item];
    all.push_back({item_ids.name(item), counts[item]});
  }
  w.top_items = TopItems(std::move(all), top_n);
  return w;
}

}  // namespace

void AnalyticsDomain::ReadHistory(const ProductData& data) {
  HistoryRead& read = history_reads_.emplace_back();
  read.at_us = runtime_.NowMicros();
  read.rows = data.rows.size();
  size_t item_column = data.columns.size();
  for (size_t i = 0; i < data.columns.size(); ++i) {
    if (data.columns[i].name == "item_id") item_column = i;
  }
  if (item_column == data.columns.size()) return;
  std::map<std::string, uint64_t> by_item;
  for (const ProductRow& row : data.rows) ++by_item[row[item_column]];
  std::vector<ItemCount> all;
  for (auto& [item, n] : by_item) all.push_back({item, n});
  read.top_items = TopItems(std::move(all), config_.top_n);
}

std::vector<AnalyticsWindow> AnalyticsDomain::Windows() const {
  Drain();
  std::vector<AnalyticsWindow> out;
  for (const auto& [index, counts] : windows_) {
    out.push_back(Summarise(index, config_.window_us, counts, item_ids_, config_.top_n));
  }
  return out;
}

AnalyticsWindow AnalyticsDomain::WindowAt(int64_t at_us) const {
  Drain();
  const int64_t index = at_us / config_.window_us;
  auto it = windows_.find(index);
  if (it == windows_.end()) return AnalyticsWindow{index * config_.window_us, 0, {}};
  return Summarise(index, config_.window_us, it->second, item_ids_, config_.top_n);
}

}  // namespace meshsim
