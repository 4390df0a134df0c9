#include "sim/domains/recommendations.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "sim/core/sim_epoch.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/schema_serde.h"

namespace meshsim {
namespace {

// Personalize's CREATION_TIMESTAMP: Unix seconds (the simulation's time 0 is the scenario epoch).
std::string UnixSeconds(int64_t sim_us) { return std::to_string(SimUnixSeconds(sim_us)); }

}  // namespace

// One consumer function. A batch is decoded once into a plan of recommender calls — PutEvents
// grouped by consecutive runs of a user's session (at most 10 events; a user's calls in offset
// order, so order per key holds), PutItems and
// PutUsers in runs of at most 10 — and the calls go one at a time, as a Lambda handler awaiting
// each would. A record that does not decode is dead-lettered while planning.
class RecommendationsDomain::Function {
 public:
  Function(RecommendationsDomain& domain, std::string topic)
      : d_(domain),
        topic_(std::move(topic)),
        counts_(domain.metrics_.topic(topic_)),
        serde_(*domain.config_.registry, ParseBaseSchema(TopicSchemaJson(topic_))) {}

  void Handle(const KafkaBatch& batch, std::function<void(Status)> done) {
    Ledger& ledger = LedgerOf(batch.tp.partition);
    for (const auto& r : batch.records) {
      if (r.offset >= ledger.delivered_below) ++counts_.delivered;  // a redelivery counts once
    }
    if (!batch.records.empty()) {
      ledger.delivered_below = std::max(ledger.delivered_below, batch.records.back().offset + 1);
    }
    Run* run = TakeRun();
    run->batch = &batch;
    run->done = std::move(done);
    Plan(batch, run);
    Launch(run);
  }

  // The on-failure destination: every record of the batch not yet applied or dead-lettered.
  void OnFailure(const KafkaBatch& batch, const Status& status) {
    for (const auto& r : batch.records) {
      if (!Settled(batch.tp.partition, r.offset))
        Reject(batch.tp.partition, r, "handler", status.ToString());
    }
    SettleThrough(batch);
  }

 private:
  struct Run;
  struct Call {
    Run* run = nullptr;
    int attempts = 0;             // sends after a throttle
    uint64_t group = 0;           // PutEvents: a hash of the user, to scan by
    std::vector<size_t> records;  // indices into the batch, in the call's order
    // Hashes of the records' distinct keys: calls sharing one keep order. Two keys that collide
    // only make their calls wait for each other, which keeps order all the same.
    std::vector<uint64_t> keys;
    PutEventsRequest events;
    PutUsersRequest users;
    PutItemsRequest items;
  };
  // One batch's calls. Runs are pooled per function and their calls kept between batches, so a
  // batch reuses the vectors and strings of an earlier one instead of allocating its own.
  struct Run {
    const KafkaBatch* batch = nullptr;  // owned by the mapping until `done` runs
    std::function<void(Status)> done;
    std::vector<Call> calls;  // [0, planned) in use; the rest kept for reuse
    size_t planned = 0;
    size_t next = 0;  // the next call to launch, in plan order
    size_t in_flight = 0;
    Status failure;  // a retriable error: launch nothing more, then fail the batch
    bool ended = false;
    bool launching = false;  // Launch is on the stack: a reply arriving inline only asks again
    bool relaunch = false;
    std::vector<uint64_t> busy;  // keys of calls in flight

    // A call at the end of the plan, emptied.
    Call& AddCall() {
      if (planned == calls.size()) calls.emplace_back();
      Call& c = calls[planned++];
      c.run = this;
      c.attempts = 0;
      c.records.clear();
      c.keys.clear();
      c.events.event_list.clear();
      c.users.users.clear();
      c.items.items.clear();
      return c;
    }
    bool Busy(uint64_t key) const { return std::find(busy.begin(), busy.end(), key) != busy.end(); }
  };

  // The AWS SDKs' standard retry mode: 3 attempts in all; the backoff here doubles from 100 ms
  // without jitter, so a run stays deterministic.
  static constexpr int kSdkMaxAttempts = 3;
  static constexpr int64_t kSdkBaseBackoffUs = 100'000;

  static uint64_t KeyHash(std::string_view key) { return std::hash<std::string_view>{}(key); }

  Run* TakeRun() {
    Run* run;
    if (free_runs_.empty()) {
      runs_.push_back(std::make_unique<Run>());
      run = runs_.back().get();
    } else {
      run = free_runs_.back();
      free_runs_.pop_back();
    }
    run->planned = run->next = run->in_flight = 0;
    run->failure = Status::Ok();
    run->ended = run->launching = run->relaunch = false;
    run->busy.clear();
    return run;
  }

  // Per partition, which records are settled (applied or dead-lettered), so that a record
  // delivered again — a retried batch, a consumer restarted before it committed — is counted,
  // applied and dead-lettered once.
  struct Ledger {
    int64_t delivered_below = 0;  // `delivered` counted for every offset under this
    int64_t settled_below = 0;    // every offset under this is settled (the batch committed)
    // Settled offsets at or above settled_below, as flags for [flags_base, flags_base + size):
    // a batch's offsets are contiguous, so a set's node per record buys nothing.
    int64_t flags_base = 0;
    std::vector<char> flags;

    bool Flagged(int64_t offset) const {
      return offset >= flags_base && offset - flags_base < static_cast<int64_t>(flags.size()) &&
             flags[static_cast<size_t>(offset - flags_base)];
    }
    // Flags `offset`; false if it already was.
    bool Flag(int64_t offset) {
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
    // Forgets the flags below settled_below.
    void Trim() {
      if (settled_below <= flags_base) return;
      const int64_t drop = settled_below - flags_base;
      if (drop >= static_cast<int64_t>(flags.size())) {
        flags.clear();
      } else {
        flags.erase(flags.begin(), flags.begin() + drop);
      }
      flags_base = settled_below;
    }
  };
  Ledger& LedgerOf(int32_t partition) {
    if (static_cast<size_t>(partition) >= ledgers_.size()) {
      ledgers_.resize(static_cast<size_t>(partition) + 1);
    }
    return ledgers_[static_cast<size_t>(partition)];
  }
  bool Settled(int32_t partition, int64_t offset) {
    const Ledger& l = LedgerOf(partition);
    return offset < l.settled_below || l.Flagged(offset);
  }
  // Marks a record settled; false if it already was.
  bool Settle(int32_t partition, int64_t offset) {
    Ledger& l = LedgerOf(partition);
    return offset >= l.settled_below && l.Flag(offset);
  }
  void SettleThrough(const KafkaBatch& batch) {
    if (batch.records.empty()) return;
    Ledger& l = LedgerOf(batch.tp.partition);
    l.settled_below = std::max(l.settled_below, batch.records.back().offset + 1);
    l.Trim();
  }

  // The invariant "order per key kept", checked independently of the scheduling that keeps it:
  // a key's records must be applied in offset order.
  void CheckOrder(int32_t partition, const ConsumedRecord& r) {
    if (!r.key) return;
    int64_t& last = last_applied_.At(KeyHash(*r.key) * 31 + static_cast<uint64_t>(partition));
    if (r.offset < last) {
      ++counts_.applied_out_of_order;
    } else {
      last = r.offset;
    }
  }

  // The last applied offset by key hash (and partition), -1 before the first: open addressing
  // over 16-byte slots at most half full, as a node-based map cost a pointer chase per record.
  // Two keys whose 64-bit hashes collide would share a slot; at thousands of keys that is a
  // chance of about 1e-12 per run.
  class LastOffsets {
   public:
    int64_t& At(uint64_t key) {
      if (key == 0) key = 1;  // 0 marks a free slot
      if ((size_ + 1) * 2 > slots_.size()) Grow();
      const size_t mask = slots_.size() - 1;
      for (size_t i = key & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.key == key) return slot.offset;
        if (slot.key == 0) {
          slot = Slot{key, -1};
          ++size_;
          return slot.offset;
        }
      }
    }

   private:
    struct Slot {
      uint64_t key = 0;
      int64_t offset = -1;
    };
    void Grow() {
      std::vector<Slot> old = std::move(slots_);
      slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
      size_ = 0;
      for (const Slot& slot : old) {
        if (slot.key != 0) At(slot.key) = slot.offset;
      }
    }
    std::vector<Slot> slots_;
    size_t size_ = 0;
  };

  void Reject(int32_t partition, const ConsumedRecord& r, const char* stage, std::string reason) {
    if (!Settle(partition, r.offset)) return;
    ++counts_.rejected;
    ++counts_.rejected_after_produce;
    d_.metrics_.AddDeadLetter(
        {topic_, stage, std::move(reason), r.key, r.value, d_.runtime_.NowMicros()});
  }

  // The record's value in this function's reader schema; false once it is dead-lettered because
  // it cannot be read (not a Glue record, an unknown schema version, a schema it cannot resolve).
  bool Read(int32_t partition, const ConsumedRecord& r, std::string_view* payload) {
    auto read = serde_.Deserialize(r.value, &resolved_);
    if (!read.ok()) {
      Reject(partition, r, "decode", "SerializationException: " + read.status().message());
      return false;
    }
    *payload = *read;
    return true;
  }

  void Plan(const KafkaBatch& batch, Run* run) {
    const auto& records = batch.records;
    if (topic_ == kInteractionsTopic) {
      // A batch holds at most batch_size calls, so a scan back for the user's latest is cheap.
      for (size_t i = 0; i < records.size(); ++i) {
        // Settled on an earlier delivery (a retried batch, a restarted consumer): no call again.
        if (Settled(batch.tp.partition, records[i].offset)) continue;
        std::string_view payload;
        if (!Read(batch.tp.partition, records[i], &payload)) continue;
        if (!DecodeInteraction(payload, &view_)) {
          Reject(batch.tp.partition, records[i], "decode",
                 "SerializationException: not an Interaction record");
          continue;
        }
        // A record joins its user's latest call if that call is for the same session and not
        // full; otherwise it opens a call. Never an earlier call of the user: a user's calls go
        // in plan order, so joining one behind a later call would apply the user's (the key's)
        // records out of order.
        const uint64_t user = KeyHash(view_.user_id);
        Call* open = nullptr;
        for (size_t c = run->planned; c-- > 0;) {
          Call& candidate = run->calls[c];
          if (candidate.group == user && candidate.events.user_id == view_.user_id) {
            if (candidate.events.session_id == view_.session_id) open = &candidate;
            break;
          }
        }
        if (open == nullptr || open->events.event_list.size() >= kMaxEventsPerPutEvents) {
          open = &run->AddCall();
          open->group = user;
          open->events.tracking_id = d_.config_.tracking_id;
          open->events.user_id = view_.user_id;
          open->events.session_id = view_.session_id;
        }
        Call& call = *open;
        call.records.push_back(i);
        if (call.keys.empty()) call.keys.push_back(user);
        Event& e = call.events.event_list.emplace_back();
        e.event_id = view_.event_id;
        e.event_type = view_.event_type;
        e.item_id = view_.item_id;
        e.sent_at_us = view_.timestamp_us;
      }
      return;
    }
    const bool users = topic_ == kUsersTopic;
    const size_t limit = users ? kMaxRecordsPerPutUsers : kMaxRecordsPerPutItems;
    for (size_t i = 0; i < records.size(); ++i) {
      if (Settled(batch.tp.partition, records[i].offset)) continue;
      std::string_view payload;
      if (!Read(batch.tp.partition, records[i], &payload)) continue;
      if (users ? !DecodeUser(payload, &scratch_user_) : !DecodeItem(payload, &scratch_item_)) {
        Reject(batch.tp.partition, records[i], "decode",
               "SerializationException: not a " + topic_ + " record");
        continue;
      }
      if (run->planned == 0 || run->calls[run->planned - 1].records.size() >= limit) {
        Call& call = run->AddCall();
        call.users.dataset_arn = d_.config_.users_dataset_arn;
        call.items.dataset_arn = d_.config_.items_dataset_arn;
      }
      Call& call = run->calls[run->planned - 1];
      call.records.push_back(i);
      if (records[i].key) {
        const uint64_t key = KeyHash(*records[i].key);
        if (std::find(call.keys.begin(), call.keys.end(), key) == call.keys.end()) {
          call.keys.push_back(key);
        }
      }
      if (users) {
        call.users.users.push_back(
            User{scratch_user_.user_id,
                 {{"GENRES", scratch_user_.genres},
                  {"CREATION_TIMESTAMP", UnixSeconds(scratch_user_.created_us)}}});
      } else {
        call.items.items.push_back(
            Item{scratch_item_.item_id,
                 {{"ITEM_TYPE", std::string(ItemTypeName(scratch_item_.type))},
                  {"GENRE", scratch_item_.genre},
                  {"CREATION_TIMESTAMP", UnixSeconds(scratch_item_.created_us)}}});
      }
    }
  }

  // Launches planned calls in order while fewer than `concurrent_calls` are in flight and the
  // next call shares no key with one in flight (order per key holds); finishes the batch when
  // every call has come back.
  void Launch(Run* run) {
    if (run->launching) {  // a reply that arrived inline: the loop below picks it up
      run->relaunch = true;
      return;
    }
    run->launching = true;
    const auto limit = static_cast<size_t>(d_.config_.consumers.concurrent_calls);
    const int32_t partition = run->batch->tp.partition;
    do {
      run->relaunch = false;
      while (run->failure.ok() && run->next < run->planned && run->in_flight < limit) {
        const size_t index = run->next;
        Call& call = run->calls[index];
        // A call whose records are all settled went through on an earlier delivery.
        bool settled = true;
        for (size_t i : call.records) {
          settled = settled && Settled(partition, run->batch->records[i].offset);
        }
        if (settled) {
          ++run->next;
          continue;
        }
        // One call at a time keeps order per key by itself; only overlapping calls track keys.
        if (limit > 1) {
          bool blocked = false;
          for (uint64_t key : call.keys) blocked = blocked || run->Busy(key);
          if (blocked) break;
          run->busy.insert(run->busy.end(), call.keys.begin(), call.keys.end());
        }
        ++run->in_flight;
        ++run->next;
        Send(call);
      }
    } while (run->relaunch);
    run->launching = false;
    if (run->ended || run->in_flight > 0) return;
    if (run->failure.ok() && run->next < run->planned) return;
    run->ended = true;
    // The run goes back to the pool before `done`, which may start the next batch at once.
    auto done = std::move(run->done);
    run->done = nullptr;
    const Status failure = run->failure;
    const KafkaBatch& batch = *run->batch;
    free_runs_.push_back(run);
    if (!failure.ok()) {
      done(failure);  // retriable: the mapping retries the batch
    } else {
      SettleThrough(batch);
      done(Status::Ok());
    }
  }

  void Send(Call& call) {
    // Captures two pointers: std::function keeps that inline, so a call allocates nothing.
    auto on_reply = [this, &call](Result<Recommender::Empty> reply) {
      // Throttled: retried as the AWS SDKs retry (exponential backoff, kSdkMaxAttempts in all)
      // while the call stays in flight and its keys busy; past that the batch fails and the
      // event-source mapping retries it.
      if (!reply.ok() && reply.status().code() == Code::kThrottling &&
          call.attempts + 1 < kSdkMaxAttempts) {
        const int64_t backoff = kSdkBaseBackoffUs << call.attempts;
        ++call.attempts;
        ++d_.throttled_retries_;
        d_.runtime_.ScheduleAfter(backoff, [this, &call] { Send(call); });
        return;
      }
      const Call& c = call;
      Run* run = c.run;
      const auto& records = run->batch->records;
      --run->in_flight;
      if (!run->busy.empty()) {
        for (uint64_t key : c.keys) {
          auto it = std::find(run->busy.begin(), run->busy.end(), key);
          if (it != run->busy.end()) run->busy.erase(it);
        }
      }
      const int32_t partition = run->batch->tp.partition;
      if (reply.ok()) {
        const int64_t now = d_.runtime_.NowMicros();
        for (size_t i : c.records) {
          if (!Settle(partition, records[i].offset)) continue;  // applied on an earlier delivery
          ++counts_.applied;
          CheckOrder(partition, records[i]);
          d_.metrics_.RecordApplied(topic_,
                                    Trace{ProducedMicros(records[i]), records[i].append_time_us,
                                          run->batch->delivered_us, now});
        }
      } else if (reply.status().code() == Code::kThrottling ||
                 reply.status().code() == Code::kInternal) {
        if (run->failure.ok()) run->failure = reply.status();
      } else {
        for (size_t i : c.records) {
          Reject(partition, records[i], "apply", reply.status().ToString());
        }
      }
      Launch(run);
    };
    if (topic_ == kInteractionsTopic) {
      d_.recommender_.PutEvents(call.events, std::move(on_reply));
    } else if (topic_ == kUsersTopic) {
      d_.recommender_.PutUsers(call.users, std::move(on_reply));
    } else {
      d_.recommender_.PutItems(call.items, std::move(on_reply));
    }
  }

  RecommendationsDomain& d_;
  std::string topic_;
  TopicCounts& counts_;
  std::vector<Ledger> ledgers_;             // by partition
  LastOffsets last_applied_;                // by key and partition: its last applied offset
  std::vector<std::unique_ptr<Run>> runs_;  // every run, pooled
  std::vector<Run*> free_runs_;
  RecordDeserializer serde_;
  std::string resolved_;  // a record resolved from another writer's schema
  InteractionView view_;  // the record being planned, in place
  UserProfile scratch_user_;
  CatalogItem scratch_item_;
};

RecommendationsDomain::RecommendationsDomain(Runtime& runtime, EventStream& stream,
                                             Recommender& recommender, Metrics& metrics,
                                             RecommendationsConfig config)
    : runtime_(runtime),
      stream_(stream),
      recommender_(recommender),
      metrics_(metrics),
      config_(std::move(config)) {}

RecommendationsDomain::~RecommendationsDomain() { Stop(); }

Status RecommendationsDomain::Start() {
  if (!mappings_.empty()) return Status::Ok();
  static constexpr std::pair<const char*, const char*> kFunctions[] = {
      {kUsersTopic, "UsersUpdate"},
      {kSongsTopic, "SongsUpdate"},
      {kPodcastsTopic, "PodcastsUpdate"},
      {kInteractionsTopic, "InteractionsUpdate"}};
  for (const auto& [topic, name] : kFunctions) {
    auto fn = std::make_unique<Function>(*this, topic);
    Function* f = fn.get();
    EventSourceMappingConfig c;
    c.function_name = name;
    c.topic = topic;
    c.batch_size = config_.consumers.batch_size;
    c.batching_window_us = config_.consumers.batching_window_us;
    c.max_retries = config_.consumers.max_retries;
    c.invoke = config_.invoke;
    c.meter = config_.meter;
    auto mapping = std::make_unique<EventSourceMapping>(
        runtime_, stream_, std::move(c),
        [f](const KafkaBatch& b, std::function<void(Status)> done) {
          f->Handle(b, std::move(done));
        },
        [f](const KafkaBatch& b, const KafkaFailure& k) { f->OnFailure(b, k.error); });
    if (auto s = mapping->Start(); !s.ok()) {
      Stop();
      return s;
    }
    functions_.push_back(std::move(fn));
    mappings_.push_back(std::move(mapping));
  }
  return Status::Ok();
}

void RecommendationsDomain::Stop() {
  for (auto& m : mappings_) m->Stop();
}

bool RecommendationsDomain::Idle() const {
  for (const auto& m : mappings_) {
    if (!m->Idle()) return false;
  }
  return true;
}

}  // namespace meshsim
