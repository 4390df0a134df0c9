// The event-source mapping against the in-process broker on the virtual clock: every time below
// is exact simulated time.
#include "sim/event_source_mapping.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fakes/broker.h"
#include "sim/runtime.h"

namespace meshsim {
namespace {

constexpr int64_t kMs = kMicrosPerMilli;
constexpr int64_t kSec = kMicrosPerSecond;
const std::string kTopic = "interactions";
const std::string kFunction = "analytics-fn";  // also the consumer group

// What the function saw on one invocation.
struct Invocation {
  TopicPartition tp;
  std::vector<int64_t> offsets;
  std::vector<std::string> values;
  int64_t at_us;
  int attempt;
};

std::vector<int64_t> Offsets(const KafkaBatch& batch) {
  std::vector<int64_t> out;
  for (const auto& r : batch.records) out.push_back(r.offset);
  return out;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {  // [from, to)
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

// A virtual runtime, a broker with one topic, and a record of every invocation and failure.
// Members are declared so that the broker outlives every consumer and the runtime everything.
class Harness {
 public:
  explicit Harness(int32_t partitions = 1)
      : runtime_(MakeVirtualRuntime(1)), stream_(fakes::MakeFakeEventStream(*runtime_)) {
    REQUIRE(stream_->CreateTopic(TopicConfig{kTopic, partitions}).ok());
    // A topic only the observer reads, so that it can join the mapping's group without taking
    // any of the mapping's partitions.
    REQUIRE(stream_->CreateTopic(TopicConfig{"observer-only", 1}).ok());
  }
  ~Harness() {
    mapping_.reset();
    observer_.reset();
  }

  Runtime& rt() { return *runtime_; }
  EventStream& stream() { return *stream_; }

  EventSourceMappingConfig Config(int64_t batch_size, int64_t window_us) {
    EventSourceMappingConfig c;
    c.function_name = kFunction;
    c.topic = kTopic;
    c.batch_size = batch_size;
    c.batching_window_us = window_us;
    return c;
  }

  // A handler that records the invocation and succeeds at once.
  EventSourceMapping::Handler Succeed() {
    return [this](const KafkaBatch& batch, std::function<void(Status)> done) {
      Record(batch);
      done(Status::Ok());
    };
  }

  void Record(const KafkaBatch& batch) {
    Invocation inv{batch.tp, Offsets(batch), {}, runtime_->NowMicros(), batch.attempt};
    for (const auto& r : batch.records) inv.values.push_back(r.value);
    CHECK(batch.delivered_us == runtime_->NowMicros());
    invocations.push_back(std::move(inv));
  }

  // Joins the mapping's group before the mapping starts, so later Committed() reads cause no
  // rebalance of the mapping's partitions.
  void AddObserver() {
    auto c = stream_->Subscribe(ConsumerConfig{kFunction, {"observer-only"}});
    REQUIRE(c.ok());
    observer_ = std::move(*c);
  }
  int64_t Committed(int32_t partition = 0) {
    auto committed = observer_->Committed(TopicPartition{kTopic, partition});
    REQUIRE(committed.ok());
    return *committed;
  }

  EventSourceMapping& Start(EventSourceMappingConfig config, EventSourceMapping::Handler handler) {
    mapping_ = std::make_unique<EventSourceMapping>(
        *runtime_, *stream_, std::move(config), std::move(handler),
        [this](const KafkaBatch& batch, const Status& status) {
          failures.push_back({batch.tp, Offsets(batch), {}, runtime_->NowMicros(), batch.attempt});
          failure_messages.push_back(status.message());
        });
    const Status started = mapping_->Start();
    INFO(started.ToString());
    REQUIRE(started.ok());
    return *mapping_;
  }
  EventSourceMapping& mapping() { return *mapping_; }
  void DestroyMapping() { mapping_.reset(); }

  // Produces `n` unkeyed records now; the broker spreads them round-robin over the partitions.
  void Produce(int n) {
    for (int i = 0; i < n; ++i) {
      ProducerRecord record{
          kTopic, std::nullopt, std::to_string(produced_++), {}, runtime_->NowMicros()};
      record.value.insert(0, 1, 'v');  // "v" + to_string trips GCC 12's -Wrestrict false positive
      bool ok = false;
      stream_->Produce(std::move(record),
                       [&](Result<RecordMetadata> meta, const ProducerRecord*) { ok = meta.ok(); });
      REQUIRE(ok);
    }
  }
  // Produces `n` records at `at_us` on the clock.
  void ProduceAt(int64_t at_us, int n) {
    runtime_->ScheduleAfter(at_us - runtime_->NowMicros(), [this, n] { Produce(n); });
  }

  std::vector<Invocation> invocations;
  std::vector<Invocation> failures;
  std::vector<std::string> failure_messages;

 private:
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<EventStream> stream_;
  std::unique_ptr<Consumer> observer_;
  std::unique_ptr<EventSourceMapping> mapping_;
  int produced_ = 0;
};

TEST_CASE("esm: a full batch is dispatched at once", "[esm]") {
  Harness h;
  h.Start(h.Config(/*batch_size=*/3, /*window_us=*/10 * kSec), h.Succeed());
  h.Produce(7);

  h.rt().RunUntil(1 * kSec);
  REQUIRE(h.invocations.size() == 2);
  CHECK(h.invocations[0].offsets == Range(0, 3));
  CHECK(h.invocations[0].at_us == 0);
  CHECK(h.invocations[0].values == std::vector<std::string>{"v0", "v1", "v2"});
  CHECK(h.invocations[1].offsets == Range(3, 6));
  CHECK(h.invocations[1].at_us == 0);
  CHECK_FALSE(h.mapping().Idle());  // the seventh record waits for its window

  h.rt().RunUntil(20 * kSec);
  REQUIRE(h.invocations.size() == 3);
  CHECK(h.invocations[2].offsets == Range(6, 7));
  CHECK(h.invocations[2].at_us == 10 * kSec);
  CHECK(h.mapping().invocations() == 3);
  CHECK(h.mapping().Idle());
}

TEST_CASE("esm: records are held until the batching window ends", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/500 * kMs);
  SECTION("no invocation overhead") {
    h.Start(config, h.Succeed());
    h.Produce(3);
    h.ProduceAt(100 * kMs, 2);  // joins the open window

    h.rt().RunUntil(500 * kMs - 1);
    CHECK(h.invocations.empty());
    CHECK_FALSE(h.mapping().Idle());

    h.rt().RunUntil(2 * kSec);
    REQUIRE(h.invocations.size() == 1);
    CHECK(h.invocations[0].offsets == Range(0, 5));
    CHECK(h.invocations[0].at_us == 500 * kMs);

    // The next record opens a new window from its arrival.
    h.ProduceAt(3 * kSec, 1);
    h.rt().RunUntil(10 * kSec);
    REQUIRE(h.invocations.size() == 2);
    CHECK(h.invocations[1].offsets == Range(5, 6));
    CHECK(h.invocations[1].at_us == 3 * kSec + 500 * kMs);
  }
  SECTION("the invocation overhead comes after the window") {
    config.invoke = LatencyModel::Constant(15 * kMs);
    h.Start(config, h.Succeed());
    h.Produce(3);
    h.rt().RunUntil(2 * kSec);
    REQUIRE(h.invocations.size() == 1);
    CHECK(h.invocations[0].at_us == 515 * kMs);
  }
}

TEST_CASE("esm: a zero batching window dispatches immediately", "[esm]") {
  Harness h;
  h.Start(h.Config(/*batch_size=*/100, /*window_us=*/0), h.Succeed());
  h.ProduceAt(250 * kMs, 1);
  h.ProduceAt(300 * kMs, 2);
  h.rt().RunUntil(1 * kSec);
  REQUIRE(h.invocations.size() == 2);
  CHECK(h.invocations[0].offsets == Range(0, 1));
  CHECK(h.invocations[0].at_us == 250 * kMs);
  CHECK(h.invocations[1].offsets == Range(1, 3));
  CHECK(h.invocations[1].at_us == 300 * kMs);
}

TEST_CASE("esm: one batch per partition in flight, order kept per partition", "[esm]") {
  Harness h(/*partitions=*/2);
  std::map<int32_t, bool> in_flight;
  int max_in_flight_total = 0;
  auto handler = [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    const int32_t p = batch.tp.partition;
    CHECK_FALSE(in_flight[p]);  // never a second batch for a partition before the first is done
    in_flight[p] = true;
    max_in_flight_total =
        std::max(max_in_flight_total,
                 static_cast<int>(std::count_if(in_flight.begin(), in_flight.end(),
                                                [](const auto& e) { return e.second; })));
    h.rt().ScheduleAfter(10 * kMs, [&in_flight, p, done] {
      in_flight[p] = false;
      done(Status::Ok());
    });
  };
  h.Start(h.Config(/*batch_size=*/2, /*window_us=*/0), handler);
  h.Produce(10);            // five per partition, round-robin
  h.ProduceAt(5 * kMs, 2);  // one more each, while both partitions are busy
  h.rt().RunUntilIdle();

  CHECK(max_in_flight_total == 2);  // the two partitions do run side by side
  std::map<int32_t, std::vector<int64_t>> seen;
  std::map<int32_t, std::vector<int64_t>> times;
  for (const auto& inv : h.invocations) {
    CHECK(inv.tp.topic == kTopic);
    seen[inv.tp.partition].insert(seen[inv.tp.partition].end(), inv.offsets.begin(),
                                  inv.offsets.end());
    times[inv.tp.partition].push_back(inv.at_us);
    CHECK(inv.offsets.size() <= 2);
  }
  for (int32_t p : {0, 1}) {
    INFO("partition " << p);
    CHECK(seen[p] == Range(0, 6));  // each record once, in offset order
    CHECK(times[p] == std::vector<int64_t>{0, 10 * kMs, 20 * kMs});
  }
  CHECK(h.mapping().Idle());
}

TEST_CASE("esm: offsets are committed only after the function succeeds", "[esm]") {
  Harness h;
  h.AddObserver();
  std::function<void(Status)> pending;
  h.Start(h.Config(/*batch_size=*/100, /*window_us=*/0),
          [&](const KafkaBatch& batch, std::function<void(Status)> done) {
            h.Record(batch);
            pending = std::move(done);
          });
  h.Produce(3);
  h.rt().RunUntil(1 * kSec);
  REQUIRE(h.invocations.size() == 1);
  REQUIRE(pending);
  CHECK(h.Committed() == -1);  // Kafka's "no committed offset"
  CHECK_FALSE(h.mapping().Idle());

  // More records arrive while the batch is out: they neither commit nor start a second batch.
  h.Produce(2);
  h.rt().RunUntil(2 * kSec);
  CHECK(h.invocations.size() == 1);
  CHECK(h.Committed() == -1);

  auto done = std::move(pending);
  pending = nullptr;
  done(Status::Ok());
  CHECK(h.Committed() == 3);  // the next record to read
  h.rt().RunUntil(3 * kSec);
  REQUIRE(h.invocations.size() == 2);
  CHECK(h.invocations[1].offsets == Range(3, 5));
  CHECK(h.Committed() == 3);
  pending(Status::Ok());
  CHECK(h.Committed() == 5);
}

TEST_CASE("esm: a failing batch is retried with backoff, then sent to the destination", "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_retries = 3;
  config.retry_backoff_us = 1 * kSec;
  // The batch holding offset 0 always fails; any other succeeds.
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    done(batch.records.front().offset == 0 ? Status(Code::kInternal, "boom") : Status::Ok());
  });
  h.Produce(2);
  h.ProduceAt(1500 * kMs, 1);  // must wait behind the failing batch

  h.rt().RunUntil(7 * kSec - 1);
  CHECK(h.failures.empty());
  CHECK(h.Committed() == -1);

  h.rt().RunUntil(60 * kSec);
  // One first attempt and three retries, 1 s, 2 s and 4 s apart.
  REQUIRE(h.invocations.size() == 5);
  for (int i = 0; i < 4; ++i) {
    INFO("attempt " << i);
    CHECK(h.invocations[i].attempt == i);
    CHECK(h.invocations[i].offsets == Range(0, 2));
  }
  CHECK(h.invocations[0].at_us == 0);
  CHECK(h.invocations[1].at_us == 1 * kSec);
  CHECK(h.invocations[2].at_us == 3 * kSec);
  CHECK(h.invocations[3].at_us == 7 * kSec);

  REQUIRE(h.failures.size() == 1);
  CHECK(h.failures[0].offsets == Range(0, 2));
  CHECK(h.failures[0].at_us == 7 * kSec);
  CHECK(h.failures[0].attempt == 3);
  CHECK(h.failure_messages[0] == "boom");
  CHECK(h.mapping().failed_batches() == 1);

  // Past the destination the batch is committed and the partition moves on.
  CHECK(h.invocations[4].offsets == Range(2, 3));
  CHECK(h.invocations[4].at_us == 7 * kSec);
  CHECK(h.invocations[4].attempt == 0);
  CHECK(h.Committed() == 3);
  CHECK(h.mapping().invocations() == 5);
}

TEST_CASE("esm: a batch that succeeds on retry is not sent to the destination", "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.retry_backoff_us = 250 * kMs;
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    done(batch.attempt == 0 ? Status(Code::kThrottling, "slow down") : Status::Ok());
  });
  h.Produce(4);
  h.rt().RunUntil(100 * kMs);
  CHECK(h.Committed() == -1);
  h.rt().RunUntil(10 * kSec);
  REQUIRE(h.invocations.size() == 2);
  CHECK(h.invocations[1].attempt == 1);
  CHECK(h.invocations[1].at_us == 250 * kMs);
  CHECK(h.failures.empty());
  CHECK(h.mapping().failed_batches() == 0);
  CHECK(h.Committed() == 4);
}

TEST_CASE("esm: max_retries 0 sends a failing batch straight to the destination", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_retries = 0;
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    done(Status(Code::kInternal, "no"));
  });
  h.Produce(1);
  h.rt().RunUntilIdle();
  CHECK(h.invocations.size() == 1);
  REQUIRE(h.failures.size() == 1);
  CHECK(h.failures[0].at_us == 0);
}

TEST_CASE("esm: starting position LATEST skips earlier records, TRIM_HORIZON reads them", "[esm]") {
  Harness h;
  h.Produce(3);
  h.rt().RunUntil(1 * kSec);
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);

  SECTION("LATEST") {
    config.starting_position = OffsetReset::kLatest;
    h.Start(config, h.Succeed());
    h.rt().RunUntil(2 * kSec);
    CHECK(h.invocations.empty());
    h.Produce(2);
    h.rt().RunUntil(3 * kSec);
    REQUIRE(h.invocations.size() == 1);
    CHECK(h.invocations[0].offsets == Range(3, 5));
  }
  SECTION("TRIM_HORIZON") {
    config.starting_position = OffsetReset::kEarliest;
    h.Start(config, h.Succeed());
    h.rt().RunUntil(2 * kSec);
    REQUIRE(h.invocations.size() == 1);
    CHECK(h.invocations[0].offsets == Range(0, 3));
    h.Produce(2);
    h.rt().RunUntil(3 * kSec);
    REQUIRE(h.invocations.size() == 2);
    CHECK(h.invocations[1].offsets == Range(3, 5));
  }
}

TEST_CASE("esm: a new mapping for the same function resumes from the committed offset", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  h.Start(config, h.Succeed());
  h.Produce(3);
  h.rt().RunUntil(1 * kSec);
  REQUIRE(h.invocations.size() == 1);
  h.DestroyMapping();

  h.Produce(2);
  h.rt().RunUntil(2 * kSec);
  CHECK(h.invocations.size() == 1);  // nobody is consuming

  h.Start(config, h.Succeed());  // TRIM_HORIZON, but the group has a commit
  h.rt().RunUntil(3 * kSec);
  REQUIRE(h.invocations.size() == 2);
  CHECK(h.invocations[1].offsets == Range(3, 5));
}

TEST_CASE("esm: Stop leaves the consumer group", "[esm]") {
  Harness h(/*partitions=*/2);
  h.Start(h.Config(/*batch_size=*/100, /*window_us=*/0), h.Succeed());
  auto peer = h.stream().Subscribe(ConsumerConfig{kFunction, {kTopic}});
  REQUIRE(peer.ok());
  h.rt().RunUntil(1 * kSec);
  CHECK((*peer)->Assignment().size() == 1);  // the group's two members split the partitions

  h.mapping().Stop();
  CHECK((*peer)->Assignment().size() == 2);  // the mapping's partition moved to the peer

  h.Produce(4);
  h.rt().RunUntil(2 * kSec);
  CHECK(h.invocations.empty());
  CHECK(h.mapping().invocations() == 0);
  h.mapping().Stop();  // twice is harmless
  (*peer)->Close();
}

TEST_CASE("esm: a batch in flight at Stop finishes but is not committed", "[esm]") {
  Harness h;
  h.AddObserver();
  std::function<void(Status)> pending;
  h.Start(h.Config(/*batch_size=*/100, /*window_us=*/0),
          [&](const KafkaBatch& batch, std::function<void(Status)> done) {
            h.Record(batch);
            pending = std::move(done);
          });
  h.Produce(2);
  h.rt().RunUntil(1 * kSec);
  REQUIRE(pending);
  h.mapping().Stop();
  pending(Status::Ok());
  h.rt().RunUntil(2 * kSec);
  CHECK(h.Committed() == -1);
  CHECK(h.invocations.size() == 1);
}

TEST_CASE("esm: Start of an unknown topic fails", "[esm]") {
  Harness h;
  auto config = h.Config(100, 0);
  config.topic = "no-such-topic";
  EventSourceMapping mapping(h.rt(), h.stream(), config, h.Succeed(),
                             [](const KafkaBatch&, const Status&) {});
  const Status started = mapping.Start();
  CHECK(started.code() == Code::kUnknownTopicOrPartition);
}

// Stop() cancels each partition's window timer but keeps its id and the buffered (uncommitted)
// records. After Start() again the stale id stops a new window timer from being set, and the
// re-fetch from the committed offset appends the same records to the buffer a second time.
TEST_CASE("esm: Stop then Start delivers buffered records once", "[esm]") {
  Harness h;
  h.Start(h.Config(/*batch_size=*/100, /*window_us=*/500 * kMs), h.Succeed());
  h.Produce(3);
  h.rt().RunUntil(100 * kMs);  // buffered, window open
  REQUIRE(h.invocations.empty());

  h.mapping().Stop();
  REQUIRE(h.mapping().Start().ok());
  h.rt().RunUntil(10 * kSec);
  REQUIRE(h.invocations.size() == 1);
  CHECK(h.invocations[0].offsets == Range(0, 3));
}

// A function that calls `done` before returning (the analytics consumer does) with no invocation
// overhead (always so on the real clock): Complete() pumps and invokes the next batch inside the
// previous batch's `done`, so a backlog of N batches nests N invocations deep on the stack.
TEST_CASE("esm: a synchronous function does not nest invocations", "[esm]") {
  Harness h;
  int depth = 0, max_depth = 0;
  h.Start(h.Config(/*batch_size=*/1, /*window_us=*/0),
          [&](const KafkaBatch& batch, std::function<void(Status)> done) {
            ++depth;
            max_depth = std::max(max_depth, depth);
            h.Record(batch);
            done(Status::Ok());
            --depth;
          });
  h.Produce(200);
  h.rt().RunUntilIdle();
  REQUIRE(h.invocations.size() == 200);
  CHECK(max_depth <= 2);
}

}  // namespace
}  // namespace meshsim
