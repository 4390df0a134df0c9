// The event-source mapping against the in-process broker on the virtual clock: every time below
// is exact simulated time.
#include "sim/streaming/event_source_mapping.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/runtime.h"
#include "tests/integration/event_source_mapping_harness.h"

namespace meshsim {
namespace {

using namespace esm_test;  // NOLINT: the rig of this suite

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
    config.starting_position = StartingPosition::kLatest;
    h.Start(config, h.Succeed());
    h.rt().RunUntil(2 * kSec);
    CHECK(h.invocations.empty());
    h.Produce(2);
    h.rt().RunUntil(3 * kSec);
    REQUIRE(h.invocations.size() == 1);
    CHECK(h.invocations[0].offsets == Range(3, 5));
  }
  SECTION("TRIM_HORIZON") {
    config.starting_position = StartingPosition::kTrimHorizon;
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
                             [](const KafkaBatch&, const KafkaFailure&) {});
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
