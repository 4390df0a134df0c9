// The Analytics consumer domain: its InteractionsIngestor function reads the `interactions` topic
// (in its own consumer group, beside Recommendations) and keeps live trends — events per second by
// event type and the top items of each tumbling window — for the dashboard and the report.
//
// A batch is checked against the registry's schemas on the caller's thread, and counted on a
// worker thread of the domain's own (sim/core/ordered_worker.h): the function's answer never
// depends on the counts, and every read of them waits for the worker first, so what a read sees is
// what counting inline would have given.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/ordered_worker.h"
#include "sim/core/string_index.h"
#include "sim/ports/records.h"
#include "sim/ports/schema_registry.h"
#include "sim/scenario/scenario.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/schema_serde.h"
#include "sim/static_plane/product_access.h"
#include "sim/streaming/event_source_mapping.h"

namespace meshsim {

struct AnalyticsConfig {
  ConsumerSettings consumers;
  LatencyModel invoke;
  int64_t window_us = 60'000'000;  // tumbling window for top items. Default: 60 s.
  int64_t top_n = 10;
  // Where the records' writer schemas are looked up (sim/serde/schema_serde.h). REQUIRES: not null.
  const SchemaRegistry* registry = nullptr;
  ComputeMeter* meter = nullptr;  // times the function's fetches and batches. Default: none.
};

struct ItemCount {
  std::string item_id;
  uint64_t count = 0;
};

struct AnalyticsWindow {
  int64_t start_us = 0;
  uint64_t events = 0;
  std::vector<ItemCount> top_items;  // highest count first, ties by item id
};

// One read of the interaction history at rest (the interactions data product).
struct HistoryRead {
  int64_t at_us = 0;
  uint64_t rows = 0;
  std::vector<ItemCount> top_items;  // by rows per item, highest first, ties by item id
};

class AnalyticsDomain {
 public:
  AnalyticsDomain(Runtime& runtime, EventStream& stream, AnalyticsConfig config);
  Status Start();
  void Stop();
  bool Idle() const;
  // Returns once every batch handed over so far is counted, so a caller timing a run counts
  // that work in it.
  void WaitForWorker() { Drain(); }
  // The InteractionsIngestor's mapping (null before Start), for stopping and restarting it.
  EventSourceMapping* mapping() { return mapping_.get(); }
  const EventSourceMapping* mapping() const { return mapping_.get(); }

  uint64_t consumed() const {
    Drain();
    return consumed_;
  }
  uint64_t undecodable() const {
    Drain();
    return unresolved_ + undecodable_;
  }
  // A copy: the worker goes on writing the map while the simulation runs.
  std::map<std::string, uint64_t> by_event_type() const {
    Drain();
    return by_type_;
  }
  // Events per second of event time: the busiest second and the mean over seconds seen.
  uint64_t peak_events_per_second() const;
  double mean_events_per_second() const;
  // Every window seen so far, oldest first, with its top items (computed on demand).
  std::vector<AnalyticsWindow> Windows() const;
  // The top items of the window containing `at_us`, empty if none.
  AnalyticsWindow WindowAt(int64_t at_us) const;

  // Analytics reads the interaction history at rest as well as the live stream: the rows of a
  // read of the interactions data product, counted per item (its item_id column).
  void ReadHistory(const ProductData& data);
  const std::vector<HistoryRead>& history_reads() const { return history_reads_; }

 private:
  void Handle(const KafkaBatch& batch);
  // On the worker: counts the resolved payloads Handle packed into `buffer`.
  void Count(const std::vector<char>& buffer);
  void Drain() const { worker_.Drain(); }

  Runtime& runtime_;
  EventStream& stream_;
  AnalyticsConfig config_;
  std::unique_ptr<EventSourceMapping> mapping_;
  // The caller's: what Handle does before handing over.
  RecordDeserializer serde_;
  std::string resolved_;     // a record resolved from another writer's schema
  uint64_t unresolved_ = 0;  // records no registered schema could read
  std::vector<HistoryRead> history_reads_;

  // The worker's, and the caller's only after a Drain.
  uint64_t consumed_ = 0;
  uint64_t undecodable_ = 0;  // resolved, but not an interaction
  // Counters a record finds without a tree walk: events arrive in time order, so the current
  // second and window are the last ones used, and there are only a few event types.
  uint64_t& CountOfType(std::string_view type);
  uint64_t& CountOfSecond(int64_t second);
  std::vector<uint32_t>& CountsOfWindow(int64_t index);

  std::map<std::string, uint64_t> by_type_;
  std::vector<std::pair<std::string, uint64_t*>> type_counters_;  // into by_type_'s nodes
  std::map<int64_t, uint64_t> per_second_;
  int64_t last_second_ = -1;
  uint64_t* last_second_count_ = nullptr;
  StringIndex item_ids_;
  std::map<int64_t, std::vector<uint32_t>> windows_;  // by window index: counts by item index
  int64_t last_window_ = -1;
  std::vector<uint32_t>* last_window_counts_ = nullptr;
  InteractionView view_;  // the record being counted, in place

  // Last: it starts once every other member exists, and stops before any goes. Mutable: a read
  // that waits for it changes nothing it can see.
  static constexpr size_t kBufferBytes = size_t{1} << 18;
  static constexpr size_t kMaxQueuedBuffers = 64;
  mutable OrderedWorker worker_{[this](const std::vector<char>& buffer) { Count(buffer); },
                                kBufferBytes, kMaxQueuedBuffers};
};

}  // namespace meshsim
