#include "sim/streaming/event_source_mapping.h"

#include <algorithm>

namespace meshsim {

std::string_view FailureConditionName(FailureCondition condition) {
  switch (condition) {
    case FailureCondition::kRetriesExhausted:
      return "RetryAttemptsExhausted";
    case FailureCondition::kRecordAgeExceeded:
      return "RecordAgeExceeded";
  }
  return "RetryAttemptsExhausted";
}

EventSourceMapping::EventSourceMapping(Runtime& runtime, EventStream& stream,
                                       EventSourceMappingConfig config, Handler handler,
                                       FailureDestination on_failure)
    : runtime_(runtime),
      stream_(stream),
      config_(std::move(config)),
      handler_(std::move(handler)),
      on_failure_(std::move(on_failure)) {}

EventSourceMapping::~EventSourceMapping() { Stop(); }

Status EventSourceMapping::Start() {
  if (consumer_) return Status::Ok();
  if (auto valid = Validate(config_); !valid.ok()) return valid;
  auto consumer = stream_.Subscribe(ConsumerConfig{
      config_.function_name, {config_.topic}, ToOffsetReset(config_.starting_position)});
  if (!consumer.ok()) return consumer.status();
  consumer_ = std::move(*consumer);
  consumer_->SetWakeup([this](const TopicPartition& tp) {
    if (tp.topic == config_.topic) Pump(tp.partition);
  });
  return Status::Ok();
}

void EventSourceMapping::Stop() {
  if (!consumer_) return;
  // Fetched but uncommitted records are dropped here: the group's committed offset is where a
  // restarted mapping resumes, so they come again.
  for (auto& state : partitions_) {
    runtime_.Cancel(state.window_timer);
    state.window_timer = 0;
    runtime_.Cancel(state.poll_retry_timer);
    state.poll_retry_timer = 0;
    state.buffer.clear();
  }
  consumer_->Close();
  consumer_.reset();
}

int64_t EventSourceMapping::Lag() const {
  if (!consumer_) return 0;
  int64_t lag = 0;
  for (const auto& tp : consumer_->Assignment()) {
    if (auto l = consumer_->Lag(tp); l.ok()) lag += *l;
  }
  return lag;
}

bool EventSourceMapping::Idle() const {
  for (const auto& state : partitions_) {
    if (state.in_flight || !state.buffer.empty()) return false;
  }
  return true;
}

EventSourceMapping::PartitionState& EventSourceMapping::StateOf(int32_t partition) {
  if (static_cast<size_t>(partition) >= partitions_.size()) {
    partitions_.resize(static_cast<size_t>(partition) + 1);
  }
  return partitions_[static_cast<size_t>(partition)];
}

void EventSourceMapping::Pump(int32_t partition) {
  if (!consumer_ || partition < 0) return;
  PartitionState& state = StateOf(partition);
  if (state.in_flight) return;  // one batch per partition at a time; Complete() pumps again
  const size_t limit = static_cast<size_t>(config_.batch_size);
  if (state.buffer.size() < limit) {
    const bool was_empty = state.buffer.empty();
    Result<size_t> fetched = size_t{0};
    Metered(config_.meter, ComputeMeter::kFetch, [&] {
      fetched = consumer_->Fetch(Tp(partition), limit - state.buffer.size(), &state.buffer);
    });
    if (!fetched.ok()) {
      // A retriable error (a leader moving, the broker away) would leave the partition waiting
      // for a wake-up that may never come: poll again after a pause, as Lambda's poller does.
      // Otherwise (revoked, out of range) the next assignment or reset wakes us.
      if (IsRetriable(fetched.status().code()) && state.poll_retry_timer == 0) {
        state.poll_retry_timer = runtime_.ScheduleAfter(kPollRetryUs, [this, partition] {
          StateOf(partition).poll_retry_timer = 0;
          Pump(partition);
        });
      }
      return;
    }
    if (was_empty && *fetched > 0) state.window_start_us = runtime_.NowMicros();
  }
  if (state.buffer.empty()) {
    consumer_->SetFetchMinRecords(Tp(partition), 1);  // the first record opens a window
    return;
  }
  const int64_t window_end = state.window_start_us + config_.batching_window_us;
  if (state.buffer.size() >= limit || runtime_.NowMicros() >= window_end) {
    Dispatch(partition);
    return;
  }
  // Woken again only when the batch would fill; otherwise the window's end pumps.
  consumer_->SetFetchMinRecords(Tp(partition), static_cast<int64_t>(limit - state.buffer.size()));
  if (state.window_timer == 0) {
    state.window_timer =
        runtime_.ScheduleAfter(window_end - runtime_.NowMicros(), [this, partition] {
          StateOf(partition).window_timer = 0;
          Pump(partition);
        });
  }
}

void EventSourceMapping::Dispatch(int32_t partition) {
  PartitionState& state = StateOf(partition);
  if (state.window_timer != 0) {
    runtime_.Cancel(state.window_timer);
    state.window_timer = 0;
  }
  auto batch = std::make_shared<KafkaBatch>();
  batch->tp = Tp(partition);
  batch->records.swap(state.buffer);
  state.in_flight = true;
  // Nothing to fetch until the batch completes, and Complete() pumps.
  consumer_->SetFetchMinRecords(batch->tp, INT64_MAX);
  Invoke(std::move(batch));
}

void EventSourceMapping::Invoke(std::shared_ptr<KafkaBatch> batch) {
  if (TooOld(*batch)) {  // before the first invocation or a retry: it goes no further
    SendToDestination(*batch, FailureCondition::kRecordAgeExceeded, batch->attempt,
                      std::move(StateOf(batch->tp.partition).last_error));
    FinishBatch(std::move(batch));
    return;
  }
  auto run = [this, batch, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    ++invocations_;
    batch->delivered_us = runtime_.NowMicros();
    Metered(config_.meter, ComputeMeter::kHandle, [&] {
      handler_(*batch, [this, batch, alive](Status status) {
        if (alive.expired()) return;
        Complete(batch, std::move(status));
      });
    });
  };
  const int64_t overhead = (runtime_.IsVirtual() ? config_.invoke.Sample(runtime_.rng()) : 0) +
                           (runtime_.NowMicros() < slow_until_us_ ? slow_extra_us_ : 0);
  if (overhead > 0) {
    runtime_.ScheduleAfter(overhead, std::move(run));
  } else {
    run();
  }
}

void EventSourceMapping::Complete(std::shared_ptr<KafkaBatch> batch, Status status) {
  if (!status.ok()) {
    const int invoked = batch->attempt + 1;
    if (config_.max_retries != kInfinite && batch->attempt >= config_.max_retries) {
      SendToDestination(*batch, FailureCondition::kRetriesExhausted, invoked, std::move(status));
    } else if (TooOld(*batch)) {  // no use waiting out a backoff
      SendToDestination(*batch, FailureCondition::kRecordAgeExceeded, invoked, std::move(status));
    } else {
      const int64_t backoff = config_.retry_backoff_us << std::min(batch->attempt, 20);
      ++batch->attempt;
      StateOf(batch->tp.partition).last_error = std::move(status);
      runtime_.ScheduleAfter(backoff, [this, batch, alive = std::weak_ptr<bool>(alive_)] {
        if (!alive.expired()) Invoke(batch);
      });
      return;
    }
  }
  FinishBatch(std::move(batch));
}

// One comparison per batch: the first record is the oldest in a log whose producers' clocks agree.
bool EventSourceMapping::TooOld(const KafkaBatch& batch) const {
  return config_.max_record_age_us != kInfinite && !batch.records.empty() &&
         runtime_.NowMicros() - batch.records.front().timestamp_us > config_.max_record_age_us;
}

void EventSourceMapping::SendToDestination(const KafkaBatch& batch, FailureCondition condition,
                                           int invoke_count, Status error) {
  ++failed_batches_;
  if (on_failure_) {
    on_failure_(batch,
                KafkaFailure{condition, invoke_count, std::move(error), runtime_.NowMicros()});
  }
}

void EventSourceMapping::FinishBatch(std::shared_ptr<KafkaBatch> batch) {
  const TopicPartition tp = batch->tp;
  // Past the function or its destination: commit, then look for the next batch.
  if (consumer_ && !batch->records.empty()) {
    if (duplicate_next_ > 0) {
      // An injected duplicate delivery: the commit is lost, so the poller reads the batch's
      // records again from where it started and the function gets them a second time.
      --duplicate_next_;
      ++duplicated_batches_;
      (void)consumer_->Seek(tp, batch->records.front().offset);
    } else {
      (void)consumer_->Commit(tp, batch->records.back().offset + 1);
    }
  }
  PartitionState& state = StateOf(tp.partition);
  state.in_flight = false;
  if (!state.last_error.ok()) state.last_error = Status::Ok();  // not the next batch's
  if (!state.buffer.has_storage()) {  // hand the batch's storage back for the next fetch
    batch->records.clear();
    state.buffer.swap(batch->records);
  }
  // Posted, not called: a function that finishes inline would otherwise nest one stack frame
  // chain per batch of a backlog.
  runtime_.Post([this, partition = tp.partition, alive = std::weak_ptr<bool>(alive_)] {
    if (!alive.expired()) Pump(partition);
  });
}

}  // namespace meshsim
