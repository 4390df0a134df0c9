#include "sim/domains/recommendations.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "sim/codec.h"
#include "sim/topics.h"

namespace meshsim {

// One consumer function. A batch is decoded once into a plan of recommender calls — PutEvents
// grouped by user and session (at most 10 events, order within a user kept), PutItems and
// PutUsers in runs of at most 10 — and the calls go one at a time, as a Lambda handler awaiting
// each would. A record that does not decode is dead-lettered while planning.
class RecommendationsDomain::Function {
 public:
  Function(RecommendationsDomain& domain, std::string topic)
      : d_(domain), topic_(std::move(topic)), counts_(domain.metrics_.topic(topic_)) {}

  void Handle(const KafkaBatch& batch, std::function<void(Status)> done) {
    if (batch.attempt == 0) counts_.delivered += batch.records.size();
    auto run = std::make_shared<Run>();
    run->batch = &batch;
    run->done = std::move(done);
    Plan(batch, run.get());
    run->finished.assign(run->calls.size(), 0);
    // A retried batch skips the calls that already went through, so nothing counts twice (the
    // plan of one batch is the same every time).
    if (auto it = resume_.find(ResumeKey(batch)); it != resume_.end()) {
      run->finished = std::move(it->second);
      resume_.erase(it);
    }
    Launch(run);
  }

  void OnFailure(const KafkaBatch& batch, const Status& status) {
    for (const auto& r : batch.records) Reject(r, "handler", status.ToString());
  }

 private:
  struct Call {
    std::vector<size_t> records;    // indices into the batch, in the call's order
    std::vector<std::string> keys;  // the records' distinct keys: calls sharing one keep order
    PutEventsRequest events;
    PutUsersRequest users;
    PutItemsRequest items;
  };
  struct Run {
    const KafkaBatch* batch;  // owned by the mapping until `done` runs
    std::function<void(Status)> done;
    std::vector<Call> calls;
    std::vector<char> finished;  // per call: applied or rejected
    size_t next = 0;             // the next call to launch, in plan order
    size_t in_flight = 0;
    Status failure;  // a retriable error: launch nothing more, then fail the batch
    bool ended = false;
    std::unordered_map<std::string, int> busy;  // keys of calls in flight
  };
  static std::pair<TopicPartition, int64_t> ResumeKey(const KafkaBatch& batch) {
    return {batch.tp, batch.records.empty() ? -1 : batch.records.front().offset};
  }

  void Reject(const ConsumedRecord& r, const char* stage, std::string reason) {
    ++counts_.rejected;
    ++counts_.rejected_after_produce;
    d_.metrics_.AddDeadLetter(
        {topic_, stage, std::move(reason), r.key, r.value, d_.runtime_.NowMicros()});
  }

  void Plan(const KafkaBatch& batch, Run* run) {
    const auto& records = batch.records;
    if (topic_ == kInteractionsTopic) {
      // The open call of each (user, session); a full call closes and the next event opens one.
      std::unordered_map<std::string, size_t> open;
      for (size_t i = 0; i < records.size(); ++i) {
        if (!DecodeInteraction(records[i].value, &scratch_interaction_)) {
          if (batch.attempt == 0) {
            Reject(records[i], "decode", "SerializationException: not an Interaction record");
          }
          continue;
        }
        std::string group = scratch_interaction_.user_id;
        group += '\0';
        group += scratch_interaction_.session_id;
        auto it = open.find(group);
        if (it == open.end() ||
            run->calls[it->second].events.event_list.size() >= kMaxEventsPerPutEvents) {
          Call& call = run->calls.emplace_back();
          call.events.tracking_id = d_.config_.tracking_id;
          call.events.user_id = scratch_interaction_.user_id;
          call.events.session_id = scratch_interaction_.session_id;
          it = open.insert_or_assign(std::move(group), run->calls.size() - 1).first;
        }
        Call& call = run->calls[it->second];
        call.records.push_back(i);
        if (call.keys.empty()) call.keys.push_back(call.events.user_id);
        Event& e = call.events.event_list.emplace_back();
        e.event_id = scratch_interaction_.event_id;
        e.event_type = scratch_interaction_.event_type;
        e.item_id = scratch_interaction_.item_id;
        e.sent_at_us = scratch_interaction_.timestamp_us;
      }
      return;
    }
    const bool users = topic_ == kUsersTopic;
    const size_t limit = users ? kMaxRecordsPerPutUsers : kMaxRecordsPerPutItems;
    for (size_t i = 0; i < records.size(); ++i) {
      if (users ? !DecodeUser(records[i].value, &scratch_user_)
                : !DecodeItem(records[i].value, &scratch_item_)) {
        if (batch.attempt == 0) {
          Reject(records[i], "decode", "SerializationException: not a " + topic_ + " record");
        }
        continue;
      }
      if (run->calls.empty() || run->calls.back().records.size() >= limit) {
        Call& call = run->calls.emplace_back();
        call.users.dataset_arn = d_.config_.users_dataset_arn;
        call.items.dataset_arn = d_.config_.items_dataset_arn;
      }
      Call& call = run->calls.back();
      call.records.push_back(i);
      if (records[i].key &&
          std::find(call.keys.begin(), call.keys.end(), *records[i].key) == call.keys.end()) {
        call.keys.push_back(*records[i].key);
      }
      if (users) {
        call.users.users.push_back(
            User{scratch_user_.user_id,
                 {{"GENRES", scratch_user_.genres},
                  {"CREATION_TIMESTAMP", std::to_string(scratch_user_.created_us / 1'000'000)}}});
      } else {
        call.items.items.push_back(
            Item{scratch_item_.item_id,
                 {{"ITEM_TYPE", std::string(ItemTypeName(scratch_item_.type))},
                  {"GENRE", scratch_item_.genre},
                  {"CREATION_TIMESTAMP", std::to_string(scratch_item_.created_us / 1'000'000)}}});
      }
    }
  }

  // Launches planned calls in order while fewer than `concurrent_calls` are in flight and the
  // next call shares no key with one in flight (order per key holds); finishes the batch when
  // every call has come back.
  void Launch(const std::shared_ptr<Run>& run) {
    const auto limit = static_cast<size_t>(d_.config_.consumers.concurrent_calls);
    while (run->failure.ok() && run->next < run->calls.size() && run->in_flight < limit) {
      const size_t index = run->next;
      Call& call = run->calls[index];
      if (run->finished[index]) {
        ++run->next;
        continue;
      }
      bool blocked = false;
      for (const auto& key : call.keys) blocked = blocked || run->busy.count(key) > 0;
      if (blocked) break;
      for (const auto& key : call.keys) ++run->busy[key];
      ++run->in_flight;
      ++run->next;
      Send(run, index);
    }
    if (run->ended || run->in_flight > 0) return;
    if (run->failure.ok() && run->next < run->calls.size()) return;
    run->ended = true;
    if (!run->failure.ok()) {
      resume_[ResumeKey(*run->batch)] = run->finished;
      run->done(run->failure);  // retriable: the mapping retries the batch
    } else {
      run->done(Status::Ok());
    }
  }

  void Send(const std::shared_ptr<Run>& run, size_t index) {
    Call& call = run->calls[index];
    auto on_reply = [this, run, index](Result<Recommender::Empty> reply) {
      const Call& c = run->calls[index];
      const auto& records = run->batch->records;
      --run->in_flight;
      for (const auto& key : c.keys) {
        if (--run->busy[key] == 0) run->busy.erase(key);
      }
      if (reply.ok()) {
        const int64_t now = d_.runtime_.NowMicros();
        counts_.applied += c.records.size();
        for (size_t i : c.records) {
          d_.metrics_.RecordApplied(topic_,
                                    Trace{ProducedMicros(records[i]), records[i].append_time_us,
                                          run->batch->delivered_us, now});
        }
        run->finished[index] = 1;
      } else if (reply.status().code() == Code::kThrottling ||
                 reply.status().code() == Code::kInternal) {
        if (run->failure.ok()) run->failure = reply.status();
      } else {
        for (size_t i : c.records) Reject(records[i], "apply", reply.status().ToString());
        run->finished[index] = 1;
      }
      Launch(run);
    };
    if (topic_ == kInteractionsTopic) {
      d_.recommender_.PutEvents(std::move(call.events), std::move(on_reply));
    } else if (topic_ == kUsersTopic) {
      d_.recommender_.PutUsers(std::move(call.users), std::move(on_reply));
    } else {
      d_.recommender_.PutItems(std::move(call.items), std::move(on_reply));
    }
  }

  RecommendationsDomain& d_;
  std::string topic_;
  TopicCounts& counts_;
  // A batch that failed part-way -> which of its calls went through.
  std::map<std::pair<TopicPartition, int64_t>, std::vector<char>> resume_;
  Interaction scratch_interaction_;  // reused: decoding allocates only when a field grows
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
    auto mapping = std::make_unique<EventSourceMapping>(
        runtime_, stream_, std::move(c),
        [f](const KafkaBatch& b, std::function<void(Status)> done) {
          f->Handle(b, std::move(done));
        },
        [f](const KafkaBatch& b, const Status& s) { f->OnFailure(b, s); });
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
