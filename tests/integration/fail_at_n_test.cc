// The fail-count loop, in the manner of Boost.Beast's test stream: a small scenario runs once per
// n, with the n-th call to the broker (a produce, a fetch or a commit, counted together) failing
// with a retriable error, and every run must keep every invariant — nothing lost, nothing applied
// twice, order per key kept. A loop over n walks the failure points of the whole event path.
#include <catch2/catch.hpp>

#include "fakes/glue_catalog/catalog.h"
#include "fakes/glue_schema_registry/schema_registry.h"
#include "fakes/kafka/broker.h"
#include "sim/mesh/mesh.h"
#include "sim/realtime_recommender/realtime_recommender.h"
#include "sim/report/report.h"

using namespace meshsim;

namespace {

// Counts the calls that reach the broker and fails the n-th with `code` (0: none fails).
struct CallCounter {
  uint64_t calls = 0;
  uint64_t fail_at = 0;
  Code code = Code::kNetworkException;
  std::string failed_api;
  bool Fail(const char* api) {
    if (++calls != fail_at) return false;
    failed_api = api;
    return true;
  }
};

// Fetch and Commit counted (and failed at the n-th call); the rest is ForwardingConsumer's.
class CountingConsumer final : public ForwardingConsumer {
 public:
  CountingConsumer(std::unique_ptr<Consumer> target, CallCounter& counter)
      : ForwardingConsumer(*target), owned_(std::move(target)), counter_(counter) {}
  Result<size_t> Fetch(const TopicPartition& tp, size_t max_records, RecordBuffer* out) override {
    if (counter_.Fail("fetch"))
      return Status(counter_.code, "injected at call " + std::to_string(counter_.calls));
    return ForwardingConsumer::Fetch(tp, max_records, out);
  }
  Status Commit(const TopicPartition& tp, int64_t offset) override {
    if (counter_.Fail("commit")) return Status(Code::kCoordinatorNotAvailable, "injected");
    return ForwardingConsumer::Commit(tp, offset);
  }

 private:
  std::unique_ptr<Consumer> owned_;
  CallCounter& counter_;
};

// Produce counted, and each consumer wrapped; the rest is ForwardingEventStream's.
class CountingStream final : public ForwardingEventStream {
 public:
  CountingStream(EventStream& target, CallCounter& counter)
      : ForwardingEventStream(target), counter_(counter) {}
  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    if (counter_.Fail("produce")) {
      // Refused before it reached the log, as a broker that went away would: nothing appended.
      done(Status(counter_.code, "injected"), &record);
      return;
    }
    ForwardingEventStream::Produce(record, std::move(done));
  }
  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) override {
    auto c = ForwardingEventStream::Subscribe(config);
    if (!c.ok()) return c.status();
    return std::unique_ptr<Consumer>(std::make_unique<CountingConsumer>(std::move(*c), counter_));
  }

 private:
  CallCounter& counter_;
};

constexpr const char* kScenario = R"({
  "name": "fail_at_n", "seed": 3, "duration_s": 8,
  "population": {"users": 20, "songs": 30, "podcasts": 5},
  "traffic": {"events_per_second": 15, "popularity_skew": 1.1,
              "session": {"mean_events": 3, "mean_think_time_ms": 500}},
  "topics": {"partitions": 2},
  "consumers": {"batching_window_ms": 200}
})";

struct Outcome {
  nlohmann::ordered_json report;
  uint64_t calls = 0;
  std::string failed_api;
};

Outcome RunFailingAt(uint64_t n, Code code) {
  auto scenario = ParseScenario(kScenario, "fail_at_n.json");
  REQUIRE(scenario.ok());
  auto runtime = MakeVirtualRuntime(scenario->seed);
  auto broker = fakes::MakeFakeEventStream(*runtime);
  CallCounter counter{0, n, code, ""};
  CountingStream stream(*broker, counter);
  auto catalog = fakes::MakeSqliteCatalog(":memory:");
  REQUIRE(catalog.ok());
  auto recommender = realtime::MakeRealtimeRecommender(*runtime);
  REQUIRE(recommender.ok());
  auto registry = fakes::MakeFakeSchemaRegistry(*runtime);
  REQUIRE(registry.ok());
  Outcome out;
  {
    Mesh mesh(*runtime, *scenario,
              MeshPorts{&stream, catalog->get(), recommender->get(), registry->get(), "tracker",
                        "campaign"});
    REQUIRE(mesh.Run().ok());
    out.report = BuildReport(mesh, scenario->seed, 0);
  }
  out.calls = counter.calls;
  out.failed_api = counter.failed_api;
  return out;
}

}  // namespace

TEST_CASE("fail-count loop: a retriable error at any broker call keeps every invariant") {
  const Outcome clean = RunFailingAt(0, Code::kNetworkException);
  REQUIRE(clean.report["invariants"]["held"] == true);
  REQUIRE(clean.report["counts"]["rejected"] == 0);
  const uint64_t calls = clean.calls;
  REQUIRE(calls > 200);
  // Every call of the first 150 (start-up: the population's produces, the first fetches and
  // commits), then a stride through the rest of the run: ~250 runs.
  std::map<std::string, int> failed_by_api;
  for (uint64_t n = 1; n <= calls; n += n <= 150 ? 1 : calls / 100) {
    for (Code code : {Code::kNetworkException, Code::kNotLeaderOrFollower}) {
      const Outcome o = RunFailingAt(n, code);
      INFO("failing call " << n << " of " << calls << " (" << o.failed_api << ") with "
                           << CodeName(code));
      REQUIRE(!o.failed_api.empty());
      ++failed_by_api[o.failed_api];
      const auto& inv = o.report["invariants"];
      CHECK(inv["nothing_lost"] == true);
      CHECK(inv["nothing_applied_twice"] == true);
      CHECK(inv["order_per_key_kept"] == true);
      CHECK(o.report["counts"]["rejected"] == 0);  // retried, never dead-lettered
    }
  }
  // The loop reached every kind of call.
  CHECK(failed_by_api["produce"] > 0);
  CHECK(failed_by_api["fetch"] > 0);
  CHECK(failed_by_api["commit"] > 0);
}
