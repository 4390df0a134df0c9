#include "sim/domains/recommender_calls.h"

#include <algorithm>

#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

// The AWS SDKs' standard retry mode: 3 attempts in all; the backoff here doubles from 100 ms
// without jitter, so a run stays deterministic.
constexpr int kSdkMaxAttempts = 3;
constexpr int64_t kSdkBaseBackoffUs = 100'000;

bool Contains(const std::vector<uint64_t>& keys, uint64_t key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

template <class Request>
RecommenderCalls<Request>::RecommenderCalls(const FunctionContext& context, std::string topic)
    : context_(context),
      topic_(std::move(topic)),
      counts_(context.metrics.topic(topic_)),
      serde_(*context.config.registry, ParseBaseSchema(TopicSchemaJson(topic_))) {}

template <class Request>
void RecommenderCalls<Request>::Handle(const KafkaBatch& batch, std::function<void(Status)> done) {
  counts_.delivered += ledger_.Deliver(batch);  // a redelivery counts once
  if (!serde_.Known(batch.records)) {
    // A writer version not seen yet: asked of the registry without blocking the runtime.
    serde_.Resolve(batch.records, [this, &batch, done = std::move(done)]() mutable {
      Begin(batch, std::move(done));
    });
    return;
  }
  Begin(batch, std::move(done));
}

template <class Request>
void RecommenderCalls<Request>::Begin(const KafkaBatch& batch, std::function<void(Status)> done) {
  Run* run = TakeRun();
  run->batch = &batch;
  run->done = std::move(done);
  Plan(batch, *run);
  Launch(run);
}

template <class Request>
void RecommenderCalls<Request>::OnFailure(const KafkaBatch& batch, const Status& status) {
  for (const auto& r : batch.records) {
    if (!ledger_.Finished(batch.tp.partition, r.offset)) {
      Reject(batch.tp.partition, r, "handler", status.ToString());
    }
  }
  ledger_.FinishThrough(batch);
}

template <class Request>
typename RecommenderCalls<Request>::Call& RecommenderCalls<Request>::AddCall(Run& run) {
  if (run.planned == run.calls.size()) run.calls.emplace_back();
  Call& call = run.calls[run.planned++];
  call.run = &run;
  call.attempts = 0;
  call.records.clear();
  call.keys.clear();
  Open(call.request);
  return call;
}

template <class Request>
typename RecommenderCalls<Request>::Call& RecommenderCalls<Request>::JoinLastCall(Run& run,
                                                                                  size_t i,
                                                                                  size_t limit) {
  if (run.planned == 0 || run.calls[run.planned - 1].records.size() >= limit) AddCall(run);
  Call& call = run.calls[run.planned - 1];
  call.records.push_back(i);
  if (const auto& key = run.batch->records[i].key) {
    const uint64_t hash = KeyHash(*key);
    if (!Contains(call.keys, hash)) call.keys.push_back(hash);
  }
  return call;
}

template <class Request>
void RecommenderCalls<Request>::RejectUnreadable(const KafkaBatch& batch, size_t i,
                                                 std::string_view reason) {
  std::string message = "SerializationException: ";
  message.append(reason);
  Reject(batch.tp.partition, batch.records[i], "decode", std::move(message));
}

template <class Request>
bool RecommenderCalls<Request>::Read(int32_t partition, const ConsumedRecord& record,
                                     std::string_view* payload) {
  auto read = serde_.Deserialize(record.value, &resolved_);
  if (!read.ok()) {
    Reject(partition, record, "decode", "SerializationException: " + read.status().message());
    return false;
  }
  *payload = *read;
  return true;
}

template <class Request>
void RecommenderCalls<Request>::Reject(int32_t partition, const ConsumedRecord& record,
                                       const char* stage, std::string reason) {
  if (!ledger_.Finish(partition, record.offset)) return;
  ++counts_.rejected;
  ++counts_.rejected_after_produce;
  context_.metrics.AddDeadLetter(
      {topic_, stage, std::move(reason), record.key, record.value, context_.runtime.NowMicros()});
}

template <class Request>
typename RecommenderCalls<Request>::Run* RecommenderCalls<Request>::TakeRun() {
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

// Launches planned calls in order while fewer than `concurrent_calls` are in flight and the next
// call shares no key with one in flight (order per key holds); ends the batch when every call has
// come back.
template <class Request>
void RecommenderCalls<Request>::Launch(Run* run) {
  if (run->launching) {  // a reply that arrived inline: the loop below picks it up
    run->relaunch = true;
    return;
  }
  run->launching = true;
  const auto limit = static_cast<size_t>(context_.config.consumers.concurrent_calls);
  const int32_t partition = run->batch->tp.partition;
  do {
    run->relaunch = false;
    while (run->failure.ok() && run->next < run->planned && run->in_flight < limit) {
      Call& call = run->calls[run->next];
      // A call whose records are all finished went through on an earlier delivery.
      bool finished = true;
      for (size_t i : call.records) {
        finished = finished && ledger_.Finished(partition, run->batch->records[i].offset);
      }
      if (finished) {
        ++run->next;
        continue;
      }
      // One call at a time keeps order per key by itself; only overlapping calls track keys.
      if (limit > 1) {
        bool blocked = false;
        for (uint64_t key : call.keys) blocked = blocked || Contains(run->busy, key);
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
  End(run);
}

// Every call has come back, or the batch failed and the last call in flight has: `done`.
template <class Request>
void RecommenderCalls<Request>::End(Run* run) {
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
    ledger_.FinishThrough(batch);
    done(Status::Ok());
  }
}

template <class Request>
void RecommenderCalls<Request>::Send(Call& call) {
  // Captures two pointers: std::function keeps that inline, so a call allocates nothing.
  Put(call.request, [this, &call](Result<Recommender::Empty> reply) { OnReply(call, reply); });
}

template <class Request>
void RecommenderCalls<Request>::OnReply(Call& call, const Result<Recommender::Empty>& reply) {
  // Throttled: retried as the AWS SDKs retry (exponential backoff, kSdkMaxAttempts in all) while
  // the call stays in flight and its keys busy; past that the batch fails and the event-source
  // mapping retries it.
  const bool throttled = !reply.ok() && reply.status().code() == Code::kThrottling;
  if (throttled && call.attempts + 1 < kSdkMaxAttempts) {
    const int64_t backoff = kSdkBaseBackoffUs << call.attempts;
    ++call.attempts;
    ++context_.throttled_retries;
    context_.runtime.ScheduleAfter(backoff, [this, &call] { Send(call); });
    return;
  }
  Run* run = call.run;
  --run->in_flight;
  if (!run->busy.empty()) {
    for (uint64_t key : call.keys) {
      auto it = std::find(run->busy.begin(), run->busy.end(), key);
      if (it != run->busy.end()) run->busy.erase(it);
    }
  }
  if (reply.ok()) {
    Applied(call);
  } else if (throttled || reply.status().code() == Code::kInternal) {
    if (run->failure.ok()) run->failure = reply.status();
  } else {
    const KafkaBatch& batch = *run->batch;
    for (size_t i : call.records) {
      Reject(batch.tp.partition, batch.records[i], "apply", reply.status().ToString());
    }
  }
  Launch(run);
}

template <class Request>
void RecommenderCalls<Request>::Applied(const Call& call) {
  const KafkaBatch& batch = *call.run->batch;
  const int32_t partition = batch.tp.partition;
  const int64_t now = context_.runtime.NowMicros();
  for (size_t i : call.records) {
    const ConsumedRecord& record = batch.records[i];
    if (!ledger_.Finish(partition, record.offset)) continue;  // applied on an earlier delivery
    ++counts_.applied;
    if (!order_.Applied(partition, record)) ++counts_.applied_out_of_order;
    context_.metrics.RecordApplied(
        topic_, Trace{ProducedMicros(record), record.append_time_us, batch.delivered_us, now});
  }
}

template class RecommenderCalls<PutEventsRequest>;
template class RecommenderCalls<PutItemsRequest>;
template class RecommenderCalls<PutUsersRequest>;

}  // namespace meshsim
